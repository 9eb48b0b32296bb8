"""Face metrics from Face Mesh landmarks: mouth opening, jaw deviation, and the excursion of each
mouth corner, brow and eyelid per side, with a symmetry index per expression (docs/metrics.md,
docs/validation.md §11).

Conventions
-----------
- **Sides** are the person's own (game/tracking/face.py): "left" is the person's left.
- **The face frame.** Every landmark is expressed in millimetres in a frame fixed to the
  face, so head translation and tilt (roll) cancel: the origin is the midpoint of the inner
  eye corners (endocanthion, 133 and 362: tied to bone by the medial canthal tendons, they do
  not move with expressions); y (+ = up) runs along the upper face's midline (the line
  through the forehead and the nose's back, :data:`UPPER_MIDLINE`, 9 landmarks over about
  10 cm: its direction is far steadier than that of the 3 cm between the eye corners), x
  across it, + = towards the person's left. x = 0 is the face's midline.
- **Millimetres** come from the iris (game/tracking/face.py, 11.7 mm, ± 3.6 % between people),
  transferred to the inner-eye-corner distance, which is three times longer and rigid:
  ``icd_mm`` = median over the frames of (inner-eye-corner distance in pixels × that frame's
  iris millimetres per pixel); each frame is then scaled by ``icd_mm / its own inner-eye-corner
  distance in pixels``, which follows the person moving nearer or farther without the
  per-frame jitter of the small iris (3-9 % per frame). A turned head (yaw) shortens the
  inner-eye-corner distance by cos(yaw) and so lengthens vertical distances by 1/cos(yaw):
  +3.5 % at 15 deg; the game asks the patient to face the camera (:func:`head_yaw_deg`).
- **Excursions** are measured from the face at rest (``neutral``: the median face-frame
  coordinates of frames at rest) to the frame of the fullest expression: the displacement of
  the mouth corner relative to the base of the nose (smile; Jorge et al. 2012; the SMILE
  system of Bray et al. 2010 scales it by the iris as here), the brow's rise (brow raise),
  the eyelids' closing (eye closure), the corner's travel towards the midline (lip pucker).
  What is measured follows the five voluntary movements of the Sunnybrook facial grading
  system (brow lift, gentle eye closure, open-mouth smile, snarl, lip pucker; Ross et al.
  1996), each compared with the other side.
- **Symmetry** of an expression: the smaller side's excursion as a percentage of the larger
  side's (100 = symmetric, 0 = one side does not move), NaN when neither side moved more
  than :data:`MIN_EXCURSION_MM`.

Sources are in docs/sources.md §13.
"""

from __future__ import annotations

import numpy as np

from game.scoring import _validate
from game.tracking.face import (
    CHIN,
    IRIS_DIAMETER_MM,
    IRIS_HORIZONTAL,
    LEFT_EYE_INNER,
    LEFT_MOUTH_CORNER,
    LOWER_LIP_INNER,
    MIN_IRIS_PX,
    RIGHT_EYE_INNER,
    RIGHT_MOUTH_CORNER,
    UPPER_LIP_INNER,
)
from game.tracking.pose import N_FACE_LANDMARKS

SIDES = ("left", "right")
BROW: dict[str, tuple[int, ...]] = {"right": (70, 63, 105, 66, 107), "left": (300, 293, 334, 296, 336)}
"""The upper edge of each brow (Face Mesh), lateral to medial."""
LIDS: dict[str, tuple[int, int]] = {"right": (159, 145), "left": (386, 374)}
"""(upper lid, lower lid) midpoints of each eye."""
CORNER = {"right": RIGHT_MOUTH_CORNER, "left": LEFT_MOUTH_CORNER}
SUBNASALE = 2
"""The base of the nose on the midline (Face Mesh 2)."""
UPPER_MIDLINE = (10, 151, 9, 8, 168, 6, 197, 195, 5)
"""Midline landmarks of the upper face, forehead to the nose's back (rigid: expressions move
them along the midline, not across it); their line gives the face frame's vertical."""
YAW_PAIRS = ((234, 454), (127, 356), (93, 323), (132, 361))
"""Face-oval landmarks at the two cheeks, right then left: their depth difference gives the
head's turn."""
MIN_EXCURSION_MM = 1.0
"""Below this on both sides an expression did not happen: no symmetry is given. About 3 × the
per-frame noise of a landmark position in the face frame on still real footage
(docs/validation.md §11)."""


def _faces(faces: np.ndarray) -> np.ndarray:
    f = _validate.as_float_array(faces, "faces", min_ndim=2)
    if f.shape[-2] != N_FACE_LANDMARKS or f.shape[-1] < 2:
        raise ValueError(f"faces must have shape (..., {N_FACE_LANDMARKS}, >=2), got {f.shape}")
    return f


