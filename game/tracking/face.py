"""Face: Face Mesh landmark indices and the millimetre scale from the iris.

Landmarks are MediaPipe Face Mesh with ``refine_landmarks=True`` (``(478, 4)``, pose.py). Its
"left" and "right" are the person's own sides on the raw, unflipped frame (checked on the
real clips: the right iris, 468-472, lies at the smaller x of a person facing the camera).

Millimetres from the iris
-------------------------
The visible iris (limbus to limbus, the "white-to-white" corneal diameter) has nearly the
same size in every adult, so its width in the picture gives the picture's scale at the
depth of the eyes:

- :data:`IRIS_DIAMETER_MM` = 11.7 mm, the value MediaPipe Iris uses for depth from the iris
  ("11.7 ± 0.5 mm across a wide population"; Ablavatski et al. 2020, Real-time Pupil
  Tracking from Monocular Video for Digital Puppetry, arXiv:2006.11341, and the MediaPipe
  Iris documentation).
- The measured spread: Rüfer, Schröder & Erb 2005, White-to-white corneal diameter: normal
  values in healthy humans obtained with the Orbscan II topography system, Cornea
  24(3):259-261 (doi 10.1097/01.ico.0000148312.01805.53): 743 eyes of 390 healthy adults
  aged 10-80, 11.71 ± 0.42 mm (men 11.77 ± 0.37, women 11.64 ± 0.47), normal range
  10.70-12.58 mm, slightly smaller with age. :data:`IRIS_DIAMETER_SD_MM` = 0.42 mm.

Uncertainty. Between people the iris alone makes the scale uncertain by 0.42 / 11.7 = 3.6 %
(1 SD): a true 40 mm mouth opening is measured as 40 ± 1.4 mm (1 SD; 95 % of people within
± 2.9 mm), a 20 mm opening ± 0.7 mm. This is a bias fixed for one person (it cancels in a
patient's change over sessions, not in a comparison with a published norm). On top come:

- landmark jitter and expressions: on the real clips the horizontal iris width of one eye
  varies from frame to frame by 3-9 % (coefficient of variation); the per-frame scale's 5th
  to 95th percentiles lie -4 % to +4 % around its median on the steady clip and -8 % to
  +13 % on the clip with head turns, squints and winks. :func:`iris_scale_mm_per_px` takes
  the median over many frames;
- head turn: the horizontal width shrinks with the cosine of the yaw (20° turn: -6 %, the
  scale reads 6 % too large), so the scale should come from frames facing the camera;
- depth: the scale holds at the depth of the irises; a point ``d`` nearer the camera at a
  distance ``D`` looks larger by about ``d / D`` (1 cm at 50 cm: 2 %).

Check against an independent anatomical measure: with this scale the distance between the
inner eye corners (endocanthion, 133 and 362) is 32.4 mm and 35.5 mm for the two women on
the real clips, against 31.4 ± 2.5 mm pooled for White adults (Bouhadana et al. 2022,
Expanding the Classic Facial Canons: Quantifying Intercanthal Distance in a Diverse Patient
Population, Plast Reconstr Surg Glob Open 10(4):e4268, doi 10.1097/GOX.0000000000004268;
other groups 31.2-38.5 mm). tests/tracking/test_face_real.py checks this.
"""

from __future__ import annotations

import numpy as np

from game.tracking.pose import MISSING_FACE, N_FACE_LANDMARKS, Side

IRIS_DIAMETER_MM = 11.7
"""Horizontal visible iris diameter of an adult in millimetres (module docstring)."""
IRIS_DIAMETER_SD_MM = 0.42
"""Its standard deviation between adults in millimetres (Rüfer et al. 2005)."""

