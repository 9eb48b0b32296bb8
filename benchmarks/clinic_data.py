"""A year of daily sessions for one patient, written through the storage API (benchmarks/clinic.py).

Each session plays the reach level in 60 reps of the real game's reach metrics (73 stored keys
per rep with their reliable flags and valid fractions, like the live game) and one level result
per set of 10 reps, so the portal reads what a year of home practice really leaves.
"""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np

from game.storage import LevelResult, Patient, Rep, Store
from game.therapist.settings_schema import PatientSettings

SCORED = (
    "elbow_min_flexion_deg",
    "endpoint_error_m",
    "interjoint_r",
    "ldlj",
    "movement_time_s",
    "nmu",
    "path_length_ratio",
    "peak_shoulder_abduction_deg",
    "peak_shoulder_elevation_deg",
    "peak_shoulder_flexion_deg",
    "peak_speed_m_s",
    "plane_of_elevation_deg",
    "reach_fraction",
    "reach_pct_arm",
    "reaction_time_s",
    "shoulder_hiking_mm",
    "sparc",
    "success",
    "time_to_peak_s",
    "time_to_target_s",
    "trunk_displacement_mm",
)
"""Rep measures stored with ``_reliable`` and ``_valid_fraction`` (game/scoring/reps.py)."""
PLAIN = (
    "affected_peak_shoulder_abduction_deg",
    "affected_peak_shoulder_elevation_deg",
    "affected_peak_shoulder_flexion_deg",
    "affected_plane_of_elevation_deg",
    "affected_reach_fraction",
    "affected_reach_pct_arm",
    "affected_sparc",
    "offset_s",
    "onset_s",
    "started_before_cue",
)
SETS, REPS_PER_SET = 6, 10


def rep_metrics(rng: np.random.Generator, progress: float) -> dict[str, float]:
    """One reach rep's 73 stored values, slowly improving with `progress` (0-1)."""
    m = {name: float(rng.normal(1.0, 0.1)) for name in SCORED + PLAIN}
    m["reach_fraction"] = 0.5 + 0.2 * progress + float(rng.normal(0, 0.03))
    m["affected_reach_fraction"] = 0.3 + 0.2 * progress + float(rng.normal(0, 0.03))
    m["sparc"] = -2.4 + 0.5 * progress + float(rng.normal(0, 0.08))
    m["affected_sparc"] = -3.0 + 0.7 * progress + float(rng.normal(0, 0.1))
    m["trunk_displacement_mm"] = 40.0 - 15.0 * progress + float(rng.normal(0, 5.0))
    for name in SCORED:
        m[f"{name}_reliable"] = 1.0
        m[f"{name}_valid_fraction"] = float(rng.uniform(0.9, 1.0))
    return m


def build_year(
    db: Store, patient_id: str = "year", *, days: int = 365, seed: int = 0, first: date = date(2025, 3, 1)
) -> int:
    """Write `patient_id` with one session a day for `days` days; return the reps written."""
    rng = np.random.default_rng(seed)
    plan = ({"level": "reach-apples", "sets": SETS, "reps": REPS_PER_SET, "rest_s": 20.0},)
    settings = PatientSettings(alias="Year patient", affected_side="left", plan=plan)
    db.add_patient(
        Patient(patient_id, "Year patient", "left", f"{first.isoformat()}T08:00:00Z", settings.to_mapping())
    )
    items = [{"level": "reach-apples", "set": k, "reps": REPS_PER_SET, "rest_s": 20.0} for k in range(SETS)]
    n = 0
    for d in range(days):
        day = first + timedelta(days=d)
        stamp = f"{day.isoformat()}T10:00:00Z"
        sid = db.start_session(
            patient_id,
            started_at=stamp,
            source="camera",
            plan={"items": items},
            pain_before=int(rng.integers(0, 4)),
        )
        t = 5.0
        for s in range(SETS):
            for k in range(REPS_PER_SET):
                rep = Rep(
                    "reach-apples",
                    s,
                    k,
                    t,
                    t + 3.0,
                    bool(rng.random() < 0.8),
                    False,
                    rep_metrics(rng, d / days),
                )
                db.add_rep(sid, rep, created_at=stamp)
                t, n = t + 4.0, n + 1
            db.add_level_result(
                LevelResult(
                    sid,
                    "reach-apples",
                    2,
                    {"sparc": -2.0, "success_rate": 0.8},
                    {"sparc": True, "success_rate": True},
                )
            )
        db.finish_session(
            sid,
            status="completed",
            ended_at=f"{day.isoformat()}T10:30:00Z",
            pain_after=int(rng.integers(0, 4)),
            active_s=float(rng.normal(900, 60)),
        )
    return n
