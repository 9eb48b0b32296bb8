"""The review screen's planned dose is the plan the patient actually plays (was "of 16 reps",
the unused per-patient sets x reps, when the therapist had not made a plan)."""

from __future__ import annotations

import tomllib

from game.levels import DEFAULT_PLAN, load_all
from game.therapist.review import planned_dose
from game.therapist.settings_schema import PatientSettings


def _own_reps(level_id: str) -> int:
    return int(getattr(load_all()[level_id].params, "reps", 0) or 0)


def test_without_a_plan_the_dose_is_the_shipped_plan_that_is_played() -> None:
    steps = tomllib.loads(DEFAULT_PLAN.read_text(encoding="utf-8"))["steps"]
    expected = sum(int(s.get("sets", 1)) * int(s.get("reps", _own_reps(s["level"]))) for s in steps)
    settings = PatientSettings()
    assert not settings.plan
    minutes, reps = planned_dose(settings)
    assert reps == expected
    assert reps != settings.sets * settings.reps  # the old fallback (16) was never played
    assert minutes == settings.session_minutes


def test_the_patients_own_plan_is_counted_set_by_set() -> None:
    plan = [{"level": "reach-apples", "sets": 2, "reps": 4, "rest_s": 10.0},
            {"level": "reach-bubbles", "sets": 1, "reps": 5, "rest_s": 0.0}]  # fmt: skip
    settings = PatientSettings.from_mapping({"plan": plan})
    assert planned_dose(settings)[1] == 2 * 4 + 5
