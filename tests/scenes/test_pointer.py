"""Hands-free pointing: only a raised hand points, and it points where the mirror shows it."""

from __future__ import annotations

from game.pointer import hand_pointer
from game.render.viewport import Viewport
from game.tracking.pose import Goal, PoseFrame
from game.tracking.simulated import SimulatedPatient

VP = Viewport((1280, 720), (0, 0, 1280, 720))


def _settle(sim: SimulatedPatient, goal: Goal | None, seconds: float = 4.0) -> PoseFrame:
    sim.set_goal(goal)
    frame = None
    t = 0.0
    while t < seconds:
        frame = sim.poll(t) or frame
        t += 1 / 60
    assert frame is not None
    return frame


def test_resting_hands_do_not_point() -> None:
    assert hand_pointer(_settle(SimulatedPatient(), Goal("rest")), VP) is None
    assert hand_pointer(None, VP) is None
    assert hand_pointer(PoseFrame.missing(0.0), VP) is None


def test_raised_hand_points_where_the_mirror_shows_it() -> None:
    sim = SimulatedPatient()  # affected left: the right (good) arm moves, its mirror is on the left
    frame = _settle(sim, Goal("hand", (0.68, 0.30)))
    pos = hand_pointer(frame, VP)
    assert pos is not None
    # the patient's right hand is at small raw x, i.e. on the right of the mirrored screen
    assert pos[0] > 640
    higher = hand_pointer(_settle(SimulatedPatient(), Goal("hand", (0.68, 0.20))), VP)
    assert higher is not None and higher[1] < pos[1]  # raise the hand more: the pointer goes up


def test_pointer_feed_points_then_cancels_when_the_hand_drops() -> None:
    from game.actions import Act
    from game.pointer import PointerFeed

    class Menu:
        hand_pointer = True

    class Play:
        hand_pointer = False

    sim = SimulatedPatient()
    feed = PointerFeed(VP)
    sim.set_goal(Goal("hand", (0.68, 0.30)))
    actions = []
    t = 0.0
    while t < 4.0:
        a = feed.step(sim, t, Menu())
        if a is not None:
            actions.append(a)
        t += 1 / 60
    assert actions and all(a.act is Act.POINT for a in actions) and feed.pos is not None
    sim.set_goal(Goal("rest"))
    last = None
    while t < 9.0:
        last = feed.step(sim, t, Menu()) or last
        t += 1 / 60
    assert feed.pos is None and last is not None and last.pos == PointerFeed.OFF
    assert feed.step(sim, t, Play()) is None  # the play screen polls the source itself


def test_pointer_follows_the_one_hand_point() -> None:
    # The pointer is THE hand point (centroid of wrist, index and pinky, as every level and the
    # scoring use): moving only the pinky landmark moves it (formerly wrist and index only).
    frame = _settle(SimulatedPatient(), Goal("hand", (0.68, 0.30)))
    pos = hand_pointer(frame, VP)
    image = frame.image.copy()
    image[18, 1] += 60.0 / 720.0  # the right pinky 60 px lower in the picture
    moved = hand_pointer(PoseFrame(frame.t_s, image, frame.world), VP)
    assert pos is not None and moved is not None and moved[1] > pos[1] + 5
