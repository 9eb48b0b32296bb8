"""The functional reach test scored from its frames (docs/sources.md §6.4, docs/metrics.md).

For each counted try: the fist (mean of the index and little-finger knuckles of the unaffected
arm) relative to the mid-ankle point, along the horizontal direction at right angles to the
hip line (forward), world landmarks; the try's reach is its largest forward travel from the
try's start, in centimetres after scaling by the calibrated arm length over the tracked one
(``ReachTestRep.arm_scale``). ``functional_reach_cm`` is the mean of the counted tries,
``n_trials`` how many; with the patient's age and sex the band's mean
(``functional_reach_norm_cm``) and ``norm_category`` (-1 below mean - SD, 0 within, +1 above).
"""

from __future__ import annotations

import numpy as np

from game.leveltypes.chair_stand.metrics import norm_fields
from game.leveltypes.guided import age_or_none, sex_or_none
from game.leveltypes.measure import RepData
from game.leveltypes.reach_test.exercise import ReachTestRep, fist
from game.leveltypes.sit_to_stand.metrics import seen_points
from game.scoring.grades import HIGHER
from game.scoring.norms import band
from game.tracking import pose as P

GRADED = {"functional_reach_cm": (HIGHER, 1.0)}
"""A test is graded on its result only, against the patient's own past."""
GOALS: dict[str, float] = {}


def forward_m(world: np.ndarray, side: str) -> np.ndarray:
    """Fist in front of the feet along the person's forward direction, metres, (T,)."""
    across = world[:, P.L_HIP] - world[:, P.R_HIP]
    fwd = np.stack([across[:, 2], np.zeros(len(world)), -across[:, 0]], axis=-1)
    fwd /= np.linalg.norm(fwd, axis=-1, keepdims=True)
    feet = 0.5 * (world[:, P.L_ANKLE] + world[:, P.R_ANKLE])
    return np.sum((fist(world, side) - feet) * fwd, axis=-1)  # type: ignore[arg-type]


def rep_metrics(rep: RepData) -> dict[str, float]:
    d = rep.outcome.detail
    if not isinstance(d, ReachTestRep) or len(rep.frames) < 3:
        return {}
    _, w = seen_points(rep)
    t = rep.frames.t_s
    x = forward_m(w, d.side)
    reaches = []
    for t0, t1 in d.trials:
        inside = np.flatnonzero((t >= t0) & (t <= t1))
        if inside.size >= 2 and np.isfinite(x[inside[0]]):
            reaches.append(100.0 * d.arm_scale * float(np.nanmax(x[inside]) - x[inside[0]]))
    value = float(np.mean(reaches)) if reaches else float("nan")
    out = {"functional_reach_cm": value, "n_trials": float(len(reaches))}
    if np.isfinite(value):
        out.update(norm_fields("functional_reach", "functional_reach", value, d.age_years, d.sex))
        row = band("functional_reach", age_or_none(d.age_years), sex_or_none(d.sex))
        if row is not None:
            out["functional_reach_norm_cm"] = row.mean
    return out
