"""Compensation during a reach: trunk displacement and shoulder hiking (§1, §3).

Trunk displacement and arm abduction stay abnormal for a year after stroke while movement
time recovers (SALGOT, Alt Murphy 2020), so they are reported beside success, never folded
into it (§10 item 5). Inputs are world positions in metres, time on axis -2, NaN padded.

One trunk measure everywhere: the world mid-shoulder point (no sternum landmark in MediaPipe),
low-passed at ``TRUNK_CUTOFF_HZ``, its largest distance from its mean over the ``REST_S``
before the movement. score_reps, every level type's per-rep value
(:func:`window_trunk_displacement_mm`) and the live "sit tall" cue (:class:`LiveTrunk`, its
causal form) use it; its noise floor on still real footage is in game/scoring/noise_floor.py
(median 13.7 mm, 95th percentile 26.6 mm; docs/validation.md). The former picture-based
measure (shoulder width as depth) read 49-135 mm on the same still footage.
"""

from __future__ import annotations

import math
from collections import deque

import numpy as np

from game.scoring import _validate
from game.scoring.preprocess import lowpass, preprocess_signals
from game.tracking.pose import L_SHOULDER, R_SHOULDER, VISIBLE

TRUNK_CUTOFF_HZ = 1.5
"""Low-pass of the trunk point before trunk displacement and shoulder hiking: the trunk moves
slowly, and landmark jitter above this is what made a still trunk read 17 mm (issue 10 item
5; the floor is measured in game/scoring/noise_floor.py)."""
REST_S = 0.25
"""The trunk's rest position is its mean over this long before the movement."""
LIVE_TAU_S = 1.0 / (2.0 * math.pi * TRUNK_CUTOFF_HZ)
"""Time constant of the live cue's causal smoothing: a first-order low-pass at the same
cut-off as the offline measure (0.106 s)."""


def trunk_cutoff_hz(fs_hz: float) -> float:
    """The trunk low-pass cut-off at pose rate ``fs_hz``: ``TRUNK_CUTOFF_HZ``, or 0.8 x the
    Nyquist frequency when that is lower."""
    return min(TRUNK_CUTOFF_HZ, 0.4 * _validate.positive(fs_hz, "fs_hz"))


def trunk_point_m(world: np.ndarray) -> np.ndarray:
    """The trunk point, mid-shoulder of world landmarks ``(..., 33, 4)`` -> ``(..., 3)``
    metres; NaN where a shoulder is seen with visibility < 0.5."""
    w = np.asarray(world, dtype=np.float64)
    sh = w[..., [L_SHOULDER, R_SHOULDER], :3].copy()
    with np.errstate(invalid="ignore"):
        sh[~(w[..., [L_SHOULDER, R_SHOULDER], 3] >= VISIBLE)] = np.nan
    return 0.5 * (sh[..., 0, :] + sh[..., 1, :])


