"""Issue 12 items 9 and 10: the PIN lockout with the clock set back, and pseudonymised exports
that keep no exact date and no database row id."""

from __future__ import annotations

import csv
import json
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from game.storage import open_database
from game.therapist.pin import BASE_DELAY_S, FREE_TRIES, PinGate
from tests.faults.conftest import run_main
from tests.history import make_history

HOUR_S = 3600.0


class DictStore:
    def __init__(self) -> None:
        self.data: dict[str, str] = {}

    def get_meta(self, key: str) -> str | None:
        return self.data.get(key)

    def set_meta(self, key: str, value: str) -> None:
        self.data[key] = value


def _locked_gate(store: DictStore, wall_s: float, mono: list[float]) -> PinGate:
    gate = PinGate(store, monotonic=lambda: mono[0])
    gate.set_first_pin("4826")
    for _ in range(FREE_TRIES + 1):
        gate.attempt("0000", wall_s)
    return gate


def test_clock_set_back_two_hours_does_not_extend_the_lock_within_a_run() -> None:
    store, mono = DictStore(), [100.0]
    gate = _locked_gate(store, 1e9, mono)
    assert gate.locked_for_s(1e9 - 2 * HOUR_S) == pytest.approx(BASE_DELAY_S)
    mono[0] += BASE_DELAY_S + 1
    assert gate.locked_for_s(1e9 - 2 * HOUR_S + 1) == 0.0
    assert gate.attempt("4826", 1e9 - 2 * HOUR_S + 2).ok


def test_clock_set_back_two_hours_does_not_extend_the_lock_across_restarts() -> None:
    store, mono = DictStore(), [0.0]
    _locked_gate(store, 1e9, mono)
    back_s = 1e9 - 2 * HOUR_S
    restarted = PinGate(store, monotonic=lambda: mono[0])
    assert restarted.locked_for_s(back_s) <= BASE_DELAY_S  # never "15 min, still two hours later"
    again = PinGate(store)  # another restart, still on the set-back clock
    assert again.locked_for_s(back_s + BASE_DELAY_S + 1) == 0.0
    assert again.attempt("4826", back_s + BASE_DELAY_S + 2).ok


@pytest.fixture
def two_patients(tmp_path: Path) -> Path:
    path = tmp_path / "two.db"
    with open_database(path) as db:
        make_history(db, "p0", alias="Other", weeks=1, balance=False)  # p1's ids do not start at 1
        make_history(db, "p1", weeks=2, balance=False)
    return path


def _times(text: str) -> set[str]:
    return {t[:19] for t in text.replace('"', " ").replace(",", " ").split() if t[:2] == "20" and "T" in t}


def test_pseudonymised_csv_shifts_every_date_and_numbers_sessions_itself(
    two_patients: Path, tmp_path: Path, capsys
) -> None:
    with open_database(two_patients, read_only=True) as db:
        sessions = db.sessions("p1")
    stored = {s.started_at[:19] for s in sessions} | {str(s.ended_at)[:19] for s in sessions}
    out = tmp_path / "m.csv"
    args = ["export", "--patient", "p1", "--format", "csv", "--pseudonymise", "--salt", "s3cret-salt"]
    code, _, err = run_main([*args, "--db", two_patients, "--out", out], capsys)
    assert code == 0, err
    rows = list(csv.DictReader((tmp_path / "m_sessions.csv").open()))
    assert [r["session_id"] for r in rows] == [str(i) for i in range(1, len(sessions) + 1)]
    assert min(s.id for s in sessions) > 1  # so 1..N are not the database's ids
    shifts = {
        datetime.fromisoformat(r["started_at"]) - datetime.fromisoformat(s.started_at.replace("Z", "+00:00"))
        for r, s in zip(rows, sessions, strict=True)
    }
    (shift,) = shifts  # one offset for the whole export, whole days, never zero
    assert shift != timedelta(0) and shift.seconds == 0
    everything = out.read_text() + (tmp_path / "m_sessions.csv").read_text()
    assert not stored & _times(everything)
    assert "shifted" in (tmp_path / "m_README.txt").read_text()


def test_pseudonymised_fhir_has_no_exact_time_and_says_so(two_patients: Path, tmp_path: Path, capsys) -> None:
    with open_database(two_patients, read_only=True) as db:
        stored = {s.started_at[:19] for s in db.sessions("p1")}
    out = tmp_path / "b.json"
    args = [
        "export",
        "--patient",
        "p1",
        "--format",
        "fhir",
        "--pseudonymise",
        "--reps",
        "--salt",
        "s3cret-salt",
    ]
    code, _, err = run_main([*args, "--db", two_patients, "--out", out], capsys)
    assert code == 0, err
    bundle = json.loads(out.read_text())
    assert "timestamp" not in bundle
    assert bundle["meta"]["security"][0]["code"] == "PSEUDED"
    times = {t[:19] for e in bundle["entry"] for t in _observation_times(e["resource"])}
    assert times and not stored & times
    first = run_main([*args, "--db", two_patients, "--out", tmp_path / "c.json"], capsys)
    assert first[0] == 0
    other = json.loads((tmp_path / "c.json").read_text())
    assert _patient_ids(other) == _patient_ids(bundle)  # the pseudonym links exports; only dates move


def _observation_times(resource: dict) -> list[str]:
    """Every time an Observation states (its effectiveDateTime or its period's ends)."""
    period = resource.get("effectivePeriod", {})
    return [t for t in (resource.get("effectiveDateTime"), period.get("start"), period.get("end")) if t]


def _patient_ids(bundle: dict) -> set[str]:
    return {
        ident["value"]
        for e in bundle["entry"]
        if e["resource"]["resourceType"] == "Patient"
        for ident in e["resource"].get("identifier", [])
    }


def test_pseudonymised_report_draws_the_shifted_date_range(two_patients: Path) -> None:
    from game.export.data import pseudonymise
    from game.export.report import _sessions
    from game.export.writer import export_data

    with open_database(two_patients, read_only=True) as db:
        data = export_data(db, db.get_patient("p1"))  # type: ignore[arg-type]
    shifted = pseudonymise(data, "s3cret-salt", shift_days=-40)
    days = [d for _, d in _sessions(data)]
    moved = [d for _, d in _sessions(shifted)]
    assert moved == [d - timedelta(days=40) for d in days]
    assert shifted.dates_shifted and all("id" not in r for r in shifted.reps)
