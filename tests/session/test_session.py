"""Session logic: plans, fatigue and pain rules, level summaries, recording windows."""

from __future__ import annotations

import math

import numpy as np
import pytest

from game.levels import DEFAULT_PLAN, LevelError, load_all, load_plan
from game.session import (
    DEFAULT_REST_S,
    Recording,
    build_plan,
    fatigue,
    level_summary,
    pain_stop,
)
from game.tracking.pose import PoseFrame, empty_landmarks


def test_plan_expands_sets_and_skips_unknown_levels() -> None:
    levels = load_all()
    first = next(iter(levels))
    plan = build_plan(
        levels, [{"level": first, "sets": 3, "reps": 4, "rest_s": 20.0}, {"level": "gone-level", "sets": 1}]
    )
    assert [(i.spec.id, i.set_index, i.reps, i.rest_s) for i in plan] == [
        (first, 0, 4, 20.0),
        (first, 1, 4, 20.0),
        (first, 2, 4, 20.0),
    ]


def test_empty_plan_plays_the_shipped_default_plan() -> None:
    levels = load_all()
    steps = load_plan(DEFAULT_PLAN, levels)
    plan = build_plan(levels, [])
    assert len(plan) == sum(int(s.get("sets", 1)) for s in steps)
    assert plan[0].spec.id == steps[0]["level"]
    # without the default plan's levels: every given level once, in order
    reach_only = {k: v for k, v in levels.items() if v.type == "reach"}
    fallback = build_plan(reach_only, [])
    assert [i.spec.id for i in fallback] == list(reach_only)
    assert all(i.rest_s == DEFAULT_REST_S for i in fallback)


def test_bad_plan_file_names_the_step_and_key(tmp_path) -> None:  # type: ignore[no-untyped-def]
    levels = load_all()
    bad = tmp_path / "plan.toml"
    bad.write_text('[[steps]]\nlevel = "reach-apples"\n[[steps]]\nlevel = "nope"\n', encoding="utf-8")
    with pytest.raises(LevelError, match=r"plan.toml: steps\[1\].level: unknown level 'nope'"):
        load_plan(bad, levels)
    bad.write_text('[[steps]]\nlevel = "reach-apples"\nsets = "two"\n', encoding="utf-8")
    with pytest.raises(LevelError, match=r"steps\[0\].sets"):
        load_plan(bad, levels)
    only = build_plan(levels, [], only=list(levels)[-1])
    assert [i.spec.id for i in only] == [list(levels)[-1]]


def _reps(speeds: list[float]) -> list[dict[str, float]]:
    return [{"peak_speed_m_s": s, "reach_fraction": 0.8, "n_movement_units": 1.0} for s in speeds]


def test_fatigue_rule_fires_on_falling_speed_only() -> None:
    assert fatigue(_reps([1.0, 1.0, 1.0, 1.0, 0.95, 0.9])) is None
    assert fatigue(_reps([1.0, 1.0, 1.0, 0.7, 0.65, 0.6])) == "Movements are getting slower"
    assert fatigue(_reps([1.0, 1.0, 0.5])) is None  # too few reps to judge
    nan_reps = _reps([math.nan] * 6)
    assert fatigue(nan_reps) is None  # unmeasurable is not tired


def test_fatigue_rule_on_fragmented_movements() -> None:
    reps = _reps([1.0] * 6)
    for r in reps[3:]:
        r["n_movement_units"] = 3.0
    assert fatigue(reps) == "Movements are getting shakier"


@pytest.mark.parametrize(
    ("before", "now", "stop"),
    [(0, 1, False), (0, 2, True), (3, 4, False), (3, 6, True), (5, 2, False), (None, 9, False)],
)
def test_pain_rise_of_two_points_stops(before: int | None, now: int, stop: bool) -> None:
    assert pain_stop(before, now) is stop


def test_level_summary_uses_medians_and_success_rate() -> None:
    reps = [
        {"hold_s": 4.0, "success": 1.0},
        {"hold_s": 8.0, "success": 0.0},
        {"hold_s": math.nan, "success": 1.0},
        {"hold_s": 6.0, "success": 1.0},
    ]
    out, ok = level_summary(reps)
    assert out["hold_s"] == pytest.approx(6.0) and ok["hold_s"]
    assert out["success_rate"] == pytest.approx(0.75)
    assert out["reps"] == 4
    assert math.isnan(level_summary([])[0]["success_rate"])


def test_unreliable_reps_are_never_averaged_in() -> None:
    reps = [
        {"sparc": -1.4, "sparc_reliable": 1.0},
        {"sparc": -9.0, "sparc_reliable": 0.0},
        {"sparc": -1.6, "sparc_reliable": 1.0},
        {"sparc": -1.5, "sparc_reliable": 1.0},
    ]
    out, ok = level_summary(reps)
    assert out["sparc"] == pytest.approx(-1.5) and ok["sparc"]
    out, ok = level_summary(reps[:2])  # one reliable rep is not enough to report (§1)
    assert out["sparc"] == pytest.approx(-1.4) and not ok["sparc"]
    assert "sparc_reliable" not in out


def _frame(t: float) -> PoseFrame:
    img = empty_landmarks()
    img[:, :3] = t
    img[:, 3] = 1.0
    return PoseFrame(t, img, img.copy())


def test_recording_window_is_inclusive_and_ignores_repeats() -> None:
    rec = Recording()
    for t in (0.0, 0.1, 0.2, 0.2, 0.3, 0.25):
        rec.append(_frame(t))
    assert len(rec) == 4  # the repeated 0.2 and the backwards 0.25 are dropped
    t, image, world = rec.window(0.1, 0.2)
    np.testing.assert_allclose(t, [0.1, 0.2])
    assert image.shape == (2, 33, 4) and world.shape == (2, 33, 4)
    t, image, _ = rec.window(5.0, 6.0)
    assert len(t) == 0 and image.shape == (0, 33, 4)


def _run_for(tmp_path, settings: dict, level_type: str = "reach"):  # type: ignore[no-untyped-def]
    from game.session import SessionRun, utc_now
    from game.storage import Patient, open_database
    from game.therapist.settings_schema import PatientSettings

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


def test_calibrated_body_keeps_its_arm_length(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from game.exercises.base import Body, body_for_level
    from game.tracking.simulated import SimulatedPatient

    frame = SimulatedPatient().poll(0.0)
    assert frame is not None
    cal = Body((0.0, 0.0), 400.0, 100.0, (0.0, 0.0), 0.61)
    live = body_for_level(None, frame, "left", (1280, 720))
    both = body_for_level(cal, frame, "left", (1280, 720))
    assert both.shoulder_px == live.shoulder_px and both.arm_px == 400.0 and both.arm_m == 0.61


def test_rom_is_compared_with_the_unaffected_side_and_age_norm() -> None:
    from game.session import rom_comparison

    reps = [{"affected_peak_shoulder_abduction_deg": v} for v in (40.0, 66.0, math.nan, 55.0)]
    out = rom_comparison(reps, {"range_out_deg": 132.0}, age_years=70.0)
    assert out["affected_abduction_max_deg"] == pytest.approx(66.0)
    assert out["affected_abduction_pct_unaffected"] == pytest.approx(50.0)
    assert out["affected_abduction_pct_norm"] == pytest.approx(100 * 66.0 / 165.0)  # Walker 65-85 y
    assert math.isnan(rom_comparison(reps, None)["affected_abduction_pct_unaffected"])
