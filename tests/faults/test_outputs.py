"""Issue 12 items 1, 3, 6 and 8: output paths never destroy anything, are checked before the
session starts, and a full disk leaves no half-written file and a non-zero exit."""

from __future__ import annotations

import json
import os
import sqlite3
import stat
from pathlib import Path

import pytest

from tests.faults.conftest import (
    needs_unshare,
    one_line,
    run_main,
    run_on_small_disk,
    run_read_only,
    snapshot,
)

PNG = b"\x89PNG\r\n\x1a\n"

# -- item 1: outputs never destroy the database or another file ----------------------------


def test_fhir_export_onto_the_database_is_refused(history: Path, home: Path, capsys) -> None:
    before = snapshot(history)
    link = history.with_name("bundle.json")
    os.link(history, link)  # the database under a .json name: same inode
    for out in (history, link):
        args = ["export", "--patient", "p1", "--format", "fhir", "--out", out, "--db", history]
        code, _, err = run_main(args, capsys)
        assert code == 2, err
        assert "--out" in one_line(err)
    assert snapshot(history) == before


def test_screenshot_onto_the_database_is_refused_before_playing(tmp_path: Path, home: Path, capsys) -> None:
    db = tmp_path / "X.png"
    code, _, err = run_main(
        ["--headless", "--demo", "--seconds", "2", "--db", db, "--screenshot", db], capsys
    )
    assert code == 2 and "is the database" in one_line(err)
    assert not db.exists()  # refused before anything was opened
    real = tmp_path / "real.db"
    assert run_main(["--headless", "--demo", "--seconds", "8", "--db", real], capsys)[0] == 0
    before = snapshot(real)
    link = tmp_path / "shot.png"
    os.link(real, link)  # the database under a .png name
    code, _, err = run_main(["--headless", "--demo", "--seconds", "2", "--db", real, "--screenshot", link,
                             "--force"], capsys)  # fmt: skip
    assert code == 2 and "is the database" in one_line(err)  # not even with --force
    assert snapshot(real) == before


def test_csv_export_never_overwrites_the_sessions_file_beside_it(
    history: Path, tmp_path: Path, capsys
) -> None:
    keep = tmp_path / "keep_sessions.csv"
    keep.write_text("mine\n")
    code, _, err = run_main(["export", "--patient", "p1", "--format", "csv", "--out", tmp_path / "keep.csv",
                             "--db", history], capsys)  # fmt: skip
    assert code == 2 and "keep_sessions.csv already exists" in one_line(err)
    assert keep.read_text() == "mine\n" and not (tmp_path / "keep.csv").exists()
    code, _, err = run_main(["export", "--patient", "p1", "--format", "csv", "--out", tmp_path / "keep.csv",
                             "--db", history, "--force"], capsys)  # fmt: skip
    assert code == 0, err
    assert keep.read_text().startswith("session_id,")


def test_record_never_overwrites_without_force_and_accepts_upper_case(
    tmp_path: Path, home: Path, capsys
) -> None:
    old = tmp_path / "old.npz"
    old.write_bytes(b"precious")
    args = ["--headless", "--demo", "--seconds", "3", "--db", tmp_path / "d.db"]
    code, _, err = run_main([*args, "--record", old], capsys)
    assert code == 2 and "already exists" in one_line(err) and old.read_bytes() == b"precious"
    upper = tmp_path / "X.NPZ"
    code, _, err = run_main([*args, "--record", upper], capsys)
    assert code == 0, err
    assert upper.read_bytes()[:2] == b"PK" and not (tmp_path / "X.NPZ.part").exists()


def test_csv_out_without_csv_suffix_creates_no_folder(history: Path, tmp_path: Path, capsys) -> None:
    code, _, err = run_main(["export", "--patient", "p1", "--format", "csv", "--out", tmp_path / "foo",
                             "--db", history], capsys)  # fmt: skip
    assert code == 2 and ".csv" in one_line(err)
    assert not (tmp_path / "foo").exists()


# -- item 8: output paths are checked before the session starts ------------------------------


@pytest.mark.parametrize("kind", ["folder", "missing-folder"])
def test_bad_screenshot_or_record_paths_fail_before_a_session_starts(
    tmp_path: Path, home: Path, capsys, kind: str
) -> None:
    db = tmp_path / "d.db"
    target = tmp_path / ("a.png" if kind == "folder" else "nope/a.png")
    if kind == "folder":
        target.mkdir()
    for opt, name in (("--screenshot", target), ("--record", target.with_suffix(".npz"))):
        if kind == "folder" and opt == "--record":
            name.mkdir()
        code, _, err = run_main(["--headless", "--demo", "--seconds", "30", "--db", db, opt, name], capsys)
        assert code == 2, err
        assert opt in one_line(err)
    assert not db.exists()  # no database opened, so no session left running


@needs_unshare
def test_read_only_output_folder_fails_before_the_session(tmp_path: Path) -> None:
    out = tmp_path / "ro"
    out.mkdir()
    res = run_read_only(["--headless", "--demo", "--seconds", "30", "--db", tmp_path / "d.db",
                         "--screenshot", out / "s.png"], tmp_path, out)  # fmt: skip
    assert res.returncode == 1
    assert "read-only" in one_line(res.stderr)
    assert not (tmp_path / "d.db").exists()


