"""One-Euro filter: closed-form step and ramp responses, jitter vs lag, reset on tracking loss."""

from __future__ import annotations

import numpy as np
import pytest

from game.tracking.pose import L_WRIST, PoseFrame
from game.tracking.smoothing import (
    OneEuroFilter,
    OneEuroParams,
    PoseSmoother,
    smoothing_alpha,
)

DT_S = 1.0 / 30.0


def run(filt: OneEuroFilter, xs: np.ndarray, dt_s: float = DT_S) -> np.ndarray:
    return np.stack([filt(x, i * dt_s) for i, x in enumerate(xs)])


def test_alpha_matches_first_order_lowpass() -> None:
    # a = 1 / (1 + tau/dt) with tau = 1 / (2 pi fc): fc = 1 Hz, dt = 1/30 s.
    tau = 1.0 / (2 * np.pi)
    assert smoothing_alpha(DT_S, 1.0) == pytest.approx(1.0 / (1.0 + tau / DT_S))


def test_step_with_beta_zero_is_exponential() -> None:
    # With beta = 0 the One-Euro is a plain EMA: y_n = 1 - (1 - a)^n after a unit step at n = 0.
    filt = OneEuroFilter(OneEuroParams(min_cutoff_hz=2.0, beta=0.0))
    xs = np.ones((40, 33, 4))
    xs[0] = 0.0
    ys = run(filt, xs)
    a = float(smoothing_alpha(DT_S, 2.0))
    n = np.arange(40)
    expected = 1.0 - (1.0 - a) ** n
    np.testing.assert_allclose(ys[:, 5, 2], expected, rtol=1e-12, atol=1e-12)


def test_step_settles_faster_with_beta() -> None:
    slow = run(OneEuroFilter(OneEuroParams(1.0, beta=0.0)), np.r_[np.zeros(5), np.ones(30)])
    fast = run(OneEuroFilter(OneEuroParams(1.0, beta=30.0)), np.r_[np.zeros(5), np.ones(30)])
    # samples to reach 90 % of the step
    t_slow = int(np.argmax(slow >= 0.9))
    t_fast = int(np.argmax(fast >= 0.9))
    assert t_fast < t_slow
    assert fast[-1] == pytest.approx(1.0, abs=1e-3)


@pytest.mark.parametrize("beta", [0.0, 2.0, 20.0])
def test_ramp_lag_matches_closed_form(beta: float) -> None:
    # Steady state on a ramp x = v t: the lag L (units) is constant, so each step moves the
    # output by v dt and L = v tau with tau = 1 / (2 pi fc). As in Casiez et al. 2012 the speed
    # is estimated against the previous *filtered* value, so the speed estimate is v + L/dt and
    # fc = fmin + beta (v + L/dt): 2 pi (beta/dt) L^2 + 2 pi (fmin + beta v) L - v = 0.
    v, fmin = 0.3, 1.0  # units per second, hertz
    filt = OneEuroFilter(OneEuroParams(min_cutoff_hz=fmin, beta=beta, max_gap_s=1.0))
    t = np.arange(900) * DT_S
    ys = np.array([filt(np.array([v * ti]), ti)[0] for ti in t])
    lag_units = v * t[-1] - ys[-1]
    roots = np.roots([2 * np.pi * beta / DT_S, 2 * np.pi * (fmin + beta * v), -v])
    expected = roots[np.isreal(roots) & (roots.real > 0)].real.max()
    assert lag_units == pytest.approx(expected, rel=1e-6)
    if beta == 0.0:
        assert lag_units / v == pytest.approx(1.0 / (2 * np.pi * fmin), rel=1e-6)


def test_jitter_lag_tradeoff() -> None:
    rng = np.random.default_rng(7)
    noise = rng.normal(0.0, 0.002, size=(300, 33, 3))
    still = run(OneEuroFilter(OneEuroParams(1.0, beta=32.0)), noise)
    raw_jitter = np.abs(np.diff(noise, axis=0)).mean()
    filt_jitter = np.abs(np.diff(still[30:], axis=0)).mean()
    assert filt_jitter < 0.5 * raw_jitter

    # Beta cuts the lag on a fast ramp compared with the same filter without beta.
    ramp = (np.arange(60) * DT_S * 0.5)[:, None]
    lag_plain = ramp[-1, 0] - run(OneEuroFilter(OneEuroParams(1.0, 0.0)), ramp)[-1, 0]
    lag_beta = ramp[-1, 0] - run(OneEuroFilter(OneEuroParams(1.0, 32.0)), ramp)[-1, 0]
    assert lag_beta < 0.25 * lag_plain


def test_nan_resets_the_element() -> None:
    filt = OneEuroFilter(OneEuroParams(1.0, beta=0.0))
    filt(np.array([0.0, 0.0]), 0.0)
    filt(np.array([0.0, 0.0]), DT_S)
    out = filt(np.array([np.nan, 0.0]), 2 * DT_S)
    assert np.isnan(out[0]) and out[1] == 0.0
    # The landmark reappears far away: it starts there instead of gliding in from 0.
    out = filt(np.array([5.0, 0.0]), 3 * DT_S)
    assert out[0] == 5.0


def test_long_gap_restarts_and_duplicate_time_keeps_estimate() -> None:
    filt = OneEuroFilter(OneEuroParams(1.0, beta=0.0, max_gap_s=0.2))
    filt(np.array([0.0]), 0.0)
    assert filt(np.array([1.0]), 1.0)[0] == 1.0  # gap 1 s > 0.2 s: restart at the sample
    y = filt(np.array([2.0]), 1.0 + DT_S)[0]
    assert filt(np.array([9.0]), 1.0 + DT_S)[0] == y


def test_params_validated() -> None:
    with pytest.raises(ValueError, match="min_cutoff_hz"):
        OneEuroParams(min_cutoff_hz=0.0)
    with pytest.raises(ValueError, match="beta"):
        OneEuroParams(beta=-1.0)


def test_pose_smoother_keeps_visibility_and_resets_on_missing() -> None:
    smoother = PoseSmoother()
    base = np.zeros((33, 4), np.float32)
    base[:, 3] = 0.9
    smoother(PoseFrame(0.0, base.copy(), base.copy()))
    moved = base.copy()
    moved[L_WRIST, 0] = 0.5
    out = smoother(PoseFrame(DT_S, moved, moved.copy()))
    assert 0.0 < out.image[L_WRIST, 0] < 0.5
    np.testing.assert_array_equal(out.image[:, 3], moved[:, 3])
    assert out.t_s == DT_S

    lost = smoother(PoseFrame.missing(2 * DT_S))
    assert np.isnan(lost.image[:, :3]).all()
    back = smoother(PoseFrame(3 * DT_S, moved, moved.copy()))
    assert back.image[L_WRIST, 0] == pytest.approx(0.5)
