"""Leg levels through the real App loop: stance levels are stood in the demo, a fall during a
standing level stops it and the session and is stored for the therapist, a "seated only"
patient never gets a standing level, and a standard test's result reaches the review and the
family screen in plain words against its norm."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

import numpy as np

from game.levels import load_all
from game.scoring.lower_limb import hip_height_shanks
from game.session.plan import allowed_levels, build_plan
from game.storage import open_database
from game.therapist.leg_results import fall_levels, norm_line, norm_lines
from game.therapist.review import progress_summary
from game.therapist.settings_schema import PatientSettings
from game.tracking.motor import Motor, Posture
from game.tracking.pose import Goal, PoseFrame
from game.tracking.simulated import MILD, SimulatedPatient
from tests.playing import play


class Recorded(SimulatedPatient):
    """The simulated patient, keeping every frame it gives the game."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.frames: list[PoseFrame] = []

    def poll(self, now_s: float) -> PoseFrame | None:
        frame = super().poll(now_s)
        if frame is not None:
            self.frames.append(frame)
        return frame


class Faller(Recorded):
    """Falls once it has stood for ``after_s``, whatever the game asks afterwards."""

    def __init__(self, after_s: float) -> None:
        super().__init__(MILD, seed=5)
        self.after_s, self.stood_at, self.fell = after_s, None, False

    def set_goal(self, goal: Motor | Goal | None) -> None:
        now = self._tick / self.model.fps_hz
        standing = isinstance(goal, Motor) and goal.posture is not None and goal.posture.stand
        if standing and self.stood_at is None:
            self.stood_at = now
        if self.fell or (self.stood_at is not None and now - self.stood_at >= self.after_s):
            self.fell = True
            goal = Motor(posture=Posture(stand=True, fallen=True))
        super().set_goal(goal)


def _hip_height(frames: list[PoseFrame]) -> np.ndarray:
    px = np.array([f.image[:, :2] for f in frames], dtype=np.float64) * np.array([1280.0, 720.0])
    px[np.array([f.image[:, 3] for f in frames]) < 0.5] = np.nan
    return hip_height_shanks(px)


def test_stance_levels_are_played_standing_in_the_demo(tmp_path: Path) -> None:
    """The three holds of "stand like a tree" (4 + 6 + 8 s, with rests) are stood: the hips
    at standing height (about 2 shank lengths above the ankles) for most of the level."""
    source = Recorded(MILD, seed=3)
    out = play(MILD, tmp_path / "s.db", seconds=40.0, level="stand-steady", source=source)
    assert out.sessions[0].status == "completed" and len(out.reps) == 3 and all(r.success for r in out.reps)
    hip = _hip_height(source.frames)
    assert np.sum(hip > 1.8) / MILD.fps_hz > 20.0
    assert np.isnan(hip[:30]).all()  # at the arm levels' distance its feet were not seen at first
    legs_m = [f.world[27, 1] - f.world[23, 1] for f in source.frames[:30]]
    assert max(legs_m) < 0.6  # and it sat (ankles 0.47 m below the hips, 0.9 m standing)


def test_a_fall_stops_the_level_and_the_session_and_is_shown_to_the_therapist(tmp_path: Path) -> None:
    source = Faller(after_s=8.0)
    out = play(MILD, tmp_path / "f.db", seconds=40.0, level="squat", source=source)
    session = out.sessions[0]
    falls = [r for r in out.reps if r.metrics.get("fall_detected") == 1.0]
    assert source.fell and len(falls) == 1 and session.status == "aborted"
    fall = falls[0]
    assert (
        not fall.success and fall.metrics["fall_drop_shanks"] > 0.8 and fall.metrics["fall_tilt_deg"] >= 60.0
    )
    assert all(r.t_cue_s <= fall.t_cue_s for r in out.reps)  # nothing played after the fall
    assert fall_levels(out.level_results) == ["squat"]


def test_sitting_down_and_squatting_fast_are_never_falls(tmp_path: Path) -> None:
    quick = replace(MILD, leg_speed=2.5)
    for level in ("sit-to-stand", "squat"):
        out = play(quick, tmp_path / f"{level}.db", seconds=35.0, level=level)
        assert out.reps and not any(r.metrics.get("fall_detected") for r in out.reps), level
        assert out.sessions[0].status == "completed"


def test_a_seated_only_patient_never_gets_a_standing_level(tmp_path: Path) -> None:
    levels = load_all()
    standing = {k for k, v in levels.items() if v.kind.standing}
    assert {"stand-steady", "sit-to-stand", "squat", "march-slow", "test-chair-stand"} <= standing
    assert not {"leg-mirror-knee", "reach-apples"} & standing
    seated = allowed_levels(levels, seated_only=True)
    assert not set(seated) & standing and set(allowed_levels(levels, False)) == set(levels)
    plan = [
        {"level": "squat", "sets": 1, "reps": 3, "rest_s": 5.0},
        {"level": "reach-apples", "sets": 1, "reps": 3, "rest_s": 5.0},
    ]
    assert [i.spec.id for i in build_plan(levels, plan, seated_only=True)] == ["reach-apples"]
    default = [i.spec.id for i in build_plan(levels, None, seated_only=True)]
    assert (
        default
        and "stand-steady" not in default
        and "stand-steady" in [i.spec.id for i in build_plan(levels, None)]
    )
    assert "squat" not in [i.spec.id for i in build_plan(levels, None, "squat", seated_only=True)]
    out = play(
        MILD, tmp_path / "seated.db", seconds=20.0, level="squat", patient_settings={"seated_only": True}
    )
    assert out.reps and not {r.level_id for r in out.reps} & standing


def test_a_test_result_reaches_the_review_and_the_family_in_plain_words(tmp_path: Path) -> None:
    settings = {"age_years": 62, "sex": "female"}
    db_path = tmp_path / "t.db"
    out = play(MILD, db_path, seconds=55.0, level="test-chair-stand", patient_settings=settings)
    rep = out.reps[0]
    n = int(rep.metrics["n_chair_stands"])
    assert out.sessions[0].status == "completed" and 8 <= n <= 16
    assert rep.metrics["n_chair_stands_norm_low"] == 12.0 and rep.metrics["n_chair_stands_norm_high"] == 17.0
    line = norm_line(out.level_results[0].metrics, PatientSettings(**settings))
    assert (
        line is not None
        and f"{n} stands in 30 seconds" in line
        and "women aged 60-64 (12 to 17 stands" in line
    )
    shown, source = norm_lines(out.level_results[0].metrics, PatientSettings(**settings))
    assert shown.startswith(f"{n} stands in 30 seconds - ") and "STEADI" in source and "§6.9" in source
    db = open_database(db_path)
    try:
        summary = progress_summary(db, db.get_patient("demo"), date.today())
    finally:
        db.close()
    assert summary.test_sentence == f"You stood up {n} times in 30 seconds: typical for your age is 12 to 17."
