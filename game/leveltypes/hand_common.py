"""What the hand level types share (grasp, finger_tapping, thumb_opposition,
finger_individuation, pinch_place): the hands the patient sees and the game reads, where the
hands are held, the wait for hands in view, the simulated patient's goal, and the recorded
hand tracks the metrics modules measure.

The hand shown on the affected side (game.mirror.hand.displayed_hand) is the good hand's
reflection (gain 0) or the shared-control blend with the own affected hand (0 < gain). The
game reads the shape of that shown hand from metric landmarks: a measure of the good hand,
blended with the same measure of the own affected hand by the gain (:meth:`Hands.measure`):
a reflection changes no finger angle or length ratio. Conventions: "left"/"right" are the
person's own sides; apertures in palm lengths (game/scoring/hand.py).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from game.i18n import N_, Msg
from game.leveltypes.base import ExerciseContext, Rest, Tracked
from game.leveltypes.common import ExerciseBase
from game.leveltypes.events import Event
from game.leveltypes.measure import RepData
from game.leveltypes.simulate import hand_motor as arm_motor
from game.leveltypes.views import LevelView
from game.mirror.hand import displayed_hand
from game.scoring import hand as SH
from game.tracking.hands import hand_size_px as hand_size_px
from game.tracking.motor import Fingers, Motor
from game.tracking.pose import N_HAND_LANDMARKS, PoseFrame, Side, found, other_side
from game.tracking.recorder import Recording

HANDS_PARTS = frozenset({"body", "hands"})
"""What every hand level asks the tracker for."""
OPEN_NORM = 1.1
"""Aperture of a hand opened flat, palm lengths, used before the hand is calibrated (the
simulated hand reads 1.09, the real close-up's open hand 1.0-1.3; docs/validation.md §10)."""
FIST_NORM = 0.45
"""Aperture of a fist, palm lengths, before calibration (simulated 0.39, real 0.4-0.55)."""
SHOW_HANDS = N_("Show both hands, palms to the screen")
FLAT: Fingers = Fingers(curl=(0.0, 0.0, 0.0, 0.0, 0.0))
FIST: Fingers = Fingers(curl=(1.0, 1.0, 1.0, 1.0, 1.0))
RELAXED: Fingers = Fingers()
Point = tuple[float, float]
STAGE_ASPECT = 1.6
"""Width / height of the hands' close-up on screen (game/render/hand_view.py draws it)."""
SLOT_ASPECT = STAGE_ASPECT / 2
"""Width / height of each half of the close-up when each hand has its own (not spatial)."""
STAGE_MARGIN = 0.6
"""Room around the hands in the close-up, in hand sizes on each side."""
SLOT_MARGIN = 0.2
"""The same for a hand magnified in its own half: closer, the hand fills most of it."""
STAGE_SMOOTH_S = 0.3
"""Time constant with which the close-up follows the hands (no jitter, little lag)."""


@dataclass(frozen=True)
class HandGoal:
    """Goal of a hand level: a hand shape, both hands held up where the level puts them."""

    fingers: Fingers
    shown_xy: Point
    """Where the hand shown on the affected side is held (raw normalised)."""
    good_xy: Point
    """Where the good hand is held."""


def hand_motor(goal: object) -> Motor:
    """The simulated patient's command for a hand goal (other goals: the arm levels' own)."""
    if isinstance(goal, HandGoal):
        return Motor(hand_xy=goal.shown_xy, unaffected_xy=goal.good_xy, fingers=goal.fingers)
    return arm_motor(goal)


@dataclass(frozen=True)
class Hands:
    """The hands of one step: image landmarks (21, 4) and metric ones (21, 4), None if not found."""

    shown: np.ndarray | None
    """The hand shown on the affected side (mirror or shared control)."""
    good: np.ndarray | None
    own: np.ndarray | None
    """The affected hand as it is."""
    good_world: np.ndarray | None
    own_world: np.ndarray | None
    gain: float

    def measure(self, fn: Callable[[np.ndarray], np.ndarray]) -> float:
        """``fn`` (a game.scoring.hand measure) of the hand shown: of the good hand, blended
        with the own affected hand's value by the shared-control gain."""
        good = float(fn(self.good_world)) if self.good_world is not None else math.nan
        if self.gain > 0.0 and self.own_world is not None:
            own = float(fn(self.own_world))
            if math.isfinite(own):
                return own if not math.isfinite(good) else (1.0 - self.gain) * good + self.gain * own
        return good

    def own_measure(self, side_is_good: bool, fn: Callable[[np.ndarray], np.ndarray]) -> float:
        """``fn`` of one real hand (the good one, or the affected one), NaN if not found."""
        world = self.good_world if side_is_good else self.own_world
        return float(fn(world)) if world is not None else math.nan


def _found_or_none(arr: np.ndarray | None) -> np.ndarray | None:
    return arr if found(arr) else None


def read_hands(frame: PoseFrame, affected_side: Side, frame_size: tuple[int, int], gain: float) -> Hands:
    """The hands of one frame as the hand levels use them (see :class:`Hands`)."""
    good_side = other_side(affected_side)
    return Hands(
        shown=displayed_hand(frame, affected_side, frame_size, gain),
        good=_found_or_none(frame.hand(good_side)),
        own=_found_or_none(frame.hand(affected_side)),
        good_world=_found_or_none(frame.hand_world(good_side)),
        own_world=_found_or_none(frame.hand_world(affected_side)),
        gain=gain,
    )


@dataclass(frozen=True)
class HandView(LevelView):
    """What every hand level shows: the hands (image landmarks, raw normalised) and a prompt."""

    shown: np.ndarray | None = None
    good: np.ndarray | None = None
    own: np.ndarray | None = None
    prompt: Msg | None = None
    waiting_hands: bool = False
    """No hands in view: the level waits and asks to show them."""
    show_own: bool = False
    """The affected side shows the patient's own hand (its turn), not the mirror."""
    regions: tuple[tuple[float, float, float, float], ...] = ()
    """The parts of the raw picture the hands' close-up shows (x, y, w, h in pixels): one
    around the hands and the level's targets (a spatial level), or two, the hand shown on the
    affected side first, each magnified in its own half; empty before the hands were seen."""


def time_for_speed(field: str) -> Callable[[float, Any, tuple[int, int]], float]:
    """The therapist's speed setting applied to a level's time ``field``: a faster speed leaves
    less time (a SettingLink's function)."""

    def apply(scale: float, params: Any, frame_size: tuple[int, int]) -> float:
        return float(getattr(params, field)) / max(scale, 0.1)

    return apply


def aperture_bounds(ctx: ExerciseContext) -> tuple[float, float]:
    """(open, fist) aperture of the good hand, palm lengths: the hand calibration's when there
    is one, else :data:`OPEN_NORM`, :data:`FIST_NORM`."""
    body = ctx.body
    open_norm = body.hand_open_norm if body is not None else math.nan
    fist_norm = body.hand_fist_norm if body is not None else math.nan
    if not (math.isfinite(open_norm) and math.isfinite(fist_norm) and open_norm > fist_norm + 0.2):
        return OPEN_NORM, FIST_NORM
    return float(open_norm), float(fist_norm)


class HandExercise(ExerciseBase):
    """A running hand level: waits for the hands, knows where they are held, reads them.

    Subclasses implement ``_hand_step(dt_s, tracked) -> list[Event]`` (called only while the
    hands the level needs are in view: ``self.hands`` is this step's), ``_fingers()`` (the
    shape asked now, for the simulated patient) and ``view()``.
    """

    needs_own_hand = False
    """True while the level reads the affected hand itself (its turn), not only the mirror."""
    spatial = False
    """True: the close-up shows where the hands are in space (one region with the level's
    targets); False: each hand magnified in its own half."""

    def __init__(self, ctx: ExerciseContext, reps: int) -> None:
        super().__init__(ctx, reps)
        self._phase = "ready"
        self.hands: Hands | None = None
        self.waiting_hands = False
        self._place: tuple[Point, Point] | None = None
        self._regions: np.ndarray | None = None

    def _step(self, dt_s: float, tracked: Tracked) -> list[Event]:
        assert tracked.raw is not None
        if self._place is None:
            self._place = self._hands_place()
        self.hands = read_hands(tracked.raw, self.ctx.affected_side, self.ctx.frame_size, tracked.gain)
        self._follow(dt_s)
        need_own = self.needs_own_hand and self.hands.own_world is None
        self.waiting_hands = self.hands.good_world is None or self.hands.shown is None or need_own
        if self.waiting_hands:
            return []
        return self._hand_step(dt_s, tracked)

    def _hand_step(self, dt_s: float, tracked: Tracked) -> list[Event]:
        raise NotImplementedError

    def _another_rep(self) -> bool:
        """At the end of a rep's settle pause: True if a rep is left to begin; after the last
        one the level is done (``_phase`` "done")."""
        if self._rep >= self.reps:
            self.done, self._phase = True, "done"
            return False
        return True

    def _follow(self, dt_s: float) -> None:
        """Move the close-up towards the hands in view (smoothly)."""
        h = self.hands
        assert h is not None
        if self.spatial:  # the hand shown and the level's targets, where they are
            if h.shown is None:
                return
            want = stage_region([h.shown], self.ctx.frame_size, STAGE_ASPECT, self._stage_points())[None]
        else:
            shown = h.own if self._showing_own() else h.shown
            if shown is None or h.good is None:
                return
            size = self.ctx.frame_size
            want = np.stack(
                [stage_region([a], size, SLOT_ASPECT, margin=SLOT_MARGIN) for a in (shown, h.good)]
            )
        if self._regions is None:
            self._regions = want
        else:
            self._regions = self._regions + (1.0 - math.exp(-dt_s / STAGE_SMOOTH_S)) * (want - self._regions)

    def _hands_place(self) -> tuple[Point, Point]:
        """Where the hands are held up (raw normalised): the affected-side hand in front of
        its shoulder, a little below it, and the good hand at its mirror place."""
        assert self._body is not None
        body = self._body
        w, h = self.ctx.frame_size
        x = body.shoulder_px[0] + self._sign * 0.05 * body.shoulder_width_px
        y = body.shoulder_px[1] + 0.55 * body.arm_px
        mid_x = body.mid_shoulder_px[0]
        return (x / w, y / h), ((2 * mid_x - x) / w, y / h)

    def _fingers(self) -> Fingers:
        raise NotImplementedError

    def _showing_own(self) -> bool:
        """True while the affected side shows the patient's own hand (its turn)."""
        return False

    def _stage_points(self) -> np.ndarray | None:
        """Further points (N, 2) raw normalised the close-up must show (targets), or None."""
        return None

    def goal(self) -> HandGoal | Rest:
        if self._place is None or self.done:
            return Rest()
        return HandGoal(self._fingers(), *self._place)

    def _hand_view(self) -> dict[str, object]:
        """The HandView fields every hand level fills (to pass on as keyword arguments)."""
        h = self.hands
        return {
            "shown": None if h is None else h.shown,
            "good": None if h is None else h.good,
            "own": None if h is None else h.own,
            "waiting_hands": self.waiting_hands,
            "regions": ()
            if self._regions is None
            else tuple(tuple(float(v) for v in r) for r in self._regions),
            "show_own": self._showing_own(),
        }


def stage_region(
    hands: list[np.ndarray],
    frame_size: tuple[int, int],
    aspect: float,
    extra: np.ndarray | None = None,
    margin: float = STAGE_MARGIN,
) -> np.ndarray:
    """The part of the raw picture around these hands ``(21, >=2)`` (and ``extra`` points
    ``(N, 2)``, all raw normalised) a close-up shows: (x, y, w, h) in pixels, ``aspect``
    (width / height), inside the frame where it fits."""
    size = np.asarray(frame_size, dtype=np.float64)
    more = [] if extra is None else [np.asarray(extra, dtype=np.float64)[:, :2] * size]
    pts = np.concatenate([np.asarray(h, dtype=np.float64)[:, :2] * size for h in hands] + more)
    pts = pts[np.isfinite(pts).all(axis=1)]
    lo, hi = pts.min(axis=0), pts.max(axis=0)
    hand = max(hand_size_px(h, frame_size) for h in hands)
    lo, hi = lo - margin * hand, hi + margin * hand
    w, h = hi - lo
    w, h = max(w, h * aspect), max(h, w / aspect)
    w, h = min(w, size[0], size[1] * aspect), min(h, size[1], size[0] / aspect)
    centre = 0.5 * (lo + hi)
    x0 = float(np.clip(centre[0] - w / 2, 0.0, size[0] - w))
    y0 = float(np.clip(centre[1] - h / 2, 0.0, size[1] - h))
    return np.array([x0, y0, w, h])


# ------------------------------------------------------------------ metrics helpers
def hand_track(rep: RepData, side: Side, world: bool = True) -> np.ndarray:
    """One hand over the rep's frames, ``(T, 21, 4)`` float64, NaN where it was not tracked
    or not found (``world``: metres about the hand's centre; else image landmarks)."""
    rec = rep.frames
    return hand_series(rec, side, world)


def hand_series(rec: Recording, side: Side, world: bool = True) -> np.ndarray:
    """One hand over a recording's frames, ``(T, 21, 4)`` float64, NaN where missing."""
    out = np.full((len(rec), N_HAND_LANDMARKS, 4), np.nan)
    track = rec.parts.get("hands")
    if track is None or not len(track.frames):
        return out
    key = f"{side}_hand_world" if world else f"{side}_hand"
    out[track.frames] = track.arrays[key]
    return out


def shown_series(rep: RepData, fn: Callable[[np.ndarray], np.ndarray]) -> np.ndarray:
    """``fn`` of the hand shown over the rep's frames, (T,): the good hand's value blended with
    the own affected hand's by the rep's shared-control gain (as :meth:`Hands.measure`)."""
    good = np.asarray(fn(hand_track(rep, other_side(rep.affected_side))), dtype=np.float64)
    if rep.gain <= 0.0:
        return good
    own = np.asarray(fn(hand_track(rep, rep.affected_side)), dtype=np.float64)
    return np.where(np.isfinite(own), (1.0 - rep.gain) * good + rep.gain * own, good)


def finite_or_nan(fn: Callable[[np.ndarray], float], x: np.ndarray) -> float:
    """``fn(x[finite])`` or NaN when nothing is finite."""
    x = np.asarray(x, dtype=np.float64)
    x = x[np.isfinite(x)]
    return float(fn(x)) if x.size else math.nan


def range_metrics(world: np.ndarray, prefix: str = "") -> dict[str, float]:
    """Aperture and active range of one hand over a rep (world landmarks (T, 21, 4)):
    ``peak_aperture_norm``, ``min_aperture_norm``, ``hand_active_range_deg`` (mean over the four
    long fingers) and, for the good hand, each finger's ``<finger>_active_range_deg``."""
    aperture = SH.hand_aperture_norm(world)
    total = SH.total_flexion_deg(world)
    ranges = {f: float(SH.active_range_deg(total[f])) for f in SH.FINGER_NAMES}
    long = [ranges[f] for f in SH.LONG_FINGERS]
    out = {
        f"{prefix}peak_aperture_norm": finite_or_nan(np.max, aperture),
        f"{prefix}min_aperture_norm": finite_or_nan(np.min, aperture),
        f"{prefix}hand_active_range_deg": float(np.mean(long)) if np.isfinite(long).all() else math.nan,
    }
    if not prefix:
        out.update({f"{f}_active_range_deg": ranges[f] for f in SH.FINGER_NAMES})
    return out
