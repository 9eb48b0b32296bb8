"""What a level type's metrics module computes a rep from, and helpers every type uses.

The session cuts one rep's frames out of the session's recorder (game/session/scoring.py) and
hands them, with the rep's events, to the level type's metrics module as a :class:`RepData`.
Metrics modules call game.scoring for the numbers; nothing here keeps state.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property

import numpy as np

from game.leveltypes.base import DEFAULT_ARM_M, hand_xy
from game.leveltypes.events import RepOutcome
from game.mirror import display_pose
from game.scoring import trace_sway
from game.scoring.compensation import window_trunk_displacement_mm
from game.tracking.pose import Side
from game.tracking.recorder import Recording

SAME_TIME_S = 1e-6
"""Timestamps closer than this are the same moment: game time is a sum of fixed steps while a
simulated or replayed pose carries its own tick time, so a pose shown at a step may be
stamped a rounding error after it."""
SUCCESS_GOAL = 0.75
"""Success-rate goal: the middle of the 70–80 % band that keeps practice challenging but
achievable (Levitt 1971 staircases; docs/sources.md §8)."""


@dataclass(frozen=True)
class RepData:
    """One rep: its recorded frames (from just before the cue to just after the end) and events.

    ``frames`` holds the raw, unmirrored landmarks (t_s (T,), image and world (T, 33, 4)) on
    the pose sources' clock, the same clock as ``outcome.t_cue_s`` and ``outcome.t_end_s``.
    """

    outcome: RepOutcome
    frames: Recording
    affected_side: Side
    frame_size: tuple[int, int]
    arm_m: float = DEFAULT_ARM_M
    """Arm length in metres."""
    gain: float = 0.0
    """Shared-control gain of the display (0 = pure mirror): what the patient saw."""
    earlier: tuple[Mapping[str, float], ...] = ()
    """Metrics of this level's earlier reps (for measures across reps, e.g. variable error)."""

    @property
    def cue_index(self) -> int:
        """First frame at or after the cue."""
        return int(np.searchsorted(self.frames.t_s, self.outcome.t_cue_s - SAME_TIME_S, "left"))

    @property
    def live(self) -> slice:
        """The frames between cue and end (inclusive)."""
        return slice(self.cue_index, self.end_index + 1)

    @property
    def end_index(self) -> int:
        """The frame shown when the rep ended (the last one at or before the end), or -1."""
        return int(np.searchsorted(self.frames.t_s, self.outcome.t_end_s + SAME_TIME_S, "right")) - 1

    def display(self) -> np.ndarray:
        """The image poses the patient saw (mirrored or shared control), (T, 33, 4)."""
        return self._display

    @cached_property
    def _display(self) -> np.ndarray:
        if not len(self.frames):
            return np.asarray(self.frames.image, dtype=np.float64)
        return display_pose(self.frames.image, self.affected_side, self.frame_size, self.gain)

    def display_hand(self) -> np.ndarray:
        """The displayed affected-side hand in every frame, raw normalised (T, 2)."""
        return hand_xy(self.display(), self.affected_side)


def trunk_metrics(rep: RepData) -> dict[str, float]:
    """Trunk compensation of the rep: the largest displacement of the world mid-shoulder point
    from its rest before the cue, low-passed at 1.5 Hz (every arm task reports it: docs/sources.md
    §3, Alt Murphy 2011; the measure score_reps uses and whose noise floor was measured,
    game.scoring.compensation.window_trunk_displacement_mm)."""
    t = rep.frames.t_s
    if len(t) < 2:
        return {}
    value = window_trunk_displacement_mm(t, rep.frames.world, rep.outcome.t_cue_s, rep.outcome.t_end_s)
    return {"trunk_displacement_mm": value}


def sway_of(t_s: np.ndarray, ml_ap_m: np.ndarray) -> dict[str, float]:
    """Prieto sway measures (§6.2) of a CoM-proxy trace, one sample per *new* camera frame.

    Repeated samples are dropped; the trace is resampled and low-passed at the scoring
    module's sway cut-off (game.scoring.trace_sway: 1 Hz, lower at pose rates below 2.5 Hz):
    centre-of-mass sway of quiet stance lies below about 1 Hz and the landmark jitter above it
    is noise (§6.1; docs/validation.md). Needs 16 frames.

    Parameters
    ----------
    t_s : (T,) float
        Frame timestamps, seconds.
    ml_ap_m : (T, 2) float
        CoM proxy (medio-lateral, antero-posterior), metres.
    """
    t = np.asarray(t_s, dtype=np.float64)
    xy = np.asarray(ml_ap_m, dtype=np.float64)
    keep = np.concatenate([[True], np.diff(t) > 0]) if len(t) else np.zeros(0, bool)
    t, xy = t[keep], xy[keep]
    nan = {"rms_m": math.nan, "mean_velocity_m_s": math.nan, "ellipse95_area_m2": math.nan}
    if len(t) < 16:
        return nan
    m = trace_sway(t, xy)
    return {k: float(m[k]) for k in nan}


def frame_durations_s(t_s: np.ndarray, t_end_s: float) -> np.ndarray:
    """How long each frame was the newest one: to the next frame, the last one to ``t_end_s``
    ((T,) seconds, >= 0)."""
    t = np.asarray(t_s, dtype=np.float64)
    return np.maximum(np.diff(np.append(t, max(t_end_s, t[-1] if len(t) else t_end_s))), 0.0)


def frame_rate_hz(t_s: np.ndarray) -> float:
    """Frames per second from timestamps (1 / median interval); NaN with fewer than 2."""
    t = np.asarray(t_s, dtype=np.float64)
    return 1.0 / float(np.median(np.diff(t))) if len(t) >= 2 else math.nan
