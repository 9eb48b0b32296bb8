"""Every measure of an :class:`ExportData` as one flat record with a unique key (CSV and FHIR).

The key is ``(session, level, set, rep, metric)``:

- ``set`` counts the sets of one level within one session from 1, in the order they were
  played (a level played in two sets, or in two steps of the plan, gets sets 1, 2, ...);
- ``rep`` counts the repetitions of a set from 1; rep **0** is the set's summary (its level
  result: medians over the reps, success rate, stars).

Sets are numbered from the session plan stored when the session started (level result ``i``
belongs to plan step ``i``; a run of reps to the next step of its level and set index). Without
a usable plan, sets are numbered by play order: results by their order among the level's
results, reps by runs (a new run starts when the level or set index changes or the rep index
does not grow).

Quality values the scoring stores beside a measure (``{name}_reliable``,
``{name}_valid_fraction``) become the ``reliable`` and ``valid_fraction`` of that measure's
record, never records of their own. Yes/no flags are per rep: a set summary leaves out the
median of a flag (its ``success_rate`` counts the successes). Times are seconds since the session started
(``Rep.t_cue_s``/``t_end_s``); a set's time spans its reps.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from game.export.data import ExportData, as_float
from game.scoring.catalog import info, quality_of

REP_FLAGS = ("success", "compensated")
"""Yes/no outcomes every rep carries as fields of its own."""


@dataclass(frozen=True)
class Measure:
    """One exported value. `rep_number` 0 is the set's summary; times are seconds since the
    session started (NaN when unknown); `valid_fraction` is NaN when the scoring gave none."""

    session_id: str
    level_id: str
    set_number: int
    rep_number: int
    metric: str
    kind: str
    value: float
    unit: str
    reliable: bool
    valid_fraction: float
    start_s: float
    end_s: float

    @property
    def key(self) -> tuple[str, str, int, int, str]:
        return (self.session_id, self.level_id, self.set_number, self.rep_number, self.metric)


def plan_steps(session: Mapping[str, Any]) -> list[tuple[str, int]]:
    """``(level id, set index)`` of each step of the plan stored with a session (may be empty)."""
    plan = session.get("plan")
    items = plan.get("items") if isinstance(plan, Mapping) else None
    if not isinstance(items, list):
        return []
    out = []
    for item in items:
        if not isinstance(item, Mapping) or not isinstance(item.get("level"), str):
            return []
        out.append((item["level"], int(item.get("set", 0) or 0)))
    return out


def _ordinals(levels: Sequence[str]) -> list[int]:
    """1, 2, ... per level in order: ``["a", "b", "a"]`` -> ``[1, 1, 2]``."""
    seen: dict[str, int] = defaultdict(int)
    out = []
    for level in levels:
        seen[level] += 1
        out.append(seen[level])
    return out


def rep_runs(reps: Sequence[Mapping[str, Any]]) -> list[list[int]]:
    """Indices of `reps` (saved order) grouped into the runs of one set each."""
    runs: list[list[int]] = []
    prev: tuple[str, int, int] | None = None
    for i, rep in enumerate(reps):
        key = (str(rep.get("level_id")), int(rep.get("set_index", 0)), int(rep.get("rep_index", 0)))
        if prev is None or key[:2] != prev[:2] or key[2] <= prev[2]:
            runs.append([])
        runs[-1].append(i)
        prev = key
    return runs


def set_numbers(
    steps: Sequence[tuple[str, int]], run_keys: Sequence[tuple[str, int]], result_levels: Sequence[str]
) -> tuple[list[int], list[int]]:
    """Set numbers of each run of reps and of each level result of one session (see module)."""
    step_no = _ordinals([level for level, _ in steps])
    aligned = len(result_levels) <= len(steps) and all(
        level == steps[i][0] for i, level in enumerate(result_levels)
    )
    if steps and aligned:
        runs, j = [], 0
        for key in run_keys:
            while j < len(steps) and steps[j] != key:
                j += 1
            if j == len(steps):
                break
            runs.append(step_no[j])
            j += 1
        if len(runs) == len(run_keys):
            return runs, step_no[: len(result_levels)]
    return _ordinals([level for level, _ in run_keys]), _ordinals(result_levels)


def measures(data: ExportData) -> list[Measure]:
    """Every rep value and every set summary of `data`, sessions in start order, sets in play
    order, the summary (rep 0) before the reps, metrics by name."""
    order = sorted(data.sessions, key=lambda s: (str(s.get("started_at", "")), str(s.get("id"))))
    out: list[Measure] = []
    for session in order:
        sid = str(session.get("id"))
        reps = sorted((r for r in data.reps if str(r.get("session_id")) == sid), key=_saved)
        results = [r for r in data.level_results if str(r.get("session_id")) == sid]
        out += _session_measures(sid, session, reps, results)
    return out


def _saved(rep: Mapping[str, Any]) -> tuple[int, float]:
    return int(rep.get("id", 0) or 0), as_float(rep.get("t_cue_s"))


def _session_measures(
    sid: str, session: Mapping[str, Any], reps: list[dict[str, Any]], results: list[dict[str, Any]]
) -> list[Measure]:
    runs = rep_runs(reps)
    run_keys = [(str(reps[r[0]].get("level_id")), int(reps[r[0]].get("set_index", 0))) for r in runs]
    run_sets, result_sets = set_numbers(
        plan_steps(session), run_keys, [str(r.get("level_id")) for r in results]
    )
    spans: dict[tuple[str, int], tuple[float, float]] = {}
    rows: list[tuple[int, Measure]] = []
    for position, (run, set_no) in enumerate(zip(runs, run_sets, strict=True)):
        level = run_keys[position][0]
        cues = [as_float(reps[i].get("t_cue_s")) for i in run]
        ends = [as_float(reps[i].get("t_end_s")) for i in run]
        spans[(level, set_no)] = (min(cues), max(ends))
        for rep_no, i in enumerate(run, start=1):
            rows += [(position, m) for m in _rep_measures(sid, level, set_no, rep_no, reps[i])]
    for result, set_no in zip(results, result_sets, strict=True):
        level = str(result.get("level_id"))
        span = spans.get((level, set_no), (math.nan, math.nan))
        position = next((p for p, k in enumerate(run_keys) if (k[0], run_sets[p]) == (level, set_no)), -1)
        rows += [(position, m) for m in _summary_measures(sid, level, set_no, result, span)]
    rows.sort(key=lambda pm: (pm[1].start_s if math.isfinite(pm[1].start_s) else math.inf, pm[0],
                              pm[1].level_id, pm[1].set_number, pm[1].rep_number, pm[1].metric))  # fmt: skip
    return [m for _, m in rows]


def _rep_measures(sid: str, level: str, set_no: int, rep_no: int, rep: Mapping[str, Any]) -> list[Measure]:
    stored = dict(rep.get("metrics", {}) or {})
    values = {name: v for name, v in stored.items() if quality_of(name) is None}
    for flag in REP_FLAGS:
        values.setdefault(flag, rep.get(flag))
    span = (as_float(rep.get("t_cue_s")), as_float(rep.get("t_end_s")))
    out = []
    for name in sorted(values):
        value = as_float(values[name])
        quality = stored.get(f"{name}_reliable")
        ok = math.isfinite(value) and (quality is None or bool(as_float(quality)))
        fraction = as_float(stored.get(f"{name}_valid_fraction"))
        out.append(_measure(sid, level, set_no, rep_no, name, value, ok, fraction, span))
    return out


def _summary_measures(
    sid: str, level: str, set_no: int, result: Mapping[str, Any], span: tuple[float, float]
) -> list[Measure]:
    values = {**dict(result.get("metrics", {}) or {}), "stars": result.get("stars")}
    flags = result.get("reliable", {}) or {}
    out = []
    for name in sorted(values):
        entry = info(name)
        if entry is not None and entry.kind == "flag":
            continue  # a median of yes/no answers means nothing: success_rate counts them
        value = as_float(values[name])
        ok = math.isfinite(value) and bool(flags.get(name, True))
        out.append(_measure(sid, level, set_no, 0, name, value, ok, math.nan, span))
    return out


def _measure(
    sid: str, level: str, set_no: int, rep_no: int, name: str, value: float, ok: bool, fraction: float,
    span: tuple[float, float],
) -> Measure:  # fmt: skip
    entry = info(name)
    kind = entry.kind if entry is not None else "metric"
    unit = entry.unit if entry is not None else ""
    return Measure(sid, level, set_no, rep_no, name, kind, value, unit, ok, fraction, span[0], span[1])
