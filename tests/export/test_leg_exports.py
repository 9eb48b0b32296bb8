"""A standard test's result reaches the clinician PDF and the FHIR export with the norm it was
compared with when it was taken (issue 15: results in the PDF and the FHIR export)."""

from __future__ import annotations

from pathlib import Path

import pytest
from pypdf import PdfReader

from game.export.fhir import fhir_bundle
from game.export.report import write_report
from game.export.writer import export_data
from game.storage import open_database
from game.therapist.leg_results import stored_test_lines
from game.tracking.simulated import MILD
from tests.playing import play


@pytest.fixture(scope="module")
def chair_stand_db(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, int]:
    """The 30-s chair stand played through the real loop by a 62-year-old woman (simulated)."""
    path = tmp_path_factory.mktemp("legs") / "t.db"
    out = play(
        MILD,
        path,
        seconds=55.0,
        level="test-chair-stand",
        patient_settings={"age_years": 62, "sex": "female"},
    )
    assert out.sessions[0].status == "completed"
    return path, int(out.reps[0].metrics["n_chair_stands"])


def test_the_pdf_shows_the_test_against_its_stored_norm(
    chair_stand_db: tuple[Path, int], tmp_path: Path
) -> None:
    path, n = chair_stand_db
    with open_database(path) as db:
        patient = db.get_patient("demo")
        assert patient is not None
        data = export_data(db, patient)
    text = " ".join(p.extract_text() for p in PdfReader(write_report(data, tmp_path / "r.pdf")).pages)
    text = " ".join(text.split())
    assert "Standard tests" in text
    assert f"30-second chair stand: {n} stands in 30 seconds" in text
    assert "norm 12-17" in text and "STEADI" in text


def test_fhir_carries_the_count_and_the_category(chair_stand_db: tuple[Path, int]) -> None:
    path, n = chair_stand_db
    with open_database(path) as db:
        patient = db.get_patient("demo")
        assert patient is not None
        bundle = fhir_bundle(export_data(db, patient), include_reps=True)
    values = {}
    for entry in bundle["entry"]:
        res = entry["resource"]
        if res["resourceType"] == "Observation":
            values.setdefault(res["code"]["coding"][0]["code"], []).append(
                res.get("valueQuantity", {}).get("value")
            )
    assert n in values["n_chair_stands"]
    assert set(values["norm_category"]) <= {-1.0, 0.0, 1.0} and values["norm_category"]


def test_report_lines_from_stored_results() -> None:
    """Known stored results give the published category's words; no age and sex says so."""
    below = {"n_chair_stands": 11.0, "n_chair_stands_norm_low": 12.0, "n_chair_stands_norm_high": 17.0,
             "norm_category": -1.0}  # fmt: skip
    lines = stored_test_lines([{"metrics": {"five_sts_time_s": 9.0}}, {"metrics": below}])
    assert lines[0].startswith("Five-times sit-to-stand: 5 stands in 9 seconds (no norm")
    assert lines[1].startswith("30-second chair stand: 11 stands in 30 seconds - below average")
    assert "norm 12-17" in lines[1] and "§6.9" in lines[1]
    assert stored_test_lines([{"metrics": {"sparc": -2.0}}]) == []