def _px(faces: np.ndarray, frame_size: tuple[int, int]) -> np.ndarray:
    w, h = frame_size
    if w <= 0 or h <= 0:
        raise ValueError(f"frame_size must be positive, got {frame_size}")
    return _faces(faces)[..., :2] * np.array([w, h], dtype=np.float64)


def icd_px(faces: np.ndarray, frame_size: tuple[int, int]) -> np.ndarray:
    """``(...)`` distance between the inner eye corners in pixels."""
    px = _px(faces, frame_size)
    return np.linalg.norm(px[..., LEFT_EYE_INNER, :] - px[..., RIGHT_EYE_INNER, :], axis=-1)


def icd_mm(faces: np.ndarray, frame_size: tuple[int, int]) -> float:
    """The person's inner-eye-corner distance in millimetres, from the irises of ``faces``
    ``(T, 478, >=2)``: median over the frames whose irises are wide enough; NaN if none."""
    px = _px(faces, frame_size).reshape(-1, N_FACE_LANDMARKS, 2)
    iris = np.mean(
        [np.linalg.norm(px[:, a] - px[:, b], axis=-1) for a, b in IRIS_HORIZONTAL.values()], axis=0
    )
    icd = np.linalg.norm(px[:, LEFT_EYE_INNER] - px[:, RIGHT_EYE_INNER], axis=-1)
    with np.errstate(invalid="ignore", divide="ignore"):
        per_frame = np.where(iris >= MIN_IRIS_PX, icd * IRIS_DIAMETER_MM / iris, np.nan)
    return float(np.nanmedian(per_frame)) if np.isfinite(per_frame).any() else float("nan")


def midline_direction(px: np.ndarray) -> np.ndarray:
    """``(..., 2)`` unit direction of the upper face's midline (forehead to nose,
    :data:`UPPER_MIDLINE`) in pixel landmarks ``(..., 478, 2)``, pointing from forehead to
    chin: the principal axis of those points (total least squares, closed form)."""
    p = np.asarray(px, dtype=np.float64)[..., list(UPPER_MIDLINE), :]
    d = p - np.mean(p, axis=-2, keepdims=True)
    sxx, syy = np.sum(d[..., 0] ** 2, axis=-1), np.sum(d[..., 1] ** 2, axis=-1)
    sxy = np.sum(d[..., 0] * d[..., 1], axis=-1)
    angle = 0.5 * np.arctan2(2.0 * sxy, sxx - syy)
    u = np.stack([np.cos(angle), np.sin(angle)], axis=-1)
    down = p[..., -1, :] - p[..., 0, :]
    sign = np.where(np.sum(u * down, axis=-1) < 0, -1.0, 1.0)
    return u * sign[..., None]


def face_frame_mm(
    faces: np.ndarray, frame_size: tuple[int, int], icd_ref_mm: float | None = None
) -> np.ndarray:
    """Landmarks in the face frame, millimetres (module doc).

    Parameters
    ----------
    faces : (..., 478, >=2) float
        Face Mesh landmarks, normalised image coordinates (NaN where not found).
    frame_size : (width, height) in pixels.
    icd_ref_mm : float, optional
        The person's inner-eye-corner distance; default :func:`icd_mm` of ``faces`` itself.

    Returns
    -------
    (..., 478, 2) float64
        (x: + towards the person's left, y: + up) in millimetres.
    """
    px = _px(faces, frame_size)
    icd_ref = icd_mm(faces, frame_size) if icd_ref_mm is None else float(icd_ref_mm)
    right, left = px[..., RIGHT_EYE_INNER, :], px[..., LEFT_EYE_INNER, :]
    origin = 0.5 * (right + left)
    down = midline_direction(px)
    up = -down
    across = np.stack([down[..., 1], -down[..., 0]], axis=-1)
    flip = np.where(np.sum(across * (left - right), axis=-1) < 0, -1.0, 1.0)
    e = across * flip[..., None]
    with np.errstate(invalid="ignore", divide="ignore"):
        scale = icd_ref / np.linalg.norm(left - right, axis=-1)
    rel = px - origin[..., None, :]
    x = np.sum(rel * e[..., None, :], axis=-1)
    y = np.sum(rel * up[..., None, :], axis=-1)
    return np.stack([x, y], axis=-1) * scale[..., None, None]


def mouth_opening_mm(coords: np.ndarray) -> np.ndarray:
    """``(...)`` gap between the inner lips on the midline (13 to 14), mm: the proxy of the
    inter-incisal opening (docs/metrics.md ``peak_mouth_opening_mm`` for its limits)."""
    c = np.asarray(coords, dtype=np.float64)
    return np.linalg.norm(c[..., UPPER_LIP_INNER, :] - c[..., LOWER_LIP_INNER, :], axis=-1)


