"""Shared level-type machinery: the body a level places its targets from."""

from __future__ import annotations

from game.leveltypes.base import Body, body_for_level
from game.tracking.simulated import SimulatedPatient


def test_calibrated_body_keeps_its_arm_length() -> None:
    frame = SimulatedPatient().poll(0.0)
    assert frame is not None
    cal = Body((0.0, 0.0), 400.0, 100.0, (0.0, 0.0), 0.61)
    live = body_for_level(None, frame, "left", (1280, 720))
    both = body_for_level(cal, frame, "left", (1280, 720))
    assert both.shoulder_px == live.shoulder_px and both.arm_px == 400.0 and both.arm_m == 0.61
