"""The exercise registry of offline analysis: what ``analyze --exercise ID`` can measure.

Each :class:`Exercise` declares the tracked parts it needs, the 1-D signal whose
excursions are its reps (a rep is start position -> movement -> back,
game.scoring.segmentation.excursions), the smallest excursion that counts, and its per-rep
metrics. The hands, legs and face issues add their exercises with :func:`register` (for
example ``hand-open-close`` on hand aperture, ``squat`` on knee flexion, ``mouth-opening``
on lip distance); a new tracked part adds its landmarks to :class:`Prepared`.

Conventions: degrees, 0 deg = the arm at the side / the elbow straight; "left" and "right"
are the person's own sides; shoulder angles on the ISB globe (game.scoring.kinematics).
"""

from __future__ import annotations

import functools
import importlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from game.scoring import kinematics
from game.tracking.pose import L_HIP, L_SHOULDER, R_HIP, R_SHOULDER, shoulder_elbow_wrist

Metrics = dict[str, float | None]


@dataclass(frozen=True)
class Prepared:
    """A tracked clip on a uniform grid, filtered, ready for exercise signals.

    Attributes
    ----------
    t_s : (N,) float64
        Grid times, seconds.
    fs_hz : float
    world : (N, 33, 3) float64
        Filtered pose world landmarks (metres); NaN where not tracked.
    observed : (N, 33) bool
        Landmark really seen (visibility >= 0.5), not filled.
    long_gap : (N, 33) bool
        Landmark missing for longer than the gap fill.
    face_mm : (N, 478, 2) float64 or None
        Face exercises (game.analysis.face): the face in the face frame, mm, filtered; then
        ``observed`` and ``long_gap`` are per face landmark ``(N, 478)`` and ``world`` is NaN.
    hands : mapping of "left" / "right" to (N, 21, 3) float64
        The person's own hands' world landmarks (metres about the hand's centre), filtered;
        NaN where not tracked. Empty when hands were not tracked.
    hands_observed, hands_long_gap : mapping of side to (N, 21) bool
        The same flags for the hands' landmarks.
    """

    t_s: np.ndarray
    fs_hz: float
    world: np.ndarray
    observed: np.ndarray
    long_gap: np.ndarray
    face_mm: np.ndarray | None = None
    hands: Mapping[str, np.ndarray] = field(default_factory=dict)
    hands_observed: Mapping[str, np.ndarray] = field(default_factory=dict)
    hands_long_gap: Mapping[str, np.ndarray] = field(default_factory=dict)


@dataclass(frozen=True)
class Exercise:
    """One analysable exercise (see the module doc).

    Attributes
    ----------
    id : str
        Command-line id (``arm-raise``).
    title : str
        One line for the summary.
    parts : frozenset of str
        Tracked parts it needs ("pose"; the hands and face issues add "hands", "face").
    landmarks : callable side -> tuple of int
        Pose landmarks the signal and metrics use (reliability is judged on these).
    signal : callable (Prepared, side) -> (N,) float
        Rises during the movement; its excursions are the reps.
    signal_label : str
        What the signal is, with its unit ("shoulder elevation, deg").
    min_amplitude : float
        Smallest rise and return that counts as a rep, in the signal's unit.
    metrics : callable (Prepared, side, start, peak, end) -> Metrics
        Per-rep metrics (units in the names; None where undefined).
    headline : str
        The metric the summary lists per rep.
    """

    id: str
    title: str
    parts: frozenset[str]
    landmarks: Callable[[str], tuple[int, ...]]
    signal: Callable[[Prepared, str], np.ndarray]
    signal_label: str
    min_amplitude: float
    metrics: Callable[[Prepared, str, int, int, int], Metrics]
    headline: str
    min_duration_s: float = 0.4
    part: str = "pose"
    """Whose landmarks judge a rep's reliability: "pose" (``landmarks``) or "hands" (the
    side's whole hand)."""
    segment: Callable[[np.ndarray, float], tuple[np.ndarray, np.ndarray, np.ndarray]] | None = None
    """How the signal is cut into reps, ``(signal, fs_hz) -> (start, peak, end)``; default
    game.scoring.segmentation.excursions with ``min_amplitude`` and ``min_duration_s``."""
    summary_lines: Callable[[Sequence[Any]], list[str]] | None = None
    """Further summary lines from all the reps (game.analysis.core.Rep: times and metrics),
    e.g. the tapping rate and decrement."""
    gate: Callable[[Prepared], tuple[bool, str]] | None = None
    """Whether the clip can hold this exercise's reps at all, and a summary line that says why
    or why not: ``prep -> (ok, note)``; a clip that fails keeps no reps (sit-to-stand: the
    person must be seen seated, game.scoring.leg_reps.seat_check)."""


