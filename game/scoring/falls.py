"""Fall detection during standing levels (docs/sources.md §6.11; docs/metrics.md `fall_detected`).

A fall is the hips dropping fast toward the floor and the body ending down: a rule on two
per-frame signals, both read from the landmarks a standing level already tracks.

- ``hip_h``: the mid-hip's height above the ankles in shank lengths (about 2.0 standing,
  1.0-1.3 seated or squatting, under 0.5 with the hips near the floor), from the picture, with
  the shank length taken as the median over the frames given (a fall foreshortens the legs);
- ``tilt_deg``: the trunk's tilt from vertical, the larger of the 3-D (world) and the picture
  reading (a fall towards the camera shows only in depth, a fall sideways in the picture).

A frame is a fall when the body has been down (tilt >= 60 deg or hips under 0.5 shank lengths)
for :data:`DOWN_HOLD_S`, and in the :data:`DROP_WINDOW_S` before that the hips fell by at least
:data:`DROP_SHANKS` with a downward speed of at least :data:`SPEED_SHANKS_S` at some moment.
Sitting down on a chair (hips stop near 1.1 shank lengths, trunk leaning 30-45 deg) and a fast
squat (the same, faster) are not down, so they never count. Design choices, checked on the
simulated patient falling, sitting down and squatting fast (tests/scoring/test_falls.py);
markerless fall detection from one camera has no published validated threshold we know of.
"""

from __future__ import annotations

import numpy as np
from scipy.ndimage import maximum_filter1d

from game.scoring import _validate
from game.scoring.lower_limb import mean_of_seen, shank_length, trunk_flexion_deg
from game.tracking import pose as P

DROP_SHANKS = 0.8
"""Smallest fall of the hips (shank lengths, about 0.35 m) before the body is down."""
SPEED_SHANKS_S = 1.5
"""Smallest peak downward speed of the hips (shank lengths per second, about 0.65 m/s)."""
DOWN_TILT_DEG = 60.0
"""Trunk this far from vertical is lying, not leaning (a sit-to-stand leans about 35-45 deg)."""
FLOOR_SHANKS = 0.5
"""Hips this low above the ankles are on (or very near) the floor."""
DOWN_HOLD_S = 0.3
DROP_WINDOW_S = 2.0


def fall_signals(image_px: np.ndarray, world: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per-frame hip height (shank lengths) and trunk tilt (degrees).

    Parameters
    ----------
    image_px : (T, 33, 2|3) float
        Image landmarks in pixels (NaN where not seen).
    world : (T, 33, 3) float
        World landmarks, metres.

    Returns
    -------
    hip_h : (T,) float
    tilt_deg : (T,) float
    """
    img = np.asarray(image_px)[..., :2]
    w = np.asarray(world)[..., :3]
    if img.ndim < 3 or w.ndim < 3 or img.dtype.kind != "f" or w.dtype.kind != "f":
        img = _validate.as_float_array(image_px, "image_px", min_ndim=3)[..., :2]
        w = _validate.as_float_array(world, "world", min_ndim=3)[..., :3]
    shank = shank_length(img)
    scale = float(np.nanmedian(shank)) if np.any(np.isfinite(shank)) else np.nan
    hip = 0.5 * (img[..., P.L_HIP, 1] + img[..., P.R_HIP, 1])
    ratio = (mean_of_seen(img[..., P.L_ANKLE, 1], img[..., P.R_ANKLE, 1]) - hip) / scale
    tilt = np.fmax(trunk_flexion_deg(w), trunk_flexion_deg(img))
    return ratio, tilt


def fall_frames(t_s: np.ndarray, hip_h: np.ndarray, tilt_deg: np.ndarray) -> np.ndarray:
    """Which frames end a fall (see the module doc), (T,) bool.

    Parameters
    ----------
    t_s : (T,) float, increasing
    hip_h : (T,) float
        Hip height above the ankles in shank lengths.
    tilt_deg : (T,) float
        Trunk tilt from vertical.
    """
    t = _validate.as_float_array(t_s, "t_s")
    h = np.asarray(hip_h, dtype=np.float64)
    tilt = np.asarray(tilt_deg, dtype=np.float64)
    if t.size < 3:
        return np.zeros(t.size, dtype=bool)
    fs = 1.0 / float(np.median(np.diff(t)))
    with np.errstate(invalid="ignore"):
        down = (tilt >= DOWN_TILT_DEG) | (h <= FLOOR_SHANKS)
        speed = -np.gradient(h, t)
    hold = max(1, int(round(DOWN_HOLD_S * fs)))
    held = maximum_filter1d((~down).astype(np.int8), hold, origin=(hold - 1) // 2) == 0
    window = max(1, int(round(DROP_WINDOW_S * fs)))
    past = (window - 1) // 2
    highest = maximum_filter1d(np.where(np.isfinite(h), h, -np.inf), window, origin=past)
    fast = maximum_filter1d(np.where(np.isfinite(speed), speed, -np.inf), window, origin=past)
    with np.errstate(invalid="ignore"):
        return held & (highest - h >= DROP_SHANKS) & (fast >= SPEED_SHANKS_S)


def fall_detected(t_s: np.ndarray, image_px: np.ndarray, world: np.ndarray) -> bool:
    """Whether any frame of a recording ends a fall (:func:`fall_frames` on :func:`fall_signals`)."""
    h, tilt = fall_signals(image_px, world)
    return bool(np.any(fall_frames(t_s, h, tilt)))
