"""The therapist's face settings reach the face levels through the real game: the weak side of the
face (which half the mirror replaces and which side a rep's goal is asked of) and the mouth-opening
limit (no jaw level asks past it); both are validated patient settings shown in the editor."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from game.launch import ensure_demo_patient
from game.scenes.therapist_settings import editor_rows
from game.storage import open_database
from game.storage.records import utc_now
from game.therapist.settings_schema import PatientSettings, SettingsError
from game.tracking.sim_face import FaceModel
from game.tracking.simulated import PatientModel
from tests.playing import play


def with_settings(db_path: Path, **settings: object) -> None:
    db = open_database(db_path)
    try:
        ensure_demo_patient(db, "left")
        db.update_patient_settings("demo", settings, who="therapist", reason="test", at=utc_now())
    finally:
        db.close()


def test_the_weak_side_of_the_face_can_differ_from_the_affected_arm(tmp_path: Path) -> None:
    with_settings(tmp_path / "p.db", face_weak_side="right")
    model = PatientModel(affected_side="left", face=FaceModel(palsy=0.5, weak_side="right"))
    out = play(model, tmp_path / "p.db", seconds=30.0, level="smile-sunny", seed=2)
    assert len(out.reps) == 5
    m = out.reps[0].metrics
    assert m["face_weak_left"] == 0.0 and m["smile_right_mm"] < 0.7 * m["smile_left_mm"]


def test_the_mouth_opening_limit_caps_every_level(tmp_path: Path) -> None:
    with_settings(tmp_path / "p.db", max_mouth_opening_mm=15.0)
    out = play(PatientModel(), tmp_path / "p.db", seconds=45.0, level="jaw-wider", seed=2)
    assert len(out.reps) == 5
    for rep in out.reps:
        assert rep.metrics["opening_target_mm"] == rep.metrics["opening_limit_mm"] == 15.0
        assert rep.metrics["peak_mouth_opening_mm"] <= 15.0 + 1.0
    assert np.median([r.metrics["peak_mouth_opening_mm"] for r in out.reps]) == pytest.approx(15.0, abs=1.0)


def test_the_settings_are_validated_and_in_the_editor() -> None:
    s = PatientSettings(face_weak_side="right", max_mouth_opening_mm=22.0)
    assert PatientSettings.from_mapping(s.to_mapping()) == s
    assert PatientSettings().face_weak_side is None and PatientSettings().max_mouth_opening_mm == 30.0
    with pytest.raises(SettingsError, match="face_weak_side"):
        PatientSettings(face_weak_side="middle")
    with pytest.raises(SettingsError, match="max_mouth_opening_mm: 75 mm is above the allowed maximum 60 mm"):
        PatientSettings(max_mouth_opening_mm=75.0)
    rows = {row.key for row in editor_rows(None)}
    assert {"face_weak_side", "max_mouth_opening_mm"} <= rows
