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

Hands and face (optional, only while a level asked for them, see :data:`Parts`):

- ``left_hand`` / ``right_hand`` ``(21, 4) float32``: MediaPipe Hands image landmarks of the
  person's own left / right hand (assigned from the pose's wrists, see hands.py): x, y
  normalised like the body, z relative depth with the wrist as origin (about the scale of x),
  4th column the hand's score (MediaPipe's handedness confidence in [0.5, 1]; the legacy API
  returns a hand only after its own presence check, and gives no per-landmark visibility).
- ``left_hand_world`` / ``right_hand_world`` ``(21, 4) float32``: the same hand in metres
  about the hand's own centre (MediaPipe ``multi_hand_world_landmarks``; x, y, z as the
  camera sees them, not rotated into the body's frame), 4th column the same score.
- ``face`` ``(478, 4) float32``: MediaPipe Face Mesh with refined landmarks (468 mesh points,
  then 468-472 the person's right iris, 473-477 the left iris; centre first), x, y
  normalised, z relative depth about the scale of x; 4th column 1.0 for a found face
  (Face Mesh gives no score or visibility). Face Mesh gives no world landmarks.

Each optional part has two "empty" states, so nothing large is allocated for parts nobody
tracks:

- ``None``: the part was not tracked in this frame (no level asked for it). Costs nothing.
- the shared read-only constants :data:`MISSING_HAND` / :data:`MISSING_FACE` (NaN x, y, z,
  0 in the 4th column): the part was tracked but not found. One array for every frame.

Memory per frame: body 1056 B; hands when tracked +1344 B (both hands, image and world);
face when tracked +7648 B. A 10-minute session at 30 Hz: body 19 MB, hands +24 MB, face
+138 MB, and nothing for a part that was not tracked.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import Enum
from typing import Literal, Protocol, TypeAlias, runtime_checkable

import numpy as np

N_LANDMARKS = 33
"""Number of BlazePose landmarks."""
N_HAND_LANDMARKS = 21
"""Number of MediaPipe Hands landmarks per hand (0 wrist, 4 thumb tip, 8 index tip, ...)."""
N_FACE_LANDMARKS = 478
"""MediaPipe Face Mesh landmarks with ``refine_landmarks=True`` (468 mesh + 2 x 5 iris)."""

Parts: TypeAlias = frozenset[str]
"""Which parts of the person the tracker runs models for: a subset of :data:`PART_NAMES`.
The body is always tracked (the hands are assigned to sides from its wrists, and a frame
without a body counts as "nobody there"), so every valid request contains "body"."""
PART_NAMES = ("body", "hands", "face")
BODY_ONLY: Parts = frozenset({"body"})

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


def empty_landmarks(n: int = N_LANDMARKS) -> np.ndarray:
    """A new ``(n, 4) float32`` array meaning "not found": NaN coordinates, zero visibility."""
    out = np.full((n, 4), np.nan, dtype=np.float32)
    out[:, 3] = 0.0
    return out


def _read_only(arr: np.ndarray) -> np.ndarray:
    arr.flags.writeable = False
    return arr


MISSING_HAND = _read_only(empty_landmarks(N_HAND_LANDMARKS))
"""``(21, 4) float32``, read-only: a hand that was tracked but not found (shared, never copy)."""
MISSING_FACE = _read_only(empty_landmarks(N_FACE_LANDMARKS))
"""``(478, 4) float32``, read-only: a face that was tracked but not found (shared)."""


def parts_of(names: object) -> Parts:
    """Validate a parts request: a set of names from :data:`PART_NAMES`; "body" is added.

    Raises ValueError naming the unknown part, or TypeError for a bare string (a common slip:
    ``frozenset("hands")`` is a set of letters).
    """
    if isinstance(names, str) or not isinstance(names, (set, frozenset, tuple, list)):
        raise TypeError(f"parts must be a set of part names, got {names!r}")
    unknown = sorted(str(n) for n in names if n not in PART_NAMES)
    if unknown:
        raise ValueError(f"unknown part(s) {', '.join(unknown)}; known: {', '.join(PART_NAMES)}")
    return frozenset({"body", *names})


class SourceStatus(Enum):
    """What a pose source can say about itself, for overlays and pausing."""

    OK = "ok"
    NO_PERSON = "no_person"  # frames arrive but no usable pose in them
    STARTING = "starting"  # device opening / model warming up
    DEVICE_LOST = "device_lost"  # camera unplugged or failing reads; retrying
    ENDED = "ended"  # finite source (video, replay) has no more frames


_OPTIONAL_SHAPES = {
    "left_hand": N_HAND_LANDMARKS,
    "left_hand_world": N_HAND_LANDMARKS,
    "right_hand": N_HAND_LANDMARKS,
    "right_hand_world": N_HAND_LANDMARKS,
    "face": N_FACE_LANDMARKS,
}


@dataclass(frozen=True)
class PoseFrame:
    """One tracked frame: the body, and the hands and face when they were tracked.

    Attributes
    ----------
    t_s : float
        Monotonic capture timestamp in seconds (the camera frame's, not the inference's).
    image : (33, 4) float32
        Image landmarks: x, y normalised to the raw frame, z, visibility.
    world : (33, 4) float32
        World landmarks in metres, hip-centred; 4th column visibility.
    left_hand, right_hand : (21, 4) float32 or None
        Image landmarks of the person's own left / right hand (module docstring): None when
        hands were not tracked, :data:`MISSING_HAND` when tracked but not found.
    left_hand_world, right_hand_world : (21, 4) float32 or None
        The same hands in metres about the hand's centre; None exactly when the image
        landmarks are None.
    face : (478, 4) float32 or None
        Face Mesh image landmarks with irises: None when not tracked, :data:`MISSING_FACE`
        when tracked but not found.
    """

    t_s: float
    image: np.ndarray
    world: np.ndarray
    left_hand: np.ndarray | None = None
    left_hand_world: np.ndarray | None = None
    right_hand: np.ndarray | None = None
    right_hand_world: np.ndarray | None = None
    face: np.ndarray | None = None

    def __post_init__(self) -> None:
        for name in ("image", "world"):
            _check_shape(name, getattr(self, name), N_LANDMARKS)
        for name, n in _OPTIONAL_SHAPES.items():
            arr = getattr(self, name)
            if arr is not None:
                _check_shape(name, arr, n)
        for side in ("left", "right"):
            if (getattr(self, f"{side}_hand") is None) != (getattr(self, f"{side}_hand_world") is None):
                raise ValueError(f"PoseFrame.{side}_hand and {side}_hand_world must both be set or both None")
        if (self.left_hand is None) != (self.right_hand is None):
            raise ValueError("PoseFrame hands are tracked together: set both sides or neither")

    @property
    def present(self) -> bool:
        """True when both shoulders are visible, the least any level needs."""
        vis = self.image[[L_SHOULDER, R_SHOULDER], 3]
        return bool(np.all(vis >= VISIBLE))

    @property
    def parts(self) -> Parts:
        """The parts tracked in this frame (found or not): always "body", then "hands", "face"."""
        tracked = {"body"}
        if self.left_hand is not None:
            tracked.add("hands")
        if self.face is not None:
            tracked.add("face")
        return frozenset(tracked)

    def hand(self, side: Side) -> np.ndarray | None:
        """``(21, 4)`` image landmarks of the person's ``side`` hand, or None if not tracked."""
        return self.left_hand if _side(side) == "left" else self.right_hand

    def hand_world(self, side: Side) -> np.ndarray | None:
        """``(21, 4)`` world landmarks (metres) of the person's ``side`` hand, or None."""
        return self.left_hand_world if _side(side) == "left" else self.right_hand_world

    def hand_found(self, side: Side) -> bool:
        """True when the ``side`` hand was tracked and found in this frame."""
        return found(self.hand(side))

    @property
    def face_found(self) -> bool:
        """True when the face was tracked and found in this frame."""
        return found(self.face)

    def restamped(self, t_s: float) -> PoseFrame:
        """The same landmarks (hands and face included, not copied) at another time."""
        return replace(self, t_s=t_s)

    @staticmethod
    def missing(t_s: float, parts: Parts = BODY_ONLY) -> PoseFrame:
        """A frame in which no person was found; hands and face "not found" if in ``parts``."""
        hand = MISSING_HAND if "hands" in parts else None
        face = MISSING_FACE if "face" in parts else None
        return PoseFrame(t_s, empty_landmarks(), empty_landmarks(), hand, hand, hand, hand, face)


def found(landmarks: np.ndarray | None) -> bool:
    """True for a tracked part with at least one finite coordinate (not None, not MISSING)."""
    if landmarks is None or landmarks is MISSING_HAND or landmarks is MISSING_FACE:
        return False
    return bool(np.isfinite(landmarks[:, :3]).any())


def _check_shape(name: str, arr: object, n: int) -> None:
    if not isinstance(arr, np.ndarray) or arr.shape != (n, 4):
        got = getattr(arr, "shape", type(arr).__name__)
        raise ValueError(f"PoseFrame.{name} must have shape ({n}, 4), got {got}")


def _side(side: str) -> Side:
    if side not in ("left", "right"):
        raise ValueError(f"side must be 'left' or 'right', got {side!r}")
    return side  # type: ignore[return-value]


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


@runtime_checkable
class PartsSelectable(Protocol):
    """A source whose tracker runs only the models the active level asks for.

    The body-only default runs the pose model alone; asking for "hands" or "face" builds
    that model on first use (on the tracker's thread) and runs it on every following
    picture; leaving a part out of a later request stops running it. Takes effect from the
    next picture the tracker picks up; frames say what was tracked in :attr:`PoseFrame.parts`.
    """

    def request_parts(self, parts: frozenset[str]) -> None:
        """Run the models for ``parts`` (names from :data:`PART_NAMES`; "body" is implied)."""
        ...


@runtime_checkable
class ClockedSource(Protocol):
    """A source that says which clock its poses are stamped with.

    ``uses_wall_clock`` True: live (camera, real-time video), stamped with
    ``time.perf_counter`` and to be polled with it; False: game time (the default for a
    source that does not say).
    """

    uses_wall_clock: bool


@runtime_checkable
class WaitableSource(Protocol):
    """A source the loop can block on until the tracker delivers a new pose."""

    def wait_new(self, timeout_s: float) -> bool:
        """Block up to ``timeout_s`` for a pose not yet polled; True if one arrived."""
        ...


@runtime_checkable
class PictureWaitable(Protocol):
    """A live source the loop can block on until the camera delivers a new picture (the
    frame between two poses of a slow tracker shows it at once: game/app.py)."""

    def wait_picture(self, after_t_s: float, timeout_s: float) -> float | None:
        """Block up to ``timeout_s`` for a picture captured after ``after_t_s`` (the source's
        clock); the newest picture's capture time, or None when none came."""
        ...


def forward_parts(source: object, parts: frozenset[str]) -> None:
    """``source.request_parts(parts)`` for a :class:`PartsSelectable`; nothing for the others
    (the simulated patient, replays): wrappers pass requests on with this."""
    if isinstance(source, PartsSelectable):
        source.request_parts(parts)


def wall_clocked(source: object) -> bool:
    """True when ``source`` stamps its poses with ``time.perf_counter`` (see ClockedSource)."""
    return isinstance(source, ClockedSource) and bool(source.uses_wall_clock)


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
