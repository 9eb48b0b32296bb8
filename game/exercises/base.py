"""What every level type shares: context, tracked input, events and the Exercise protocol.

Level types are pure logic (no pygame): ``update(dt_s, frame)`` advances them with time passed
in, ``goal()`` says what the patient is asked to do (the simulated patient follows it), and
``view()`` returns plain data that the play scene draws.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol

import numpy as np

from game.tracking import pose as P
from game.tracking.pose import Goal, PoseFrame, Side

COMPENSATION_MM = 50.0
"""Default live trunk-displacement threshold in mm. Healthy drinking-task reaches show
26.7 ± 16.8 mm, stroke 77.2 ± 48.6 mm (Alt Murphy et al. 2011, clinical_metrics.md §1.1);
50 mm sits about 1.4 SD above the healthy mean. The therapist can change it per patient."""


@dataclass(frozen=True)
class SafetyLimits:
    """Limits no level may exceed (set by the therapist per patient)."""

    max_reach_fraction: float = 0.9
    """Largest target distance from the shoulder, × arm length."""
    max_shoulder_flexion_deg: float = 150.0
    max_shoulder_abduction_deg: float = 150.0
    compensation_mm: float = COMPENSATION_MM


@dataclass(frozen=True)
class Body:
    """Body geometry in raw-frame pixels, measured by calibration or at level start."""

    shoulder_px: tuple[float, float]
    """The affected-side shoulder (where the mirrored arm starts)."""
    arm_px: float
    """Arm length (shoulder→elbow→wrist) in pixels."""
    shoulder_width_px: float
    mid_shoulder_px: tuple[float, float]
    arm_m: float = 0.56
    """Arm length in metres (world landmarks)."""

    @staticmethod
    def measure(frame: PoseFrame, affected_side: Side, frame_size: tuple[int, int]) -> Body:
        """Measure from one pose: the unaffected arm's length stands in for both arms."""
        size = np.array(frame_size, dtype=np.float64)
        px = frame.image[:, :2].astype(np.float64) * size
        sh, el, wr = P.shoulder_elbow_wrist(P.other_side(affected_side))
        arm_px = float(np.linalg.norm(px[el] - px[sh]) + np.linalg.norm(px[wr] - px[el]))
        w = frame.world[:, :3].astype(np.float64)
        arm_m = float(np.linalg.norm(w[el] - w[sh]) + np.linalg.norm(w[wr] - w[el]))
        aff_sh = P.shoulder_elbow_wrist(affected_side)[0]
        width = float(np.linalg.norm(px[P.L_SHOULDER] - px[P.R_SHOULDER]))
        mid = 0.5 * (px[P.L_SHOULDER] + px[P.R_SHOULDER])
        # An arm hanging straight down foreshortens little in a frontal view; a bent arm does.
        arm_px = max(arm_px, 1.3 * width)
        return Body(
            (float(px[aff_sh][0]), float(px[aff_sh][1])),
            arm_px,
            width,
            (float(mid[0]), float(mid[1])),
            arm_m if np.isfinite(arm_m) else 0.56,
        )


def body_for_level(
    calibrated: Body | None, frame: PoseFrame, affected_side: Side, frame_size: tuple[int, int]
) -> Body:
    """The body a level places targets from: where the patient sits now (live shoulders),
    with the calibrated arm length when there is a calibration (measured with the arm
    raised, it is more reliable than a length seen in a resting frontal pose)."""
    live = Body.measure(frame, affected_side, frame_size)
    if calibrated is None:
        return live
    return Body(
        live.shoulder_px, calibrated.arm_px, live.shoulder_width_px, live.mid_shoulder_px, calibrated.arm_m
    )


@dataclass(frozen=True)
class ExerciseContext:
    """Everything a level needs from outside: patient, limits, geometry, randomness."""

    level_id: str
    affected_side: Side
    frame_size: tuple[int, int]
    limits: SafetyLimits
    rng: np.random.Generator
    set_index: int = 0
    body: Body | None = None
    neglect_side: Side | None = None
    overrides: dict[str, Any] = field(default_factory=dict)
    """Per-patient parameter overrides (therapist settings, adaptive difficulty)."""


@dataclass(frozen=True)
class Tracked:
    """The input of one fixed step: the raw pose and the pose shown to the patient."""

    t_s: float
    raw: PoseFrame | None
    display_image: np.ndarray | None
    """(33, 4) image landmarks as displayed (mirrored / shared control), raw coordinates."""

    @property
    def present(self) -> bool:
        return self.raw is not None and self.raw.present


@dataclass(frozen=True)
class RepOutcome:
    """One finished repetition, as the level saw it (scoring adds the kinematics)."""

    level_id: str
    set_index: int
    rep_index: int
    t_cue_s: float
    t_end_s: float
    success: bool
    compensated: bool
    target_xy_norm: tuple[float, float] = (float("nan"), float("nan"))
    extra: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class Feedback:
    """A moment of feedback: ``kind`` picks the sound and colour, ``text`` is short."""

    kind: str  # "hit", "miss", "compensation", "cue", "info"
    text: str


