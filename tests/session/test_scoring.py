"""Rep scoring: windows of the one recorder."""

from __future__ import annotations

import numpy as np

from game.session.scoring import window
from game.tracking.pose import PoseFrame, empty_landmarks
from game.tracking.recorder import Recorder


def _frame(t: float) -> PoseFrame:
    img = empty_landmarks()
    img[:, :3] = t
    img[:, 3] = 1.0
    return PoseFrame(t, img, img.copy())


def test_recording_window_is_inclusive_and_ignores_repeats() -> None:
    rec = Recorder()
    for t in (0.0, 0.1, 0.2, 0.2, 0.3, 0.25):
        rec.append(_frame(t))
    assert len(rec) == 4  # the repeated 0.2 and the backwards 0.25 are dropped
    part = window(rec.recording(), 0.1, 0.2)
    np.testing.assert_allclose(part.t_s, [0.1, 0.2])
    assert part.image.shape == (2, 33, 4) and part.world.shape == (2, 33, 4)
    np.testing.assert_allclose(part.image[:, 0, 0], [0.1, 0.2])  # the frames of those times
    empty = window(rec.recording(), 5.0, 6.0)
    assert len(empty) == 0 and empty.image.shape == (0, 33, 4)
