"""The noise floor the report's axes respect: the smallest change of a measure worth showing.

A :data:`NoiseFloor` maps a metric name to its floor in the metric's unit (None = unknown). The
report never zooms a panel into a range narrower than the floor, and says "no measurable
change" when all of a panel's values lie within one floor of each other.

:func:`fallback_floor` is used until the scoring package's per-metric noise-floor table is
connected (pass its lookup as ``noise_floor=`` to :func:`game.export.report.write_report`). Its
values are :data:`game.scoring.reps.NOISE_TOLERANCE_2MM`, the largest change of each rep measure
when 2 mm of landmark noise is added: a lower bound of the real markerless noise (5-15 degrees
for joint angles), so the fallback may still show changes that are not clinically measurable,
but never magnifies a change smaller than the tracking noise itself.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from types import MappingProxyType

from game.scoring.catalog import AFFECTED_PREFIX
from game.scoring.reps import NOISE_TOLERANCE_2MM

NoiseFloor = Callable[[str], float | None]
"""metric name -> smallest measurable change in the metric's unit, or None when unknown."""

FALLBACK_FLOORS: Mapping[str, float] = MappingProxyType(
    {
        **{k: v for k, v in NOISE_TOLERANCE_2MM.items() if v > 0},
        # reach in arm lengths: the same 2 % of arm length as reach_pct_arm
        "reach_fraction": NOISE_TOLERANCE_2MM["reach_pct_arm"] / 100.0,
    }
)


def fallback_floor(metric: str) -> float | None:
    """The fallback floor of `metric` (an ``affected_*`` measure shares its plain one's)."""
    base = metric.removeprefix(AFFECTED_PREFIX)
    return FALLBACK_FLOORS.get(metric, FALLBACK_FLOORS.get(base))


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
