"""Eyebrow-raise level type (facial palsy) (game/leveltypes/brow_raise/)."""

from game.leveltypes.brow_raise import draw, metrics
from game.leveltypes.brow_raise.exercise import BrowRaiseExercise, BrowRaiseParams
from game.leveltypes.facial import expression_level_type

LEVEL_TYPE = expression_level_type("brow_raise", BrowRaiseParams, BrowRaiseExercise, draw, metrics)
