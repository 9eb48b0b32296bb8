"""Exports: FHIR Bundle structure, pseudonymisation, CSV round trip, report files."""

from __future__ import annotations

import dataclasses
import json
import math
import struct
from pathlib import Path

import pytest

from game.export.csv_export import metric_rows, read_csv, write_csv
from game.export.data import ExportData, pseudonym
from game.export.fhir import fhir_bundle
from game.export.report import session_series, write_report

PID, ALIAS = "patient-0042", "Annie"


def make_data(n_sessions: int = 4) -> ExportData:
    sessions, reps, results = [], [], []
    for k in range(n_sessions):
        sessions.append(
            {
                "id": k + 1,
                "started_at": f"2025-03-{k + 1:02d}T09:00:00Z",
                "ended_at": f"2025-03-{k + 1:02d}T09:20:00Z",
                "status": "completed",
                "active_s": 900.0 + 60 * k,
                "pain_before": 2,
                "pain_after": 3,
            }
        )
        for j in range(4):
            reps.append(
                {
                    "session_id": k + 1,
                    "level_id": "reach-1",
                    "set_index": 0,
                    "rep_index": j,
                    "t_cue_s": 10.0 * j,
                    "t_end_s": 10.0 * j + 2.5,
                    "success": j != 3,
                    "compensated": j == 0,
                    "metrics": {
                        "reach_fraction": 0.5 + 0.01 * k + 0.001 * j,
                        "sparc": -1.9 + 0.1 * k,
                        "movement_time_s": 1.2,
                        "trunk_displacement_mm": math.nan if j == 1 else 40.0 - k,
                        "n_movement_units": 2.0,
                    },
                }
            )
        results.append(
            {
                "session_id": k + 1,
                "level_id": "reach-1",
                "stars": min(3, k),
                "metrics": {"sparc": -1.9 + 0.1 * k, "peak_speed_m_s": 0.6},
                "reliable": {"sparc": k != 2, "peak_speed_m_s": True},
            }
        )
    return ExportData(PID, ALIAS, "left", sessions, reps, results,
                      planned_minutes_per_day=30.0, planned_reps_per_day=20.0)  # fmt: skip


def test_pseudonymisation_removes_alias_and_id() -> None:
    data = make_data()
    bundle = fhir_bundle(data, pseudonymise_id=True, salt="clinic-secret-1")
    text = json.dumps(bundle)
    assert PID not in text and ALIAS not in text
    pseudo = pseudonym(PID, "clinic-secret-1")
    assert pseudo == pseudonym(PID, "clinic-secret-1") != pseudonym(PID, "other-secret")
    assert pseudo.startswith("p-") and len(pseudo) == 18
    patient = bundle["entry"][0]["resource"]
    assert patient["resourceType"] == "Patient" and patient["identifier"][0]["value"] == pseudo
    assert "name" not in patient
    subject = bundle["entry"][2]["resource"]["subject"]
    assert subject == {"reference": bundle["entry"][0]["fullUrl"]}
    with pytest.raises(ValueError, match="salt"):
        fhir_bundle(data, pseudonymise_id=True, salt="")


def test_csv_round_trip(tmp_path: Path) -> None:
    data = make_data()
    metrics_path, sessions_path = write_csv(data, tmp_path / "out.csv")
    assert sessions_path.name == "out_sessions.csv"
    rows, back = metric_rows(data), read_csv(metrics_path)
    # 4 sessions x 4 reps x (5 metrics + success + compensated) + 4 summaries x (2 metrics + stars)
    assert len(back) == len(rows) == 4 * 4 * 7 + 4 * 3
    for a, b in zip(rows, back, strict=True):
        for x, y in zip(dataclasses.astuple(a), dataclasses.astuple(b), strict=True):
            assert x == y or (isinstance(x, float) and math.isnan(x) and math.isnan(y)), (a, b)
    nan_rows = [r for r in back if math.isnan(r.value)]
    assert len(nan_rows) == 4 and not any(r.reliable for r in nan_rows)
    lines = sessions_path.read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("session_id,started_at") and len(lines) == 5
    assert lines[1].endswith(",4,3,")  # 4 reps, 3 successes, no stored plan


def test_csv_to_directory_pseudonymised(tmp_path: Path) -> None:
    (tmp_path / "exports").mkdir()
    paths = write_csv(make_data(), tmp_path / "exports", pseudonymise_id=True, salt="s3cret-salt")
    assert all(PID not in p.name for p in paths) and all(p.exists() for p in paths)
    assert ALIAS not in paths[0].read_text(encoding="utf-8")


def test_read_csv_rejects_wrong_header(tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("a,b\n1,2\n", encoding="utf-8")
    with pytest.raises(ValueError, match="bad.csv: header"):
        read_csv(bad)


def test_session_series_medians_and_reliability() -> None:
    xs, ys, ok = session_series(make_data(), "trunk_displacement_mm")
    assert xs == [1, 2, 3, 4] and ys == [40.0, 39.0, 38.0, 37.0] and all(ok)
    xs, ys, ok = session_series(make_data(), "peak_speed_m_s")  # only in level results
    assert ys == [0.6] * 4 and all(ok)
    data = make_data()
    for r in data.reps:
        if r["session_id"] == 2 and r["rep_index"] > 0:
            r["metrics"]["sparc"] = math.nan
    assert session_series(data, "sparc")[2] == [True, False, True, True]


def test_report_png_and_pdf(tmp_path: Path) -> None:
    png = write_report(make_data(), tmp_path / "r.png")
    head = png.read_bytes()[:24]
    assert head[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", head[16:24])
    assert (width, height) == (int(8.27 * 120), int(11.69 * 120))  # A4 at 120 dpi
    pdf = write_report(make_data(), tmp_path / "r.pdf", pseudonymise_id=True,
                       salt="clinic-secret-1")  # fmt: skip
    raw = pdf.read_bytes()
    assert raw.startswith(b"%PDF-") and b"%%EOF" in raw[-64:] and len(raw) > 5000
    with pytest.raises(ValueError, match=r"\.pdf or \.png"):
        write_report(make_data(), tmp_path / "r.svg")


def test_report_with_no_sessions(tmp_path: Path) -> None:
    empty = ExportData(PID, ALIAS, "right", [], [], [])
    assert write_report(empty, tmp_path / "e.png").stat().st_size > 1000


def test_export_patient_writes_the_asked_format_and_refuses_others(tmp_path: Path) -> None:
    from game.export.writer import export_patient
    from game.storage import open_database
    from tests.history import make_history

    with open_database(tmp_path / "h.db") as db:
        make_history(db, weeks=1)
        patient = db.get_patient("p1")
        assert patient is not None
        with pytest.raises(ValueError, match="xls"):
            export_patient(db, patient, "xls", tmp_path / "out" / "m.xls")
        assert not (tmp_path / "out").exists()  # nothing written for a bad format
        (tmp_path / "out").mkdir()
        written = export_patient(db, patient, "csv", tmp_path / "out" / "m.csv")
        [bundle] = export_patient(db, patient, "fhir", tmp_path / "out" / "b.json", pseudonymise=True)
        salt = db.get_meta("export_salt")  # made on first use and kept, so pseudonyms link up
    assert [p.name for p in written] == ["m.csv", "m_sessions.csv"]
    text = bundle.read_text(encoding="utf-8")
    assert salt and pseudonym("p1", salt) in text and '"p1"' not in text
