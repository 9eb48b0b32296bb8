"""The 30-second chair stand scored from its frames (docs/sources.md §6.9, docs/metrics.md).

The stands are counted again from the recorded hip height with the game's own hysteresis
(game.scoring.leg_reps.rises between the seated and the standing threshold), plus one when the
hips were more than halfway up at the end; ``n_chair_stands`` is that count, or 0 when the arms
were needed (``arms_used``, the protocol's rule). With the patient's age and sex it is compared
with the STEADI range: ``n_chair_stands_norm_low``/``_high`` and ``norm_category`` (-1 below
average, 0 average, +1 above).
"""

from __future__ import annotations

import numpy as np

from game.leveltypes.chair_stand.exercise import ChairStandRep
from game.leveltypes.guided import age_or_none, sex_or_none
from game.leveltypes.measure import RepData
from game.leveltypes.sit_to_stand.metrics import seen_points
from game.scoring.grades import HIGHER
from game.scoring.leg_reps import hysteresis_states, rises
from game.scoring.lower_limb import hip_height_shanks
from game.scoring.norms import compare

GRADED = {"n_chair_stands": (HIGHER, 1.0)}
"""A test is graded on its result only, against the patient's own past."""
GOALS: dict[str, float] = {}


def count_stands(h: np.ndarray, sit: float, stand: float) -> int:
    """Full stands in a hip-height trace, plus one if more than halfway up, not yet counted,
    at its end (the protocol's last-stand rule)."""
    x = np.nan_to_num(np.asarray(h, dtype=np.float64), nan=sit)
    n = len(rises(x, sit, stand)[0])
    state = hysteresis_states(x, sit, stand)
    halfway = state.size and state[-1] != 1 and x[-1] >= sit + 0.5 * (stand - sit)
    return n + int(bool(halfway))


def norm_fields(prefix: str, test: str, value: float, age: int, sex: str) -> dict[str, float]:
    """The norm comparison stored with a test (nothing without a norm row)."""
    c = compare(test, value, age_or_none(age), sex_or_none(sex))
    if c is None:
        return {}
    out = {"norm_category": float(c.category)}
    if prefix == "n_chair_stands":
        out.update({"n_chair_stands_norm_low": c.band.low, "n_chair_stands_norm_high": c.band.high})
    return out


def rep_metrics(rep: RepData) -> dict[str, float]:
    d = rep.outcome.detail
    live = rep.live
    if not isinstance(d, ChairStandRep) or len(rep.frames.t_s[live]) < 3:
        return {}
    px, _ = seen_points(rep)
    n = 0 if d.arms_stopped else count_stands(hip_height_shanks(px[live]), d.sit_shanks, d.stand_shanks)
    out = {"n_chair_stands": float(n), "arms_used": float(d.arms_stopped)}
    out.update(norm_fields("n_chair_stands", "chair_stand_30s", float(n), d.age_years, d.sex))
    return out
