"""Therapist-side logic without any screen: PIN gate, patient settings schema, adaptive difficulty.

Pure Python (and numpy for the staircase maths); the pygame screens are built on top of these.
"""
