"""Issue 11 item 11: the family sees one patient they were given access to, never a list;
the words under the charts come from the charts' own numbers; short stopped sessions do not
count; hollow points are explained (the real App, keys and mouse)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from game.render.progress_view import TREND_WORDS, captions, explains_hollow
from game.storage import LevelResult, Rep
from game.therapist.review import progress_summary
from tests.robot.driver import Robot
from tests.robot.helpers import as_therapist, click, top_name
from tests.robot.world import ANN, OTHERS

RobotMaker = Callable[..., Robot]
CODE = "428135"


def test_the_family_never_sees_a_list_of_patients(robot: RobotMaker) -> None:
    """Progress with nobody chosen asks for a family code; no patient's name is on screen."""
    r = robot()
    click(r, "progress")
    names = {"Ann", *OTHERS}
    shown = {str(getattr(b, "label", "")) for b in getattr(getattr(r.top, "menu", None), "buttons", [])}
    assert not names & shown, f"patients listed to anyone: {names & shown}"
    assert not {t.key for t in r.top.targets()} & {"p1", "p2", "p3", "p4", "p5", "p6"}
    assert top_name(r) == "FamilyCodeScene"


def test_a_family_code_from_the_therapist_opens_that_patient_only(robot: RobotMaker) -> None:
    r = robot()
    as_therapist(r)
    click(r, "family_code")
    r.type_text(CODE)
    r.key("return")
    assert top_name(r) == "PatientMenuScene" and CODE in str(r.top.message)  # type: ignore[attr-defined]
    for _ in range(2):
        r.key("escape")
    assert top_name(r) == "TitleScene"
    click(r, "progress")
    r.type_text("111222")
    r.key("return")
    assert top_name(r) == "FamilyCodeScene" and "not right" in str(r.top.message)  # type: ignore[attr-defined]
    r.type_text(CODE)
    r.key("return")
    assert top_name(r) == "FamilyProgressScene" and r.top.patient.id == ANN  # type: ignore[attr-defined]


def test_the_patient_of_this_session_sees_their_own_progress(robot: RobotMaker) -> None:
    r = robot(settings={"patient": ANN})
    click(r, "progress")
    assert top_name(r) == "FamilyProgressScene" and r.top.patient.id == ANN  # type: ignore[attr-defined]


def _session(
    r: Robot, day: str, reach: float, *, active_s: float, status: str = "completed", reps: int = 3
) -> None:
    sid = r.db.start_session("p2", started_at=f"{day}T10:00:00Z", source="camera", plan={})
    metrics = {"affected_reach_fraction": reach, "success": 1.0}
    for k in range(reps):
        rep = Rep("reach-apples", 0, k, 1.0 + k, 2.0 + k, True, False, metrics)
        r.db.add_rep(sid, rep, created_at=f"{day}T10:00:0{k}Z")
    r.db.add_level_result(LevelResult(sid, "reach-apples", 2, {"reps": 3.0}, {"reps": True}))
    r.db.finish_session(sid, status=status, ended_at=f"{day}T10:20:00Z", active_s=active_s)


def test_words_under_the_reach_chart_follow_its_line(robot: RobotMaker) -> None:
    """A reach line climbing from 0.40 to 0.58 arm lengths over four sessions reads "further",
    not "about the same"; a flat line reads "no measurable change"."""
    r = robot()
    for i, reach in enumerate((0.40, 0.46, 0.52, 0.58)):
        _session(r, f"2026-03-{16 + i:02d}", reach, active_s=600)
    bea = r.db.get_patient("p2")
    assert bea is not None
    words = captions(progress_summary(r.db, bea, date(2026, 3, 19)))
    assert words["reach"] == str(TREND_WORDS["reach"][2]), words
    for i in range(4):
        _session(r, f"2026-03-{20 + i:02d}", 0.58, active_s=600)
    flat = progress_summary(r.db, bea, date(2026, 3, 23))
    flat_words = captions(flat)
    assert flat.reach[0][-4:] == [0.58] * 4
    assert flat_words["reach"] != str(TREND_WORDS["reach"][0])


def test_short_stopped_sessions_do_not_count_this_week(robot: RobotMaker) -> None:
    """Item 11: two sessions stopped after 12 and 16 s are not "sessions this week"."""
    r = robot()
    _session(r, "2026-03-17", 0.5, active_s=900)
    _session(r, "2026-03-18", 0.5, active_s=12, status="aborted")
    _session(r, "2026-03-19", 0.5, active_s=16, status="aborted")
    bea = r.db.get_patient("p2")
    assert bea is not None
    summary = progress_summary(r.db, bea, date(2026, 3, 19))
    assert summary.week_sessions == 1


def test_hollow_points_are_explained_on_the_screen(robot: RobotMaker) -> None:
    """A session with one tracked rep draws a hollow point; the screen says what it means
    (and says nothing about hollow points when there are none)."""
    r = robot()
    ann = r.db.get_patient(ANN)
    assert ann is not None
    assert explains_hollow(progress_summary(r.db, ann, date(2026, 3, 19))) is None
    _session(r, "2026-03-17", 0.5, active_s=900)
    _session(r, "2026-03-18", 0.5, active_s=900, reps=1)
    bea = r.db.get_patient("p2")
    assert bea is not None
    summary = progress_summary(r.db, bea, date(2026, 3, 19))
    assert summary.reach[1] == [True, False]
    line = explains_hollow(summary)
    assert line is not None and "Hollow" in line
