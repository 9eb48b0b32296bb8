"""The hand exercises of offline analysis: ``hand-open-close`` and ``finger-tapping``.

Both read the person's own hand on the chosen side (``--side``; by default the one that moves
more) from MediaPipe Hands' world landmarks, filtered (game.analysis.core.prepare), with the
finger measures of game/scoring/hand.py (docs/sources.md §12, docs/validation.md §10).

- ``hand-open-close``: one rep is one open-close cycle of the whole hand, away from its
  resting shape and back: open -> close -> open for a hand that rests open, as the exercise
  is taught, and fist -> open -> fist for a hand that rests in a fist (a close-up of hand
  shapes). The signal is how closed the hand is: its most bent long finger's total flexion
  (game.scoring.hand.hand_closure_deg), so one or two fingers raised alone are not an
  opening. A rep must move it :data:`MIN_CLOSURE_DEG`. Metrics: the widest and tightest hand
  aperture of the rep (palm lengths), the closure's range and the rep's duration.
- ``finger-tapping``: one rep is one thumb-index tap, the fingers touching before and after
  an opening of at least game.scoring.hand.TAP_MIN_AMPLITUDE_NORM (game.scoring.hand.tap_events
  with its contact rule, the same detector as the finger-tapping level's scoring). Metrics:
  the opening (``amplitude_norm``), the tap's contact-to-contact time (``interval_s``) and its
  speed; the summary adds the rate, the amplitude and speed decrement, the rhythm and the
  hesitations over the taps (MDS-UPDRS 3.4, §12.2).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from game.analysis.exercises import Exercise, Metrics, Prepared, register
from game.scoring import hand as SH
from game.scoring.segmentation import excursions

MIN_CLOSURE_DEG = 60.0
"""Smallest change of the most bent finger's flexion that is an open-close cycle: a fist to
a claw with every fingertip off the palm moves it 80-160 deg on the real close-up, one finger
raised or the fist loosening 10-40 deg, a still hand under 10 (docs/validation.md §10)."""
MIN_CYCLE_S = 0.2
"""Shortest open-close cycle (a quick claw on the close-up lasts 0.3 s)."""


def _hand(prep: Prepared, side: str) -> np.ndarray:
    """The side's hand world landmarks (N, 21, 3), NaN where not tracked."""
    hand = prep.hands.get(side)
    return hand if hand is not None else np.full((prep.t_s.shape[0], 21, 3), np.nan)


def _num(x: float) -> float | None:
    return float(x) if np.isfinite(x) else None


def closure_signal(prep: Prepared, side: str) -> np.ndarray:
    """How closed the hand is (deg), turned so that it rises away from the resting shape:
    closing for a hand resting open, opening for a hand resting in a fist (the median of the
    clip decides which end is the rest)."""
    closure = SH.hand_closure_deg(_hand(prep, side))
    seen = closure[np.isfinite(closure)]
    if not seen.size:
        return closure
    lo, hi = np.percentile(seen, [5, 95])
    rests_closed = float(np.median(seen)) > 0.5 * (lo + hi)
    return -closure if rests_closed else closure


def open_close_segments(signal: np.ndarray, fs_hz: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(start, peak, end) of the open-close cycles: excursions of :func:`closure_signal` of at
    least :data:`MIN_CLOSURE_DEG`, starting and ending where half the change is left (a fist
    is not one posture: fingers raised alone from it keep the signal near the fist's level,
    so the quarter-way point of the arm exercises would reach back into them)."""
    return excursions(
        signal, fs_hz, min_amplitude=MIN_CLOSURE_DEG, min_duration_s=MIN_CYCLE_S, edge_fraction=0.5
    )


def _open_close_metrics(prep: Prepared, side: str, start: int, peak: int, end: int) -> Metrics:
    hand = _hand(prep, side)[start : end + 1]
    aperture = SH.hand_aperture_norm(hand)
    closure = SH.hand_closure_deg(hand)
    finite = np.isfinite(aperture)
    return {
        "peak_aperture_norm": _num(np.max(aperture[finite])) if finite.any() else None,
        "min_aperture_norm": _num(np.min(aperture[finite])) if finite.any() else None,
        "closure_range_deg": _num(np.nanmax(closure) - np.nanmin(closure))
        if np.isfinite(closure).any()
        else None,
        "duration_s": float((end - start) / prep.fs_hz),
    }


def pinch_signal(prep: Prepared, side: str) -> np.ndarray:
    """The thumb-index gap, palm lengths (rises as the fingers open)."""
    return SH.pinch_aperture_norm(_hand(prep, side))


def tap_segments(signal: np.ndarray, fs_hz: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(start, peak, end) sample indices of the taps: contact, widest opening, contact."""
    taps = SH.tap_events(signal, SH.TAP_MIN_AMPLITUDE_NORM, contact=SH.TAP_CONTACT_NORM)
    return taps.before, taps.peak, taps.after


def _tap_metrics(prep: Prepared, side: str, start: int, peak: int, end: int) -> Metrics:
    gap = pinch_signal(prep, side)
    cycle_s = (end - start) / prep.fs_hz
    amp = gap[peak] - gap[start]
    return {
        "amplitude_norm": _num(amp),
        "interval_s": float(cycle_s),
        "speed_norm_s": _num((2 * gap[peak] - gap[start] - gap[end]) / cycle_s) if cycle_s > 0 else None,
    }


def tapping_summary(reps: Sequence[Any]) -> list[str]:
    """Rate, decrements, rhythm and hesitations over the taps (game.scoring.hand.tap_summary)."""
    if len(reps) < 2:
        return []

    def values(name: str) -> np.ndarray:
        return np.array([np.nan if r.metrics.get(name) is None else r.metrics[name] for r in reps])

    m = SH.tap_summary(np.array([r.peak_s for r in reps]), values("amplitude_norm"), values("speed_norm_s"))
    words = [
        f"Tapping rate: {m['tap_rate_hz']:.2f} Hz over {len(reps)} taps",
        f"Amplitude decrement: {m['tap_amplitude_decrement_pct']:.0f} %; speed decrement: "
        f"{m['tap_speed_decrement_pct']:.0f} % (fall of the fitted line, first to last tap)",
        f"Rhythm: intervals vary by {m['tap_interval_cv_pct']:.0f} % (CV); hesitations: "
        f"{m['tap_hesitations']:.0f}",
    ]
    return [w.replace("nan", "-") for w in words]


HAND_OPEN_CLOSE = register(
    Exercise(
        id="hand-open-close",
        title="hand open-close: open the whole hand and close it to a fist",
        parts=frozenset({"pose", "hands"}),
        landmarks=lambda side: (),
        signal=closure_signal,
        signal_label="most bent finger's flexion, deg",
        min_amplitude=MIN_CLOSURE_DEG,
        metrics=_open_close_metrics,
        headline="peak_aperture_norm",
        min_duration_s=MIN_CYCLE_S,
        part="hands",
        segment=open_close_segments,
    )
)
FINGER_TAPPING = register(
    Exercise(
        id="finger-tapping",
        title="finger tapping: thumb and index finger, big and fast (MDS-UPDRS 3.4)",
        parts=frozenset({"pose", "hands"}),
        landmarks=lambda side: (),
        signal=pinch_signal,
        signal_label="thumb-index gap, palm lengths",
        min_amplitude=SH.TAP_MIN_AMPLITUDE_NORM,
        metrics=_tap_metrics,
        headline="amplitude_norm",
        min_duration_s=0.1,
        part="hands",
        segment=tap_segments,
        summary_lines=tapping_summary,
    )
)
