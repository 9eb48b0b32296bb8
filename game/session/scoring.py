"""Rep scoring: one rep's frames cut from the session's recorder, scored by its level type.

The play screen records every raw frame (game.tracking.recorder.Recorder, the same recorder
``--record`` uses); when a rep ends, its frames from ``REP_LEAD_S`` before the cue to
``REP_MARGIN_S`` after the end are handed with the rep's events to the level type's metrics
module (``LevelType.metrics``). This is the one scoring path of every level type.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from game.leveltypes.events import RepOutcome
from game.leveltypes.measure import RepData
from game.leveltypes.registry import LevelType
from game.leveltypes.safety import FallRep
from game.scoring.segmentation import PRE_CUE_S
from game.session.clock import SessionClock
from game.tracking.pose import Side
from game.tracking.recorder import PartTrack, Recording

FALL_METRICS = ("fall_detected", "fall_drop_shanks", "fall_tilt_deg")
"""What is stored for a fall (game/leveltypes/safety.py): a record of the level, not a rep."""
REP_MARGIN_S = 0.3
"""Frames kept after the end of a rep (when they exist yet), so offset can be found."""
REP_LEAD_S = PRE_CUE_S
"""Frames kept before the cue: reach onset is searched from PRE_CUE_S before it (a movement
already under way at the cue is found and flagged, not read as a reaction time of 0), and the
rest before the movement sets the trunk's rest position and the speed noise."""


def window(recording: Recording, t0_s: float, t1_s: float) -> Recording:
    """The frames with ``t0_s <= t <= t1_s`` (inclusive at both ends), with the hands and
    face tracked in them."""
    t = recording.t_s
    lo, hi = int(np.searchsorted(t, t0_s, "left")), int(np.searchsorted(t, t1_s, "right"))
    hi = max(hi, lo)
    parts = {name: _part_window(track, lo, hi) for name, track in recording.parts.items()}
    kept = {name: track for name, track in parts.items() if len(track.frames)}
    return Recording(t[lo:hi], recording.image[lo:hi], recording.world[lo:hi], kept)


def _part_window(track: PartTrack, lo: int, hi: int) -> PartTrack:
    """The rows of one optional part for frames ``lo:hi``, renumbered from ``lo``."""
    a, b = int(np.searchsorted(track.frames, lo)), int(np.searchsorted(track.frames, hi))
    return PartTrack(track.frames[a:b] - lo, {key: arr[a:b] for key, arr in track.arrays.items()})


def score_rep(
    kind: LevelType,
    outcome: RepOutcome,
    recording: Recording,
    *,
    affected_side: Side,
    frame_size: tuple[int, int],
    arm_m: float,
    gain: float = 0.0,
    earlier: Sequence[Mapping[str, float]] = (),
) -> dict[str, float]:
    """One rep's metrics: its level type's measures from its frames, plus ``success`` (the
    game's verdict is the record of success)."""
    if isinstance(outcome.detail, FallRep):  # a fall is an event, not a rep to score
        return {
            "fall_detected": 1.0,
            "fall_drop_shanks": outcome.detail.drop_shanks,
            "fall_tilt_deg": outcome.detail.tilt_deg,
            "success": 0.0,
        }
    frames = window(recording, outcome.t_cue_s - REP_LEAD_S, outcome.t_end_s + REP_MARGIN_S)
    rep = RepData(outcome, frames, affected_side, frame_size, arm_m, gain, tuple(earlier))
    out = {name: float(v) for name, v in kind.metrics(rep).items()}
    out["success"] = float(outcome.success)
    return out


def stored_facts(outcome: RepOutcome, clock: SessionClock) -> dict[str, float]:
    """Facts stored beside a rep's metrics that are not measures: the chair-or-rail
    confirmation of balance levels (``chair_confirm_s`` in seconds since the session started)."""
    if outcome.chair_confirm_s is None:
        return {}
    return {"chair_confirmed": 1.0, "chair_confirm_s": clock.since_start(outcome.chair_confirm_s)}