def _start(p: np.ndarray, rest_samples: int = 1) -> np.ndarray:
    """Rest position ``(..., 1, D)``: mean of the finite samples among the first
    ``rest_samples``; the first finite sample when none of them is finite."""
    valid = np.all(np.isfinite(p), axis=-1)
    first = np.take_along_axis(p, np.argmax(valid, axis=-1)[..., None, None], axis=-2)
    head = p[..., :rest_samples, :]
    ok = valid[..., :rest_samples, None]
    n = ok.sum(axis=-2, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.where(ok, head, 0.0).sum(axis=-2, keepdims=True) / n
    return np.where(n > 0, mean, first)


def trunk_displacement_mm(trunk_m: np.ndarray, *, rest_samples: int = 1) -> np.ndarray:
    """Largest distance of the trunk point from its rest position, millimetres.

    max_t |p(t) - p_rest| with p the mid-shoulder point (no sternum landmark in MediaPipe),
    §3 after Alt Murphy 2011 (healthy 27 ± 17 mm, stroke 77 ± 49 mm in the drinking task).
    p_rest is the mean of the first ``rest_samples`` samples (the rest just before onset):
    a mean rather than one sample, so the reference's own jitter does not add to the
    floor. The noise floor of this measure is in game/scoring/noise_floor.py; score_reps
    low-passes the trunk at reps.TRUNK_CUTOFF_HZ first.

    Parameters
    ----------
    trunk_m : (..., T, 3) float
        Trunk point from the rest before onset onwards, metres.
    rest_samples : int
        Leading samples that form the rest position (1: the first finite sample).

    Returns
    -------
    (...) float64, mm; NaN without finite samples.
    """
    p = _validate.as_float_array(trunk_m, "trunk_m", min_ndim=2)
    d = np.linalg.norm(p - _start(p, max(int(rest_samples), 1)), axis=-1)
    out = np.where(np.isfinite(d), d, -np.inf).max(axis=-1)
    return np.where(np.isfinite(out), out * 1000.0, np.nan)


def shoulder_hiking_mm(shoulder_m: np.ndarray, hip_m: np.ndarray, *, rest_samples: int = 1) -> np.ndarray:
    """Largest rise of the reaching shoulder above its same-side hip, from onset, mm.

    Height is along world "up" (-y): h(t) = y_hip(t) - y_shoulder(t); hiking = max_t h(t) -
    h_rest, h_rest the mean of the first ``rest_samples`` samples. Measuring against the hip
    rather than the image removes whole-body motion; a lateral trunk lean away from the arm
    also raises it (design choice, [M]).

    Parameters
    ----------
    shoulder_m, hip_m : (..., T, 3) float
        World positions of the reaching side's shoulder and hip, metres.

    Returns
    -------
    (...) float64, mm (>= 0); NaN without finite samples.
    """
    s = _validate.as_float_array(shoulder_m, "shoulder_m", min_ndim=2)
    h = _validate.as_float_array(hip_m, "hip_m", min_ndim=2)
    _validate.same_shape(s, h, "shoulder_m", "hip_m")
    height = (h[..., 1] - s[..., 1])[..., None]
    height = np.where(np.isfinite(height), height, np.nan)
    rise = (height - _start(height, max(int(rest_samples), 1)))[..., 0]
    out = np.where(np.isfinite(rise), rise, -np.inf).max(axis=-1)
    return np.where(np.isfinite(out), out * 1000.0, np.nan)


def window_trunk_displacement_mm(t_s: np.ndarray, world: np.ndarray, cue_s: float, end_s: float) -> float:
    """Trunk displacement of one rep window, as score_reps measures it: the world trunk point
    (:func:`trunk_point_m`) resampled, gap-filled, low-passed (6 Hz, then
    :func:`trunk_cutoff_hz`), and its largest distance over [cue, end] from its mean over the
    ``REST_S`` before the cue (the rest at the cue when the window starts later).

    Parameters
    ----------
    t_s : (T,) float
        Frame timestamps, seconds (10-60 Hz), covering the rest before the cue if possible.
    world : (T, 33, 4) float
        World landmarks with visibility.
    cue_s, end_s : float
        The rep's cue and end, on the clock of ``t_s``.

    Returns
    -------
    float, mm; NaN with fewer than 2 frames or no seen trunk.
    """
    t = np.asarray(t_s, dtype=np.float64)
    if t.size < 2:
        return float("nan")
    grid, trunk, _, _ = preprocess_signals(t, trunk_point_m(world))
    fs = 1.0 / float(np.median(np.diff(grid))) if grid.size > 1 else 1.0
    if grid.size > 1:
        trunk = lowpass(trunk, fs, cutoff_hz=trunk_cutoff_hz(fs))
    a = int(np.searchsorted(grid, cue_s - REST_S - 1e-9))
    c = int(np.searchsorted(grid, cue_s - 1e-9))
    e = int(np.searchsorted(grid, end_s + 1e-9, side="right"))
    if e <= c:
        return float("nan")
    return float(trunk_displacement_mm(trunk[min(a, c) : e], rest_samples=max(c - a, 1)))


class LiveTrunk:
    """The trunk displacement of :func:`window_trunk_displacement_mm`, computed causally for
    the live "sit tall" cue: the world trunk point smoothed by a first-order low-pass
    (``LIVE_TAU_S``), its rest the mean of the smoothed point over the ``REST_S`` before
    :meth:`start`, and the distance from that rest, mm.

    Call :meth:`update` every game step with the newest raw world pose (a repeated camera
    frame simply holds the signal), :meth:`start` at the cue, read :meth:`displacement_mm`.
    """

    def __init__(self, tau_s: float = LIVE_TAU_S, rest_s: float = REST_S) -> None:
        self.tau_s, self.rest_s = tau_s, rest_s
        self._t_s = 0.0
        self._smooth: np.ndarray | None = None
        self._recent: deque[tuple[float, np.ndarray]] = deque()
        self._rest: np.ndarray | None = None

    def update(self, dt_s: float, world: np.ndarray | None) -> None:
        """Advance by ``dt_s`` seconds with the newest world pose ``(33, 4)`` (None: unseen)."""
        self._t_s += dt_s
        point = None if world is None else trunk_point_m(world)
        if point is None or not np.all(np.isfinite(point)):
            return  # shoulders unseen: hold the last value
        if self._smooth is None:
            self._smooth = point
        else:
            self._smooth = self._smooth + (1.0 - math.exp(-dt_s / self.tau_s)) * (point - self._smooth)
        self._recent.append((self._t_s, self._smooth))
        while self._recent and self._recent[0][0] < self._t_s - self.rest_s:
            self._recent.popleft()

    def start(self) -> None:
        """The movement may begin now: the rest is the mean smoothed trunk of the last ``rest_s``."""
        self._rest = np.mean([p for _, p in self._recent], axis=0) if self._recent else None

    def displacement_mm(self) -> float:
        """Distance of the smoothed trunk from the rest at :meth:`start`, mm (NaN before)."""
        if self._rest is None or self._smooth is None:
            return float("nan")
        return 1000.0 * float(np.linalg.norm(self._smooth - self._rest))
