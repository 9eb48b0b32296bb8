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
    good_wrist_raw_x = float(frame.image[16, 0])
    assert pos[0] > 640 and abs(pos[0] - (1 - good_wrist_raw_x) * 1280) < 60
    assert pos[1] < 0.45 * 720
