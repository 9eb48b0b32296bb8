"""The leg exercises of offline analysis: ``--exercise sit-to-stand`` and ``--exercise squat``.

Both use both legs (the side option changes nothing: the signal is the mean of the legs seen),
the same signals and rep metrics as the game (game.scoring.leg_reps), segmented by the
registry's excursions (start position -> movement -> back):

- **squat**: mean knee flexion, degrees (0 = straight knee); a rep is standing -> lowest
  point -> standing; headline ``peak_knee_flexion_deg``;
- **sit-to-stand**: hip height above the ankles in shank lengths (camera-independent, so the
  front, oblique and side views give the same reps); a rep is seated -> standing -> seated;
  headline ``stand_time_s``. The clip must show the person seated upright at least once
  (game.scoring.leg_reps.seat_check: from landmarks the bottom of a deep squat looks like
  sitting, but its trunk leans forward); otherwise it has no stands and the summary says why.
  Each stand reports the forward lean of its own seated rest and ``seated_upright``.

The real squat clip counted by a person, and the view checks, are in docs/validation.md §12.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from game.analysis.exercises import Exercise, Metrics, Prepared, register
from game.scoring import leg_reps


def _landmarks(side: str) -> tuple[int, ...]:
    return leg_reps.LEG_LANDMARKS


def _signal(exercise: leg_reps.LegExercise) -> Callable[[Prepared, str], np.ndarray]:
    def signal(prep: Prepared, side: str) -> np.ndarray:
        return leg_reps.signal(exercise, prep.world)

    return signal


def _metrics(
    exercise: leg_reps.LegExercise,
) -> Callable[[Prepared, str, int, int, int], Metrics]:
    def metrics(prep: Prepared, side: str, start: int, peak: int, end: int) -> Metrics:
        return leg_reps.rep_metrics(exercise, prep.world, prep.t_s, start, peak, end)

    return metrics


def seat_note(check: leg_reps.SeatCheck) -> str:
    """The summary line that says whether the person was seen seated, with the numbers."""
    if check.seated_upright:
        return (
            f"Seated upright on the chair seen: forward trunk lean {check.lowest_lean_deg:.0f} deg "
            f"with the hips down (upright: up to {check.lean_limit_deg:.0f} deg, the person's "
            "standing tilt + 10)."
        )
    why = (
        "the hips never came down to seat height"
        if math.isnan(check.lowest_lean_deg)
        else f"the hips were down only with the trunk leaned forward {check.lowest_lean_deg:.0f} deg "
        f"or more (upright: up to {check.lean_limit_deg:.0f} deg), as at the bottom of a squat"
    )
    return (
        f"Sit-to-stand: no seated posture seen - {why}, so no stand is counted. A sit-to-stand "
        "clip shows the person seated upright on the chair at least once; for squats use "
        "--exercise squat."
    )


def _seat_gate(prep: Prepared) -> tuple[bool, str]:
    check = leg_reps.seat_check(prep.world)
    return check.seated_upright, seat_note(check)


def _stand_lines(reps: Sequence[Any]) -> list[str]:
    """A line when some stands had no upright seated rest of their own."""
    flagged = sum(1 for r in reps if r.metrics.get("seated_upright") == 0.0)
    if not flagged:
        return []
    return [
        f"{flagged} of {len(reps)} stands had no upright seated rest within "
        f"{leg_reps.REST_WINDOW_S:.1f} s (seated_upright 0): quick stands, or deep squats - from "
        "landmarks a deep squat looks like sitting; check them on the video."
    ]


def _register(exercise: leg_reps.LegExercise, title: str, headline: str) -> Exercise:
    sts = exercise is leg_reps.SIT_TO_STAND
    return register(
        Exercise(
            id=exercise.id,
            title=title,
            parts=frozenset({"pose"}),
            landmarks=_landmarks,
            signal=_signal(exercise),
            signal_label=exercise.signal_label,
            min_amplitude=exercise.min_swing,
            metrics=_metrics(exercise),
            headline=headline,
            summary_lines=_stand_lines if sts else None,
            gate=_seat_gate if sts else None,
        )
    )


SQUAT = _register(
    leg_reps.SQUAT,
    "squat: from standing down to the lowest point and up again (both legs)",
    "peak_knee_flexion_deg",
)
SIT_TO_STAND = _register(
    leg_reps.SIT_TO_STAND,
    "sit-to-stand: from the chair up to standing and back down (both legs)",
    "stand_time_s",
)
