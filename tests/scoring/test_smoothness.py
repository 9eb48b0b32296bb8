"""SPARC, LDLJ and movement units against published and closed-form values.

Test vectors: docs/sources.md §9 (TV1-TV4) and the reference implementation of
Balasubramanian et al. 2015 (siva82kb/smoothness_from_imu docstrings).
"""

import numpy as np
import pytest

from game.scoring import ldlj, movement_units, sparc
from game.scoring.synthetic import min_jerk


def gaussian_speed() -> np.ndarray:
    t = np.arange(-1, 1, 0.01)
    return np.exp(-5 * t**2)


def min_jerk_speed(distance_m: float, duration_s: float, fs_hz: float) -> np.ndarray:
    """Analytic min-jerk speed sampled with both end points (§9 implementation notes)."""
    tau = np.arange(0, duration_s + 1e-12, 1 / fs_hz) / duration_s
    return distance_m * (30 * tau**2 - 60 * tau**3 + 30 * tau**4) / duration_s


def two_submovements(lag_s: float, fs_hz: float) -> np.ndarray:
    a = min_jerk_speed(0.1, 1.0, fs_hz)
    k = int(round(lag_s * fs_hz))
    out = np.zeros(a.size + k)
    out[: a.size] += a
    out[k:] += a
    return out


def test_tv1_gaussian_reference_values():
    s = gaussian_speed()
    assert sparc(s, 100.0) == pytest.approx(-1.41403, abs=5e-6)
    assert ldlj(s[:, None], 100.0) == pytest.approx(-5.81636, abs=5e-6)


@pytest.mark.parametrize(
    ("fs_hz", "sparc_ref", "ldlj_ref"), [(100.0, -1.4058, -5.3016), (30.0, -1.4004, -5.2509)]
)
def test_tv2_min_jerk(fs_hz, sparc_ref, ldlj_ref):
    v = min_jerk_speed(0.3, 1.0, fs_hz)
    assert sparc(v, fs_hz) == pytest.approx(sparc_ref, abs=0.005)
    assert ldlj(v[:, None], fs_hz) == pytest.approx(ldlj_ref, abs=0.01)


def test_tv2c_sparc_duration_invariant_ldlj_known():
    for duration, ldlj_ref in ((0.5, -5.2804), (2.0, -5.3119)):
        v = min_jerk_speed(0.3, duration, 100.0)
        assert sparc(v, 100.0) == pytest.approx(-1.4058, abs=0.005)
        assert ldlj(v[:, None], 100.0) == pytest.approx(ldlj_ref, abs=0.01)


def test_ldlj_converges_to_analytic_limit():
    # TV2d: -ln(204.8) for fs -> infinity; 1 kHz over 2 s gives -5.3210 (§2.3)
    v = min_jerk_speed(0.3, 2.0, 1000.0)
    assert ldlj(v[:, None], 1000.0) == pytest.approx(-np.log(204.8), abs=0.002)


@pytest.mark.parametrize(
    ("lag_s", "sparc_ref", "ldlj_ref", "peaks"),
    [
        (0.0, -1.4058, -5.3016, 1),
        (0.5, -1.6311, -6.3730, 1),
        (0.6, -1.7640, -7.0232, 2),
        (1.0, -2.2445, -8.0843, 2),
    ],
)
def test_tv3_two_submovements(lag_s, sparc_ref, ldlj_ref, peaks):
    v = two_submovements(lag_s, 100.0)
    assert sparc(v, 100.0) == pytest.approx(sparc_ref, abs=0.005)
    assert ldlj(v[:, None], 100.0) == pytest.approx(ldlj_ref, abs=0.01)
    assert movement_units(v, 100.0) == peaks


@pytest.mark.parametrize(
    ("lag_s", "sparc_ref", "ldlj_ref"), [(0.5, -1.6294, -6.2559), (1.0, -2.2925, -8.0574)]
)
def test_tv3b_two_submovements_at_30_hz(lag_s, sparc_ref, ldlj_ref):
    v = two_submovements(lag_s, 30.0)
    assert sparc(v, 30.0) == pytest.approx(sparc_ref, abs=0.01)
    assert ldlj(v[:, None], 30.0) == pytest.approx(ldlj_ref, abs=0.01)


def test_tv4_rest_padding_changes_ldlj_not_sparc():
    v = min_jerk_speed(0.3, 1.0, 100.0)
    padded = np.concatenate([np.zeros(50), v, np.zeros(50)])
    assert sparc(padded, 100.0) == pytest.approx(-1.4059, abs=0.005)
    assert ldlj(padded[:, None], 100.0) == pytest.approx(-7.3911, abs=0.01)


