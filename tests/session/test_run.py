"""SessionRun: therapist settings become level parameters only where the therapist set them."""

from __future__ import annotations

import pytest

from game.levels import load_all
from game.session.plan import build_plan


def _run_for(tmp_path, settings: dict, level_type: str = "reach"):  # type: ignore[no-untyped-def]
    from game.session.clock import utc_now
    from game.session.run import SessionRun
    from game.storage import Patient, open_database
    from game.therapist.settings_schema import PatientSettings

    tmp_path.mkdir(parents=True, exist_ok=True)  # a database folder is never made silently
    db = open_database(tmp_path / "s.db")
    patient = Patient("p1", "Ann", "left", utc_now(), settings)
    db.add_patient(patient)
    levels = {k: v for k, v in load_all().items() if v.type == level_type}
    plan = build_plan(levels, [])
    ps = PatientSettings.from_mapping(dict(settings, affected_side="left"))
    return SessionRun(
        db=db, patient=patient, settings=ps, plan=plan, source_name="test", frame_size=(1280, 720)
    ), db


def test_only_settings_the_therapist_set_override_the_level(tmp_path) -> None:  # type: ignore[no-untyped-def]
    run, db = _run_for(tmp_path, {})
    assert run.overrides() == {}  # defaults do not flatten the level progression
    db.close()
    run, db = _run_for(tmp_path / "b", {"target_reach_fraction": 0.4, "target_radius_norm": 0.08, "reps": 3})
    out = run.overrides()
    assert out["reach_fraction"] == pytest.approx(0.4)
    assert out["target_radius_norm"] == pytest.approx(0.08 * 720 / 1280)  # screen heights → widths
    assert out["reps"] == 3
    assert run.limits.max_reach_fraction == pytest.approx(0.9)
    db.close()
