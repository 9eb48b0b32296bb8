"""Replay a landmark recording (``--replay PATH.npz``) as a PoseSource, in game time.

The clock is the ``now_s`` the game passes to :meth:`ReplaySource.poll`, so a headless test
that advances time in fixed steps replays deterministically. Like a live source, only the
newest due pose is returned; poses that fell between two polls are skipped.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np

from game.tracking.pose import Picture, PoseFrame, SourceStatus
from game.tracking.recorder import Recording, load_recording
from game.tracking.tracker import pose_status

TIME_TOLERANCE_S = 1e-6
"""A frame counts as due this much early: recorded times and game time are both sums of
floating-point steps, and a microsecond is far below any frame period."""


class ReplaySource:
    """Plays a :class:`Recording` back at its recorded pace, hands and face included where
    they were recorded (a replay cannot track parts that were not: it is not PartsSelectable).

    Returned poses are re-stamped onto the caller's clock: the first poll at ``now_s``
    corresponds to the first recorded frame.

    Parameters
    ----------
    recording : Recording or path
        The recording, or a path to a .npz written by the recorder.
    """

    def __init__(self, recording: Recording | str | os.PathLike[str]) -> None:
        if isinstance(recording, Recording):
            self.recording = recording
            self.name = "replay"
        else:
            self.recording = load_recording(recording)
            self.name = f"replay {Path(recording).name}"
        t_s = self.recording.t_s
        self._rel_s = t_s - t_s[0] if len(t_s) else t_s
        self._start_s: float | None = None
        self._last = -1
        self._latest: PoseFrame | None = None

    def poll(self, now_s: float) -> PoseFrame | None:
        """Newest recorded pose due at ``now_s`` and not yet returned, or None."""
        if len(self.recording) == 0:
            return None
        if self._start_s is None:
            self._start_s = now_s
        elapsed_s = now_s - self._start_s
        idx = int(np.searchsorted(self._rel_s, elapsed_s + TIME_TOLERANCE_S, side="right")) - 1
        if idx <= self._last:
            return None
        self._last = idx
        frame = self.recording.frame(idx).restamped(self._start_s + float(self._rel_s[idx]))
        self._latest = frame
        return frame

    def picture(self) -> Picture | None:
        """Recordings hold no pixels."""
        return None

    def status(self) -> SourceStatus:
        """ENDED once the last frame was returned, else STARTING / OK / NO_PERSON."""
        if self._last >= len(self.recording) - 1:
            return SourceStatus.ENDED
        return pose_status(self._latest)

    def close(self) -> None:
        """Nothing to release."""
