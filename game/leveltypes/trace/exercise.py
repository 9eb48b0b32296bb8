"""Trace level type (coordination): follow a moving target along a line, arc or figure of eight.

A target (a fish, a star…) glides along a path in front of the mirrored arm; the patient keeps
the displayed hand on it. Each pass of the path is one rep, graded on path error (mean hand to
target distance, metres), the fraction of time on target, and smoothness (SPARC of the hand
speed, docs/sources.md §2.2; closer to 0 is smoother). Paths are built from the patient's
own body (arm lengths from the affected shoulder) and every point is pulled inside the
therapist's limits (:class:`SafetyLimits`: reach fraction and shoulder elevation, §3, §4.2).

Controls: none beyond moving the arm. A pass starts when the hand rests on the target for
``start_dwell_s`` (or after ``START_WAIT_S``, so no one gets stuck).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from game.i18n import N_
from game.leveltypes.base import ExerciseContext, HandTo, Rest, Tracked, effective
from game.leveltypes.common import ExerciseBase, arm_point_px, cap_point_px, to_px
from game.leveltypes.events import Event, Feedback
from game.leveltypes.params import param
from game.leveltypes.views import LevelView, Point, TargetView

START_WAIT_S = 8.0
"""A pass starts by itself after this long, even if the hand never reached the start."""
SETTLE_S = 1.0
PATH_SAMPLES = 200


@dataclass(frozen=True)
class TraceParams:
    """Parameters of a trace level (units in the names; ranges checked at load time)."""

    reps: int = param(4, 1, 30, help="passes along the path")
    shape: str = param("arc", help="path shape", choices=("line", "arc", "figure8"))
    centre_elevation_deg: float = param(
        60.0, 0.0, 150.0, "deg", "arm elevation of the path centre: 0 = down, 90 = side"
    )
    centre_fraction: float = param(0.6, 0.2, 1.0, "× arm length", "path centre from the shoulder")
    size_fraction: float = param(0.35, 0.05, 0.8, "× arm length", "path extent")
    speed_arm_s: float = param(0.15, 0.03, 0.6, "arm lengths/s", "target speed")
    tolerance_norm: float = param(0.07, 0.02, 0.2, "× frame width", "on-target radius")
    success_frac: float = param(0.5, 0.0, 1.0, help="share of the pass on target for success")
    start_dwell_s: float = param(0.5, 0.1, 3.0, "s", "hold on the start point to begin")


def path_points(p: TraceParams, n: int = PATH_SAMPLES) -> np.ndarray:
    """The path in shoulder polar form: (n, 2) of (elevation_deg, fraction × arm length).

    Built in a local frame where u is outward and v is down from the shoulder, so the shape
    keeps its look on either side (the mirror flips only the outward sign).
    """
    s = np.linspace(0.0, 1.0, n)
    a = math.radians(p.centre_elevation_deg)
    cu, cv = p.centre_fraction * math.sin(a), p.centre_fraction * math.cos(a)
    half = p.size_fraction / 2
    if p.shape == "line":  # a level line across, at the centre's height
        u, v = cu + half * (2 * s - 1), np.full(n, cv)
    elif p.shape == "arc":  # an arc around the shoulder, constant distance
        elev = a + (half / p.centre_fraction) * (2 * s - 1)
        u, v = p.centre_fraction * np.sin(elev), p.centre_fraction * np.cos(elev)
    else:  # figure of eight (Gerono lemniscate), lying on its side
        t = 2 * math.pi * s
        u, v = cu + half * np.sin(t), cv + 0.5 * half * np.sin(2 * t)
    return np.stack([np.degrees(np.arctan2(u, v)), np.hypot(u, v)], axis=-1)


@dataclass(frozen=True)
class TraceView(LevelView):
    """What a trace level shows: the path, the moving target, whether the hand is on it."""

    targets: tuple[TargetView, ...] = ()
    path: tuple[Point, ...] = ()
    phase: str = "ready"
    on_target: bool = False


@dataclass(frozen=True)
class TraceRep:
    """A pass's own event data: where the target was when, and the geometry it was shown in."""

    target_path: np.ndarray = field(compare=False)
    """(K, 3) float64: time (pose clock, s), x, y (raw normalised) of the moving target."""
    tolerance_norm: float
    """On-target radius, × frame width."""
    arm_px: float
    arm_m: float
    path_length_arm: float
    """Length of the path in arm lengths."""


