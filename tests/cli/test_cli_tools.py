"""The `export` and `progress` command-line tools, run as real subprocesses of main.py."""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
from pathlib import Path

import pytest

from game.storage import open_database
from tests.history import TODAY, make_history

MAIN = Path(__file__).resolve().parents[2] / "main.py"


def run(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(MAIN), *map(str, args)],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "SDL_VIDEODRIVER": "dummy"},
    )


@pytest.fixture(scope="module")
def history_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("cli") / "h.db"
    with open_database(path) as db:
        make_history(db, weeks=2, balance=False)
    return path


def test_export_csv_matches_the_database(history_db: Path, tmp_path: Path) -> None:
    from game.export.csv_export import read_csv

    out = tmp_path / "m.csv"
    res = run("export", "--patient", "p1", "--format", "csv", "--out", out, "--db", history_db)
    assert res.returncode == 0, res.stderr
    rows = read_csv(out)
    with open_database(history_db) as db:
        sessions = db.sessions("p1")
        reps = [r for s in sessions for r in db.reps(s.id)]
    reach = [r for r in rows if r.metric == "reach_fraction" and r.rep_number > 0]
    assert len(reach) == len(reps)
    first = min(reps, key=lambda r: (r.session_id, r.level_id, r.set_index, r.rep_index))
    assert math.isclose(reach[0].value, first.metrics["reach_fraction"], rel_tol=1e-12)
    sessions_csv = (tmp_path / "m_sessions.csv").read_text().splitlines()
    assert len(sessions_csv) == len(sessions) + 1


def test_export_fhir_bundle_and_pseudonym(history_db: Path, tmp_path: Path) -> None:
    out = tmp_path / "b.json"
    res = run(
        "export",
        "--patient",
        "p1",
        "--format",
        "fhir",
        "--out",
        out,
        "--db",
        history_db,
        "--pseudonymise",
        "--salt",
        "s3cret-salt",
    )
    assert res.returncode == 0, res.stderr
    bundle = json.loads(out.read_text())
    assert bundle["resourceType"] == "Bundle" and bundle["entry"]
    text = out.read_text()
    assert "Margaret" not in text and '"p1"' not in text
    obs = next(e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == "Observation")
    assert obs["resourceType"] == "Observation" and obs["status"] in ("final", "preliminary")
    again = tmp_path / "c.json"
    run(
        "export",
        "--patient",
        "p1",
        "--format",
        "fhir",
        "--out",
        again,
        "--db",
        history_db,
        "--pseudonymise",
        "--salt",
        "s3cret-salt",
    )
    ids = {json.dumps(e["resource"].get("subject")) for e in bundle["entry"]}
    assert ids == {json.dumps(e["resource"].get("subject")) for e in json.loads(again.read_text())["entry"]}


def test_export_report_png(history_db: Path, tmp_path: Path) -> None:
    out = tmp_path / "r.png"
    res = run("export", "--patient", "p1", "--format", "report", "--out", out, "--db", history_db)
    assert res.returncode == 0, res.stderr
    assert out.read_bytes()[:4] == b"\x89PNG"


def test_progress_png(history_db: Path, tmp_path: Path) -> None:
    out = tmp_path / "fam.png"
    res = run("progress", "--patient", "p1", "--png", out, "--db", history_db, "--today", TODAY.isoformat())
    assert res.returncode == 0, res.stderr
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


@pytest.mark.parametrize("args", [
    ("progress", "--patient", "nobody", "--png", "OUT.png"),
    ("export", "--patient", "nobody", "--format", "csv", "--out", "OUT.csv"),
])  # fmt: skip
def test_unknown_patient_is_one_line_exit_2(history_db: Path, tmp_path: Path, args: tuple[str, ...]) -> None:
    argv = [a.replace("OUT", str(tmp_path / "o")) for a in args]
    res = run(*argv, "--db", history_db)
    assert res.returncode == 2
    lines = res.stderr.strip().splitlines()
    assert len(lines) == 1 and "unknown patient 'nobody'" in lines[0] and "p1" in lines[0]
    assert not list(tmp_path.iterdir())


def test_bad_database_and_options_are_one_line_exit_2(tmp_path: Path) -> None:
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"this is not a database at all" * 100)
    cases = [
        ("progress", "--patient", "p1", "--png", tmp_path / "x.png", "--db", junk),
        ("progress", "--patient", "p1", "--png", tmp_path / "x.png", "--db", tmp_path / "missing.db"),
        ("export", "--patient", "p1", "--format", "xml", "--out", tmp_path / "x", "--db", junk),
        ("progress", "--patient", "p1", "--png", tmp_path / "x.jpg", "--db", junk),
    ]
    for args in cases:
        res = run(*args)
        assert res.returncode == 2, args
        assert len(res.stderr.strip().splitlines()) == 1 and "Traceback" not in res.stderr
    assert not (tmp_path / "missing.db").exists()


def test_help_for_both_tools() -> None:
    for tool in ("progress", "export"):
        res = run(tool, "--help")
        assert res.returncode == 0 and "--patient" in res.stdout and "--db" in res.stdout
