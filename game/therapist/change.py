"""Is a change between two values real, or inside the metric's noise? One place for the
screens that put a change into words (the family captions, "no measurable change").

Where a metric's noise floor was measured (game/scoring/noise_floor.py, docs/validation.md),
a change counts when it reaches that metric's threshold (MDC95, or the between-session
minimum of joint angles). The family metrics are the affected arm's versions of measured ones
(``affected_sparc`` is ``sparc`` of the other hand; ``affected_reach_fraction`` is
``reach_pct_arm`` / 100). Metrics with no measured floor yet (the balance hold times and time
in zone) use a conservative fallback: a change counts only when it is at least
``FALLBACK_FRACTION`` of the larger of the two values and at least the metric's
``FALLBACK_MIN`` (0.5 s for seconds, 0.05 for fractions), so a wobble is never called a trend.
"""

from __future__ import annotations

import math

from game.scoring.noise_floor import NOISE_FLOORS

MEASURED_AS: dict[str, tuple[str, float]] = {
    "affected_sparc": ("sparc", 1.0),
    "affected_reach_fraction": ("reach_pct_arm", 0.01),
}
"""Family metric -> (the measured metric it is a version of, unit factor to this metric)."""
FALLBACK_FRACTION = 0.10
FALLBACK_MIN = {"_s": 0.5, "_frac": 0.05, "_fraction": 0.05}
"""The fallback's smallest change by unit suffix (others: FALLBACK_FRACTION only)."""


def change_threshold(metric: str, before: float, after: float) -> float:
    """The smallest change of `metric` that is more than noise, in the metric's own unit."""
    name, factor = MEASURED_AS.get(metric, (metric, 1.0))
    floor = NOISE_FLOORS.get(name)
    if floor is not None:
        return floor.threshold * factor
    least = next((v for suffix, v in FALLBACK_MIN.items() if metric.endswith(suffix)), 0.0)
    return max(FALLBACK_FRACTION * max(abs(before), abs(after)), least)


def is_measurable_change(metric: str, before: float, after: float) -> bool:
    """True when ``after - before`` is larger than `metric`'s noise (False for NaN)."""
    if not (math.isfinite(before) and math.isfinite(after)):
        return False
    return abs(after - before) >= change_threshold(metric, before, after)
