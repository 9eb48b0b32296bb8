"""Smile level type (facial palsy) (game/leveltypes/smile/)."""

from game.leveltypes.facial import expression_level_type
from game.leveltypes.smile import draw, metrics
from game.leveltypes.smile.exercise import SmileExercise, SmileParams

LEVEL_TYPE = expression_level_type("smile", SmileParams, SmileExercise, draw, metrics)
