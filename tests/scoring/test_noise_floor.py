"""The noise-floor table: MDC95 = 1.96 sqrt(2) SEM, "no measurable change", the compensation
cue above the floor, and a cheap re-measurement that keeps the table honest."""

from __future__ import annotations

import math

import numpy as np
import pytest

from game.analysis.exercises import exercises
from game.scoring.noise_floor import (
    COMPENSATION_CUE_MM,
    NOISE_FLOORS,
    change_text,
    mdc95,
    no_measurable_change,
)
from game.scoring.reps import METRIC_NAMES
from tests.analysis.clips import still_track
from tools.noise_study import repeated_reaches, still_metrics

TRUNK_FLOOR_P95_MM = 26.6


def test_mdc_formula():
    assert mdc95(1.0) == pytest.approx(1.96 * math.sqrt(2.0))
    f = NOISE_FLOORS["trunk_displacement_mm"]
    assert f.mdc95 == pytest.approx(1.96 * math.sqrt(2.0) * f.sem)


def test_every_metric_has_a_measured_floor():
    wanted = set(METRIC_NAMES) | {e.headline for e in exercises().values()}
    wanted |= {"sway_mean_velocity_m_s", "sway_rms_m", "los_excursion_pct", "absolute_error_deg"}
    assert wanted <= set(NOISE_FLOORS)
    for f in NOISE_FLOORS.values():
        assert f.sem >= 0 and f.how


def test_no_measurable_change():
    thr = NOISE_FLOORS["peak_shoulder_elevation_deg"].threshold
    assert thr >= 7.9  # never finer than the between-session resolution of 2-D pose angles
    assert no_measurable_change("peak_shoulder_elevation_deg", 90.0, 90.0 + 0.9 * thr)
    assert not no_measurable_change("peak_shoulder_elevation_deg", 90.0, 90.0 + 1.1 * thr)
    assert no_measurable_change("reaction_time_s", float("nan"), 0.5)
    assert change_text("trunk_displacement_mm", 40.0, 45.0) == "no measurable change"
    assert change_text("trunk_displacement_mm", 40.0, 90.0) == "+50 mm"
    with pytest.raises(ValueError, match="noise floor"):
        no_measurable_change("happiness", 1.0, 2.0)


def test_compensation_cue_sits_clearly_above_the_trunk_floor():
    f = NOISE_FLOORS["trunk_displacement_mm"]
    assert COMPENSATION_CUE_MM >= 2.0 * TRUNK_FLOOR_P95_MM
    assert COMPENSATION_CUE_MM >= f.floor + f.mdc95


def test_table_agrees_with_a_fresh_measurement_of_repeated_reaches():
    fresh = repeated_reaches(3)
    for name in (
        "reaction_time_s",
        "movement_time_s",
        "reach_pct_arm",
        "peak_shoulder_elevation_deg",
        "sparc",
    ):
        table, now = NOISE_FLOORS[name].sem, fresh[name]["sem"]
        assert now / 3.0 <= table <= 3.0 * now + 1e-9, (name, table, now)


@pytest.mark.parametrize("name", ["squat", "astronaut"])
def test_still_real_footage_stays_below_the_cue_and_near_the_floor(name):
    # 3 s of a still photograph (2 s windows, half overlapping); the first window includes
    # the tracker settling after its first detection, the largest value (up to ~45 mm)
    values = still_metrics(still_track(name))["trunk_displacement_mm"]
    assert np.nanmax(values) < COMPENSATION_CUE_MM
    assert np.nanmin(values) < TRUNK_FLOOR_P95_MM
