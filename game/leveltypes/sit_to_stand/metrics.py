"""What a stand is scored on, from its recorded frames (docs/sources.md §6.7, docs/metrics.md).

The hip height above the ankles (shank lengths, from the picture) segments the stand exactly as
the game counted it (game.scoring.leg_reps.excursion_reps with the level's thresholds): seat-off
to seated again is ``stand_time_s``, seat-off to standing ``rise_time_s``. During the rise:
the largest trunk tilt (``trunk_flexion_deg``), whether a hand stayed on a thigh for most of it
(``arms_used``) and the largest sideways shift of the shoulders over the feet, towards the
unaffected side positive (``lateral_shift_cm``); ``side_view`` says how it was filmed.
"""

from __future__ import annotations

import math

import numpy as np

from game.leveltypes.measure import RepData
from game.leveltypes.sit_to_stand.exercise import StsRep
from game.scoring.grades import HIGHER, LOWER
from game.scoring.leg_reps import excursion_reps
from game.scoring.lower_limb import hands_on_thighs, hip_height_shanks, lateral_shift_m, trunk_flexion_deg
from game.tracking import pose as P

GRADED = {"success_rate": (HIGHER, 2.0), "stand_time_s": (LOWER, 1.0), "arms_used": (LOWER, 1.0)}
"""Metric → (HIGHER or LOWER is better, weight) for game.scoring.grades.grade_level."""
GOALS = {"success_rate": 0.75}
"""Default goals when the therapist set none."""
SIDE_VIEW_RATIO = 0.45
"""Shoulder width under this fraction of the trunk length in the picture: filmed from the side."""


def seen_points(rep: RepData) -> tuple[np.ndarray, np.ndarray]:
    """The rep's image points in pixels and world points in metres, NaN where not seen;
    (T, 33, 2) and (T, 33, 3)."""
    img = rep.frames.image.astype(np.float64)
    px = img[..., :2] * np.asarray(rep.frame_size, dtype=np.float64)
    px[img[..., 3] < P.VISIBLE] = np.nan
    w = rep.frames.world[..., :3].astype(np.float64)
    w[rep.frames.world[..., 3] < P.VISIBLE] = np.nan
    return px, w


def side_view(px: np.ndarray) -> float:
    """1.0 when the person was filmed from the side (narrow shoulders against the trunk), else 0."""
    width = np.linalg.norm(px[..., P.L_SHOULDER, :] - px[..., P.R_SHOULDER, :], axis=-1)
    mid = 0.5 * (px[..., P.L_SHOULDER, :] + px[..., P.R_SHOULDER, :]) - 0.5 * (
        px[..., P.L_HIP, :] + px[..., P.R_HIP, :]
    )
    ratio = float(np.nanmedian(width / np.linalg.norm(mid, axis=-1)))
    return float(ratio < SIDE_VIEW_RATIO) if math.isfinite(ratio) else math.nan


def rise_metrics(rep: RepData, px: np.ndarray, w: np.ndarray, a: int, top: int) -> dict[str, float]:
    """Trunk lean, arms and sideways shift over the rise (frames ``a`` to ``top``)."""
    rise = slice(a, top + 1)
    on = hands_on_thighs(w[rise])
    shift = lateral_shift_m(w)
    base = float(np.nanmedian(shift[: max(a, 1)]))
    d = shift[rise] - base
    k = int(np.nanargmax(np.abs(np.where(np.isfinite(d), d, 0.0))))
    toward_good = 1.0 if rep.affected_side == "right" else -1.0  # + = the person's left
    return {
        "trunk_flexion_deg": float(np.nanmax(trunk_flexion_deg(w[rise]))),
        "arms_used": float(np.mean(on) > 0.5),
        "lateral_shift_cm": 100.0 * toward_good * float(d[k]),
    }


def rep_metrics(rep: RepData) -> dict[str, float]:
    """Score one stand (see the module doc)."""
    d = rep.outcome.detail
    if not isinstance(d, StsRep) or len(rep.frames) < 3:
        return {}
    px, w = seen_points(rep)
    t = rep.frames.t_s
    h = hip_height_shanks(px)
    start, _, end = excursion_reps(h, d.sit_shanks, d.stand_shanks)
    out = {"side_view": side_view(px)}
    if not start.size:
        return out
    a, e = int(start[0]), int(end[0])
    up = np.flatnonzero(h[a : e + 1] >= d.stand_shanks)
    top = a + int(up[0])
    out.update({"stand_time_s": float(t[e] - t[a]), "rise_time_s": float(t[top] - t[a])})
    out.update(rise_metrics(rep, px, w, a, top))
    return out
