"""The single-leg stance test scored from its frames (docs/sources.md §6.5, docs/metrics.md).

Each try's frames give its longest stance by the video rule of §6.5
(game.scoring.single_leg_stance_s: the free ankle 5 cm above the standing one, 100 ms
persistence), capped at the protocol's 45 s; ``one_leg_stance_best_s`` is the best of the
tries, ``n_trials`` how many were done; with the patient's age the band's mean
(``one_leg_stance_norm_s``) and ``norm_category`` (-1 below the mean, 0 at or above).
"""

from __future__ import annotations

import numpy as np

from game.leveltypes.chair_stand.metrics import norm_fields
from game.leveltypes.guided import age_or_none, sex_or_none
from game.leveltypes.measure import RepData, frame_rate_hz
from game.leveltypes.one_leg_test.exercise import OneLegRep
from game.scoring import single_leg_stance_s
from game.scoring.grades import HIGHER
from game.scoring.norms import band

GRADED = {"one_leg_stance_best_s": (HIGHER, 1.0)}
"""A test is graded on its result only, against the patient's own past."""
GOALS: dict[str, float] = {}


def rep_metrics(rep: RepData) -> dict[str, float]:
    d = rep.outcome.detail
    if not isinstance(d, OneLegRep) or len(rep.frames) < 3:
        return {}
    t = rep.frames.t_s
    world = rep.frames.world.astype(np.float64)
    times = []
    for t0, t1 in d.trials:
        inside = (t >= t0 - 0.2) & (t <= t1)
        if inside.sum() >= 2:
            times.append(
                min(
                    float(single_leg_stance_s(world[inside], frame_rate_hz(t[inside]), d.stance_side)),
                    d.cap_s,
                )
            )
    best = max(times, default=0.0)
    out = {"one_leg_stance_best_s": best, "n_trials": float(len(d.trials))}
    out.update(norm_fields("one_leg_stance", "one_leg_stance", best, d.age_years, d.sex))
    row = band("one_leg_stance", age_or_none(d.age_years), sex_or_none(d.sex))
    if row is not None:
        out["one_leg_stance_norm_s"] = row.mean
    return out
