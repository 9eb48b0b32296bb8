"""Trace level type: path error closed form; a pass scored from its recorded frames."""

from __future__ import annotations

import math

import numpy as np

from game.leveltypes.trace.exercise import TraceRep
from game.leveltypes.trace.metrics import trace_errors
from tests.leveltypes.driving import drive


def test_trace_errors_closed_form() -> None:
    target = np.zeros((50, 2))
    hand = target + [6.0, 8.0]  # 10 px away
    err_m, frac = trace_errors(hand, target, arm_px=100.0, arm_m=0.5, tolerance_px=12.0)
    assert math.isclose(err_m, 0.05) and frac == 1.0
    assert trace_errors(hand, target, 100.0, 0.5, 9.0)[1] == 0.0


def test_a_pass_reports_its_target_path_and_is_scored_from_the_frames() -> None:
    out = drive("trace-fish", 30.0)
    assert out.reps and len(out.metrics) == len(out.reps)
    for rep, m in zip(out.reps, out.metrics, strict=True):
        path = rep.detail.target_path
        assert isinstance(rep.detail, TraceRep) and path.shape[1] == 3
        assert path[0, 0] == rep.t_cue_s and path[-1, 0] == rep.t_end_s  # cue to end
        assert 0.0 <= m["completion_frac"] <= 1.0 and m["trace_error_m"] >= 0.0
        assert np.isfinite(m["sparc"]) and m["sparc"] < 0.0  # SPARC is negative
        assert m["success"] == float(rep.success)
    # a mild patient follows closely: most of each pass on target, within a few centimetres
    assert np.median([m["completion_frac"] for m in out.metrics]) > 0.5
    assert np.median([m["trace_error_m"] for m in out.metrics]) < 0.1
