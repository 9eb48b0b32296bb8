"""Eye-closure level type (facial palsy) (game/leveltypes/eye_closure/)."""

from game.leveltypes.eye_closure import draw, metrics
from game.leveltypes.eye_closure.exercise import EyeClosureExercise, EyeClosureParams
from game.leveltypes.facial import expression_level_type

LEVEL_TYPE = expression_level_type("eye_closure", EyeClosureParams, EyeClosureExercise, draw, metrics)