def jaw_lateral_mm(coords: np.ndarray) -> np.ndarray:
    """``(...)`` sideways position of the chin (152) from the face's midline, mm, + = towards
    the person's left. A deviation is its change from the closed mouth."""
    return np.asarray(coords, dtype=np.float64)[..., CHIN, 0]


def brow_height_mm(coords: np.ndarray) -> dict[str, np.ndarray]:
    """Per side, ``(...)`` mean height of the brow's upper edge above the inner eye corners, mm."""
    c = np.asarray(coords, dtype=np.float64)
    return {s: np.mean(c[..., list(BROW[s]), 1], axis=-1) for s in SIDES}


def eye_aperture_mm(coords: np.ndarray) -> dict[str, np.ndarray]:
    """Per side, ``(...)`` distance between the upper and lower lid midpoints, mm."""
    c = np.asarray(coords, dtype=np.float64)
    return {s: np.linalg.norm(c[..., LIDS[s][0], :] - c[..., LIDS[s][1], :], axis=-1) for s in SIDES}


def neutral(coords: np.ndarray) -> np.ndarray:
    """``(478, 2)`` the face at rest: NaN-median of face-frame coordinates ``(T, 478, 2)``."""
    c = np.asarray(coords, dtype=np.float64)
    if c.ndim != 3 or not np.isfinite(c).any():
        return np.full((N_FACE_LANDMARKS, 2), np.nan)
    return np.asarray(np.nanmedian(c, axis=0))


def corner_excursion_mm(coords: np.ndarray, rest: np.ndarray) -> dict[str, np.ndarray]:
    """Smile: per side, ``(...)`` how far the mouth corner moved from rest, mm (any direction),
    measured from the base of the nose (subnasale, 2): fixed to the upper jaw and 2 cm from the
    corner, it takes out most of what a nod does to a point 7 cm below the eyes (the corner's
    height noise on still real footage halves, docs/validation.md §11)."""
    c, r = np.asarray(coords, dtype=np.float64), np.asarray(rest, dtype=np.float64)
    return {
        s: np.linalg.norm(
            (c[..., CORNER[s], :] - c[..., SUBNASALE, :]) - (r[CORNER[s]] - r[SUBNASALE]), axis=-1
        )
        for s in SIDES
    }


def brow_excursion_mm(coords: np.ndarray, rest: np.ndarray) -> dict[str, np.ndarray]:
    """Brow raise: per side, ``(...)`` rise of the brow above its height at rest, mm."""
    now, before = brow_height_mm(coords), brow_height_mm(rest)
    return {s: now[s] - before[s] for s in SIDES}


def eyelid_excursion_mm(coords: np.ndarray, rest: np.ndarray) -> dict[str, np.ndarray]:
    """Eye closure: per side, ``(...)`` how much the lid gap closed from rest, mm."""
    now, before = eye_aperture_mm(coords), eye_aperture_mm(rest)
    return {s: before[s] - now[s] for s in SIDES}


def eye_closure_pct(coords: np.ndarray, rest: np.ndarray) -> dict[str, np.ndarray]:
    """Per side, ``(...)`` closure as a percentage of the lid gap at rest (100 = closed)."""
    now, before = eye_aperture_mm(coords), eye_aperture_mm(rest)
    with np.errstate(invalid="ignore", divide="ignore"):
        return {s: 100.0 * (1.0 - now[s] / before[s]) for s in SIDES}


def pucker_excursion_mm(coords: np.ndarray, rest: np.ndarray) -> dict[str, np.ndarray]:
    """Lip pucker: per side, ``(...)`` travel of the mouth corner towards the midline, mm."""
    c, r = np.asarray(coords, dtype=np.float64), np.asarray(rest, dtype=np.float64)
    return {s: np.abs(r[CORNER[s], 0]) - np.abs(c[..., CORNER[s], 0]) for s in SIDES}


def symmetry_pct(left: np.ndarray, right: np.ndarray, min_mm: float = MIN_EXCURSION_MM) -> np.ndarray:
    """``(...)`` 100 × the smaller excursion / the larger (negative excursions count as 0);
    NaN when neither side exceeds ``min_mm``. Related to Robinson's symmetry index by
    SI = 200 (1 − r) / (1 + r) with r = this / 100."""
    a = np.clip(np.asarray(left, dtype=np.float64), 0.0, None)
    b = np.clip(np.asarray(right, dtype=np.float64), 0.0, None)
    big, small = np.fmax(a, b), np.fmin(a, b)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(big > min_mm, 100.0 * small / big, np.nan)


