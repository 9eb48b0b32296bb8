"""Issue 11 items 1, 4, 10, 12 and 15 on the play screen: leaving a level safely, pausing and
the chair question by mouse, honest results, and words placed beside the avatar."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from game.render.avatar import avatar_box
from game.scenes.play import PlayScene, start_play
from game.scenes.play_view import words_spot
from game.scenes.results import ResultsScene
from tests.robot.driver import Robot
from tests.robot.helpers import centre, click, target, top_name
from tests.robot.world import ANN

RobotMaker = Callable[..., Robot]


def playing(robot: RobotMaker, level: str, **kw: object) -> Robot:
    """Ann plays one level (--level LEVEL --patient p1): no pain, then the level."""
    r = robot(first=start_play, settings={"level": level, "patient": ANN}, **kw)
    r.frames(3)
    assert top_name(r) == "PainCheckScene"
    r.key("return")  # "0 - No hurt" has the focus
    r.wait_until(lambda: isinstance(r.top, PlayScene), 2.0)
    assert isinstance(r.top, PlayScene)
    return r


@pytest.mark.parametrize("key", ["escape", "backspace"])
def test_esc_before_the_first_target_asks_then_stops_without_a_crash(robot: RobotMaker, key: str) -> None:
    """Items 1 and 10: Esc (or Backspace) at once in a reach level asks first; Esc again
    stops; the session is kept as stopped, with its (empty) level result."""
    r = playing(robot, "reach-apples")
    play = r.top
    r.key(key)
    assert r.top is play and play.paused and play.asking  # type: ignore[attr-defined]
    assert not play.run.closed  # type: ignore[attr-defined]
    r.key(key)
    assert top_name(r) == "AfterCheckScene"
    r.key("return")
    assert isinstance(r.top, ResultsScene)
    session = r.db.sessions(ANN)[-1]
    assert session.status == "aborted"
    results = r.db.level_results(session.id)
    assert [x.level_id for x in results] == ["reach-apples"] and results[0].metrics["reps"] == 0


def test_enter_and_p_carry_on_after_esc(robot: RobotMaker) -> None:
    """Item 10: the question's first choice is Go on: Enter carries on, so does P."""
    r = playing(robot, "reach-apples")
    play = r.top
    r.key("escape")
    r.key("return")
    assert r.top is play and not play.paused  # type: ignore[attr-defined]
    r.key("p", "p")
    assert play.paused  # type: ignore[attr-defined]
    r.key("p", "p")
    assert not play.paused  # type: ignore[attr-defined]


def test_pause_go_on_and_stop_with_the_mouse(robot: RobotMaker) -> None:
    """Item 4: an on-screen Pause button; the pause box has Go on and Stop (clicks)."""
    r = playing(robot, "reach-apples")
    play = r.top
    click(r, "pause")
    assert play.paused  # type: ignore[attr-defined]
    click(r, "resume")
    assert not play.paused  # type: ignore[attr-defined]
    click(r, "pause")
    click(r, "stop")
    assert top_name(r) == "AfterCheckScene"


def test_pause_with_a_resting_mouse_and_carry_on_by_hand(robot: RobotMaker) -> None:
    """Item 4 without clicks: the mouse resting on Pause pauses; the raised hand resting on
    Go on carries on (the hand points only while paused)."""
    r = playing(robot, "reach-apples")
    play = r.top
    r.rest(centre(target(r, "pause")))
    assert play.paused  # type: ignore[attr-defined]
    r.mouse_away()
    go_on = target(r, "resume")
    assert r.hand_to(centre(go_on), go_on.rect) or not play.paused  # type: ignore[attr-defined]
    r.wait_until(lambda: not play.paused, 3.0)  # type: ignore[attr-defined]
    assert not play.paused  # type: ignore[attr-defined]


@pytest.mark.parametrize("how", ["click", "rest"])
def test_chair_question_answered_by_mouse(robot: RobotMaker, how: str) -> None:
    """Item 4: "Chair or rail within reach? YES" takes a click or a resting mouse."""
    r = playing(robot, "stand-steady")
    play = r.top
    assert play.exercise.awaiting_confirm  # type: ignore[attr-defined]
    yes = target(r, "yes")
    if how == "click":
        r.click(centre(yes))
    else:
        r.rest(centre(yes))
    assert not play.exercise.awaiting_confirm  # type: ignore[attr-defined]


def test_feedback_words_are_beside_the_avatar(robot: RobotMaker) -> None:
    """Item 15: feedback words and the pause box's words never sit on the avatar."""
    r = playing(robot, "reach-apples")
    play = r.top
    shown = False
    for _ in range(600):
        r.frames(1)
        if not isinstance(r.top, PlayScene):
            break
        hud = play.exercise.view().hud  # type: ignore[attr-defined]
        box = avatar_box(play.shown, play.vp)  # type: ignore[attr-defined]
        if hud.feedback and box is not None:
            shown = True
            for i in range(2):
                assert not words_spot(box, 8, i).colliderect(box), (words_spot(box, 8, i), box)
    assert shown, "no feedback word was shown in 10 s"


def test_results_after_nothing_reached_are_honest(robot: RobotMaker) -> None:
    """Item 12: a level with no target reached never says "Brilliant session!" and gets at
    most the one star for taking part."""
    from game.tracking.simulated import PatientModel

    weak = PatientModel(reach_range=0.05, affected_range=0.0, compensation_m=0.0)
    r = playing(robot, "reach-bubbles", model=weak)
    r.wait_until(lambda: not isinstance(r.top, PlayScene), 120.0)
    assert top_name(r) == "AfterCheckScene"
    r.key("return")
    results = r.top
    assert isinstance(results, ResultsScene)
    (spec, stars, summary) = results.run.results[0]
    assert summary["success_rate"] == 0 and stars <= 1
    assert results.headline() != "Brilliant session!"


def test_no_again_after_a_pain_stop(robot: RobotMaker) -> None:
    """Item 12: after "Let's stop here for today" the results offer Home only."""
    r = playing(robot, "reach-apples")
    r.key("escape")
    r.key("escape")
    assert top_name(r) == "AfterCheckScene"
    click(r, "10")  # it hurts a lot more than before
    assert isinstance(r.top, ResultsScene) and r.top.run.status == "ended_pain"
    assert [t.key for t in r.top.targets()] == ["home"]


def test_a_level_stopped_early_says_so_and_is_not_brilliant(robot: RobotMaker) -> None:
    """Found at the keys in a real window: Stop after 2 of 6 apples showed "Brilliant
    session!", "2 of 2 reached" and three stars, as if the level had been done. The results now
    say the level was stopped early, and the headline stays warm without "Brilliant"."""
    r = playing(robot, "reach-apples")
    play = r.top
    assert isinstance(play, PlayScene)
    total = play.exercise.view().hud.reps_total
    r.wait_until(lambda: play.run.total_reps >= 2, 60.0)
    r.key("escape")
    r.key("escape")
    r.key("return")  # no pain after
    results = r.top
    assert isinstance(results, ResultsScene)
    (_, _, summary), planned = results.run.results[0], results.run.planned[0]
    assert 2 <= summary["reps"] < planned == total  # the "of N" the play screen showed
    assert str(results.headline()) not in ("Brilliant session!", "Great effort!")
    from game.scenes.results import hits_of, tries_line

    hits, _ = hits_of(summary)
    assert str(tries_line(*hits_of(summary), planned)) == f"{hits} of {planned} reached, stopped early"
    assert "stopped early" not in str(tries_line(6, 6, 6))
