"""The noise floor the report's and the portal's axes respect: the smallest change worth showing.

A :data:`NoiseFloor` maps a metric name to its smallest measurable change in the metric's unit
(None = unknown). The report never zooms a panel into a range narrower than it, and says "no
measurable change" when all of a panel's values lie within one floor of each other.

:func:`measured_floor` reads the scoring package's measured table
(:data:`game.scoring.noise_floor.NOISE_FLOORS`): the change below which there is no measurable
change (MDC95, or the between-session minimum of joint angles; docs/validation.md). An
``affected_*`` measure shares its plain measure's floor; reach in arm lengths uses the floor of
reach in % of arm length divided by 100.
"""

from __future__ import annotations

from collections.abc import Callable

from game.scoring.catalog import AFFECTED_PREFIX
from game.scoring.noise_floor import NOISE_FLOORS

NoiseFloor = Callable[[str], float | None]
"""metric name -> smallest measurable change in the metric's unit, or None when unknown."""

SAME_FLOOR_AS: dict[str, tuple[str, float]] = {"reach_fraction": ("reach_pct_arm", 0.01)}
"""Measures without their own entry: (the measured metric, factor to this one's unit)."""


def measured_floor(metric: str) -> float | None:
    """The measured floor of `metric` (see the module docstring), or None when not measured."""
    base = metric.removeprefix(AFFECTED_PREFIX)
    source, factor = SAME_FLOOR_AS.get(base, (base, 1.0))
    entry = NOISE_FLOORS.get(source)
    if entry is None or not entry.threshold > 0:
        return None
    return entry.threshold * factor


def within_floor(values: list[float], floor: float | None) -> bool:
    """True when every value lies within one `floor` of every other (no measurable change)."""
    if floor is None or not values:
        return False
    return max(values) - min(values) <= floor


def axis_range(values: list[float], floor: float | None, pad_frac: float = 0.1) -> tuple[float, float] | None:
    """y-limits for `values` never narrower than `floor` (centred on the values), with padding.

    None when there is nothing to scale (no values) and no floor to keep.
    """
    if not values:
        return None
    lo, hi = min(values), max(values)
    span = hi - lo
    if floor is not None and span < floor:
        mid = (lo + hi) / 2.0
        lo, hi, span = mid - floor / 2.0, mid + floor / 2.0, floor
    pad = pad_frac * span if span > 0 else max(abs(hi) * pad_frac, 1e-6)
    return lo - pad, hi + pad