RIGHT_IRIS_CENTRE, LEFT_IRIS_CENTRE = 468, 473
IRIS_HORIZONTAL: dict[Side, tuple[int, int]] = {"right": (469, 471), "left": (474, 476)}
"""The two iris contour points at the horizontal ends of each iris (the person's sides)."""
IRIS_VERTICAL: dict[Side, tuple[int, int]] = {"right": (470, 472), "left": (475, 477)}
"""The two iris contour points at the top and bottom of each iris."""
RIGHT_EYE_INNER, LEFT_EYE_INNER = 133, 362
"""Inner eye corners (endocanthion)."""
RIGHT_EYE_OUTER, LEFT_EYE_OUTER = 33, 263
"""Outer eye corners (exocanthion)."""
UPPER_LIP_INNER, LOWER_LIP_INNER = 13, 14
"""Midline points of the inner lip contour (the lip gap, not the gap between the teeth)."""
RIGHT_MOUTH_CORNER, LEFT_MOUTH_CORNER = 61, 291
NOSE_TIP, CHIN = 1, 152

MIN_IRIS_PX = 4.0
"""Irises narrower than this in the picture give no scale (a face too far or too small)."""


def face_px(face: np.ndarray, frame_size_px: tuple[int, int]) -> np.ndarray:
    """``(478, 2) float64`` pixel positions of face landmarks ``(478, >=2)`` (normalised)."""
    if face.shape[0] != N_FACE_LANDMARKS:
        raise ValueError(f"face must have {N_FACE_LANDMARKS} landmarks, got shape {face.shape}")
    w, h = frame_size_px
    if w <= 0 or h <= 0:
        raise ValueError(f"frame_size_px must be positive, got {frame_size_px}")
    return np.asarray(face[:, :2], dtype=np.float64) * np.array([w, h], dtype=np.float64)


def iris_widths_px(face: np.ndarray, frame_size_px: tuple[int, int]) -> np.ndarray:
    """``(2,) float64`` horizontal iris diameters in pixels, (right eye, left eye); NaN if
    the face was not found."""
    if face is MISSING_FACE or not np.isfinite(face[:, :2]).all():
        return np.full(2, np.nan)
    px = face_px(face, frame_size_px)
    return np.array([float(np.linalg.norm(px[a] - px[b])) for a, b in IRIS_HORIZONTAL.values()])


def mm_per_px_from_iris(face: np.ndarray, frame_size_px: tuple[int, int]) -> float:
    """Millimetres per pixel at the depth of the eyes, from one frame's irises.

    The mean of both eyes' horizontal widths is taken as :data:`IRIS_DIAMETER_MM`. NaN when
    the face was not found or the irises are narrower than :data:`MIN_IRIS_PX`. One frame
    jitters by several per cent: prefer :func:`iris_scale_mm_per_px` over a stretch of frames.
    """
    width_px = float(np.mean(iris_widths_px(face, frame_size_px)))
    if not width_px >= MIN_IRIS_PX:
        return float("nan")
    return IRIS_DIAMETER_MM / width_px


def iris_scale_mm_per_px(faces: np.ndarray, frame_size_px: tuple[int, int]) -> float:
    """Millimetres per pixel from many frames: the median of the per-frame scales.

    Parameters
    ----------
    faces : (T, 478, >=2) float
        Face landmarks over time (normalised image coordinates; NaN rows where not found).
    frame_size_px : (width, height)

    Returns
    -------
    float
        Median scale over the frames that give one; NaN if none does.
    """
    faces = np.asarray(faces)
    if faces.ndim != 3 or faces.shape[1] != N_FACE_LANDMARKS:
        raise ValueError(f"faces must have shape (T, {N_FACE_LANDMARKS}, >=2), got {faces.shape}")
    scales = np.array([mm_per_px_from_iris(f, frame_size_px) for f in faces])
    if not np.isfinite(scales).any():
        return float("nan")
    return float(np.nanmedian(scales))


def distance_mm(face: np.ndarray, a: int, b: int, frame_size_px: tuple[int, int], mm_per_px: float) -> float:
    """Distance in the picture between face landmarks ``a`` and ``b``, in millimetres."""
    px = face_px(face, frame_size_px)
    return float(np.linalg.norm(px[a] - px[b])) * mm_per_px
