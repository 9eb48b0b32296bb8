"""Position-match level type: reposition errors scored from the recorded frames."""

from __future__ import annotations

import math

import numpy as np

from tests.leveltypes.driving import drive


def test_position_match_errors_are_signed_and_absolute() -> None:
    out = drive("match-leaf", 40.0)
    assert len(out.reps) == 3
    for m in out.metrics:
        assert math.isclose(m["absolute_error_deg"], abs(m["signed_error_deg"]))
        assert math.isclose(m["signed_error_deg"], m["reproduced_deg"] - m["target_deg"])
    assert np.isfinite(out.metrics[-1]["variable_error_deg"])


def test_the_recorded_answer_is_the_one_the_game_judged() -> None:
    """The reproduced angle measured from the recording agrees with the live verdict."""
    out = drive("match-leaf", 40.0)
    tolerance = 15.0  # match-leaf's tolerance_deg (the default)
    for rep, m in zip(out.reps, out.metrics, strict=True):
        assert rep.success == (m["absolute_error_deg"] <= tolerance)
        assert m["target_deg"] == rep.detail.target_deg