Event = RepOutcome | Feedback


class Exercise(Protocol):
    """A running level."""

    ctx: ExerciseContext
    done: bool

    def update(self, dt_s: float, tracked: Tracked) -> list[Event]: ...

    def goal(self) -> Goal | None: ...

    def view(self) -> dict[str, Any]: ...


def hand_xy(image: np.ndarray, side: Side) -> np.ndarray:
    """The hand point of one side: mean of wrist and index finger (raw normalised, (2,))."""
    sh, el, wr = P.shoulder_elbow_wrist(side)
    idx = P.L_INDEX if side == "left" else P.R_INDEX
    return 0.5 * (image[wr, :2].astype(np.float64) + image[idx, :2].astype(np.float64))


def trunk_point_m(world: np.ndarray) -> np.ndarray:
    """Mid-shoulder point in world metres, the trunk proxy (no sternum landmark in MediaPipe;
    clinical_metrics.md §3, trunk displacement). World landmarks are hip-centred, so for trunk
    displacement relative to the room the caller compares over time within one rep."""
    return 0.5 * (world[P.L_SHOULDER, :3] + world[P.R_SHOULDER, :3]).astype(np.float64)


SHOULDER_WIDTH_M = 0.38
"""Adult biacromial breadth used to turn image pixels into metres (about 0.36–0.41 m)."""
FOCAL_FRACTION = 0.8
"""Webcam focal length as a fraction of the frame width (a 60–70° horizontal field of view)."""
COMPENSATION_PERSIST_S = 0.25
"""A trunk shift must last this long before it counts: one noisy frame never cues the patient."""


def trunk_shift_mm(
    image0: np.ndarray,
    image1: np.ndarray,
    frame_size: tuple[int, int],
    shoulder_width_m: float = SHOULDER_WIDTH_M,
) -> Any:
    """How far the mid-shoulder point moved between image poses, in millimetres.

    Measured in the camera picture, not in MediaPipe's hip-centred world landmarks: with the
    hips hidden by a table those swing by 10–20 cm from frame to frame (measured on a still
    photograph), while the picture is stable to a few pixels. Sideways and vertical motion are
    scaled by the shoulder width (pixels ↔ ``shoulder_width_m``); motion toward the camera comes
    from the growth of the shoulder width with a pinhole model, distance = f·S/w. Trunk
    displacement is the clinical compensation measure of clinical_metrics.md §3 (healthy
    27 ± 17 mm, stroke 77 ± 49 mm in the drinking task).

    Parameters
    ----------
    image0, image1 : (..., 33, 4) float
        Image poses (broadcast against each other, e.g. one start pose and (T, 33, 4)).

    Returns
    -------
    float or (...) float64 array, mm; NaN where a shoulder is missing.
    """
    size = np.asarray(frame_size, dtype=np.float64)
    a = np.asarray(image0, dtype=np.float64)[..., [P.L_SHOULDER, P.R_SHOULDER], :2] * size
    b = np.asarray(image1, dtype=np.float64)[..., [P.L_SHOULDER, P.R_SHOULDER], :2] * size
    w0 = np.linalg.norm(a[..., 0, :] - a[..., 1, :], axis=-1)
    w1 = np.linalg.norm(b[..., 0, :] - b[..., 1, :], axis=-1)
    ok = (w0 >= 1.0) & (w1 >= 1.0)
    w0, w1 = np.where(ok, w0, np.nan), np.where(ok, w1, np.nan)
    m_per_px = shoulder_width_m / (0.5 * (w0 + w1))
    planar = (b.mean(axis=-2) - a.mean(axis=-2)) * m_per_px[..., None]
    forward = FOCAL_FRACTION * size[0] * shoulder_width_m * (1.0 / w0 - 1.0 / w1)
    out = 1000.0 * np.sqrt(np.sum(planar**2, axis=-1) + forward**2)
    return float(out) if np.ndim(out) == 0 else out


TRUNK_SMOOTH_S = 0.3
"""Time constant of the trunk-shift smoothing: the forward part comes from the change of the
shoulder width, which amplifies pixel noise (a 1 px width error ≈ 15 mm at 2 m), so single
frames are never compared."""


def smooth_poses(images: np.ndarray, fs_hz: float) -> np.ndarray:
    """Centred moving mean of image poses (T, 33, 4) over TRUNK_SMOOTH_S (for rep metrics)."""
    from scipy.ndimage import uniform_filter1d

    n = max(int(round(TRUNK_SMOOTH_S * fs_hz)), 1)
    return uniform_filter1d(np.asarray(images, dtype=np.float64), size=n, axis=0, mode="nearest")


def effective(params: Any, ctx: ExerciseContext, name: str) -> Any:
    """A level parameter after per-patient overrides (therapist settings, adaptive difficulty)."""
    return ctx.overrides.get(name, getattr(params, name))
