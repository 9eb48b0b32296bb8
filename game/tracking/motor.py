"""Motor commands for the simulated patient, and the minimum-jerk movements that carry them out.

A :class:`Motor` is built from generic primitives (game/tracking/simulated.py explains each);
a level type's ``simulate`` module builds one from its exercise's goal. :class:`Mover` moves a
point (or an array of points) by overlapping minimum-jerk submovements.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable

import numpy as np

from game.tracking.pose import Goal, Side

Point = tuple[float, float]
FINGER_ORDER = ("thumb", "index", "middle", "ring", "pinky")
"""Finger order of :attr:`Fingers.curl`."""


@dataclass(frozen=True)
class Fingers:
    """A hand shape for the simulated patient's fingers (game/tracking/sim_hands.py).

    Both hands attempt it (mirror therapy: move both hands together; the affected hand does
    what its impairment allows), except while one hand taps (``tap``).
    """

    curl: tuple[float, float, float, float, float] = (0.15, 0.15, 0.15, 0.15, 0.15)
    """How far each finger (:data:`FINGER_ORDER`) bends: 0 straight, 1 a full fist."""
    pinch: float = 0.0
    """0 = thumb away, 1 = thumb tip on the tip of ``oppose`` (a pinch, an opposition)."""
    oppose: str = "index"
    """The finger the thumb goes to."""
    tap: Side | None = None
    """This hand taps thumb on index as big and fast as it can (MDS-UPDRS 3.4); the other
    hand rests."""


@dataclass(frozen=True)
class Posture:
    """The lower body and trunk of the simulated patient (game/tracking/sim_legs.py).

    Angles in degrees; "left"/"right" are the patient's own sides. Segment pitches are
    measured from vertical, positive when the segment's lower end is forward (towards the
    camera for a patient facing it): sitting is thigh 87.5, shank 0; standing thigh 2, shank -2.
    """

    stand: bool = False
    """Stand up (False: sit on the chair)."""
    knee_deg: float = 0.0
    """Standing: bend both knees this far (a squat; 0 = straight)."""
    lift: tuple[tuple[Side, float, float], ...] = ()
    """``(side, thigh_deg, shank_deg)``: move one leg to these pitches (a knee lift when
    standing, a knee extension when seated); the affected side does less (``leg_asymmetry``)."""
    ankle: tuple[tuple[Side, float], ...] = ()
    """``(side, deg)``: ankle dorsiflexion (toes up, > 0) or plantarflexion (< 0)."""
    trunk_deg: float = 0.0
    """Extra forward trunk lean (a forward reach)."""
    arms: str = "free"
    """"free" (the hand primitives), "crossed" over the chest, or "forward" (the unaffected
    arm raised forward to shoulder height, fist: the functional reach test)."""
    back_m: float | None = None
    """Stand (or sit) this much further from the camera than at the start; None keeps it."""
    fallen: bool = False
    """Fall: hips to the floor, body horizontal (for the fall-detection tests)."""


@dataclass(frozen=True)
class Motor:
    """One motor command; every field is an optional primitive, all absent = rest.

    Points are raw-image normalised (x, y). "Affected"/"unaffected" are the model's sides.
    """

    hand_xy: Point | None = None
    """The *displayed* affected-side hand to this point: the unaffected arm reaches for its
    mirror image, the affected arm attempts the point within ``affected_range``."""
    unaffected_xy: Point | None = None
    """With ``hand_xy``: both hands, the unaffected one straight to this point (no mirror)."""
    hidden: bool = False
    """The arm is unseen: the reach carries the proprioceptive error."""
    trunk_xy: Point | None = None
    """Shift the mid-shoulder point toward this image point."""
    lean_deg: Point | None = None
    """Lean the trunk (left, forward) by these angles in degrees."""
    foot_xy: Point | None = None
    """Lift the foot nearest this raw x to the image height y."""
    landmarks_m: Mapping[int, tuple[float, float, float]] = field(default_factory=dict)
    """Move these landmarks (pose indices) by world offsets in metres (x left, y down, z away
    from the camera), with one minimum-jerk movement; absent landmarks return to rest."""
    posture: Posture | None = None
    """Sit, stand, squat, step, fall (:class:`Posture`); None = the patient's starting posture
    (``PatientModel.standing``: seated unless the model starts standing)."""
    face: Mapping[str, float] = field(default_factory=dict)
    """Face expressions (game.tracking.sim_face.EXPRESSIONS: the jaw's opening in mm, smile,
    brow, eye closure, pucker 0..1); absent ones relax. The face is drawn only when asked for."""
    fingers: Fingers | None = None
    """A hand shape (:class:`Fingers`); None = relaxed hands."""


REST = Motor()


def motor_for_goal(goal: Goal | None) -> Motor:
    """The Motor meaning of a :class:`game.tracking.pose.Goal` (calibration, pointer tests)."""
    if goal is None or goal.kind in ("rest", "pose"):
        return REST
    if goal.kind == "hand":
        return Motor(hand_xy=goal.xy, hidden=goal.hidden)
    if goal.kind == "both_hands":
        return Motor(hand_xy=goal.xy, unaffected_xy=goal.xy2, hidden=goal.hidden)
    if goal.kind == "trunk":
        return Motor(trunk_xy=goal.xy)
    if goal.kind == "lean":
        return Motor(lean_deg=goal.xy)
    return Motor(foot_xy=goal.xy)  # "foot"


@runtime_checkable
class MotorSteerable(Protocol):
    """A source the game can steer with motor commands: the simulated patient (directly or
    through a recording wrapper that forwards ``set_goal``)."""

    def set_goal(self, goal: Motor | Goal | None) -> None: ...


@dataclass
class Submovement:
    """One minimum-jerk submovement: ``delta`` covered from ``t0_s`` over ``dur_s``."""

    t0_s: float
    dur_s: float
    delta: np.ndarray


@dataclass
class Mover:
    """A point moved by overlapping minimum-jerk submovements."""

    pos: np.ndarray
    subs: list[Submovement] = field(default_factory=list)

    def plan(self, now_s: float, t_s: float, goal: np.ndarray, dur_s: float, n_sub: int) -> None:
        """Add submovements from where the current plan ends to ``goal``, starting at ``t_s``
        (``now_s`` plus the reaction time).

        New submovements are superimposed on unfinished ones (Flash & Henis 1991), so a goal
        change mid-movement bends the path smoothly instead of jumping. Only submovements
        finished by ``now_s`` are folded into the base position: folding at the later start
        time would move a still-running submovement's remaining distance into the base at
        once, and the hand would jump.
        """
        self._fold(now_s)
        delta, t0 = goal - self.end(), t_s
        for i, frac in enumerate(_split(n_sub)):
            d = dur_s * (0.7 if i == 0 else 0.45)
            self.subs.append(Submovement(t0, d, delta * frac))
            t0 += d * 0.75  # the next submovement starts before this one ends

    def end(self) -> np.ndarray:
        """Where the current plan comes to rest."""
        return self.pos + sum((s.delta for s in self.subs), np.zeros_like(self.pos))

    def _fold(self, t_s: float) -> None:
        """Fold finished submovements into the base position."""
        keep = []
        for s in self.subs:
            if t_s >= s.t0_s + s.dur_s:
                self.pos = self.pos + s.delta
            else:
                keep.append(s)
        self.subs = keep

    def at(self, t_s: float) -> np.ndarray:
        out = self.pos.copy()
        for s in self.subs:
            tau = min(max((t_s - s.t0_s) / s.dur_s, 0.0), 1.0)
            out += s.delta * (10 * tau**3 - 15 * tau**4 + 6 * tau**5)
        return out


def _split(n_sub: int) -> list[float]:
    """Fractions of a displacement covered by each submovement (sum to 1)."""
    if n_sub <= 1:
        return [1.0]
    first = 0.65 if n_sub == 2 else 0.55
    rest = [(1 - first) * w for w in np.geomspace(1, 0.4, n_sub - 1)]
    total = sum(rest)
    return [first] + [(1 - first) * r / total for r in rest]
