"""Level-wide scoring (coordination, balance, proprioception, ROM, grade) against the oracle,
and the oracle itself against published test vectors (docs/sources.md §9).

Tolerances: ``RTOL``/``ATOL`` for the vectorised-vs-oracle comparisons (same arithmetic in a
different order); the published vectors use the tolerance of their printed digits.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from game import scoring
from game.leveltypes.reach.metrics import GRADED as REACH_GRADED
from game.scoring.synthetic import pose_world
from tests.scoring import oracle_level as ol
from tests.scoring import oracle_metrics as om

RTOL, ATOL = 1e-9, 1e-12
FS = 30.0


def close(a, b) -> None:
    np.testing.assert_allclose(np.asarray(a, dtype=float), np.asarray(b, dtype=float), rtol=RTOL, atol=ATOL)


@pytest.fixture
def traces():
    """Two noisy, lagged, partly missing 0.4 Hz signals at 30 Hz (seeded)."""
    rng = np.random.default_rng(11)
    t = np.arange(300) / FS
    a = np.sin(2 * np.pi * 0.4 * t) + rng.normal(0, 0.1, t.size)
    b = 0.7 * np.sin(2 * np.pi * 0.4 * (t - 0.2)) + rng.normal(0, 0.1, t.size)
    a[[5, 50, 51, 200]] = np.nan
    b[[80, 81, 82]] = np.nan
    return a, b


# ----------------------------------------------------------- published values, oracle
def test_oracle_smoothness_matches_the_reference_docstring():
    s = np.exp(-5 * np.arange(-1, 1, 0.01) ** 2).tolist()  # TV1
    assert om.sparc(s, 100.0) == pytest.approx(-1.41403, abs=5e-6)
    assert om.ldlj([[v] for v in s], 100.0) == pytest.approx(-5.81636, abs=5e-6)


def test_oracle_paths_and_angles_match_closed_forms():
    tau = np.linspace(0, 1, 201)
    quarter = [[0.2 * math.cos(a), 0.2 * math.sin(a)] for a in tau * math.pi / 2]
    half = [[0.2 * math.cos(a), 0.2 * math.sin(a)] for a in tau * math.pi]
    assert om.path_length_ratio(quarter) == pytest.approx(math.pi / (2 * math.sqrt(2)), rel=1e-4)  # TV5
    assert om.path_length_ratio(half) == pytest.approx(math.pi / 2, rel=1e-4)  # TV12
    # TV11: S = (0,0,0), E = (0,-0.30,0), W = (0.25,-0.30,0): elbow flexion 90 deg
    assert om.elbow_flexion_deg([0, 0, 0], [0, -0.30, 0], [0.25, -0.30, 0]) == pytest.approx(90.0)
    # an arm raised 60 deg forwards: elevation = flexion = 60, plane 90, abduction blank;
    # sideways: plane 0, abduction 60, flexion blank (the old projections read 180 here)
    cases = ((90.0, "flexion_deg", "abduction_deg"), (0.0, "abduction_deg", "flexion_deg"))
    for plane, named, blank in cases:
        arm = pose_world(np.array([60.0]), np.array([0.0]), "right", plane_deg=plane)[0]
        angles = om.shoulder_angles_deg([arm[i, :3].tolist() for i in (11, 12, 23, 24, 14, 16)], "right")
        assert angles["elevation_deg"] == pytest.approx(60.0)
        assert angles["plane_of_elevation_deg"] == pytest.approx(plane, abs=1e-9)
        assert angles[named] == pytest.approx(60.0) and math.isnan(angles[blank])


def test_oracle_sway_matches_tv6_and_tv7():
    t = np.arange(0, 30, 1 / FS)
    ml, ap = (0.01 * np.cos(2 * np.pi * 0.5 * t)).tolist(), (0.01 * np.sin(2 * np.pi * 0.5 * t)).tolist()
    m = ol.sway_metrics(ml, ap, FS)
    assert m["rms_m"] == pytest.approx(0.0100, abs=5e-7)
    assert m["mean_velocity_m_s"] == pytest.approx(0.03140, abs=5e-6)
    assert m["mean_frequency_hz"] == pytest.approx(0.4998, abs=5e-5)
    for method, cm2 in (("prediction", 9.474), ("confidence", 9.453), ("chi2", 9.422)):
        assert ol.ellipse95_area(ml, ap, method) * 1e4 == pytest.approx(cm2, abs=5e-4)
    assert math.pi * 5.991465 == pytest.approx(18.8227, abs=5e-5)  # TV7 constant


def test_oracle_bilateral_matches_tv8_and_tv9():
    t = np.arange(0, 10, 1 / FS)
    a = np.sin(2 * np.pi * 0.5 * t)
    b = np.sin(2 * np.pi * 0.5 * (t - 0.1))
    r, lag = ol.cross_correlation_peak(a.tolist(), b.tolist(), FS)
    assert r == pytest.approx(1.0, abs=5e-5) and lag == pytest.approx(0.1)
    assert ol.symmetry_index_pct(100.0, 80.0) == pytest.approx(22.22, abs=5e-3)
    assert ol.symmetry_angle_pct(100.0, 80.0) == pytest.approx(7.04, abs=5e-3)
    assert ol.symmetry_angle_pct(-100.0, 80.0) == pytest.approx(92.96, abs=5e-3)  # docs/validation.md
    assert math.isnan(ol.symmetry_angle_pct(0.0, 0.0)) and math.isnan(scoring.symmetry_angle_pct(0.0, 0.0))


# ------------------------------------------------------------- vectorised vs oracle
def test_coordination_agrees(traces):
    a, b = traces
    r, lag = scoring.cross_correlation_peak(a, b, FS)
    r_o, lag_o = ol.cross_correlation_peak(a.tolist(), b.tolist(), FS)
    close(r, r_o)
    close(lag, lag_o)
    for scale in (30.0, 3.0):  # joint curves moving 60 deg, and 6 deg (too little: NaN)
        fast = scoring.interjoint_coordination(scale * a, scale * b)
        close(fast, om.interjoint_r((scale * a).tolist(), (scale * b).tolist()))
        assert np.isfinite(fast) == (scale == 30.0)
    cases = ((100.0, 80.0), (3.0, -1.0), (0.5, 2.0), (-100.0, 80.0), (-1.0, 3.0), (1.0, -3.0), (0.0, 2.0))
    for right, left in cases:
        close(scoring.symmetry_index_pct(np.array(right), np.array(left)), ol.symmetry_index_pct(right, left))
        close(scoring.symmetry_angle_pct(np.array(right), np.array(left)), ol.symmetry_angle_pct(right, left))
        close(scoring.amplitude_ratio(np.array(left), np.array(right)), ol.amplitude_ratio(left, right))


def test_sway_and_zone_agree(traces):
    ml, ap = (0.02 * x for x in traces)
    fast = scoring.sway_metrics(ml, ap, FS)
    slow = ol.sway_metrics(ml.tolist(), ap.tolist(), FS)
    assert sorted(fast) == sorted(slow)
    for name in fast:
        close(fast[name], slow[name])
    for method in ("prediction", "confidence", "chi2"):
        close(
            scoring.ellipse95_area_m2(ml, ap, method=method),
            ol.ellipse95_area(ml.tolist(), ap.tolist(), method),
        )
    close(
        scoring.time_in_zone_s(ml, ap, (0.005, 0.0), 0.01, FS),
        ol.time_in_zone(ml.tolist(), ap.tolist(), (0.005, 0.0), 0.01, FS),
    )
    fast_los = scoring.los_excursion(ml, ap, 0.9)
    slow_los = ol.los_excursion(ml.tolist(), ap.tolist(), 0.9)
    assert sorted(fast_los) == sorted(slow_los)
    for name in fast_los:
        close(fast_los[name], slow_los[name])


@pytest.mark.parametrize("base", ["ankles", "hips"])
def test_com_proxy_agrees(base):
    rng = np.random.default_rng(3)
    world = pose_world(np.full(20, 30.0), np.full(20, 10.0), "left")
    world[..., :3] += rng.normal(0, 0.01, world[..., :3].shape)
    fast = scoring.com_proxy_m(world, base=base)
    close(fast, [ol.com_proxy(frame.tolist(), base) for frame in world])
    if base == "ankles":
        close(scoring.whole_body_com_m(world), [ol.whole_body_com(frame.tolist()) for frame in world])
        lean = scoring.cog_lean_deg(world)
        slow = [ol.cog_lean_deg(frame.tolist()) for frame in world]
        for name in ("forward_deg", "left_deg", "total_deg"):
            close(lean[name], [s[name] for s in slow])


def test_oracle_com_of_a_symmetric_upright_body_is_above_the_ankles():
    # Winter's fractions sum to 1 (a mass-weighted mean), so a body symmetric about x = 0
    # standing straight has its centre of mass right above the mid-ankle point.
    assert sum(seg[0] for seg in ol.WINTER_SEGMENTS) == pytest.approx(1.0)
    world = pose_world(np.zeros(1), np.zeros(1), "left")[0]
    world[:, 0] = 0.0  # every landmark on the mid-sagittal plane
    world[:, 2] = 0.0
    assert ol.cog_lean_deg(world.tolist())["total_deg"] == pytest.approx(0.0, abs=1e-12)


def test_single_leg_stance_agrees():
    rng = np.random.default_rng(8)
    world = pose_world(np.zeros(240), np.full(240, 10.0), "right")
    lift = np.zeros(240)
    lift[30:150] = 0.08
    lift[60:62] = 0.0  # a 2-sample dip: bridged
    lift[170:172] = 0.08  # a 2-sample lift: ignored
    world[:, 28, 1] -= lift + rng.normal(0, 0.003, 240)  # right ankle up (world y is down)
    for stance in ("left", "right"):
        close(
            scoring.single_leg_stance_s(world, FS, stance), ol.single_leg_stance_s(world.tolist(), FS, stance)
        )
    assert scoring.single_leg_stance_s(world, FS, "left") == pytest.approx(120 / FS)


def test_reposition_and_rom_agree():
    rng = np.random.default_rng(9)
    target = np.array([45.0, 80.0, 60.0, 45.0, 80.0])
    reproduced = target + rng.normal(3.0, 6.0, target.size)
    reproduced[2] = np.nan
    fast = scoring.reposition_summary_deg(reproduced, target)
    slow = ol.reposition_summary(reproduced.tolist(), target.tolist())
    for name in slow:
        close(fast[name], slow[name])
    for motion in ("shoulder_flexion", "shoulder_abduction", "elbow_flexion"):
        for age in (30.0, 54.9, 55.0, 80.0):
            assert scoring.age_norm_deg(motion, age) == ol.age_norm_deg(motion, age)


def test_summary_and_grade_agree():
    rng = np.random.default_rng(12)
    per_rep = {
        "sparc": rng.normal(-1.6, 0.2, 6),
        "sparc_reliable": np.array([True, True, False, True, True, False]),
        "success": np.array([True, False, True, True, True, True]),
        "success_reliable": np.array([True, True, True, False, True, True]),
        "reach_pct_arm": rng.normal(80, 5, 6),
        "reach_pct_arm_reliable": np.array([True, False, False, True, False, False]),
    }
    fast_m, fast_f = scoring.summarise_reps(per_rep)
    slow_m, slow_f = ol.summarise({k: v.tolist() for k, v in per_rep.items()})
    assert fast_f == slow_f
    assert sorted(fast_m) == sorted(slow_m)
    for name in fast_m:
        close(fast_m[name], slow_m[name])
    spec = REACH_GRADED
    history = [{"sparc": -1.7, "success_rate": 0.6}, {"sparc": -1.5, "reach_pct_arm": 85.0}]
    for goals in ({}, {"success_rate": 0.75}, {"success_rate": 0.9, "sparc": -1.5}, {"reach_pct_arm": 70.0}):
        for hist in ([], history):
            stars = scoring.grade_level(REACH_GRADED, fast_m, goals, hist, reliable=fast_f)
            assert stars == ol.grade(spec, slow_m, goals, hist, reliable=slow_f), (goals, hist)