def peak_index(excursion: dict[str, np.ndarray]) -> int:
    """Frame of the fullest expression: the largest mean of both sides' excursions after a
    3-frame running median (one jittery frame is never the peak); -1 if none is finite."""
    mean = 0.5 * (np.asarray(excursion["left"], float) + np.asarray(excursion["right"], float))
    if mean.size == 0 or not np.isfinite(mean).any():
        return -1
    padded = np.concatenate([mean[:1], mean, mean[-1:]])
    windows = np.stack([padded[:-2], padded[1:-1], padded[2:]])
    with np.errstate(all="ignore"):
        smooth = np.nanmedian(windows, axis=0) if np.isfinite(windows).any() else mean
    return int(np.nanargmax(smooth))


def head_yaw_deg(faces: np.ndarray, frame_size: tuple[int, int]) -> np.ndarray:
    """``(...)`` the head's turn about the vertical, degrees, from the depth (Face Mesh z,
    scaled like x) of four pairs of cheek landmarks; + = the person's left cheek farther from
    the camera (face turned towards the person's right). 0 facing the camera."""
    f = _faces(faces)
    w = float(frame_size[0])
    angles = []
    for r, left in YAW_PAIRS:
        dx = (f[..., left, 0] - f[..., r, 0]) * w
        dz = (f[..., left, 2] - f[..., r, 2]) * w if f.shape[-1] > 2 else np.zeros_like(dx)
        angles.append(np.degrees(np.arctan2(dz, dx)))
    return np.mean(angles, axis=0)


SMOOTH_S = 0.15
"""Landmark positions are averaged over this long before a largest value is taken (a
maximum of raw frames would read the frame-to-frame jitter as movement)."""


def moving_mean(x: np.ndarray, fs_hz: float, window_s: float = SMOOTH_S) -> np.ndarray:
    """``(T,)`` centred moving mean over ``window_s`` (an odd number of samples, at least 1),
    NaN-aware (a window's finite samples; NaN where it has none); the ends use shorter windows."""
    v = np.asarray(x, dtype=np.float64)
    n = max(1, int(round(window_s * _validate.positive(fs_hz, "fs_hz"))) | 1)
    if n == 1 or v.size == 0:
        return v.copy()
    ok = np.isfinite(v)
    kernel = np.ones(n)
    total = np.convolve(np.where(ok, v, 0.0), kernel, mode="same")
    count = np.convolve(ok.astype(np.float64), kernel, mode="same")
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(count > 0, total / count, np.nan)


DEVIATION_MM = 2.0
"""A sideways shift of the chin of at least this much counts as a deviation (our threshold:
DC/TMD records the opening pattern by eye; 2 mm sits above the chin's measured noise,
docs/validation.md §11)."""


def jaw_deviation_mm(opening_mm: np.ndarray, lateral_mm: np.ndarray) -> tuple[float, float]:
    """The chin's sideways path during one mouth opening.

    Parameters
    ----------
    opening_mm, lateral_mm : (T,) float
        :func:`mouth_opening_mm` and :func:`jaw_lateral_mm` of the frames of one opening
        (closed, then open, then perhaps closed again); NaN where not found.

    Returns
    -------
    (deviation, deflection) in mm, + = towards the person's left:

    - deviation: the largest sideways shift from the closed position on the way from closed to
      the widest opening (signed by its side);
    - deflection: the shift at the widest opening.

    The DC/TMD opening pattern follows (docs/metrics.md): straight when both are within
    :data:`DEVIATION_MM`; a corrected deviation ("deviation": the chin leaves the midline and
    comes back by the widest opening) when only the first exceeds it; an uncorrected deviation
    ("deflection": still off the midline at the widest opening) when the second does. NaN
    when no frame has both values.
    """
    o = np.asarray(opening_mm, dtype=np.float64)
    x = np.asarray(lateral_mm, dtype=np.float64)
    ok = np.isfinite(o) & np.isfinite(x)
    if not ok.any():
        return float("nan"), float("nan")
    peak = int(np.nanargmax(np.where(ok, o, np.nan)))
    lo = float(np.nanmin(o[: peak + 1][ok[: peak + 1]]))
    closed = ok[: peak + 1] & (o[: peak + 1] <= lo + 0.2 * (o[peak] - lo))
    start = float(np.median(x[: peak + 1][closed]))
    shift = np.where(ok[: peak + 1], x[: peak + 1] - start, 0.0)
    worst = int(np.argmax(np.abs(shift)))
    return float(shift[worst]), float(x[peak] - start)


def opening_pattern(deviation_mm: float, deflection_mm: float) -> str:
    """ "straight", "deviation" (corrected) or "deflection" (uncorrected) from
    :func:`jaw_deviation_mm` (DC/TMD terms, docs/metrics.md); "" when unknown."""
    if not (np.isfinite(deviation_mm) and np.isfinite(deflection_mm)):
        return ""
    if abs(deflection_mm) >= DEVIATION_MM:
        return "deflection"
    if abs(deviation_mm) >= DEVIATION_MM:
        return "deviation"
    return "straight"
