"""Bilateral level type: coordination closed forms; a lift scored from its recorded frames."""

from __future__ import annotations

import math

import numpy as np

from game.leveltypes.bilateral.metrics import coordination
from tests.leveltypes.driving import drive


def test_bilateral_coordination_of_delayed_half_sine() -> None:
    fs = 30.0
    t = np.arange(0, 6, 1 / fs)
    ref = np.sin(2 * np.pi * 0.5 * t)
    aff = 0.5 * np.sin(2 * np.pi * 0.5 * (t - 0.1))  # half the range, 100 ms late
    m = coordination(aff, ref, fs)
    assert m["xcorr_r"] > 0.999 and math.isclose(m["lag_s"], 0.1, abs_tol=1e-9)
    assert math.isclose(m["amplitude_ratio"], 0.5, rel_tol=0.01)
    assert math.isclose(m["symmetry_index_pct"], 100 * 0.5 / 0.75, rel_tol=0.01)  # §5 SI


def test_lifts_are_scored_on_both_hands_heights() -> None:
    out = drive("bilateral-tray", 30.0)
    assert len(out.reps) >= 2
    for m in out.metrics:
        assert m["xcorr_r"] > 0.5  # the hands rise together
        # the affected arm manages a quarter to a half of the movement (the simulated model)
        assert 0.0 < m["amplitude_ratio"] < 1.0
        assert m["tilt_cued"] in (0.0, 1.0)