class TraceExercise(ExerciseBase):
    """A running trace level."""

    def __init__(self, params: TraceParams, ctx: ExerciseContext) -> None:
        super().__init__(ctx, int(effective(params, ctx, "reps")))
        self.p = params
        self.tolerance_norm = float(effective(params, ctx, "tolerance_norm"))
        self._polar = path_points(params)
        self._path_px: np.ndarray | None = None
        self._phase = "ready"
        self._phase_t_s = 0.0
        self._dwell_s = 0.0
        self._s = 0.0  # position along the path, 0..1
        self._cue_t_s = 0.0
        self._target_log: list[tuple[float, float, float]] = []
        """(t_s, x_norm, y_norm) of the target during the pass: the rep's event data."""
        self._on_steps = 0
        self._steps = 0

    # -- protocol -----------------------------------------------------------------------
    def goal(self) -> HandTo | Rest:
        if self._phase in ("start", "pass"):
            return HandTo(self._target_norm())
        return Rest()

    def view(self) -> TraceView:
        targets: tuple[TargetView, ...] = ()
        path: tuple[Point, ...] = ()
        if self._path_px is not None and self._phase in ("start", "pass"):
            w, h = self.ctx.frame_size
            path = tuple((float(x) / w, float(y) / h) for x, y in self._path_px[::4])
            progress = self._dwell_s / self.p.start_dwell_s if self._phase == "start" else self._s
            moving = self._phase == "pass"
            targets = (TargetView(self._target_norm(), self.tolerance_norm, min(progress, 1.0), moving),)
        return TraceView(self._hud(), targets, path, self._phase, self._on_target())

    # -- internals ----------------------------------------------------------------------
    def _target_px(self) -> np.ndarray:
        assert self._path_px is not None
        k = self._s * (len(self._path_px) - 1)
        i = min(int(k), len(self._path_px) - 2)
        f = k - i
        return (1 - f) * self._path_px[i] + f * self._path_px[i + 1]

    def _target_norm(self) -> tuple[float, float]:
        x, y = self._target_px()
        return self._norm((x, y))

    def _on_target(self) -> bool:
        if self._hand is None or self._path_px is None or self._phase not in ("start", "pass"):
            return False
        d = np.linalg.norm(to_px(self._hand, self.ctx.frame_size) - self._target_px())
        return bool(d <= self.tolerance_norm * self.ctx.frame_size[0])

    def _build_path(self) -> None:
        assert self._body is not None
        pts = [arm_point_px(self._body, e, f, self.ctx.limits, self._sign) for e, f in self._polar]
        self._path_px = np.array([cap_point_px(self._body, q, self.ctx.limits, self._sign) for q in pts])

    def _path_len_arm(self) -> float:
        assert self._path_px is not None and self._body is not None
        return float(np.sum(np.linalg.norm(np.diff(self._path_px, axis=0), axis=-1)) / self._body.arm_px)

    def _step(self, dt_s: float, tracked: Tracked) -> list[Event]:
        self._phase_t_s += dt_s
        if self._phase == "ready" and self._phase_t_s >= 0.5:
            self._build_path()
            self._begin("start")
        elif self._phase == "start":
            self._dwell_s = self._dwell_s + dt_s if self._on_target() else max(self._dwell_s - dt_s, 0.0)
            if self._dwell_s >= self.p.start_dwell_s or self._phase_t_s >= START_WAIT_S:
                self._begin("pass")
                self._cue_t_s = tracked.t_s
                self._log_target(tracked.t_s)
                return [Feedback("cue", N_("Follow it!"))]
        elif self._phase == "pass":
            return self._step_pass(dt_s, tracked)
        elif self._phase == "settle" and self._phase_t_s >= SETTLE_S:
            if self._rep >= self.reps:
                self.done, self._phase = True, "done"
            else:
                self._begin("start")
        return []

    def _begin(self, phase: str) -> None:
        self._phase, self._phase_t_s, self._dwell_s = phase, 0.0, 0.0
        if phase == "start":
            self._s = 0.0
            self._target_log, self._on_steps, self._steps = [], 0, 0

    def _log_target(self, t_s: float) -> None:
        x, y = self._target_norm()
        self._target_log.append((t_s, x, y))

    def _step_pass(self, dt_s: float, tracked: Tracked) -> list[Event]:
        assert self._body is not None
        speed = float(effective(self.p, self.ctx, "speed_arm_s"))
        self._s = min(self._s + dt_s * speed / max(self._path_len_arm(), 1e-6), 1.0)
        self._log_target(tracked.t_s)
        self._steps += 1
        self._on_steps += int(self._on_target())
        if self._s < 1.0:
            return []
        # The game's verdict is live (the level moves on with it); the rep's numbers are
        # computed from the recorded frames by the metrics module.
        success = self._on_steps >= self.p.success_frac * self._steps
        detail = TraceRep(
            np.array(self._target_log, dtype=np.float64),
            self.tolerance_norm,
            self._body.arm_px,
            self._body.arm_m,
            self._path_len_arm(),
        )
        end = self._target_norm()
        self._begin("settle")
        return self._outcome(self._cue_t_s, tracked.t_s, success, end, detail=detail)
