"""A played level summarised: its metrics over the reps, and the range of motion compared."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from game.scoring import age_norm_deg, percent_of_reference, rom_envelope_deg
from game.scoring.confidence import MIN_RELIABLE_REPS

RepMetrics = Mapping[str, float]
"""One rep's metrics by name (units in the names)."""
DEFAULT_AGE_YEARS = 70.0
"""Age used for the range-of-motion norm when none is recorded: the 65–85 y norms (Walker et
al., Norkin & White Table A.1; docs/sources.md §4.1) suit most stroke survivors better than
the AAOS 180° (Gill et al. 2020)."""


def past_results(db: Any, patient_id: str) -> dict[str, list[dict[str, float]]]:
    """Each level's earlier summaries for one patient (reliable values only), oldest first."""
    out: dict[str, list[dict[str, float]]] = {}
    for session in db.sessions(patient_id):
        for r in db.level_results(session.id):
            rel = r.reliable
            out.setdefault(r.level_id, []).append(
                {k: float(v) for k, v in r.metrics.items() if rel.get(k, True)}
            )
    return out


def level_summary(reps: Sequence[RepMetrics]) -> tuple[dict[str, float], dict[str, bool]]:
    """Per-level metrics and their reliable flags from the reps' metrics.

    A metric the scoring module flagged per rep (``{name}_reliable``) is the median of its
    reliable reps and is reliable with at least MIN_RELIABLE_REPS of them; unreliable reps are
    never averaged in silently. Measures the level took itself (hold time, reposition error…)
    are the median of their finite values, reliable when every rep of a short level (or
    MIN_RELIABLE_REPS) has one. ``success_rate`` is the game's verdict over all reps.
    """
    metrics: dict[str, float] = {}
    flags: dict[str, bool] = {}
    if not reps:
        return {"success_rate": float("nan"), "reps": 0.0}, {"success_rate": False, "reps": True}
    names = sorted({k for r in reps for k in r if not k.endswith(("_reliable", "_valid_fraction"))})
    need_plain = min(MIN_RELIABLE_REPS, len(reps))
    for name in names:
        values = np.array([r.get(name, np.nan) for r in reps], dtype=np.float64)
        if any(f"{name}_reliable" in r for r in reps):
            ok = np.array([bool(r.get(f"{name}_reliable", 0.0)) for r in reps]) & np.isfinite(values)
            need = MIN_RELIABLE_REPS
        else:
            ok, need = np.isfinite(values), need_plain
        metrics[name] = float(np.median(values[ok])) if ok.any() else float("nan")
        flags[name] = int(ok.sum()) >= need
    metrics["success_rate"] = float(np.mean([bool(r.get("success", 0.0)) for r in reps]))
    flags["success_rate"] = True
    metrics["reps"], flags["reps"] = float(len(reps)), True
    return metrics, flags


def rom_comparison(
    reps: Sequence[RepMetrics], calibration: Mapping[str, float] | None, age_years: float = DEFAULT_AGE_YEARS
) -> dict[str, float]:
    """The affected arm's session envelope of shoulder elevation (ISB, any plane), with the
    plane it was reached in, as a % of the calibrated unaffected side's comfortable range
    and of the age norm of the motion of that plane (docs/sources.md §4.1, §4.2, §10 item 6:
    normalise to the unaffected side and to age norms).

    The plane decides the comparison: nearer the flexion plane (90 deg) than the abduction
    plane (0 deg), the flexion norm and the calibration's "forward" range; otherwise the
    abduction norm and the "out" range; without a plane (elevation below 20 deg) the
    abduction norm and the "up" range. Peak abduction is not used: it is blank for reaches
    outside the frontal plane."""
    elev = np.asarray([r.get("affected_peak_shoulder_elevation_deg", np.nan) for r in reps], dtype=np.float64)
    planes = np.asarray([r.get("affected_plane_of_elevation_deg", np.nan) for r in reps], dtype=np.float64)
    top = float(np.asarray(rom_envelope_deg(elev)["max_deg"], dtype=np.float64))
    plane = float(planes[int(np.nanargmax(elev))]) if np.isfinite(elev).any() else float("nan")
    if not np.isfinite(plane):
        motion, range_key = "shoulder_abduction", "range_up_deg"
    elif abs(plane - 90.0) < abs(plane):
        motion, range_key = "shoulder_flexion", "range_forward_deg"
    else:
        motion, range_key = "shoulder_abduction", "range_out_deg"
    ref = (calibration or {}).get(range_key, np.nan)
    return {
        "affected_elevation_max_deg": top,
        "affected_elevation_plane_deg": plane,
        "affected_elevation_pct_norm": float(
            percent_of_reference(np.asarray(top), np.asarray(age_norm_deg(motion, age_years)))
        ),
        "affected_elevation_pct_unaffected": float(percent_of_reference(np.asarray(top), np.asarray(ref))),
    }
