"""The leg exercises of offline analysis: ``--exercise sit-to-stand`` and ``--exercise squat``.

Both use both legs (the side option changes nothing: the signal is the mean of the legs seen),
the same signals and rep metrics as the game (game.scoring.leg_reps), segmented by the
registry's excursions (start position -> movement -> back):

- **squat**: mean knee flexion, degrees (0 = straight knee); a rep is standing -> lowest
  point -> standing; headline ``peak_knee_flexion_deg``;
- **sit-to-stand**: hip height above the ankles in shank lengths (camera-independent, so the
  front, oblique and side views give the same reps); a rep is seated -> standing -> seated;
  headline ``stand_time_s``.

The real squat clip counted by a person, and the view checks, are in docs/validation.md §12.
"""

from __future__ import annotations

from collections.abc import Callable

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


def _register(exercise: leg_reps.LegExercise, title: str, headline: str) -> Exercise:
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
