"""Headless end to end: the simulated patient plays a reach level through the real loop and scenes."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from game.app import App
from game.levels import load_all
from game.render.window import Window
from game.scenes.play import start_play
from game.settings import Settings
from game.storage import open_database
from game.tracking.simulated import MILD, MODERATE, SimulatedPatient
from tests.playing import Played, play


def test_simulated_patient_plays_a_reach_level(tmp_path: Path) -> None:
    out = play(MILD, tmp_path / "mild.db", seconds=40.0)
    assert len(out.sessions) == 1
    assert out.sessions[0].status in ("completed", "aborted")
    assert len(out.reps) == 6  # the level has 6 apples; 40 s is enough for a mild patient
    assert sum(r.success for r in out.reps) >= 5
    m = out.reps[0].metrics
    for key in ("time_to_target_s", "reach_fraction", "peak_shoulder_elevation_deg"):
        assert key in m and np.isfinite(m[key])
    assert out.level_results and 0 <= out.level_results[0].stars <= 3


def test_more_impaired_patient_scores_measurably_lower(tmp_path: Path) -> None:
    mild = play(MILD, tmp_path / "a.db", seconds=45.0, level="reach-bubbles")
    moderate = play(MODERATE, tmp_path / "b.db", seconds=45.0, level="reach-bubbles")

    def med(p: Played, key: str) -> float:
        return float(np.nanmedian([r.metrics[key] for r in p.reps]))

    hits_mild = sum(r.success for r in mild.reps)
    hits_mod = sum(r.success for r in moderate.reps)
    assert hits_mild > hits_mod
    hit_time_mild = np.nanmedian([r.metrics["time_to_target_s"] for r in mild.reps if r.success])
    assert all(not r.success for r in moderate.reps) or hit_time_mild < np.nanmedian(
        [r.metrics["time_to_target_s"] for r in moderate.reps if r.success]
    )
    # Halting, fragmented reaches: smoothness (SPARC, closer to 0 = smoother) is lower.
    assert med(mild, "sparc") > med(moderate, "sparc") + 0.1
    assert mild.level_results[0].stars >= moderate.level_results[0].stars


def test_same_seed_same_session(tmp_path: Path) -> None:
    a = play(MILD, tmp_path / "x.db", seconds=12.0)
    b = play(MILD, tmp_path / "y.db", seconds=12.0)
    assert [(r.t_end_s, r.success) for r in a.reps] == [(r.t_end_s, r.success) for r in b.reps]
    assert [r.metrics for r in a.reps] == [r.metrics for r in b.reps]


def test_adaptive_difficulty_takes_over_after_a_level_was_played(tmp_path: Path) -> None:
    from game.session.plan import build_plan
    from game.session.run import SessionRun
    from game.therapist.adaptive_session import load_log, load_state
    from game.therapist.settings_schema import PatientSettings

    db_path = tmp_path / "adapt.db"
    play(MILD, db_path, seconds=40.0)
    db = open_database(db_path)
    try:
        state = load_state(db, "demo")
        assert "reach-apples" in state.levels  # the staircases saw the level's reps
        patient = db.get_patient("demo")
        levels = load_all()
        run = SessionRun(
            db=db,
            patient=patient,
            settings=PatientSettings.from_mapping({}),
            plan=build_plan(levels, [], only="reach-apples"),
            source_name="test",
            frame_size=(1280, 720),
        )
        over = run.overrides()
        settings = PatientSettings()
        assert "reach_fraction" in over
        assert settings.adaptive_bounds["target_reach_fraction"][0] <= over["reach_fraction"]
        assert over["reach_fraction"] <= settings.max_reach_fraction
        assert isinstance(load_log(db, "demo"), list)
        run.close(status="aborted")
    finally:
        db.close()


def test_a_new_patient_is_calibrated_once_before_the_first_session(tmp_path: Path) -> None:
    from game.actions import Act, Action
    from game.scenes.base import SceneStack
    from game.scenes.calibration import CalibrationScene
    from game.scenes.play import PlayScene
    from game.session.clock import utc_now
    from game.storage import Calibration, Patient

    db = open_database(tmp_path / "real.db")
    window = Window(headless=True)
    source = SimulatedPatient(MILD)
    try:
        app = App(
            settings=Settings(headless=True, mute=True),
            window=window,
            db=db,
            source=source,
            frame_size=source.frame_size,
            levels=load_all(),
        )
        app.patient = Patient("p7", "Bo", "left", utc_now(), {})
        db.add_patient(app.patient)

        def start() -> SceneStack:
            stack = SceneStack(start_play(app))
            stack.apply(stack.top.update(app.dt_s))  # → pain check-in
            stack.apply(stack.top.handle(Action(Act.SELECT)))  # "0: no hurt"
            stack.apply(stack.top.update(app.dt_s))
            return stack

        stack = start()
        assert isinstance(stack.top, CalibrationScene)
        stack.apply(stack.top.handle(Action(Act.BACK)))  # Esc: leave calibration, start nothing
        assert stack.quit and not db.sessions("p7")
        stack = start()
        stack.close()
        db.save_calibration(Calibration("p7", utc_now(), {"arm_m": 0.56}))
        stack = start()
        assert isinstance(stack.top, PlayScene)  # calibrated: straight to play
        stack.close()
    finally:
        window.close()
        db.close()


def test_frame_schedule_is_absolute_and_drops_hitches() -> None:
    from game.frame_timing import next_frame_s

    dt = 1 / 60
    assert next_frame_s(10.0, dt, 10.005) == 10.0 + dt  # on time: one period after the last
    assert next_frame_s(10.0, dt, 10.0 + 1.5 * dt) == 10.0 + dt  # a little late: keep the grid
    assert next_frame_s(10.0, dt, 10.5) == 10.5  # far behind: drop the hitch, no catch-up burst


def test_raised_hand_dwells_a_menu_button_hands_free(tmp_path: Path) -> None:
    """Through the real loop: the simulated patient raises the good hand to the right and holds it."""
    from game.scenes.menus import TitleScene
    from game.tracking.pose import Goal

    db = open_database(tmp_path / "h.db")
    window = Window(headless=True)
    source = SimulatedPatient(MILD)
    try:
        app = App(
            settings=Settings(headless=True, mute=True, seconds=8.0),
            window=window,
            db=db,
            source=source,
            frame_size=source.frame_size,
            levels=load_all(),
        )
        title = TitleScene(app)
        # the good (right) hand raised to the right, a little below the shoulder: screen right
        source.set_goal(Goal("both_hands", (0.5, 0.9), (0.36, 0.33)))
        app.run(title)
        # a button on the right-hand side was chosen by dwelling, without a key or a mouse
        assert title.menu.chosen in ("therapist", "quit")
    finally:
        window.close()
        db.close()
