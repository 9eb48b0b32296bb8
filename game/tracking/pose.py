"""Pose frames and the PoseSource protocol: the one seam between trackers and the game.

Every pose in MirrorPlay uses MediaPipe's 33-landmark BlazePose layout. "Left" and "right"
always mean the *patient's* anatomical sides, never the sides of the picture.

Conventions (MediaPipe ``solutions.pose``, raw unflipped camera frame):

- image landmarks ``(33, 4) float32``: x, y normalised to the frame (x grows to the right of
  the raw picture, y grows downwards), z relative depth, visibility in [0, 1]. A patient who
  faces the camera has the *left* shoulder at the larger x of the raw frame; the display
  flips the picture so the patient sees a mirror.
- world landmarks ``(33, 4) float32``: x, y, z in metres with the origin at the centre of the
  hips; x points to the patient's left, y points down, z points away from the camera
  (a hand reaching towards the camera has a smaller z); the 4th column is visibility.
- a missing pose is NaN in x, y, z and 0 visibility.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import Literal, Protocol, runtime_checkable

import numpy as np

N_LANDMARKS = 33
"""Number of BlazePose landmarks."""

NOSE = 0
L_SHOULDER, R_SHOULDER = 11, 12
L_ELBOW, R_ELBOW = 13, 14
L_WRIST, R_WRIST = 15, 16
L_PINKY, R_PINKY = 17, 18
L_INDEX, R_INDEX = 19, 20
L_THUMB, R_THUMB = 21, 22
L_HIP, R_HIP = 23, 24
L_KNEE, R_KNEE = 25, 26
L_ANKLE, R_ANKLE = 27, 28
L_HEEL, R_HEEL = 29, 30
L_FOOT, R_FOOT = 31, 32

LEFT_ARM = (L_SHOULDER, L_ELBOW, L_WRIST, L_PINKY, L_INDEX, L_THUMB)
"""Indices among 11-22 that belong to the patient's left arm and hand."""
RIGHT_ARM = (R_SHOULDER, R_ELBOW, R_WRIST, R_PINKY, R_INDEX, R_THUMB)
"""Indices among 11-22 that belong to the patient's right arm and hand."""

Side = Literal["left", "right"]

# Bones drawn for the avatar and the skeleton overlay, as index pairs.
BONES: tuple[tuple[int, int], ...] = (
    (L_SHOULDER, R_SHOULDER),
    (L_HIP, R_HIP),
    (L_SHOULDER, L_HIP),
    (R_SHOULDER, R_HIP),
    (L_SHOULDER, L_ELBOW),
    (L_ELBOW, L_WRIST),
    (R_SHOULDER, R_ELBOW),
    (R_ELBOW, R_WRIST),
    (L_WRIST, L_INDEX),
    (L_WRIST, L_PINKY),
    (L_WRIST, L_THUMB),
    (R_WRIST, R_INDEX),
    (R_WRIST, R_PINKY),
    (R_WRIST, R_THUMB),
    (L_HIP, L_KNEE),
    (L_KNEE, L_ANKLE),
    (R_HIP, R_KNEE),
    (R_KNEE, R_ANKLE),
)

VISIBLE = 0.5
"""Visibility below which a landmark counts as missing (MediaPipe's default confidence)."""


def arm_indices(side: Side) -> tuple[int, ...]:
    """Landmark indices of one anatomical arm and hand."""
    if side == "left":
        return LEFT_ARM
    if side == "right":
        return RIGHT_ARM
    raise ValueError(f"side must be 'left' or 'right', got {side!r}")


def other_side(side: Side) -> Side:
    """The opposite anatomical side."""
    return "right" if side == "left" else "left"


def shoulder_elbow_wrist(side: Side) -> tuple[int, int, int]:
    """(shoulder, elbow, wrist) indices of one side."""
    idx = arm_indices(side)
    return idx[0], idx[1], idx[2]


def empty_landmarks() -> np.ndarray:
    """A ``(33, 4) float32`` array meaning "no pose": NaN coordinates, zero visibility."""
    out = np.full((N_LANDMARKS, 4), np.nan, dtype=np.float32)
    out[:, 3] = 0.0
    return out


