"""Trace level type (coordination): follow a moving target along a line, arc or figure of eight.

A target (a fish, a star…) glides along a path in front of the mirrored arm; the patient keeps
the displayed hand on it. Each pass of the path is one rep, graded on path error (mean hand to
target distance, metres), the fraction of time on target, and smoothness (SPARC of the hand
speed, clinical_metrics.md §2.2; closer to 0 is smoother). Paths are built from the patient's
own body (arm lengths from the affected shoulder) and every point is pulled inside the
therapist's limits (:class:`SafetyLimits`: reach fraction and shoulder elevation, §3, §4.2).

Controls: none beyond moving the arm. A pass starts when the hand rests on the target for
``start_dwell_s`` (or after ``START_WAIT_S``, so no one gets stuck).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from game.exercises.base import Event, ExerciseContext, Feedback, Tracked, effective
from game.exercises.common import ExerciseBase, arm_point_px, cap_point_px, to_px
from game.levels import param
from game.tracking.pose import Goal

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


def trace_errors(
    hand_px: np.ndarray, target_px: np.ndarray, arm_px: float, arm_m: float, tolerance_px: float
) -> tuple[float, float]:
    """Mean hand-to-target distance in metres and the fraction of samples on target.

    Parameters
    ----------
    hand_px, target_px : (T, 2) float
        Displayed hand and target positions in raw-frame pixels; NaN rows are skipped.
    arm_px, arm_m : float
        Arm length in pixels and metres (converts the image distance to metres).
    tolerance_px : float
        On-target radius in pixels.
    """
    d = np.linalg.norm(np.asarray(hand_px) - np.asarray(target_px), axis=-1)
    d = d[np.isfinite(d)]
    if not len(d) or arm_px <= 0:
        return math.nan, math.nan
    return float(np.mean(d) / arm_px * arm_m), float(np.mean(d <= tolerance_px))


def hand_sparc(hand_px: np.ndarray, t_s: np.ndarray) -> float:
    """SPARC of the displayed hand's speed over one pass (§2.2, amplitude-invariant).

    Parameters
    ----------
    hand_px : (T, 2) float
        Hand positions, one per *new* camera frame (repeats would add a false zigzag).
    t_s : (T,) float
        Their frame timestamps; the rate is taken as 1 / median interval. The speed is
        low-passed at 6 Hz first (markerless noise, §2.6).
    """
    from game.scoring import lowpass, sparc

    xy, t = np.asarray(hand_px, dtype=np.float64), np.asarray(t_s, dtype=np.float64)
    ok = np.all(np.isfinite(xy), axis=-1)
    xy, t = xy[ok], t[ok]
    if len(xy) < 16:
        return math.nan
    fs_hz = 1.0 / float(np.median(np.diff(t)))
    if fs_hz <= 13.0:
        return math.nan  # too slow a camera for a 6 Hz low-pass and SPARC's 10 Hz band
    smooth = lowpass(xy, fs_hz, cutoff_hz=6.0, axis=0)
    speed = np.linalg.norm(np.diff(smooth, axis=0), axis=-1) * fs_hz
    return float(sparc(speed, fs_hz))


class TraceExercise(ExerciseBase):
    """A running trace level."""

    params_type = TraceParams

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
        self._hand_log: list[np.ndarray] = []
        self._target_log: list[np.ndarray] = []
        self._frames: list[tuple[float, np.ndarray]] = []
        self._dt_s = 1.0 / 60.0

    # -- protocol -----------------------------------------------------------------------
    def goal(self) -> Goal | None:
        if self._phase in ("start", "pass"):
            return Goal("hand", self._target_norm())
        return Goal("rest")

    def _view(self) -> dict[str, Any]:
        targets, path = [], []
        if self._path_px is not None and self._phase in ("start", "pass"):
            w, h = self.ctx.frame_size
            path = [(float(x) / w, float(y) / h) for x, y in self._path_px[::4]]
            progress = self._dwell_s / self.p.start_dwell_s if self._phase == "start" else self._s
            targets.append(
                {
                    "xy": self._target_norm(),
                    "radius": self.tolerance_norm,
                    "progress": min(progress, 1.0),
                    "moving": self._phase == "pass",
                }
            )
        return {"targets": targets, "path": path, "phase": self._phase, "on_target": self._on_target()}

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
        self._dt_s = dt_s
        self._phase_t_s += dt_s
        if self._phase == "ready" and self._phase_t_s >= 0.5:
            self._build_path()
            self._begin("start")
        elif self._phase == "start":
            self._dwell_s = self._dwell_s + dt_s if self._on_target() else max(self._dwell_s - dt_s, 0.0)
            if self._dwell_s >= self.p.start_dwell_s or self._phase_t_s >= START_WAIT_S:
                self._begin("pass")
                self._cue_t_s = tracked.t_s
                return [Feedback("cue", "Follow it!")]
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
            self._hand_log, self._target_log = [], []
            self._frames = []

    def _step_pass(self, dt_s: float, tracked: Tracked) -> list[Event]:
        assert self._hand is not None and self._body is not None
        speed = float(effective(self.p, self.ctx, "speed_arm_s"))
        self._s = min(self._s + dt_s * speed / max(self._path_len_arm(), 1e-6), 1.0)
        self._hand_log.append(to_px(self._hand, self.ctx.frame_size))
        self._target_log.append(self._target_px())
        assert tracked.raw is not None
        if not self._frames or tracked.raw.t_s > self._frames[-1][0]:
            self._frames.append((tracked.raw.t_s, self._hand_log[-1]))
        if self._s < 1.0:
            return []
        hand, target = np.array(self._hand_log), np.array(self._target_log)
        err_m, on_frac = trace_errors(
            hand, target, self._body.arm_px, self._body.arm_m, self.tolerance_norm * self.ctx.frame_size[0]
        )
        success = bool(np.isfinite(on_frac) and on_frac >= self.p.success_frac)
        extra = {
            "trace_error_m": err_m,
            "completion_frac": on_frac,
            "sparc": hand_sparc(
                np.array([f[1] for f in self._frames]), np.array([f[0] for f in self._frames])
            ),
            "path_length_arm": self._path_len_arm(),
        }
        end = self._target_norm()
        self._begin("settle")
        return self._outcome(self._cue_t_s, tracked.t_s, success, end, extra=extra)
