"""Lip-pucker level type (facial palsy) (game/leveltypes/lip_pucker/)."""

from game.leveltypes.facial import expression_level_type
from game.leveltypes.lip_pucker import draw, metrics
from game.leveltypes.lip_pucker.exercise import LipPuckerExercise, LipPuckerParams

LEVEL_TYPE = expression_level_type("lip_pucker", LipPuckerParams, LipPuckerExercise, draw, metrics)
