"""What the face level types share: the face in the tracked frame, its rest position, the view
the play screen recognises as a face level, and the expression exercise (smile, brow raise,
eye closure, lip pucker) that only differs in what it measures.

A face level runs only while the face is found (a frame without a face pauses it like a
frame without a body). Measures come from game.scoring.face in the face's own frame
(millimetres, the person's own sides); the rest position is the median of the frames of the
"ready" phase, measured again at the end of every relax phase (a head that moved or a face
that settled does not bias the next rep).

An expression rep: a cue ("Smile!"), then the weak side must reach the level's goal and stay
there for ``dwell_s`` (the adaptive parameter), within ``time_limit_s``; then "Relax". The
rep's numbers (excursion per side, symmetry) are computed afterwards from the recorded frames
by the level type's metrics module (:func:`expression_metrics`), never from this state.
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import ModuleType
from typing import Any

import numpy as np

from game.i18n import _
from game.leveltypes.base import ExerciseContext, Rest, Tracked, effective
from game.leveltypes.common import ExerciseBase
from game.leveltypes.events import Event, Feedback
from game.leveltypes.measure import RepData
from game.leveltypes.registry import LevelType
from game.leveltypes.simulate import hand_motor
from game.leveltypes.views import LevelView
from game.scoring import face as FM
from game.tracking.motor import Motor
from game.tracking.pose import MISSING_FACE, Side

READY_S = 1.5
"""Rest at level start: the face at rest is measured then."""
RELAX_S = 1.5
"""Rest between reps; its last :data:`REST_WINDOW_S` re-measure the face at rest."""
REST_WINDOW_S = 0.6
MAX_YAW_DEG = 15.0
"""A rep whose fullest frame has the head turned more than this is not reliable: a turned face
is foreshortened and its two halves are seen differently (the mirror fades out from here too,
game.mirror.face)."""
MIN_FACE_FRACTION = 0.8
"""A rep is reliable when the face was found in at least this share of its frames."""
SYMMETRY_GOAL_PCT = 80.0
"""Default goal of an expression's symmetry: the weaker side moving 80 % as far as the other
(a design choice for a palsy in recovery; the therapist sets the patient's own)."""

Measure = Callable[[np.ndarray, np.ndarray], Mapping[str, np.ndarray]]
"""Per-side excursion ``{"left": (...), "right": (...)}`` of face-frame coordinates
``(..., 478, 2)`` from the rest position ``(478, 2)`` (game.scoring.face)."""


def face_side(ctx: ExerciseContext) -> Side:
    """The weak half of the face: the palsy's side, else the affected side."""
    return ctx.face_weak_side or ctx.affected_side


@dataclass(frozen=True)
class FaceLevelView(LevelView):
    """The base of every face level's view: the play screen shows the face (half-face mirror,
    or the own face for jaw exercises) instead of the body when it draws one of these."""

    half_face: bool = True
    """Show the healthy half reflected onto the weak half (False: the patient's own face)."""
    weak_side: Side = "left"
    turned: bool = False
    """The head is turned too far: ask to face the camera."""


@dataclass(frozen=True)
class ExpressionView(FaceLevelView):
    """What an expression level shows: each side's excursion against the goal, the hold."""

    phase: str = "ready"
    expression: str = "smile"
    left: float = 0.0
    right: float = 0.0
    """Each side's excursion now, in the goal's unit."""
    goal: float = 1.0
    unit: str = "mm"
    progress: float = 0.0
    """0..1 of the hold."""


@dataclass(frozen=True)
class Expression:
    """Goal: make the expression ``name`` (game.tracking.sim_face.EXPRESSIONS) fully."""

    name: str
    amount: float = 1.0


@dataclass(frozen=True)
class ExpressionRep:
    """An expression rep's own event data: what was asked, and of which side."""

    expression: str
    weak_side: Side
    goal: float


class FaceTracker:
    """The face of each step in the face frame, and its rest position (module doc)."""

    def __init__(self, frame_size: tuple[int, int]) -> None:
        self.frame_size = frame_size
        self.icd_mm = math.nan
        self._icd_samples: list[float] = []
        self._rest_frames: list[np.ndarray] = []
        self.rest: np.ndarray | None = None
        self.coords: np.ndarray | None = None
        """``(478, 2)`` the current face in the face frame, mm (None when not found)."""
        self.yaw_deg = 0.0

    def see(self, face: np.ndarray | None) -> bool:
        """Take one frame's face ``(478, 4)``; False when it was not found."""
        if face is None or face is MISSING_FACE or not np.isfinite(face[:, :2]).all():
            self.coords = None
            return False
        if len(self._icd_samples) < 30:
            self._icd_samples.append(FM.icd_mm(face[None], self.frame_size))
            self.icd_mm = float(np.nanmedian(self._icd_samples))
        self.coords = FM.face_frame_mm(face, self.frame_size, self.icd_mm)
        self.yaw_deg = float(FM.head_yaw_deg(face, self.frame_size))
        return True

    def collect_rest(self) -> None:
        if self.coords is not None:
            self._rest_frames.append(self.coords)

    def settle_rest(self) -> None:
        """The median of the frames collected since the last call becomes the rest position."""
        if self._rest_frames:
            self.rest = FM.neutral(np.stack(self._rest_frames))
        self._rest_frames = []


class FaceExercise(ExerciseBase):
    """Pauses while no face is found and keeps the face of each step (:class:`FaceTracker`)."""

    def __init__(self, ctx: ExerciseContext, reps: int) -> None:
        super().__init__(ctx, reps)
        self.face = FaceTracker(ctx.frame_size)
        self.weak: Side = face_side(ctx)

    def update(self, dt_s: float, tracked: Tracked) -> list[Event]:
        raw = tracked.raw
        if raw is None or not self.face.see(raw.face):
            tracked = Tracked(tracked.t_s, None, None)  # no face: pause as if nobody were there
        return super().update(dt_s, tracked)

    @property
    def turned(self) -> bool:
        return abs(self.face.yaw_deg) > MAX_YAW_DEG


class ExpressionExercise(FaceExercise):
    """A running expression level: cue, reach the goal on the weak side, hold, relax."""

    EXPRESSION = "smile"
    """The expression asked for (game.tracking.sim_face.EXPRESSIONS)."""
    GOAL_PARAM = "goal_mm"
    """The parameter holding the weak side's goal, in :attr:`UNIT`."""
    UNIT = "mm"

    def __init__(self, params: Any, ctx: ExerciseContext) -> None:
        super().__init__(ctx, int(effective(params, ctx, "reps")))
        self.p = params
        self.goal_value = float(effective(params, ctx, self.GOAL_PARAM))
        self.dwell_s = float(effective(params, ctx, "dwell_s"))
        self._phase, self._phase_t_s = "ready", 0.0
        self._hold_s = 0.0
        self._cue_t_s = 0.0
        self._now: dict[str, float] = {"left": 0.0, "right": 0.0}
        self._recent: deque[dict[str, float]] = deque(maxlen=3)

    def measure(self, coords: np.ndarray, rest: np.ndarray) -> Mapping[str, np.ndarray]:
        """This expression's per-side excursion, in :attr:`UNIT` (subclasses)."""
        raise NotImplementedError

    def cue(self) -> str:
        """The word that asks for the expression, in the patient's language (subclasses)."""
        return _("Smile!")

    def goal(self) -> Expression | Rest:
        return Expression(self.EXPRESSION) if self._phase == "cue" else Rest()

    def view(self) -> ExpressionView:
        cue = self._phase == "cue"
        time_left_s = max(self.p.time_limit_s - self._phase_t_s, 0.0) if cue else None
        return ExpressionView(
            self._hud(time_left_s=time_left_s),
            half_face=True,
            weak_side=self.weak,
            turned=self.turned,
            phase=self._phase,
            expression=self.EXPRESSION,
            left=self._now["left"],
            right=self._now["right"],
            goal=self.goal_value,
            unit=self.UNIT,
            progress=min(self._hold_s / self.dwell_s, 1.0) if cue else 0.0,
        )

    def _step(self, dt_s: float, tracked: Tracked) -> list[Event]:
        self._phase_t_s += dt_s
        self._update_now()
        if self._phase == "ready":
            self.face.collect_rest()
            return self._begin(tracked) if self._phase_t_s >= READY_S else []
        if self._phase == "cue":
            return self._step_cue(dt_s, tracked)
        if self._phase_t_s >= RELAX_S - REST_WINDOW_S:
            self.face.collect_rest()
        return self._begin(tracked) if self._phase_t_s >= RELAX_S else []

    def _update_now(self) -> None:
        f = self.face
        if f.coords is None or f.rest is None:
            return
        now = {s: float(v) for s, v in self.measure(f.coords, f.rest).items()}
        self._recent.append(now)
        self._now = {s: float(np.median([r[s] for r in self._recent])) for s in ("left", "right")}

    def _begin(self, tracked: Tracked) -> list[Event]:
        self.face.settle_rest()
        self._recent.clear()
        if self._rep >= self.reps:
            self.done, self._phase = True, "done"
            return []
        self._phase, self._phase_t_s, self._hold_s = "cue", 0.0, 0.0
        self._cue_t_s = tracked.t_s
        return [Feedback("cue", self.cue())]

    def _step_cue(self, dt_s: float, tracked: Tracked) -> list[Event]:
        reached = self._now[self.weak] >= self.goal_value
        self._hold_s = self._hold_s + dt_s if reached else max(self._hold_s - 0.5 * dt_s, 0.0)
        hit = self._hold_s >= self.dwell_s
        if not hit and self._phase_t_s < self.p.time_limit_s:
            return []
        self._phase, self._phase_t_s = "relax", 0.0
        detail = ExpressionRep(self.EXPRESSION, self.weak, self.goal_value)
        events = self._outcome(self._cue_t_s, tracked.t_s, hit, detail=detail)
        return events + [Feedback("cue", _("And relax"))]


def expression_motor(goal: object) -> Motor:
    """What the simulated patient does for an :class:`Expression`: makes it (its face, with
    its palsy, game/tracking/sim_face.py); rest otherwise."""
    if isinstance(goal, Expression):
        return Motor(face={goal.name: goal.amount})
    return hand_motor(goal)


def rep_faces(rep: RepData) -> tuple[np.ndarray, np.ndarray]:
    """``(t_s (K,), faces (K, 478, 4))`` of the rep's frames in which the face was tracked
    (NaN rows where it was not found)."""
    track = rep.frames.parts.get("face")
    if track is None or not len(track.frames):
        return np.zeros(0), np.zeros((0, 478, 4))
    return rep.frames.t_s[track.frames], np.asarray(track.arrays["face"], dtype=np.float64)


def expression_metrics(rep: RepData, name: str, measure: Measure, unit: str = "mm") -> dict[str, float]:
    """``{name}_left_{unit}``, ``{name}_right_{unit}`` (each side's excursion at the fullest
    frame of the rep), ``{name}_symmetry_pct`` and its ``_reliable`` flag, ``face_weak_left``.

    The rest position is the median of the frames before the cue (the rep's recorded margin);
    the fullest frame is the one whose mean excursion of both sides is largest
    (game.scoring.face.peak_index).
    """
    t, faces = rep_faces(rep)
    detail = rep.outcome.detail
    out: dict[str, float] = {}
    if isinstance(detail, ExpressionRep):
        out["face_weak_left"] = float(detail.weak_side == "left")
    before = t < rep.outcome.t_cue_s - 1e-6
    live = (t >= rep.outcome.t_cue_s - 1e-6) & (t <= rep.outcome.t_end_s + 1e-6)
    if not before.any() or not live.any():
        return out
    coords = FM.face_frame_mm(faces, rep.frame_size)
    rest = FM.neutral(coords[before])
    fs_hz = 1.0 / float(np.median(np.diff(t))) if len(t) > 1 else 30.0
    exc = {s: FM.moving_mean(np.asarray(v)[live], fs_hz) for s, v in measure(coords, rest).items()}
    peak = FM.peak_index(exc)
    if peak < 0:
        return out
    left, right = float(exc["left"][peak]), float(exc["right"][peak])
    sym = float(FM.symmetry_pct(np.asarray(left), np.asarray(right)))
    yaw = float(FM.head_yaw_deg(faces[live][peak], rep.frame_size))
    found = float(np.mean(np.isfinite(faces[live][:, 0, 0])))
    out.update(
        {
            f"{name}_left_{unit}": left,
            f"{name}_right_{unit}": right,
            f"{name}_symmetry_pct": sym,
            f"{name}_symmetry_pct_reliable": float(
                math.isfinite(sym) and abs(yaw) <= MAX_YAW_DEG and found >= MIN_FACE_FRACTION
            ),
        }
    )
    return out


def expression_level_type(
    name: str, params: type, exercise: type[ExpressionExercise], draw: ModuleType, metrics: ModuleType
) -> LevelType:
    """The :class:`LevelType` of an expression level (smile, brow raise, eye closure, lip
    pucker): they differ only in their parameters, exercise, drawing (``draw.draw``,
    ``draw.ICONS``) and metrics (``metrics.rep_metrics``, ``GRADED``, ``GOALS``)."""
    return LevelType(
        name=name,
        params=params,
        exercise=exercise,
        draw=draw.draw,
        metrics=metrics.rep_metrics,
        graded=metrics.GRADED,
        goals=metrics.GOALS,
        simulate=expression_motor,
        adaptive=("dwell_s",),
        icons=draw.ICONS,
        parts=frozenset({"body", "face"}),
    )
