"""A realistic patient history written through the real database API (several test packages
use it: the therapist review, the family screen and picture, the CLI tools)."""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np

from game.storage import LevelResult, Patient, Rep, Store
from game.therapist.settings_schema import PatientSettings

TODAY = date(2026, 3, 19)  # a Thursday


def make_history(
    db: Store,
    patient_id: str = "p1",
    *,
    alias: str = "Margaret",
    weeks: int = 4,
    seed: int = 0,
    today: date = TODAY,
    balance: bool = True,
    affected: bool = True,
    **extra: object,
) -> None:
    """Write a patient with `weeks` of realistic, slowly improving sessions (5 days a week)."""
    rng = np.random.default_rng(seed)
    plan = (
        {"level": "reach-apples", "sets": 2, "reps": 6, "rest_s": 30.0},
        {"level": "reach-bubbles", "sets": 1, "reps": 6, "rest_s": 30.0},
    )
    settings = PatientSettings(alias=alias, affected_side="left", session_minutes=20.0, plan=plan, **extra)  # type: ignore[arg-type]
    db.add_patient(Patient(patient_id, alias, "left", "2026-01-01T09:00:00Z", settings.to_mapping()))
    start = today - timedelta(days=7 * weeks - 1)
    days = [start + timedelta(days=k) for k in range(7 * weeks)]
    played = [d for d in days if d.weekday() < 5 and rng.random() < 0.85 or d == today]
    levels = ["reach-apples", "reach-bubbles"] + (["stand-steady"] if balance else [])
    for n, d in enumerate(played):
        _write_session(db, patient_id, n, d, n / max(len(played) - 1, 1), levels, rng, affected)


def _write_session(
    db: Store,
    patient_id: str,
    n: int,
    day: date,
    progress: float,
    levels: list[str],
    rng: np.random.Generator,
    affected: bool,
) -> None:
    """Session number `n` on `day`, `progress` (0-1) of the way from the first to the last."""
    stamp = f"{day.isoformat()}T10:{n % 50:02d}:00Z"
    sid = db.start_session(patient_id, started_at=stamp, source="camera", plan={},
                           pain_before=int(rng.integers(0, 3)))  # fmt: skip
    t = 5.0
    for level in levels:
        reps = []
        for k in range(6):
            reach = 0.45 + 0.15 * progress + rng.normal(0, 0.03)
            ok = bool(rng.random() < 0.6 + 0.3 * progress)
            m = _rep_metrics(level, reach, progress, rng, affected)
            if k == 2 and n % 4 == 0 and "affected_sparc" in m:
                m["affected_sparc"] = float("nan")  # a mistracked rep
            rep = Rep(level, 0, k, t, t + 4.0, ok, bool(rng.random() < 0.25 - 0.15 * progress), m)
            db.add_rep(sid, rep, created_at=stamp)
            reps.append(m)
            t += 6.0
        keys = sorted({key for m in reps for key in m})
        summary = {
            key: float(np.median([m[key] for m in reps if key in m and np.isfinite(m[key])])) for key in keys
        }
        stars = int(min(3, 1 + round(2 * progress + rng.normal(0, 0.3))))
        db.add_level_result(LevelResult(sid, level, max(stars, 0), summary, {key: True for key in keys}))
    active_s = 60.0 * (14.0 + 6.0 * progress + rng.normal(0, 1.5))
    db.finish_session(sid, status="completed", ended_at=f"{day.isoformat()}T10:59:00Z",
                      pain_after=int(rng.integers(0, 3)), active_s=max(active_s, 0.0))  # fmt: skip


def _rep_metrics(
    level: str, reach: float, progress: float, rng: np.random.Generator, affected: bool
) -> dict[str, float]:
    """One rep's metrics: the reach levels measure both arms, the stance level balance."""
    m = {
        "reach_fraction": reach,
        "time_to_target_s": 3.0 - 1.2 * progress + rng.normal(0, 0.3),
        "sparc": -2.6 + 0.5 * progress + rng.normal(0, 0.08),
        "trunk_displacement_mm": 45.0 - 15.0 * progress + rng.normal(0, 5.0),
        "peak_shoulder_flexion_deg": 70.0 + 25.0 * progress + rng.normal(0, 4.0),
        "peak_shoulder_elevation_deg": 72.0 + 25.0 * progress + rng.normal(0, 4.0),
        "affected_reach_fraction": 0.25 + 0.2 * progress + rng.normal(0, 0.03),
        "affected_peak_shoulder_flexion_deg": 40.0 + 20.0 * progress + rng.normal(0, 4.0),
        "affected_peak_shoulder_elevation_deg": 42.0 + 20.0 * progress + rng.normal(0, 4.0),
        "affected_sparc": -3.2 + 0.8 * progress + rng.normal(0, 0.1),
    }
    if not affected:
        m = {k: v for k, v in m.items() if not k.startswith("affected_")}
    if level.startswith("stand"):
        m = {"hold_s": 8.0 + 10.0 * progress + rng.normal(0, 1.0),
             "time_in_zone_frac": 0.5 + 0.3 * progress + rng.normal(0, 0.05)}  # fmt: skip
    return m