@needs_unshare
def test_full_disk_for_the_recording_fails_before_the_session(tmp_path: Path) -> None:
    disk = tmp_path / "disk"
    args = ["--headless", "--demo", "--seconds", "30", "--db", tmp_path / "d.db", "--record", disk / "r.npz"]
    res = run_on_small_disk(args, tmp_path, disk, size_kb=512, fill_kb=512)
    assert res.returncode == 1
    assert "full" in one_line(res.stderr)
    assert not (tmp_path / "d.db").exists()


# -- items 3 and 6: a full disk is exit 1 and leaves no partial file ------------------------------


@needs_unshare
def test_progress_png_on_a_full_disk_is_exit_1_and_leaves_no_file(history: Path, tmp_path: Path) -> None:
    disk = tmp_path / "disk"
    args = ["progress", "--patient", "p1", "--db", history, "--png", disk / "p.png", "--today", "2026-03-19"]
    res = run_on_small_disk(args, tmp_path, disk, size_kb=1100, fill_kb=1040)
    assert res.returncode == 1, res.stderr
    assert "full" in one_line(res.stderr)
    assert res.stdout == ""  # the path is printed only once the file is there


def test_exports_when_the_disk_fills_leave_nothing(history: Path, tmp_path: Path, capsys, no_space) -> None:
    before = snapshot(history)
    for fmt, name in (("csv", "m.csv"), ("fhir", "b.json"), ("report", "r.pdf")):
        code, out, err = run_main(["export", "--patient", "p1", "--format", fmt, "--db", history,
                                   "--out", tmp_path / name], capsys)  # fmt: skip
        assert code == 1 and "disk is full" in one_line(err) and out == ""
    assert not [p for p in tmp_path.iterdir() if p.suffix in (".csv", ".json", ".pdf", ".part")]
    assert snapshot(history) == before


def test_screenshot_when_the_disk_fills_still_closes_the_session(
    tmp_path: Path, home: Path, capsys, no_space
) -> None:
    db = tmp_path / "d.db"
    code, _, err = run_main(["--headless", "--demo", "--seconds", "12", "--db", db, "--screenshot",
                             tmp_path / "s.png"], capsys)  # fmt: skip
    assert code == 1 and "disk is full" in one_line(err)
    assert not list(tmp_path.glob("*.png")) and not list(tmp_path.glob(".*part"))
    con = sqlite3.connect(db)
    statuses = [r[0] for r in con.execute("SELECT status FROM sessions")]
    con.close()
    assert statuses and "running" not in statuses


def test_alias_with_mathtext_gives_a_valid_pdf(tmp_path: Path, capsys) -> None:
    from game.storage import Patient, open_database

    db_path = tmp_path / "m.db"
    with open_database(db_path) as db:
        db.add_patient(Patient("p9", r"$\frac{a}{b$", "left", "2026-01-01T09:00:00Z", {}))
    code, out, err = run_main(["export", "--patient", "p9", "--format", "report", "--db", db_path,
                               "--out", tmp_path / "r.pdf"], capsys)  # fmt: skip
    assert code == 0, err
    raw = (tmp_path / "r.pdf").read_bytes()
    assert raw.startswith(b"%PDF-") and b"%%EOF" in raw[-64:]


# -- files are private -----------------------------------------------------------------------------


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_database_exports_and_log_are_private(history: Path, tmp_path: Path, home: Path, capsys) -> None:
    db = tmp_path / "new.db"
    assert run_main(["--headless", "--demo", "--seconds", "3", "--db", db], capsys)[0] == 0
    out = tmp_path / "b.json"
    assert (
        run_main(["export", "--patient", "p1", "--format", "fhir", "--out", out, "--db", history], capsys)[0]
        == 0
    )
    json.loads(out.read_text())
    for path in (db, out, home / "logs" / "mirrorplay.log"):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path
    assert stat.S_IMODE((home / "logs").stat().st_mode) == 0o700


def test_video_with_a_pose_model_that_cannot_start_is_one_line_exit_1(
    tmp_path: Path, home: Path, capsys, monkeypatch: pytest.MonkeyPatch
) -> None:
    import game.tracking.video as video_module
    from tests.tracking.test_video import flat_video

    def broken_factory(*args: object, **kwargs: object):  # type: ignore[no-untyped-def]
        def build() -> None:
            raise RuntimeError("ValidatedGraphConfig Initialization failed.\nNo model file\n(285 more lines)")

        return build

    monkeypatch.setattr(video_module, "tracker_factory", broken_factory)
    video = flat_video(tmp_path, 20, 25.0)
    code, out, err = run_main(["--headless", "--video", video, "--db", tmp_path / "v.db"], capsys)
    assert code == 1
    assert "pose model could not start" in one_line(err)
    assert not (tmp_path / "v.db").exists() or snapshot(tmp_path / "v.db").get("sessions") == []


@needs_unshare
def test_a_disk_full_from_the_start_is_one_line_even_without_a_log(tmp_path: Path) -> None:
    disk = tmp_path / "disk"
    args = ["--headless", "--demo", "--seconds", "5", "--db", disk / "x.db"]
    res = run_on_small_disk(args, disk, disk, size_kb=256, fill_kb=256)
    assert res.returncode == 1
    line = one_line(res.stderr)
    assert "full" in line and ("no log file could be written" in line or "Details:" in line)