_REGISTRY: dict[str, Exercise] = {}
EXTENSIONS = ("game.analysis.hand_exercises",)
"""Modules that register further exercises (they import this one, so they are imported on
the first lookup, as the level types are discovered)."""


@functools.cache
def _load_extensions() -> None:
    for module in EXTENSIONS:
        importlib.import_module(module)


def register(exercise: Exercise) -> Exercise:
    """Add an exercise to the registry (ids are unique)."""
    if exercise.id in _REGISTRY:
        raise ValueError(f"exercise {exercise.id!r} is already registered")
    _REGISTRY[exercise.id] = exercise
    return exercise


def exercises() -> Mapping[str, Exercise]:
    """Every registered exercise by id."""
    _load_extensions()
    return dict(_REGISTRY)


def get(exercise_id: str) -> Exercise:
    """The exercise with this id; ValueError naming the known ids otherwise."""
    _load_extensions()
    if exercise_id not in _REGISTRY:
        known = ", ".join(sorted(_REGISTRY))
        raise ValueError(f"unknown exercise {exercise_id!r} (known: {known})")
    return _REGISTRY[exercise_id]


def _num(x: float) -> float | None:
    return float(x) if np.isfinite(x) else None


def _arm(side: str) -> tuple[int, ...]:
    s, e, w = shoulder_elbow_wrist(side)  # type: ignore[arg-type]
    return (s, e, w, L_SHOULDER, R_SHOULDER, L_HIP, R_HIP)


def _common(angle: np.ndarray, fs: float, start: int, peak: int, end: int) -> Metrics:
    seg = angle[start : end + 1]
    speed = np.abs(np.gradient(seg)) * fs if seg.size > 1 else np.array([np.nan])
    return {
        "excursion_deg": _num(angle[peak] - angle[start]),
        "duration_s": float((end - start) / fs),
        "peak_angular_speed_deg_s": _num(np.nanmax(speed)),
    }


def shoulder_elevation(prep: Prepared, side: str) -> np.ndarray:
    """Thoraco-humeral elevation of one arm, degrees (ISB globe; 0 = at the side)."""
    return kinematics.shoulder_angles_deg(prep.world, side)["elevation_deg"]


def elbow_flexion(prep: Prepared, side: str) -> np.ndarray:
    """Elbow flexion of one arm, degrees (0 = straight)."""
    return kinematics.elbow_flexion_deg(prep.world, side)


def _arm_raise_metrics(prep: Prepared, side: str, start: int, peak: int, end: int) -> Metrics:
    ang = kinematics.shoulder_angles_deg(prep.world, side)
    out: Metrics = {
        "peak_shoulder_elevation_deg": _num(ang["elevation_deg"][peak]),
        "plane_of_elevation_deg": _num(ang["plane_of_elevation_deg"][peak]),
        "peak_shoulder_flexion_deg": _num(ang["flexion_deg"][peak]),
        "peak_shoulder_abduction_deg": _num(ang["abduction_deg"][peak]),
        "start_shoulder_elevation_deg": _num(ang["elevation_deg"][start]),
    }
    out.update(_common(ang["elevation_deg"], prep.fs_hz, start, peak, end))
    return out


def _elbow_metrics(prep: Prepared, side: str, start: int, peak: int, end: int) -> Metrics:
    elbow = elbow_flexion(prep, side)
    out: Metrics = {
        "peak_elbow_flexion_deg": _num(elbow[peak]),
        "start_elbow_flexion_deg": _num(elbow[start]),
    }
    out.update(_common(elbow, prep.fs_hz, start, peak, end))
    return out


MIN_ANGLE_EXCURSION_DEG = 25.0
"""Smallest joint-angle rise and return counted as a rep: well above the measured noise
floor of filtered MediaPipe joint angles (MDC95 of the peak angle, game/scoring/noise_floor.py)
and above MediaPipe's 5-15 deg joint-angle error, so a still person gives 0 reps."""

ARM_RAISE = register(
    Exercise(
        id="arm-raise",
        title="arm raise: shoulder elevation in any plane (forward, sideways or between)",
        parts=frozenset({"pose"}),
        landmarks=_arm,
        signal=shoulder_elevation,
        signal_label="shoulder elevation, deg",
        min_amplitude=MIN_ANGLE_EXCURSION_DEG,
        metrics=_arm_raise_metrics,
        headline="peak_shoulder_elevation_deg",
    )
)
ELBOW_FLEXION = register(
    Exercise(
        id="elbow-flexion",
        title="elbow flexion: bend the elbow and straighten it again",
        parts=frozenset({"pose"}),
        landmarks=lambda side: shoulder_elbow_wrist(side),  # type: ignore[arg-type]
        signal=elbow_flexion,
        signal_label="elbow flexion, deg",
        min_amplitude=MIN_ANGLE_EXCURSION_DEG,
        metrics=_elbow_metrics,
        headline="peak_elbow_flexion_deg",
    )
)
