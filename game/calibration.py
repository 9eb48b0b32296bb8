"""Calibration maths (pure numpy): is the patient in view, and how big and how mobile are they?

The calibration scene (game/scenes/calibration.py) collects poses in four phases: *neutral*
(sitting or standing still), then the unaffected arm raised *up*, *out* to the side and
*forward*. This module turns those poses into one flat ``{name: float}`` map stored with the
patient (``Database.save_calibration``), and turns that map back into the
:class:`~game.leveltypes.base.Body` that levels place their targets from. The hand step
(game/scenes/calibration_hand.py, for patients whose plan has hand levels) adds the good
hand's size and its open and fist shapes (:func:`hand_values`).

Conventions: image landmarks are raw (unflipped) and normalised; world landmarks in metres
(pose.py). Lengths are medians over the neutral phase (robust to single-frame glitches);
ranges are the 95th percentile of the phase (a one-frame spike is not a range).
Shoulder angles use :func:`game.scoring.kinematics.shoulder_angles_deg` (docs/sources.md
§4.2: flexion in the sagittal plane, abduction in the frontal plane, thoraco-humeral
elevation). Trunk lean uses :func:`game.scoring.kinematics.trunk_lean_deg` (§3).
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from game.i18n import N_, Msg
from game.leveltypes.base import DEFAULT_ARM_M, Body
from game.scoring import hand as SH
from game.scoring.kinematics import HAND_POINTS, arm_length_m, shoulder_angles_deg, trunk_lean_deg
from game.storage.records import Calibration
from game.tracking import pose as P
from game.tracking.pose import VISIBLE, Side

REQUIRED = (P.NOSE, *P.shoulder_elbow_wrist("left"), *P.shoulder_elbow_wrist("right"))
"""Landmarks calibration needs: head, both shoulders, elbows and wrists (hips may be hidden
by a table when seated)."""
EDGE_NORM = 0.02
"""A landmark closer than this to the picture border counts as cut off."""
MAX_SHOULDER_WIDTH_NORM = 0.38
"""Shoulders wider than this fraction of the picture: the arms cannot be raised in view."""
MIN_SHOULDER_WIDTH_NORM = 0.08
"""Narrower than this: too far away for reliable landmarks."""
MIN_LUMA = 50.0
"""Mean picture brightness (0-255) below which we ask for more light."""
RANGE_PERCENTILE = 95.0
MIN_ARM_TO_SHOULDER = 1.3
"""An arm is at least 1.3 shoulder widths long in a frontal picture (Body.measure's guard)."""

PHASES = ("up", "out", "forward")
"""Range-of-motion phases of the unaffected arm."""


def guidance(image: np.ndarray | None, mean_luma: float | None = None) -> Msg | None:
    """What the patient should change before calibration can measure, or None when ready.

    Parameters
    ----------
    image : (33, 4) float or None
        Raw image landmarks of the newest pose; None when nobody was found.
    mean_luma : float, optional
        Mean brightness of the picture (0-255), when there is a picture.

    Returns
    -------
    Msg or None
        One short instruction (translated when drawn or spoken): "Step into view", "More light",
        "Move back", "Come closer",
        "Show both arms"; None when every needed landmark is visible and well framed.
    """
    dark = mean_luma is not None and mean_luma < MIN_LUMA
    if image is None or not np.all(np.asarray(image)[[P.L_SHOULDER, P.R_SHOULDER], 3] >= VISIBLE):
        return N_("More light") if dark else N_("Step into view")
    lm = np.asarray(image, dtype=np.float64)
    width = float(abs(lm[P.L_SHOULDER, 0] - lm[P.R_SHOULDER, 0]))
    if width > MAX_SHOULDER_WIDTH_NORM:
        return N_("Move back")
    req = lm[list(REQUIRED)]
    inside = np.all((req[:, :2] > EDGE_NORM) & (req[:, :2] < 1.0 - EDGE_NORM), axis=1)
    seen = req[:, 3] >= VISIBLE
    if not np.all(inside):
        return N_("Move back")
    if not np.all(seen):
        return N_("More light") if dark or float(np.mean(req[:, 3])) < VISIBLE else N_("Show both arms")
    if width < MIN_SHOULDER_WIDTH_NORM:
        return N_("Come closer")
    if dark:
        return N_("More light")
    return None


def _seg(xyz: np.ndarray, a: int, b: int) -> np.ndarray:
    return np.linalg.norm(xyz[..., b, :] - xyz[..., a, :], axis=-1)


def body_lengths_m(world: np.ndarray, side: Side) -> dict[str, float]:
    """Median shoulder width, upper-arm and forearm length, and arm length to the hand point
    in metres of one arm.

    Parameters
    ----------
    world : (T, 33, 4) float
        World landmarks of the neutral phase.
    side : {"left", "right"}
        The arm to measure (the unaffected one).
    """
    xyz = np.asarray(world, dtype=np.float64)[..., :3]
    s, e, w = P.shoulder_elbow_wrist(side)
    return {
        "shoulder_width_m": float(np.nanmedian(_seg(xyz, P.L_SHOULDER, P.R_SHOULDER))),
        "upper_arm_m": float(np.nanmedian(_seg(xyz, s, e))),
        "forearm_m": float(np.nanmedian(_seg(xyz, e, w))),
        # to the hand point, as every reach is measured (game.scoring.kinematics.arm_length_m)
        "arm_m": float(np.nanmedian(arm_length_m(xyz, side))),
    }


def neutral_position(image: np.ndarray, world: np.ndarray) -> dict[str, float]:
    """Median shoulder positions (normalised, raw picture) and trunk lean (degrees).

    Parameters
    ----------
    image, world : (T, 33, 4) float
        Landmarks of the neutral phase.
    """
    img = np.asarray(image, dtype=np.float64)
    lean = trunk_lean_deg(np.asarray(world, dtype=np.float64)[..., :3])
    med = np.nanmedian(img[:, [P.L_SHOULDER, P.R_SHOULDER], :2], axis=0)
    return {
        "l_shoulder_x_norm": float(med[0, 0]),
        "l_shoulder_y_norm": float(med[0, 1]),
        "r_shoulder_x_norm": float(med[1, 0]),
        "r_shoulder_y_norm": float(med[1, 1]),
        "trunk_forward_deg": float(np.nanmedian(lean["forward_deg"])),
        "trunk_left_deg": float(np.nanmedian(lean["left_deg"])),
    }


def range_deg(world: np.ndarray, side: Side, phase: str) -> float:
    """Comfortable range of one phase: 95th percentile of the matching shoulder angle.

    "up" → elevation, "out" → abduction, "forward" → flexion (docs/sources.md §4.2).
    NaN when the phase has no usable frame.
    """
    key = {"up": "elevation_deg", "out": "abduction_deg", "forward": "flexion_deg"}.get(phase)
    if key is None:
        raise ValueError(f"phase must be one of {PHASES}, got {phase!r}")
    xyz = np.asarray(world, dtype=np.float64)[..., :3]
    if xyz.shape[0] == 0:
        return float("nan")
    angle = shoulder_angles_deg(xyz, side)[key]
    finite = angle[np.isfinite(angle)]
    return float(np.percentile(finite, RANGE_PERCENTILE)) if finite.size else float("nan")


def arm_length_norm(image: np.ndarray, side: Side, frame_size: tuple[int, int]) -> float:
    """Longest (95th percentile) shoulder→elbow→wrist→hand point length in the picture, in
    frame widths (game.scoring.kinematics.arm_length_m on pixels).

    The raised arm is the least foreshortened, so the whole calibration is searched.
    """
    img = np.asarray(image, dtype=np.float64)
    px = img[..., :2] * np.asarray(frame_size, dtype=np.float64)
    s, e, w = P.shoulder_elbow_wrist(side)
    ok = np.all(img[:, [s, e, w, *HAND_POINTS[side]], 3] >= VISIBLE, axis=1)
    lengths = arm_length_m(px, side)[ok]
    if lengths.size == 0:
        return float("nan")
    return float(np.percentile(lengths, RANGE_PERCENTILE)) / float(frame_size[0])


def calibration_values(
    neutral: tuple[np.ndarray, np.ndarray],
    ranges: Mapping[str, tuple[np.ndarray, np.ndarray]],
    affected_side: Side,
    frame_size: tuple[int, int],
) -> dict[str, float]:
    """Everything calibration stores, as a flat map of finite-or-NaN floats.

    Parameters
    ----------
    neutral : (image, world), each (T, 33, 4)
        Poses of the neutral (still) phase.
    ranges : {"up"|"out"|"forward": (image, world)}
        Poses of each range phase (missing phases give NaN ranges).
    affected_side : {"left", "right"}
        The unaffected (other) arm is measured.
    frame_size : (width_px, height_px)
    """
    if affected_side not in ("left", "right"):
        raise ValueError(f"affected_side must be 'left' or 'right', got {affected_side!r}")
    image, world = (np.asarray(a, dtype=np.float64) for a in neutral)
    if image.ndim != 3 or image.shape[0] == 0:
        raise ValueError("neutral must hold at least one pose (T >= 1)")
    good = P.other_side(affected_side)
    out = {"frame_w_px": float(frame_size[0]), "frame_h_px": float(frame_size[1])}
    out["affected_left"] = 1.0 if affected_side == "left" else 0.0
    out.update(body_lengths_m(world, good))
    out.update(neutral_position(image, world))
    all_images = [image] + [np.asarray(ranges[p][0]) for p in PHASES if p in ranges]
    out["arm_norm"] = arm_length_norm(np.concatenate(all_images), good, frame_size)
    for phase in PHASES:
        out[f"range_{phase}_deg"] = (
            range_deg(ranges[phase][1], good, phase) if phase in ranges else float("nan")
        )
    return out


def hand_values(open_world: np.ndarray, fist_world: np.ndarray) -> dict[str, float]:
    """The good hand's size and its open and closed shapes, for the hand levels.

    Parameters
    ----------
    open_world, fist_world : (T, 21, 4) float
        MediaPipe hand world landmarks (metres) of the good hand held open flat, and as a fist.

    Returns
    -------
    ``hand_palm_m`` (median palm length, wrist to middle-finger MCP, both phases),
    ``hand_open_aperture_norm`` (95th percentile of the open phase's aperture, palm lengths),
    ``hand_fist_aperture_norm`` (5th percentile of the fist phase's), and the most bent
    finger's flexion in each (``hand_open_closure_deg``: 5th percentile,
    ``hand_fist_closure_deg``: 95th); NaN where a phase has no frame (game/scoring/hand.py).
    """
    out: dict[str, float] = {}
    both = [np.asarray(a, dtype=np.float64).reshape(-1, 21, 4) for a in (open_world, fist_world)]
    palm = np.concatenate([SH.palm_length(a) for a in both])
    out["hand_palm_m"] = _pct(palm, 50.0)
    out["hand_open_aperture_norm"] = _pct(SH.hand_aperture_norm(both[0]), RANGE_PERCENTILE)
    out["hand_fist_aperture_norm"] = _pct(SH.hand_aperture_norm(both[1]), 100.0 - RANGE_PERCENTILE)
    out["hand_open_closure_deg"] = _pct(SH.hand_closure_deg(both[0]), 100.0 - RANGE_PERCENTILE)
    out["hand_fist_closure_deg"] = _pct(SH.hand_closure_deg(both[1]), RANGE_PERCENTILE)
    return out


def _pct(x: np.ndarray, q: float) -> float:
    finite = x[np.isfinite(x)]
    return float(np.percentile(finite, q)) if finite.size else float("nan")


def has_hands(cal: Calibration | Mapping[str, float] | None) -> bool:
    """True when a calibration holds the good hand's open and fist shapes."""
    if cal is None:
        return False
    values = cal if isinstance(cal, Mapping) else cal.values
    keys = ("hand_open_aperture_norm", "hand_fist_aperture_norm")
    return all(np.isfinite(values.get(k, float("nan"))) for k in keys)


def body_from_calibration(
    cal: Calibration | Mapping[str, float], affected_side: Side, frame_size: tuple[int, int]
) -> Body:
    """The :class:`Body` levels place targets from, out of a stored calibration.

    Parameters
    ----------
    cal : Calibration or mapping
        A ``game.storage.Calibration`` (its ``values``) or the values map itself.
    affected_side : {"left", "right"}
        Where the mirrored arm starts (its shoulder is ``Body.shoulder_px``).
    frame_size : (width_px, height_px)
        The current raw frame; positions are stored normalised and lengths in frame widths,
        so the same camera at another resolution gives the same body.

    Raises
    ------
    ValueError
        If a needed value is missing or not finite (naming the key).
    """
    values = cal if isinstance(cal, Mapping) else cal.values
    if affected_side not in ("left", "right"):
        raise ValueError(f"affected_side must be 'left' or 'right', got {affected_side!r}")
    w, h = (float(frame_size[0]), float(frame_size[1]))
    if w <= 0 or h <= 0:
        raise ValueError(f"frame_size must be positive, got {frame_size}")

    def need(key: str) -> float:
        v = values.get(key, float("nan"))
        if not np.isfinite(v):
            raise ValueError(f"calibration value {key!r} is missing or not finite")
        return float(v)

    lx, ly = need("l_shoulder_x_norm") * w, need("l_shoulder_y_norm") * h
    rx, ry = need("r_shoulder_x_norm") * w, need("r_shoulder_y_norm") * h
    width_px = float(np.hypot(lx - rx, ly - ry))
    arm_px = max(need("arm_norm") * w, MIN_ARM_TO_SHOULDER * width_px)
    shoulder = (lx, ly) if affected_side == "left" else (rx, ry)
    arm_m = float(values.get("arm_m", DEFAULT_ARM_M))
    return Body(
        shoulder_px=shoulder,
        arm_px=arm_px,
        shoulder_width_px=width_px,
        mid_shoulder_px=(0.5 * (lx + rx), 0.5 * (ly + ry)),
        arm_m=arm_m if np.isfinite(arm_m) else DEFAULT_ARM_M,
        hand_open_norm=float(values.get("hand_open_aperture_norm", float("nan"))),
        hand_fist_norm=float(values.get("hand_fist_aperture_norm", float("nan"))),
    )
