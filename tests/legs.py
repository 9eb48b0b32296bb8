"""Scripted movements of the simulated patient's legs for the lower-limb tests (test helper).

``scripted(model, steps, seconds)`` plays a list of ``(t_s, Posture)`` commands at the pose rate
and returns what a camera would give: timestamps, image landmarks in pixels and as stored
(normalised), and world landmarks.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from game.tracking.motor import Motor, Posture
from game.tracking.simulated import PatientModel, SimulatedPatient


@dataclass(frozen=True)
class Clip:
    t_s: np.ndarray
    image: np.ndarray
    """(T, 33, 4) normalised, as PoseFrame.image."""
    world: np.ndarray
    frame_size: tuple[int, int]

    @property
    def image_px(self) -> np.ndarray:
        """(T, 33, 2) pixels, NaN where not seen (visibility < 0.5)."""
        px = self.image[..., :2].astype(np.float64) * np.array(self.frame_size, dtype=np.float64)
        px[self.image[..., 3] < 0.5] = np.nan
        return px

    @property
    def world_seen(self) -> np.ndarray:
        """(T, 33, 3) metres, NaN where not seen."""
        w = self.world[..., :3].astype(np.float64)
        w[self.world[..., 3] < 0.5] = np.nan
        return w


def scripted(
    model: PatientModel, steps: Sequence[tuple[float, Posture]], seconds: float, seed: int = 0
) -> Clip:
    """Play posture commands (each from its time on) and record every frame."""
    sim = SimulatedPatient(model, seed=seed)
    todo = sorted(steps, key=lambda s: s[0])
    t, dt = 0.0, 1.0 / model.fps_hz
    times, images, worlds = [], [], []
    while t < seconds:
        while todo and todo[0][0] <= t + 1e-9:
            sim.set_goal(Motor(posture=todo.pop(0)[1]))
        frame = sim.poll(t)
        if frame is not None:
            times.append(frame.t_s)
            images.append(frame.image)
            worlds.append(frame.world)
        t += dt
    return Clip(np.array(times), np.array(images), np.array(worlds), sim.frame_size)


STAND_BACK = Posture(stand=True, back_m=1.0)
SIT_BACK = Posture(back_m=1.0)


def sit_stand_cycles(n: int, period_s: float, start_s: float = 1.0) -> list[tuple[float, Posture]]:
    """Step back (chair and all), then ``n`` stands from the chair, one every ``period_s``."""
    steps: list[tuple[float, Posture]] = [(0.0, SIT_BACK)]
    for k in range(n):
        t0 = start_s + 2.5 + k * period_s
        steps += [(t0, STAND_BACK), (t0 + 0.5 * period_s, SIT_BACK)]
    return steps
