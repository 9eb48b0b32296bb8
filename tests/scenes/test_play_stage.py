"""A standing level's body fits between the title bar and the instruction (play_view.stage_for)."""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from game.render.viewport import Viewport
from game.scenes.play_view import HEADER_H, INSTRUCTION_TOP_PX, header_top, stage_for
from game.tracking import pose as P
from game.tracking.motor import Motor, Posture
from game.tracking.simulated import MILD, SimulatedPatient


def _standing_reach_frames() -> np.ndarray:
    """(T, 33, 2) image landmarks of the simulated patient standing, then reaching forward with
    the arm raised (the functional reach test's pose)."""
    sim = SimulatedPatient(replace(MILD, standing=True), seed=0)
    sim.set_goal(Motor(posture=Posture(stand=True, arms="forward")))
    frames = [sim.poll(k / 30.0) for k in range(150)]
    return np.array([f.image[:, :2] for f in frames if f is not None])


def test_a_standing_body_is_drawn_below_the_title_bar_and_above_the_instruction() -> None:
    xy = _standing_reach_frames()
    body = [P.NOSE, P.L_WRIST, P.R_WRIST, P.L_ANKLE, P.R_ANKLE, P.L_HEEL, P.R_HEEL]
    for demo in (True, False):
        header_bottom = header_top(demo) + HEADER_H
        if demo:  # on the whole screen the head went under the demo's title bar
            full = Viewport((1280, 720), stage_for(False, demo)).to_screen(xy[:, body])
            assert full[..., 1].min() < header_bottom
        fitted = Viewport((1280, 720), stage_for(True, demo)).to_screen(xy[:, body])
        assert fitted[..., 1].min() > header_bottom
        assert fitted[..., 1].max() < INSTRUCTION_TOP_PX
