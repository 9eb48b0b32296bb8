"""When a session changes course: the fatigue rule (offer a rest) and the pain rule (stop kindly)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from game.i18n import N_, Msg
from game.session.summary import RepMetrics

PAIN_RISE_STOP = 2
"""A rise of this many points on the 0–10 pain scale over the session's start ends the session
kindly. Two points (about 30 %) is the clinically important change on the 0–10 numeric pain
rating scale (Farrar et al. 2001, Pain 94:149–158) [M], docs/sources.md §11."""
FATIGUE_WINDOW = 3
FATIGUE_DROP = 0.25
"""Fatigue rule (design choice): over the last ``FATIGUE_WINDOW`` reps, median peak speed or
reach falls by more than ``FATIGUE_DROP`` (25 %) below the median of the level's first reps, or
movement units double. Slowing and fragmenting of movement with fatigue is the pattern the
smoothness and speed measures of docs/sources.md §2–3 pick up; the threshold is ours."""


def _column(reps: Sequence[RepMetrics], key: str) -> np.ndarray:
    return np.array([r.get(key, np.nan) for r in reps], dtype=np.float64)


def fatigue(reps: Sequence[RepMetrics]) -> Msg | None:
    """Return why a rest should be offered (FATIGUE_DROP rule), or None: a whole sentence (each
    language inflects it), translated when shown."""
    n = FATIGUE_WINDOW
    if len(reps) < 2 * n:
        return None
    for key, why in (
        ("peak_speed_m_s", N_("Movements are getting slower")),
        ("reach_fraction", N_("Movements are getting shorter")),
    ):
        first, last = _column(reps[:n], key), _column(reps[-n:], key)
        if np.isfinite(first).sum() >= 2 and np.isfinite(last).sum() >= 2:
            a, b = np.nanmedian(first), np.nanmedian(last)
            if a > 0 and b < (1.0 - FATIGUE_DROP) * a:
                return why
    first_u, last_u = _column(reps[:n], "n_movement_units"), _column(reps[-n:], "n_movement_units")
    if np.isfinite(first_u).sum() >= 2 and np.isfinite(last_u).sum() >= 2:
        if float(np.nanmedian(last_u)) >= 2.0 * max(float(np.nanmedian(first_u)), 1.0):
            return N_("Movements are getting shakier")
    return None


def pain_stop(pain_before: int | None, pain_now: int | None) -> bool:
    """True when pain rose sharply (PAIN_RISE_STOP points or more) since the session began."""
    if pain_before is None or pain_now is None:
        return False
    return pain_now - pain_before >= PAIN_RISE_STOP
