"""Level grade: 0-3 stars against the patient's own goals and own history.

Never against a fixed healthy norm (docs/sources.md §4.3 and §10 item 6: score
within-person change on a fixed camera; §8: keep success achievable). Each level type lists
its metrics and whether higher or lower is better (a :data:`MetricTable`, passed in). For one
level:

- a metric counts only if it is present, finite and not flagged unreliable;
- goal attainment of a metric with goal g and value v is
  ``clip(1 - shortfall / |g|, 0, 1)`` with shortfall = max(0, g - v) when higher is better
  and max(0, v - g) when lower is better (sign-safe for SPARC, which is negative);
  ``goal_score`` = the weighted mean attainment over metrics with a goal;
- ``history_score`` = the weighted fraction of metrics at least as good as the median of the
  patient's own reliable past values (metrics without history do not count);
- stars: 0 if no metric counts (nothing measurable: never shown as a failure, the game says
  the camera lost the patient); otherwise 1 for taking part, +1 if goal_score >= 0.75,
  +1 if goal_score >= 1.0, +1 if history_score >= 0.5 (improving or holding on own
  history), capped at 3. Without goals, history alone can give 2 stars.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import numpy as np

from game.scoring.confidence import MIN_RELIABLE_REPS, reliable_median

HIGHER, LOWER = 1, -1

MetricTable = Mapping[str, tuple[int, float]]
"""What a level type is graded on: metric name -> (HIGHER or LOWER is better, weight). Each
level type declares its own (``LevelType.graded``, game/leveltypes/<type>/metrics.py)."""

GOAL_PART, GOAL_FULL, HISTORY_HOLD = 0.75, 1.0, 0.5


def _usable(name: str, value: object, reliable: Mapping[str, bool] | None) -> float | None:
    if value is None or (reliable is not None and not reliable.get(name, True)):
        return None
    try:
        v = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return v if math.isfinite(v) else None


def _median(values: list[float]) -> float:
    s = sorted(values)
    mid = len(s) // 2
    return s[mid] if len(s) % 2 else 0.5 * (s[mid - 1] + s[mid])


def goal_attainment(value: float, goal: float, direction: int) -> float:
    """clip(1 - shortfall / |goal|, 0, 1) (module doc); ``goal`` must be finite and non-zero."""
    if not math.isfinite(goal) or goal == 0:
        raise ValueError(f"goal must be finite and non-zero, got {goal!r}")
    shortfall = max(0.0, (goal - value) * direction)
    return min(1.0, max(0.0, 1.0 - shortfall / abs(goal)))


def level_scores(
    table: MetricTable,
    metrics: Mapping[str, float | None],
    goals: Mapping[str, float],
    history: Sequence[Mapping[str, float | None]],
    *,
    reliable: Mapping[str, bool] | None = None,
) -> tuple[float, float, int]:
    """(goal_score, history_score, number of usable metrics); NaN scores when undefined."""
    if not table:
        raise ValueError("table must name at least one metric")
    for name, (direction, weight) in table.items():
        if direction not in (HIGHER, LOWER) or not weight > 0:
            raise ValueError(
                f"table[{name!r}] must be (HIGHER or LOWER, weight > 0), got {(direction, weight)}"
            )
    spec = table
    g_sum = g_w = h_sum = h_w = 0.0
    used = 0
    for name, (direction, weight) in spec.items():
        v = _usable(name, metrics.get(name), reliable)
        if v is None:
            continue
        used += 1
        if name in goals:
            try:
                goal = float(goals[name])
            except (TypeError, ValueError) as exc:
                raise ValueError(f"goals[{name!r}] must be a number, got {goals[name]!r}") from exc
            if not math.isfinite(goal) or goal == 0:
                raise ValueError(f"goals[{name!r}] must be finite and non-zero, got {goal!r}")
            g_sum += weight * goal_attainment(v, goal, direction)
            g_w += weight
        past = [p for h in history if (p := _usable(name, h.get(name), None)) is not None]
        if past:
            h_sum += weight * float((v - _median(past)) * direction >= 0)
            h_w += weight
    nan = float("nan")
    return (g_sum / g_w if g_w else nan), (h_sum / h_w if h_w else nan), used


def grade_level(
    table: MetricTable,
    metrics: Mapping[str, float | None],
    goals: Mapping[str, float],
    history: Sequence[Mapping[str, float | None]],
    *,
    reliable: Mapping[str, bool] | None = None,
) -> int:
    """Stars (0-3) for one played level, against the patient's own goals and history.

    Parameters
    ----------
    table : the level type's :data:`MetricTable` (``LevelType.graded``).
    metrics : mapping of metric name to value (units in the names, as in ``table``).
        Unreliable metrics must be passed as None/NaN or flagged False in ``reliable``;
        either way they do not count. Unknown names are ignored.
    goals : mapping of metric name to the therapist's goal for this patient.
    history : the patient's previous results of this level type (reliable values only;
        None/NaN entries are skipped).
    reliable : optional mapping of metric name to its reliable flag.

    Returns
    -------
    int in 0..3 (mapping in the module doc).
    """
    goal_score, history_score, used = level_scores(table, metrics, goals, history, reliable=reliable)
    if used == 0:
        return 0
    stars = 1
    stars += int(goal_score >= GOAL_PART) + int(goal_score >= GOAL_FULL)  # NaN compares False
    stars += int(history_score >= HISTORY_HOLD)
    return min(3, stars)


def summarise_reps(
    per_rep: Mapping[str, np.ndarray], *, min_reps: int = MIN_RELIABLE_REPS
) -> tuple[dict[str, float], dict[str, bool]]:
    """Level metrics from :func:`game.scoring.score_reps` output, for :func:`grade_level`.

    Every per-rep metric ``name`` with a ``{name}_reliable`` array becomes the median of its
    reliable reps (§1: report the median); ``success`` becomes ``success_rate``, the fraction
    of reliable reps that succeeded. A level metric is reliable when at least ``min_reps``
    reps were.

    Returns
    -------
    metrics : dict[str, float]
        NaN where no rep was reliable.
    reliable : dict[str, bool]
    """
    metrics: dict[str, float] = {}
    flags: dict[str, bool] = {}
    for key, flag in per_rep.items():
        if not key.endswith("_reliable"):
            continue
        name = key[: -len("_reliable")]
        values = np.asarray(per_rep[name], dtype=np.float64)
        if name == "success":
            ok = np.asarray(flag, dtype=bool)
            count = int(ok.sum())
            metrics["success_rate"] = float(values[ok].mean()) if count else float("nan")
            flags["success_rate"] = count >= min_reps
            continue
        metrics[name], count = reliable_median(values, np.asarray(flag, dtype=bool))
        flags[name] = count >= min_reps
    return metrics, flags