class SourceStatus(Enum):
    """What a pose source can say about itself, for overlays and pausing."""

    OK = "ok"
    NO_PERSON = "no_person"  # frames arrive but no usable pose in them
    STARTING = "starting"  # device opening / model warming up
    DEVICE_LOST = "device_lost"  # camera unplugged or failing reads; retrying
    ENDED = "ended"  # finite source (video, replay) has no more frames


@dataclass(frozen=True)
class PoseFrame:
    """One tracked pose.

    Attributes
    ----------
    t_s : float
        Monotonic capture timestamp in seconds (the camera frame's, not the inference's).
    image : (33, 4) float32
        Image landmarks: x, y normalised to the raw frame, z, visibility.
    world : (33, 4) float32
        World landmarks in metres, hip-centred; 4th column visibility.
    """

    t_s: float
    image: np.ndarray
    world: np.ndarray

    def __post_init__(self) -> None:
        for name in ("image", "world"):
            arr = getattr(self, name)
            if not isinstance(arr, np.ndarray) or arr.shape != (N_LANDMARKS, 4):
                got = getattr(arr, "shape", type(arr).__name__)
                raise ValueError(f"PoseFrame.{name} must have shape (33, 4), got {got}")

    @property
    def present(self) -> bool:
        """True when both shoulders are visible, the least any level needs."""
        vis = self.image[[L_SHOULDER, R_SHOULDER], 3]
        return bool(np.all(vis >= VISIBLE))

    @staticmethod
    def missing(t_s: float) -> PoseFrame:
        """A frame in which no person was found."""
        return PoseFrame(t_s, empty_landmarks(), empty_landmarks())


@dataclass(frozen=True)
class Picture:
    """One camera picture, as captured (raw, unflipped, BGR uint8 ``(H, W, 3)``)."""

    seq: int
    t_s: float
    bgr: np.ndarray


@runtime_checkable
class PoseSource(Protocol):
    """Anything that produces poses: simulated patient, camera, video file, recording.

    The game loop calls :meth:`poll` once per rendered frame with the current monotonic time
    (game time in headless runs). It never blocks: it returns the newest pose not yet
    returned, or None if nothing new arrived. Stale poses are dropped, never queued.
    """

    name: str
    """Short human-readable name ("simulated patient", "camera 0", "video clip.mp4")."""

    def poll(self, now_s: float) -> PoseFrame | None:
        """Newest pose not yet returned, or None."""
        ...

    def picture(self) -> Picture | None:
        """Newest camera picture, or None for sources without pixels (simulation, replay)."""
        ...

    def status(self) -> SourceStatus:
        """Current health of the source."""
        ...

    def close(self) -> None:
        """Release devices and threads. Safe to call twice."""
        ...


@runtime_checkable
class Steerable(Protocol):
    """A source that can be told where to move: the simulated patient.

    The game tells it the current goal of the displayed (mirrored) hand so that the demo
    and the tests play by themselves.
    """

    def set_goal(self, goal: Goal | None) -> None:
        """Set (or clear with None) what the patient should do next."""
        ...


@dataclass(frozen=True)
class Goal:
    """What an exercise asks of the patient, in raw-image normalised coordinates.

    kind : "hand" (bring the displayed affected-side hand to ``xy``), "trunk" (shift the
        mid-shoulder point to ``xy``), "rest" (arms down, sit still), "both_hands"
        (both wrists to the heights in ``xy`` and ``xy2``), "pose" (hold the arm still),
        "lean" (lean the trunk: here ``xy`` is (left, forward) lean in DEGREES, not image
        coordinates; weight-shift levels), "foot" (lift the foot nearest ``xy`` in raw x to
        the image height ``xy[1]``; single-leg stance).
    xy : (x, y) target in raw-image normalised coordinates.
    xy2 : optional second target (for two-handed goals).
    hidden : True when the patient cannot see the arm (position matching): the simulated
        patient then reproduces the goal with its proprioceptive error.
    """

    kind: Literal["hand", "trunk", "rest", "both_hands", "pose", "lean", "foot"]
    xy: tuple[float, float] = (0.5, 0.5)
    xy2: tuple[float, float] | None = None
    hidden: bool = False
