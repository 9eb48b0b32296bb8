"""Balance, coordination, proprioception, compensation and confidence metrics."""

import numpy as np
import pytest

from game.scoring import (
    amplitude_ratio,
    com_proxy_m,
    cross_correlation_peak,
    dwell_success,
    ellipse95_area_m2,
    interjoint_coordination,
    los_excursion,
    path_length_ratio,
    reliable,
    reliable_median,
    reposition_error_deg,
    reposition_summary_deg,
    shoulder_hiking_mm,
    single_leg_stance_s,
    sway_metrics,
    symmetry_angle_pct,
    symmetry_index_pct,
    time_in_zone_s,
    trunk_displacement_mm,
    valid_fraction,
)
from game.scoring.balance import cog_lean_deg, whole_body_com_m
from game.scoring.synthetic import pose_world
from game.tracking.pose import L_ANKLE, R_ANKLE


def circle(radius_m=0.01, freq_hz=0.5, duration_s=30.0, fs_hz=30.0):
    t = np.arange(int(duration_s * fs_hz)) / fs_hz
    return radius_m * np.cos(2 * np.pi * freq_hz * t), radius_m * np.sin(2 * np.pi * freq_hz * t)


def test_tv6_circle_sway():
    ml, ap = circle()
    m = sway_metrics(ml, ap, 30.0)
    assert m["rms_m"] == pytest.approx(0.01, rel=1e-3)
    assert m["mean_distance_m"] == pytest.approx(0.01, rel=1e-3)
    assert m["mean_velocity_m_s"] == pytest.approx(0.0314, abs=5e-5)
    assert m["mean_frequency_hz"] == pytest.approx(0.4998, abs=5e-4)
    cm2 = 1e4
    assert m["ellipse95_area_m2"] * cm2 == pytest.approx(9.474, rel=0.005)
    assert ellipse95_area_m2(ml, ap, method="confidence") * cm2 == pytest.approx(9.453, rel=0.005)
    assert ellipse95_area_m2(ml, ap, method="chi2") * cm2 == pytest.approx(9.422, rel=0.005)
    assert m["range_ml_m"] == pytest.approx(0.02, rel=1e-3)


def test_tv7_chi2_ellipse_constant():
    rng = np.random.default_rng(0)
    x = rng.standard_normal((2, 200_000))
    assert ellipse95_area_m2(x[0], x[1], method="chi2") == pytest.approx(18.8227, rel=0.01)


def test_sway_nan_and_batch():
    ml, ap = circle()
    ml2 = ml.copy()
    ml2[100:110] = np.nan
    batch = sway_metrics(np.stack([ml, ml2]), np.stack([ap, ap]), 30.0)
    single = sway_metrics(ml, ap, 30.0)
    for k, v in single.items():
        assert batch[k][0] == pytest.approx(v)
        assert np.isfinite(batch[k][1])


def test_sway_noise_sensitivity():
    # 1 mm of CoM noise on a 1 cm circle changes RMS by < 2 % (after no filtering at all)
    rng = np.random.default_rng(2)
    ml, ap = circle()
    m = sway_metrics(ml + rng.normal(0, 0.001, ml.size), ap + rng.normal(0, 0.001, ap.size), 30)
    assert m["rms_m"] == pytest.approx(0.01, rel=0.02)


def test_com_proxy_and_los():
    world = np.repeat(pose_world(np.zeros(1), np.zeros(1), "right")[..., :3], 3, axis=0)
    world[1] -= [0.0, 0.0, 0.1]  # the whole body shifted towards the camera, feet included
    com = com_proxy_m(world)
    np.testing.assert_allclose(com[1], com[0], atol=1e-12)  # relative to the ankles: no change
    # a rigid 5 deg forward lean of the whole body about the ankles (inverted pendulum)
    ankle = 0.5 * (world[0, L_ANKLE] + world[0, R_ANKLE])
    a = np.radians(5.0)
    rot = np.array([[1, 0, 0], [0, np.cos(a), -np.sin(a)], [0, np.sin(a), np.cos(a)]])
    world[2] = (world[0] - ankle) @ rot.T + ankle
    lean = cog_lean_deg(world)["forward_deg"]
    assert lean[2] - lean[0] == pytest.approx(5.0, abs=1e-9)
    height = float(np.linalg.norm(whole_body_com_m(world[0]) - ankle))
    com = com_proxy_m(world)
    los = los_excursion(com[[0, 2], 0], com[[0, 2], 1], com_height_m=height)
    assert los["forward_deg"] == pytest.approx(5.0, abs=0.2)
    assert los["forward_pct"] == pytest.approx(100 * los["forward_deg"] / 8.0)
    assert los["backward_deg"] == 0.0 and los["right_deg"] == 0.0


def test_time_in_zone():
    ml, ap = circle(radius_m=0.02)
    t_s, frac = time_in_zone_s(ml, ap, (0.02, 0.0), 0.02 * np.sqrt(2), 30.0)
    assert frac == pytest.approx(0.5, abs=0.01)  # the half of the circle with ml > 0
    assert t_s == pytest.approx(15.0, abs=0.2)


def test_single_leg_stance():
    fs = 30.0
    world = np.repeat(pose_world(np.zeros(1), np.zeros(1), "right"), 300, axis=0)
    world[60:210, R_ANKLE, 1] -= 0.1  # right foot lifted for 5 s
    world[120:122, R_ANKLE, 1] += 0.1  # a 67 ms touch-down flicker is bridged
    world[250:252, R_ANKLE, 1] -= 0.1  # a 67 ms lift is ignored
    assert single_leg_stance_s(world, fs, "left") == pytest.approx(5.0)
    assert single_leg_stance_s(world, fs, "right") == 0.0
    assert world[0, L_ANKLE, 1] > 0


