"""What every level type shares: context, tracked input, events, goals and the Exercise protocol.

Level types are pure logic (no pygame): ``update(dt_s, tracked)`` advances them with time
passed in and returns events; ``goal()`` says what the patient is asked to do (the level
type's ``simulate`` module turns it into motor commands for the simulated patient);
``view()`` returns a typed frozen view that the level type's drawer draws.

Events (a finished rep, a feedback word) are in game/leveltypes/events.py.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Protocol

import numpy as np

from game.leveltypes.events import Event
from game.leveltypes.views import LevelView
from game.scoring import kinematics
from game.scoring.noise_floor import COMPENSATION_CUE_MM
from game.tracking import pose as P
from game.tracking.pose import PoseFrame, Side

COMPENSATION_MM = COMPENSATION_CUE_MM
"""Default live trunk-displacement threshold in mm (60): the healthy drinking-task mean + 2 SD
(26.7 + 2 × 16.8 mm, Alt Murphy et al. 2011, docs/sources.md §1.1), clearly above what a
still person reads on real footage (95th percentile 26.6 mm; game.scoring.noise_floor,
docs/validation.md). Stroke reaches show 77.2 ± 48.6 mm."""
COMPENSATION_PERSIST_S = 0.25
"""A trunk shift must last this long before it counts: one noisy frame never cues the patient."""
DEFAULT_ARM_M = 0.62
"""Arm length used when none could be measured: adult shoulder→wrist 0.56 m plus the 6 cm
from the wrist to the hand point (metres; every arm length ends at the hand point,
game.scoring.kinematics.arm_length_m)."""


@dataclass(frozen=True)
class SafetyLimits:
    """Limits no level may exceed (set by the therapist per patient)."""

    max_reach_fraction: float = 0.9
    """Largest target distance from the shoulder, × arm length."""
    max_shoulder_flexion_deg: float = 150.0
    max_shoulder_abduction_deg: float = 150.0
    compensation_mm: float = COMPENSATION_MM
    max_knee_flexion_deg: float = 90.0
    """Deepest knee bend any level may ask for (squats, knee lifts; 0 = straight knee)."""
    max_mouth_opening_mm: float = 30.0
    """Widest mouth opening a jaw level may ask for, mm (game/therapist/settings_schema.py)."""
    max_hand_closure: float = 1.0
    """How far any hand level may ask the hand or a finger to close: 1 = a full fist."""


@dataclass(frozen=True)
class Body:
    """Body geometry in raw-frame pixels, measured by calibration or at level start."""

    shoulder_px: tuple[float, float]
    """The affected-side shoulder (where the mirrored arm starts)."""
    arm_px: float
    """Arm length (shoulder→elbow→wrist→hand point) in pixels."""
    shoulder_width_px: float
    mid_shoulder_px: tuple[float, float]
    arm_m: float = DEFAULT_ARM_M
    """Arm length to the hand point in metres (world landmarks)."""
    hand_open_norm: float = math.nan
    """The good hand's aperture opened flat, palm lengths (hand calibration); NaN if unmeasured."""
    hand_fist_norm: float = math.nan
    """The good hand's aperture as a fist, palm lengths (hand calibration); NaN if unmeasured."""

    @staticmethod
    def measure(frame: PoseFrame, affected_side: Side, frame_size: tuple[int, int]) -> Body:
        """Measure from one pose: the unaffected arm's length (to the hand point, picture and
        world) stands in for both arms."""
        size = np.array(frame_size, dtype=np.float64)
        px = frame.image[:, :2].astype(np.float64) * size
        good = P.other_side(affected_side)
        arm_px = float(kinematics.arm_length_m(px, good))  # the same sum, in pixels
        arm_m = float(kinematics.arm_length_m(frame.world[:, :3].astype(np.float64), good))
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
            arm_m if np.isfinite(arm_m) else DEFAULT_ARM_M,
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
    face_weak_side: Side | None = None
    """The side of a facial palsy (face levels mirror the other half onto it); None = the
    affected side."""
    overrides: dict[str, Any] = field(default_factory=dict)
    """Per-patient parameter overrides (therapist settings, adaptive difficulty)."""


@dataclass(frozen=True)
class Tracked:
    """The input of one fixed step: the raw pose and the pose shown to the patient."""

    t_s: float
    """Now, on the pose sources' clock (the clock pose timestamps are on)."""
    raw: PoseFrame | None
    display_image: np.ndarray | None
    """(33, 4) image landmarks as displayed (mirrored / shared control), raw coordinates."""
    gain: float = 0.0
    """Shared-control gain of the display (0 = pure mirror): how much of the affected limb
    shown is the patient's own (game.mirror; hand levels blend the fingers with it)."""

    @property
    def present(self) -> bool:
        return self.raw is not None and self.raw.present


@dataclass(frozen=True)
class Rest:
    """Goal: arms down, sit (or stand) still."""


@dataclass(frozen=True)
class HandTo:
    """Goal: bring the displayed affected-side hand to ``xy`` (raw-image normalised).

    ``hidden``: the patient cannot see the arm (position matching)."""

    xy: tuple[float, float]
    hidden: bool = False


class Exercise(Protocol):
    """A running level."""

    ctx: ExerciseContext
    done: bool
    stopped: bool
    """Ended early for safety (a fall): the session stops after this level."""

    @property
    def awaiting_confirm(self) -> bool:
        """True while a safety question waits for a confirmation (the play scene's SELECT)."""
        ...

    def handle_select(self) -> None: ...

    def update(self, dt_s: float, tracked: Tracked) -> list[Event]: ...

    def goal(self) -> object:
        """What the patient is asked to do now (a goal dataclass of the level type)."""
        ...

    def view(self) -> LevelView: ...


def hand_xy(image: np.ndarray, side: Side) -> np.ndarray:
    """THE hand point of one side in the picture, raw normalised: the centroid of wrist,
    index and pinky (game.scoring.kinematics.hand_point), the point scoring, the cursor and
    the simulated patient use, so a hit means the same everywhere.

    ``image`` is (..., 33, 4); the result is (..., 2)."""
    return kinematics.hand_point(np.asarray(image, dtype=np.float64)[..., :2], side)


def effective(params: Any, ctx: ExerciseContext, name: str) -> Any:
    """A level parameter after per-patient overrides (therapist settings, adaptive difficulty)."""
    return ctx.overrides.get(name, getattr(params, name))
