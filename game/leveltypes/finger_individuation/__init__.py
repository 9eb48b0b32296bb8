"""Finger individuation level type: a piano, one finger presses while the others stay
(game/leveltypes/finger_individuation/)."""

from game.leveltypes.finger_individuation import draw, metrics
from game.leveltypes.finger_individuation.exercise import PianoExercise, PianoParams
from game.leveltypes.hand_common import HANDS_PARTS, hand_motor
from game.leveltypes.registry import LevelType

LEVEL_TYPE = LevelType(
    name="finger_individuation",
    params=PianoParams,
    exercise=PianoExercise,
    draw=draw.draw,
    metrics=metrics.rep_metrics,
    graded=metrics.GRADED,
    goals=metrics.GOALS,
    simulate=hand_motor,
    adaptive=("dwell_s",),
    icons=draw.ICONS,
    parts=HANDS_PARTS,
)
