"""The CSV a clinic loads: unique keys, set and rep numbers on every row, qualities as columns
(on a session played through the real loop, and on hand-made sets)."""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

from game.export.csv_export import COLUMNS, read_csv, write_csv
from game.export.data import ExportData
from game.export.measures import measures, rep_runs, set_numbers
from game.export.writer import export_data
from game.scoring.catalog import QUALITY_SUFFIXES
from game.storage import Store


def _write(db: Store, tmp_path: Path) -> tuple[list[dict[str, str]], list[dict[str, str]]]:
    patient = db.get_patient("demo")
    assert patient is not None
    metrics_path, sessions_path = write_csv(export_data(db, patient), tmp_path / "m.csv")
    with metrics_path.open(newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    with sessions_path.open(newline="", encoding="utf-8") as fh:
        sessions = list(csv.DictReader(fh))
    return rows, sessions


def test_every_row_has_its_set_and_rep_and_keys_are_unique(played: Store, tmp_path: Path) -> None:
    """Before, per-set results had blank set and rep cells and repeated (session, level, set, rep,
    metric) whenever a level was played in two sets."""
    rows, _ = _write(played, tmp_path)
    assert tuple(rows[0]) == COLUMNS
    assert all(r["set"].isdigit() and r["rep"].isdigit() and r["level_id"] for r in rows)
    keys = Counter((r["session_id"], r["level_id"], r["set"], r["rep"], r["metric"]) for r in rows)
    assert [k for k, n in keys.items() if n > 1] == []
    apples = {
        (r["set"], r["rep"]) for r in rows if r["level_id"] == "reach-apples" and r["metric"] == "sparc"
    }
    # two sets of three reps, each with its summary as rep 0
    assert apples == {(s, r) for s in ("1", "2") for r in ("0", "1", "2", "3")}


def test_quality_values_are_columns_not_metrics(played: Store, tmp_path: Path) -> None:
    rows, _ = _write(played, tmp_path)
    assert not [r["metric"] for r in rows if r["metric"].endswith(QUALITY_SUFFIXES)]
    sparc = [
        r for r in rows if r["metric"] == "sparc" and r["level_id"] == "reach-apples" and r["rep"] != "0"
    ]
    stored = [m for s in played.sessions("demo") for r in played.reps(s.id) if r.level_id == "reach-apples"
              for m in [r.metrics]]  # fmt: skip
    assert len(sparc) == len(stored) == 6
    for row, metrics in zip(sparc, stored, strict=True):
        assert float(row["valid_fraction"]) == metrics["sparc_valid_fraction"]
        assert row["reliable"] == str(int(bool(metrics["sparc_reliable"])))
    kinds = {r["metric"]: r["kind"] for r in rows}
    assert kinds["success"] == kinds["compensated"] == "flag" and kinds["target_deg"] == "parameter"
    assert {r["unit"] for r in rows if r["kind"] == "flag"} == {""}


def test_rep_times_and_the_plan_played(played: Store, tmp_path: Path) -> None:
    rows, sessions = _write(played, tmp_path)
    [session] = played.sessions("demo")
    reps = played.reps(session.id)
    first = next(r for r in rows if r["rep"] == "1" and r["level_id"] == "reach-apples")
    assert float(first["time_s"]) == reps[0].t_end_s
    assert sessions[0]["plan_reps"] == "14" and sessions[0]["reps"] == str(len(reps)) == "14"


def test_read_back_keeps_numbers(played: Store, tmp_path: Path) -> None:
    rows, _ = _write(played, tmp_path)
    back = read_csv(tmp_path / "m.csv")
    assert [(b.set_number, b.rep_number, b.metric) for b in back] == [
        (int(r["set"]), int(r["rep"]), r["metric"]) for r in rows
    ]


def test_a_level_in_two_plan_steps_gets_distinct_sets() -> None:
    """The same level twice in a plan, each step with set index 0: sets 1 and 2, not twins."""
    reps = [{"level_id": lvl, "set_index": 0, "rep_index": k} for lvl in ("a", "b", "a") for k in range(2)]
    runs = rep_runs(reps)
    assert runs == [[0, 1], [2, 3], [4, 5]]
    keys = [("a", 0), ("b", 0), ("a", 0)]
    assert set_numbers(keys, keys, ["a", "b", "a"]) == ([1, 1, 2], [1, 1, 2])
    # a set that ended with no rep still has its result: the plan keeps the numbers in step
    steps = [("a", 0), ("a", 1), ("a", 2)]
    assert set_numbers(steps, [("a", 0), ("a", 2)], ["a", "a", "a"]) == ([1, 3], [1, 2, 3])
    # without a plan, numbers follow play order
    assert set_numbers([], keys, ["a", "b", "a"]) == ([1, 1, 2], [1, 1, 2])


def test_summary_rows_leave_out_medians_of_flags() -> None:
    data = ExportData("p", "A", "left", [{"id": 1, "started_at": "2026-01-01T10:00:00Z"}], [],
                      [{"session_id": 1, "level_id": "x", "stars": 2, "metrics": {"success": 0.5,
                        "success_rate": 0.5}, "reliable": {}}])  # fmt: skip
    names = [m.metric for m in measures(data)]
    assert names == ["stars", "success_rate"]
