"""Reps and metrics of a tracked clip: :func:`analyze_track` (no I/O, no pixels).

The landmarks go through the same preprocessing as game scoring (visibility < 0.5 missing,
uniform grid, short gaps filled, zero-phase low-pass with the rate-dependent cut-off of
game.scoring.preprocess), then the exercise's signal is segmented into excursions and each
rep is measured and flagged reliable when the landmarks it uses were seen.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from game.analysis.exercises import Exercise, Metrics, Prepared
from game.analysis.face import prepare_face
from game.analysis.track import Track
from game.scoring.confidence import window_reliable
from game.scoring.preprocess import MAX_GAP_S, NYQUIST_FRACTION, preprocess_landmarks, preprocess_signals
from game.scoring.segmentation import excursions

GAP_FRAMES = 1.5
"""At low frame rates a single missing frame is also bridged (150 ms is under one frame
at 5 fps): the gap fill covers max(MAX_GAP_S, GAP_FRAMES / fps)."""


@dataclass(frozen=True)
class Rep:
    """One repetition: start position -> movement -> back."""

    start_s: float
    peak_s: float
    end_s: float
    reliable: bool
    metrics: Metrics


@dataclass(frozen=True)
class Analysis:
    """What ``analyze`` found in one clip."""

    video: str
    exercise: Exercise
    side: str
    side_was_chosen: bool
    fps: float
    frames: int
    frames_tracked: int
    reps: tuple[Rep, ...]
    notes: tuple[str, ...] = ()
    """Lines for the summary from the exercise's gate (why reps were or were not counted)."""


HAND_CUTOFF_HZ = 10.0
"""Low-pass cut-off of the hands' landmarks: finger tapping reaches 5-7 Hz in healthy hands
(docs/sources.md §12.2), above the 6 Hz the body's landmarks get; at 25-30 fps the cut-off is
capped below Nyquist (game.scoring.preprocess.effective_cutoff_hz's 0.8 x fs / 2)."""


def prepare(track: Track) -> Prepared:
    """The clip's pose (and hands) on a uniform grid at the video rate, gap-filled and filtered
    (or its face, for a track of the face: game.analysis.face.prepare_face)."""
    if track.face is not None:
        return prepare_face(track)
    if track.frames < 2:
        world = track.world[..., :3].copy()
        obs = track.world[..., 3] >= 0.5
        return Prepared(track.t_s, track.fps, world, obs, ~obs)
    gap_s = max(MAX_GAP_S, GAP_FRAMES / track.fps)
    pre = preprocess_landmarks(track.t_s, track.world, fs_hz=track.fps, max_gap_s=gap_s)
    hands, observed, long_gap = {}, {}, {}
    cutoff = min(HAND_CUTOFF_HZ, NYQUIST_FRACTION * track.fps / 2.0)
    for side in ("left", "right") if track.hands else ():
        raw = track.hands[f"{side}_hand_world"][..., :3]
        _, hands[side], seen, gap = preprocess_signals(
            track.t_s, raw, fs_hz=track.fps, cutoff_hz=cutoff, max_gap_s=gap_s
        )
        observed[side], long_gap[side] = seen.all(axis=-1), gap.any(axis=-1)
    return Prepared(
        pre.t_s,
        pre.fs_hz,
        pre.xyz,
        pre.observed,
        pre.long_gap,
        hands=hands,
        hands_observed=observed,
        hands_long_gap=long_gap,
    )


def _seen(prep: Prepared, exercise: Exercise, side: str) -> tuple[np.ndarray, np.ndarray]:
    """(observed, long gap) per grid sample of the landmarks a rep of ``exercise`` uses."""
    if exercise.part == "hands":
        n = prep.t_s.shape[0]
        observed = prep.hands_observed.get(side, np.zeros((n, 21), bool))
        long_gap = prep.hands_long_gap.get(side, np.ones((n, 21), bool))
        return np.asarray(observed).all(axis=-1), np.asarray(long_gap).any(axis=-1)
    lms = list(exercise.landmarks(side))
    return prep.observed[:, lms].all(axis=-1), prep.long_gap[:, lms].any(axis=-1)


def choose_side(prep: Prepared, exercise: Exercise) -> str:
    """The side whose exercise signal moves more (robust range: 95th - 5th percentile)."""
    ranges = {}
    for side in ("left", "right"):
        x = exercise.signal(prep, side)
        x = x[np.isfinite(x)]
        ranges[side] = float(np.percentile(x, 95) - np.percentile(x, 5)) if x.size else -1.0
    return "left" if ranges["left"] > ranges["right"] else "right"


def analyze_track(track: Track, exercise: Exercise, side: str | None = None, video: str = "") -> Analysis:
    """Segment and measure the reps of ``exercise`` in a tracked clip.

    Parameters
    ----------
    side : {"left", "right"}, optional
        The person's own side; default the side that moves more.
    """
    prep = prepare(track)
    chosen = side is None
    sd = choose_side(prep, exercise) if side is None else side
    signal = exercise.signal(prep, sd)
    if exercise.segment is not None:
        start, peak, end = exercise.segment(signal, prep.fs_hz)
    else:
        start, peak, end = excursions(
            signal, prep.fs_hz, min_amplitude=exercise.min_amplitude, min_duration_s=exercise.min_duration_s
        )
    notes: tuple[str, ...] = ()
    if exercise.gate is not None:
        ok_clip, note = exercise.gate(prep)
        notes = (note,)
        if not ok_clip:
            start, peak, end = (np.zeros(0, dtype=np.int64),) * 3
    observed, long_gap = _seen(prep, exercise, sd)
    _, ok = window_reliable(
        signal[peak] if peak.size else np.zeros(0), observed, long_gap, start, end - start + 1
    )
    reps = tuple(
        Rep(
            start_s=float(prep.t_s[a]),
            peak_s=float(prep.t_s[p]),
            end_s=float(prep.t_s[b]),
            reliable=bool(ok[i] and observed[p]),
            metrics=exercise.metrics(prep, sd, int(a), int(p), int(b)),
        )
        for i, (a, p, b) in enumerate(zip(start, peak, end, strict=True))
    )
    return Analysis(video, exercise, sd, chosen, track.fps, track.frames, track.frames_tracked, reps, notes)
