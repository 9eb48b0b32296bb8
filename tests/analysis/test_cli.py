"""``uv run main.py analyze ...``: the JSON shape other tools rely on, CSV, atomic writes,
the summary and progress, and one line + exit 2 for every kind of bad input."""

from __future__ import annotations

import csv
import io
import json
from functools import lru_cache
from pathlib import Path

import numpy as np
import pytest

import main
from game.analysis.progress import ProgressBar, progress_text
from tests.analysis.clips import SQUAT_FPS, palindrome_raises, write_clip

REP_KEYS = {"start_s", "peak_s", "end_s", "reliable", "metrics"}
TOP_KEYS = {"video": str, "exercise": str, "side": str, "fps": float, "frames": int, "frames_tracked": int}


@lru_cache(maxsize=1)
def _frames() -> tuple[np.ndarray, ...]:
    return tuple(palindrome_raises(2, hold=3))


@pytest.fixture
def clip(tmp_path: Path) -> Path:
    return write_clip(list(_frames()), SQUAT_FPS, tmp_path / "two raises.mp4")


def run(argv: list[str], capsys) -> tuple[int, str, str]:
    code = main.main(["analyze", *argv])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize(
    ("exercise", "metric"),
    [("arm-raise", "peak_shoulder_elevation_deg"), ("elbow-flexion", "peak_elbow_flexion_deg")],
)
def test_json_has_exactly_the_documented_shape(clip, tmp_path, capsys, exercise, metric):
    out = tmp_path / "result.json"
    code, text, _ = run([str(clip), "--exercise", exercise, "--out", str(out)], capsys)
    assert code == 0
    data = json.loads(out.read_text())
    assert set(data) == set(TOP_KEYS) | {"reps"}
    for key, kind in TOP_KEYS.items():
        assert type(data[key]) is kind, key
    assert data["video"] == str(clip) and data["exercise"] == exercise
    assert data["side"] in ("left", "right") and data["fps"] == SQUAT_FPS
    assert data["frames"] == len(_frames()) and 0 < data["frames_tracked"] <= data["frames"]
    assert len(data["reps"]) == 2
    for rep in data["reps"]:
        assert set(rep) == REP_KEYS
        assert all(type(rep[k]) is float for k in ("start_s", "peak_s", "end_s"))
        assert type(rep["reliable"]) is bool
        assert rep["start_s"] < rep["peak_s"] < rep["end_s"]
        assert isinstance(rep["metrics"][metric], float) and 0.0 <= rep["metrics"][metric] <= 180.0
    assert "Repetitions (start position -> movement -> back): 2" in text
    assert "docs/validation.md" in text


def test_side_is_the_persons_own_and_csv_has_one_row_per_rep(clip, tmp_path, capsys):
    out, table = tmp_path / "r.json", tmp_path / "r.csv"
    code, _, _ = run(
        [str(clip), "--exercise", "arm-raise", "--side", "left", "--out", str(out), "--csv", str(table)],
        capsys,
    )
    assert code == 0
    data = json.loads(out.read_text())
    assert data["side"] == "left"
    rows = list(csv.DictReader(io.StringIO(table.read_text())))
    assert len(rows) == len(data["reps"]) == 2
    for row, rep in zip(rows, data["reps"], strict=True):
        assert float(row["peak_shoulder_elevation_deg"]) == pytest.approx(
            rep["metrics"]["peak_shoulder_elevation_deg"], abs=1e-3
        )
        assert float(row["start_s"]) == pytest.approx(rep["start_s"], abs=1e-3)


def test_outputs_are_written_atomically_and_nothing_else_is_left(clip, tmp_path, capsys):
    out = tmp_path / "r.json"
    out.write_text("old")
    code, _, _ = run([str(clip), "--exercise", "arm-raise", "--out", str(out)], capsys)
    assert code == 0 and json.loads(out.read_text())["frames"] == len(_frames())
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([clip.name, "r.json"])  # no temp file, no DB


def test_progress_is_plain_on_a_pipe(clip, capsys):
    code, _, err = run([str(clip), "--exercise", "arm-raise"], capsys)
    assert code == 0
    last = [line for line in err.splitlines() if line.startswith("tracking ")][-1]
    assert f"{len(_frames())}/{len(_frames())} frames" in last and "frames/s" in last
    assert "\r" not in err and "\x1b" not in err


def test_progress_text_and_terminal_bar():
    assert progress_text(30, 120, 2.0, bar=False) == "30/120 frames  15.0 frames/s  0:06 left"
    assert progress_text(120, 120, 4.0, bar=True).startswith("[" + "#" * 24 + "]")

    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    ticks = iter([0.0, 1.0, 2.0, 3.0])
    stream = Tty()
    bar = ProgressBar("tracking x", stream, clock=lambda: next(ticks))
    bar(10, 20)
    bar.close()
    assert "\r" in stream.getvalue() and stream.getvalue().endswith("\n")


def _one_line(err: str) -> str:
    lines = [line for line in err.splitlines() if line.startswith("mirrorplay analyze:")]
    assert len(lines) == 1, err
    return lines[0]


def test_bad_input_gets_one_line_and_exit_2(clip, tmp_path, capsys):
    fake = tmp_path / "fake.mp4"
    fake.write_text("not a video")
    blank = write_clip([np.full((240, 320, 3), 90, np.uint8)] * 12, 10.0, tmp_path / "blank.mp4")
    cases = {
        "no such video": [str(tmp_path / "missing.mp4"), "--exercise", "arm-raise"],
        "could not be opened": [str(fake), "--exercise", "arm-raise"],
        "unknown exercise": [str(clip), "--exercise", "cartwheel"],
        "no person in view": [str(blank), "--exercise", "arm-raise"],
        "overwrite the input": [str(clip), "--exercise", "arm-raise", "--out", str(clip)],
        "folder does not exist": [
            str(clip),
            "--exercise",
            "arm-raise",
            "--csv",
            str(tmp_path / "nope" / "x.csv"),
        ],
        "invalid choice": [str(clip), "--exercise", "arm-raise", "--side", "middle"],
        "required": [str(clip)],
    }
    before = clip.read_bytes()
    for expected, argv in cases.items():
        code, out, err = run(argv, capsys)
        assert code == 2, expected
        assert expected in _one_line(err), (expected, err)
        assert out == ""
    assert clip.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([clip.name, "fake.mp4", "blank.mp4"])