def test_tv8_lag_of_delayed_sine():
    fs = 30.0
    t = np.arange(300) / fs
    a = np.sin(2 * np.pi * 0.5 * t)
    b = np.sin(2 * np.pi * 0.5 * (t - 0.1))
    r, lag = cross_correlation_peak(a, b, fs)
    assert r == pytest.approx(1.0, abs=1e-9) and lag == pytest.approx(0.1)
    r, lag = cross_correlation_peak(b, a, fs)
    assert lag == pytest.approx(-0.1)
    rb, lb = cross_correlation_peak(np.stack([a, b]), np.stack([b, a]), fs)
    np.testing.assert_allclose(lb, [0.1, -0.1])


def test_lag_noise_tolerance():
    fs = 30.0
    t = np.arange(300) / fs
    rng = np.random.default_rng(4)
    a = np.sin(2 * np.pi * 0.5 * t) + rng.normal(0, 0.1, (20, t.size))
    b = np.sin(2 * np.pi * 0.5 * (t - 0.1)) + rng.normal(0, 0.1, (20, t.size))
    r, lag = cross_correlation_peak(a, b, fs)
    assert (np.abs(lag - 0.1) <= 1 / fs + 1e-9).all() and (r > 0.95).all()


def test_tv9_symmetry():
    assert symmetry_index_pct(100.0, 80.0) == pytest.approx(22.22, abs=0.01)
    assert symmetry_angle_pct(100.0, 80.0) == pytest.approx(7.04, abs=0.01)
    assert np.isnan(symmetry_index_pct(0.0, 0.0))
    assert amplitude_ratio(80.0, 100.0) == pytest.approx(0.8)


def test_interjoint_coordination():
    t = np.linspace(0, 1, 50)
    assert interjoint_coordination(80 * t, 60 * t + 10) == pytest.approx(1.0)
    assert interjoint_coordination(80 * t, -60 * t) == pytest.approx(-1.0)
    gappy = 60 * t
    gappy[5:9] = np.nan
    assert interjoint_coordination(80 * t, gappy) == pytest.approx(1.0)


def test_tv5_tv12_path_length_ratio():
    th = np.linspace(0, np.pi / 2, 2001)
    quarter = np.stack([np.cos(th), np.sin(th)], axis=-1)
    assert path_length_ratio(quarter) == pytest.approx(np.pi / (2 * np.sqrt(2)), abs=1e-4)
    th = np.linspace(0, np.pi, 2001)
    half = np.stack([np.cos(th), np.sin(th)], axis=-1)
    assert path_length_ratio(half) == pytest.approx(np.pi / 2, abs=1e-4)
    assert np.isnan(path_length_ratio(np.zeros((10, 3))))


def test_compensation():
    trunk = np.zeros((20, 3))
    trunk[10:, 2] = -0.05  # 50 mm forwards
    assert trunk_displacement_mm(trunk) == pytest.approx(50.0)
    shoulder = np.zeros((20, 3))
    shoulder[:, 1] = -0.5
    shoulder[12, 1] = -0.52  # 20 mm higher (y is down)
    assert shoulder_hiking_mm(shoulder, np.zeros((20, 3))) == pytest.approx(20.0)


def test_proprioception():
    a, s = reposition_error_deg(np.array([32.0, 25.0]), 30.0)
    np.testing.assert_allclose(a, [2.0, 5.0])
    np.testing.assert_allclose(s, [2.0, -5.0])
    summ = reposition_summary_deg(np.array([32.0, 25.0, np.nan]), np.array([30.0, 30.0, 30.0]))
    assert summ["absolute_error_deg"] == pytest.approx(3.5)
    assert summ["constant_error_deg"] == pytest.approx(-1.5)
    assert summ["variable_error_deg"] == pytest.approx(np.std([2.0, -5.0], ddof=1))


def test_dwell_success():
    inside = np.zeros((2, 30), dtype=bool)
    inside[0, 10:17] = True  # 7 samples = 0.2 s at 30 Hz
    inside[1, 10:15] = True
    ok, entry = dwell_success(inside, 30.0, 0.2)
    np.testing.assert_array_equal(ok, [True, False])
    assert entry[0] == pytest.approx(10 / 30.0) and np.isnan(entry[1])


def test_confidence():
    obs = np.array([[True] * 8 + [False] * 2, [True] * 5 + [False] * 5])
    frac = valid_fraction(obs)
    np.testing.assert_allclose(frac, [0.8, 0.5])
    np.testing.assert_array_equal(reliable(np.array([1.0, 1.0]), frac), [True, False])
    assert not reliable(np.nan, 1.0)
    med, n = reliable_median(np.array([1.0, 100.0, 3.0, 2.0]), np.array([1, 0, 1, 1], bool))
    assert med == 2.0 and n == 3


def test_whole_body_com_ignores_a_missing_landmark_it_does_not_use() -> None:
    rng = np.random.default_rng(7)
    world = rng.normal(0.0, 0.3, size=(50, 33, 4))
    clean = whole_body_com_m(world)
    assert np.all(np.isfinite(clean))
    world[10:20, 0, :3] = np.nan  # the nose: not a segment end point
    world[30:35, 1, :3] = np.inf
    assert np.array_equal(whole_body_com_m(world), clean)
    world[40, 15, :3] = np.nan  # a wrist is used: that frame has no centre of mass
    out = whole_body_com_m(world)
    assert np.all(np.isnan(out[40])) and np.array_equal(np.delete(out, 40, 0), np.delete(clean, 40, 0))
