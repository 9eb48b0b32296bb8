"""Exports: FHIR Bundle structure, pseudonymisation, CSV round trip, report files."""

from __future__ import annotations

import json
import math
import struct
from pathlib import Path

import pytest

from game.export.csv_export import metric_rows, read_csv, write_csv
from game.export.data import LOCAL_SYSTEM, UCUM, ExportData, pseudonym, unit_for_metric
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


@pytest.mark.parametrize(
    ("name", "unit"),
    [("movement_time_s", "s"), ("reaction_time_ms", "ms"), ("peak_speed_m_s", "m/s"),
     ("peak_shoulder_flexion_deg", "deg"), ("trunk_displacement_mm", "mm"),
     ("end_point_error_m", "m"), ("sparc", "1"), ("path_length_ratio", "1"),
     ("reach_fraction", "1"), ("n_movement_units", "{count}"), ("success", "1"),
     ("stars", "{star}"), ("active_min", "min"), ("pain_before", "{score}")],
)  # fmt: skip
def test_units_from_names(name: str, unit: str) -> None:
    assert unit_for_metric(name) == unit


def test_fhir_bundle_structure() -> None:
    data = make_data()
    bundle = fhir_bundle(data, timestamp="2025-03-05T12:00:00Z")
    json.dumps(bundle, allow_nan=False)  # valid JSON: no NaN leaks out
    assert bundle["resourceType"] == "Bundle" and bundle["type"] == "collection"
    entries = bundle["entry"]
    assert len({e["fullUrl"] for e in entries}) == len(entries)
    codes = set()
    for entry in entries:
        obs = entry["resource"]
        assert entry["fullUrl"] == f"urn:uuid:{obs['id']}"
        assert obs["resourceType"] == "Observation" and obs["status"] == "final"
        (coding,) = obs["code"]["coding"]
        assert coding["system"] and coding["code"] and coding["display"]
        codes.add((coding["system"], coding["code"]))
        assert obs["subject"]["reference"] == f"Patient/{PID}"
        assert obs["subject"]["display"] == ALIAS
        assert obs["effectiveDateTime"].startswith("2025-03-0")
        q = obs["valueQuantity"]
        assert math.isfinite(q["value"]) and q["system"] == UCUM and q["unit"] == q["code"]
    assert ("http://loinc.org", "55411-3") in codes and ("http://loinc.org", "72514-3") in codes
    assert (LOCAL_SYSTEM, "sparc") in codes and (LOCAL_SYSTEM, "stars") in codes
    # 4 sessions × (minutes, pain ×2, reps) + 4 results × (2 metrics + stars).
    assert len(entries) == 4 * 4 + 4 * 3
    minutes = [e["resource"] for e in entries if e["resource"]["code"]["coding"][0]["code"] == "55411-3"]
    assert [m["valueQuantity"]["value"] for m in minutes] == [15.0, 16.0, 17.0, 18.0]
    flagged = [e["resource"] for e in entries if any("Unreliable" in n["text"]
               for n in e["resource"]["note"])]  # fmt: skip
    assert len(flagged) == 1 and flagged[0]["code"]["coding"][0]["code"] == "sparc"
    assert fhir_bundle(data, timestamp="2025-03-05T12:00:00Z") == bundle  # deterministic


def test_fhir_reps_are_optional_and_skip_nan() -> None:
    data = make_data(1)
    with_reps = fhir_bundle(data, include_reps=True)["entry"]
    extra = len(with_reps) - len(fhir_bundle(data)["entry"])
    # 4 reps × 6 metrics (5 + success), minus the one NaN trunk displacement.
    assert extra == 4 * 6 - 1
    times = {e["resource"]["effectiveDateTime"] for e in with_reps}
    assert "2025-03-01T09:00:12.500000+00:00" in times  # session start + t_end_s


def test_pseudonymisation_removes_alias_and_id() -> None:
    data = make_data()
    bundle = fhir_bundle(data, pseudonymise_id=True, salt="clinic-secret-1")
    text = json.dumps(bundle)
    assert PID not in text and ALIAS not in text
    pseudo = pseudonym(PID, "clinic-secret-1")
    assert pseudo == pseudonym(PID, "clinic-secret-1") != pseudonym(PID, "other-secret")
    assert pseudo.startswith("p-") and len(pseudo) == 18
    subject = bundle["entry"][0]["resource"]["subject"]
    assert subject["reference"] == f"Patient/{pseudo}" and "display" not in subject
    with pytest.raises(ValueError, match="salt"):
        fhir_bundle(data, pseudonymise_id=True, salt="")


def test_csv_round_trip(tmp_path: Path) -> None:
    data = make_data()
    metrics_path, sessions_path = write_csv(data, tmp_path / "out.csv")
    assert sessions_path.name == "out_sessions.csv"
    rows, back = metric_rows(data), read_csv(metrics_path)
    assert len(back) == len(rows) == 4 * 4 * 7 + 4 * 3
    for a, b in zip(rows, back, strict=True):
        assert (a.session_id, a.started_at, a.level_id, a.set_index, a.rep_index, a.metric,
                a.unit, a.reliable) == (b.session_id, b.started_at, b.level_id, b.set_index,
                                        b.rep_index, b.metric, b.unit, b.reliable)  # fmt: skip
        assert (math.isnan(a.value) and math.isnan(b.value)) or a.value == b.value
    nan_rows = [r for r in back if math.isnan(r.value)]
    assert len(nan_rows) == 4 and not any(r.reliable for r in nan_rows)
    lines = sessions_path.read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("session_id,started_at") and len(lines) == 5
    assert lines[1].endswith(",4,3")  # 4 reps, 3 successes


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
