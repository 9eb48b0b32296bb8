"""The five-times sit-to-stand scored from its frames (docs/sources.md §6.10, docs/metrics.md).

``five_sts_time_s``: from "Go" (the rep's cue) to the fifth time the hips reached standing
height in the recorded hip height (game.scoring.leg_reps.rises), NaN when five stands were not
done; ``arms_used`` when the hands pushed on the thighs; with the patient's age the limit of
the age band (``five_sts_norm_s``) and ``norm_category`` (-1 slower than average, 0 not).
"""

from __future__ import annotations

import math

import numpy as np

from game.leveltypes.chair_stand.metrics import norm_fields
from game.leveltypes.five_sts.exercise import STANDS, FiveStsRep
from game.leveltypes.measure import RepData
from game.leveltypes.sit_to_stand.metrics import seen_points
from game.scoring.grades import LOWER
from game.scoring.leg_reps import rises
from game.scoring.lower_limb import hip_height_shanks
from game.scoring.norms import band

GRADED = {"five_sts_time_s": (LOWER, 1.0)}
"""A test is graded on its result only, against the patient's own past."""
GOALS: dict[str, float] = {}


def rep_metrics(rep: RepData) -> dict[str, float]:
    d = rep.outcome.detail
    live = rep.live
    if not isinstance(d, FiveStsRep) or len(rep.frames.t_s[live]) < 3:
        return {}
    px, _ = seen_points(rep)
    t = rep.frames.t_s[live]
    h = np.nan_to_num(hip_height_shanks(px[live]), nan=d.sit_shanks)
    ups, _ = rises(h, d.sit_shanks, d.stand_shanks)
    time_s = float(t[ups[STANDS - 1]] - rep.outcome.t_cue_s) if len(ups) >= STANDS else math.nan
    out = {"five_sts_time_s": time_s, "arms_used": float(d.arms_used)}
    if math.isfinite(time_s) and not d.arms_used:
        out.update(norm_fields("five_sts", "five_sts", time_s, d.age_years, d.sex))
        row = band("five_sts", d.age_years or None, d.sex)
        if row is not None:
            out["five_sts_norm_s"] = row.high
    return out