def test_tv5_ldlj_of_curved_velocity_vector():
    fs, radius = 100.0, 0.2
    t = np.arange(0, 1 + 1e-12, 1 / fs)
    theta = np.pi / 2 * min_jerk(t)
    dtheta = np.pi / 2 * (30 * t**2 - 60 * t**3 + 30 * t**4)
    vel = radius * dtheta[:, None] * np.stack([-np.sin(theta), np.cos(theta)], axis=1)
    assert ldlj(vel, fs) == pytest.approx(-6.0274, abs=0.01)
    assert ldlj(np.linalg.norm(vel, axis=1)[:, None], fs) == pytest.approx(-5.3016, abs=0.01)


@pytest.mark.parametrize("scale", [1e-3, 0.5, 7.0, 1e3])
def test_sparc_and_ldlj_amplitude_invariant(scale):
    s = two_submovements(0.5, 100.0)
    assert sparc(scale * s, 100.0) == pytest.approx(sparc(s, 100.0), abs=1e-9)
    assert ldlj(scale * s[:, None], 100.0) == pytest.approx(ldlj(s[:, None], 100.0), abs=1e-9)


def test_batch_with_nan_padding_equals_single_calls():
    rows = [min_jerk_speed(0.3, d, 30.0) for d in (0.5, 1.0, 1.7)] + [two_submovements(1.0, 30.0)]
    n = max(r.size for r in rows)
    batch = np.full((2, 2, n), np.nan)
    for i, r in enumerate(rows):
        batch[i // 2, i % 2, : r.size] = r
    got_s, got_l = sparc(batch, 30.0), ldlj(batch[..., None], 30.0)
    got_n = movement_units(batch, 30.0)
    for i, r in enumerate(rows):
        assert got_s[i // 2, i % 2] == sparc(r, 30.0)
        assert got_l[i // 2, i % 2] == pytest.approx(ldlj(r[:, None], 30.0), rel=1e-12)
        assert got_n[i // 2, i % 2] == movement_units(r, 30.0)


def test_guards_return_nan():
    assert np.isnan(sparc(np.ones(5), 30.0))  # too short
    assert np.isnan(sparc(np.zeros(40), 30.0))  # no movement
    assert np.isnan(ldlj(np.zeros((40, 3)), 30.0))
    gap = min_jerk_speed(0.3, 1.0, 30.0)
    gap[10] = np.nan  # a hole inside the movement
    assert np.isnan(sparc(gap, 30.0))
    assert np.isnan(ldlj(gap[:, None], 30.0))
    assert np.isnan(movement_units(np.full(10, np.nan), 30.0))


def test_bad_arguments_name_the_argument():
    with pytest.raises(ValueError, match="fs_hz"):
        sparc(np.ones(20), 0.0)
    with pytest.raises(ValueError, match="amp_th"):
        sparc(np.ones(20), 30.0, amp_th=1.5)
    with pytest.raises(ValueError, match="velocity"):
        ldlj(np.ones(20), 30.0)


def test_movement_units_noise_floor_and_separation():
    fs = 100.0
    v = min_jerk_speed(0.3, 1.0, fs)
    wobble = v + 0.004 * np.sin(2 * np.pi * 8 * np.arange(v.size) / fs)  # 4 mm/s ripple
    assert movement_units(wobble, fs) == 1  # below the 20 mm/s rise
    # a 30 mm/s second bump counts, unless the rest noise floor says it is noise
    bump = np.concatenate([v, 0.03 * np.sin(np.linspace(0, np.pi, 40))])
    assert movement_units(bump, fs) == 2
    assert movement_units(bump, fs, noise_sd_m_s=0.02) == 1
    # two peaks 100 ms apart are one unit (150 ms rule)
    close = np.exp(-((np.arange(100) - 45) ** 2) / 8.0) + np.exp(-((np.arange(100) - 55) ** 2) / 8.0)
    assert movement_units(0.3 * close, fs) == 1


def test_tv13_sparc_robust_to_filtered_noise():
    # §2.6 noise table: 1 mm noise, 6 Hz zero-phase filter keeps SPARC within 0.02 of -1.401
    from scipy import signal

    rng = np.random.default_rng(0)
    fs, n_rep = 30.0, 200
    t = np.arange(0, 1 + 1e-12, 1 / fs)
    x = 0.3 * min_jerk(t)
    noisy = x[None, :, None] + rng.normal(0, 0.001, (n_rep, t.size, 3))
    sos = signal.butter(2, 6.0, fs=fs, output="sos")
    smooth = signal.sosfiltfilt(sos, noisy, axis=1)
    speed = np.linalg.norm(np.gradient(smooth, axis=1) * fs, axis=-1)
    values = sparc(speed, fs)
    assert abs(values.mean() - (-1.400)) < 0.02
    assert values.std() < 0.02
