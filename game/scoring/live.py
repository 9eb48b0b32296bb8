"""Cheap live per-rep summary for the game loop: :func:`quick_rep_score`.

No resampling or filtering (the offline :func:`game.scoring.score_reps` does that); just
visibility masking and NaN-aware maxima over one rep's frames.
Image distances use frame-width units, as in game/scoring/reps.py.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from game.scoring import _validate, kinematics, reach
from game.scoring.confidence import MIN_VALID_FRACTION
from game.scoring.preprocess import grid_rate_hz, mask_invisible
from game.scoring.rep_metrics import nanmax_last
from game.scoring.reps import image_xy
from game.tracking.pose import L_SHOULDER, R_SHOULDER


@dataclass(frozen=True)
class QuickRepScore:
    """Live per-rep summary (see :func:`quick_rep_score`)."""

    time_to_target_s: float
    success: bool
    reach_frac_arm: float
    peak_shoulder_elevation_deg: float
    peak_shoulder_flexion_deg: float
    valid_fraction: float
    reliable: bool


def quick_rep_score(
    t_s: np.ndarray,
    world: np.ndarray,
    image: np.ndarray,
    *,
    side: str,
    target_xy_norm: tuple[float, float],
    target_radius_norm: float,
    arm_length_m: float,
    aspect_w_over_h: float,
    dwell_s: float = 0.0,
) -> QuickRepScore:
    """Cheap live summary of one rep: no resampling or filtering (use score_reps offline).

    Parameters
    ----------
    t_s : (T,) float
        Frame timestamps of the rep, starting at the cue, seconds (NaN drops the frame).
    world, image : (T, 33, 4) float
        World (metres) and raw-image normalised landmarks of the rep.
    side, target_xy_norm, target_radius_norm, arm_length_m, aspect_w_over_h, dwell_s
        As in :func:`score_reps` (one target).

    Returns
    -------
    QuickRepScore
        ``time_to_target_s``: from ``t_s[0]`` to the first frame of the first dwell in the
        target (NaN if never); ``success``; ``reach_frac_arm``: how far the hand point moved
        from its first visible position (the rest at the cue) toward the target, in the
        frontal plane, / arm length, as ``reach_pct_arm`` / 100 of score_reps (unfiltered);
        ``peak_shoulder_elevation_deg`` and ``peak_shoulder_flexion_deg`` (ISB globe, NaN
        when the arm never rose in the sagittal plane); ``valid_fraction`` of frames with the
        hand point and arm seen and ``reliable`` (>= 80 %), from this same call. Values are
        NaN when the landmarks were never visible.
    """
    sd = _validate.side(side)
    w = mask_invisible(world)
    im = mask_invisible(image)
    if w.ndim != 3 or im.shape != w.shape:
        raise ValueError(f"world and image must both be (T, 33, 4), got {w.shape}, {im.shape}")
    t = _validate.timestamps(t_s, "t_s", n_frames=w.shape[0], allow_nan=True)
    keep = np.isfinite(t)  # a NaN timestamp drops its frame
    t, w, im = t[keep], w[keep], im[keep]
    arm = _validate.positive(arm_length_m, "arm_length_m")
    aspect = _validate.positive(aspect_w_over_h, "aspect_w_over_h")
    radius = _validate.positive(target_radius_norm, "target_radius_norm")
    hand_img = image_xy(kinematics.hand_point(im, sd), aspect)
    target = np.array([target_xy_norm[0], target_xy_norm[1] / aspect])
    with np.errstate(invalid="ignore"):
        inside = np.linalg.norm(hand_img - target, axis=-1) <= radius
    if not np.isfinite(dwell_s) or dwell_s < 0:
        raise ValueError(f"dwell_s must be finite and >= 0, got {dwell_s!r}")
    fs = grid_rate_hz(t) if t.size > 1 else 1.0
    hit, first = reach.dwell_start_index(inside, reach.dwell_samples(dwell_s, fs))
    entry = float(t[int(first)] - t[0]) if hit else float("nan")
    ang = kinematics.shoulder_angles_deg(w, sd)
    seen = np.isfinite(hand_img).all(axis=-1) & np.isfinite(ang["elevation_deg"])
    frac = float(np.mean(seen)) if len(t) else 0.0
    return QuickRepScore(
        time_to_target_s=entry,
        success=bool(hit),
        reach_frac_arm=_reach_toward_m(hand_img, target, w, im, aspect) / arm,
        peak_shoulder_elevation_deg=float(nanmax_last(ang["elevation_deg"])),
        peak_shoulder_flexion_deg=float(nanmax_last(ang["flexion_deg"])),
        valid_fraction=frac,
        reliable=frac >= MIN_VALID_FRACTION,
    )


def _reach_toward_m(hand_img: np.ndarray, target: np.ndarray, world, image, aspect: float) -> float:
    """Furthest travel of the hand point toward the target from its first seen position,
    metres (rep_metrics.reach_toward_m without filtering); NaN if never seen."""
    seen = np.flatnonzero(np.isfinite(hand_img).all(axis=-1))
    if not seen.size:
        return float("nan")
    rest = hand_img[seen[0]]
    dist = float(np.linalg.norm(target - rest))
    travel = (hand_img - rest) @ ((target - rest) / dist) if dist > 0 else np.zeros(len(hand_img))
    sw_world = np.linalg.norm(world[:, L_SHOULDER] - world[:, R_SHOULDER], axis=-1)
    sw_img = np.linalg.norm(image_xy(image[:, L_SHOULDER, :2] - image[:, R_SHOULDER, :2], aspect), axis=-1)
    with np.errstate(invalid="ignore", divide="ignore"):
        scale = np.nanmedian(sw_world / sw_img) if np.isfinite(sw_world / sw_img).any() else np.nan
    return float(nanmax_last(np.atleast_1d(travel)) * scale)
