"""Issue 10 item 9: wrapped angle differences, the symmetry-angle wrap, SPARC's identity
with the reference code and the LDLJ duration convention.

Failed before: reposition_error_deg(-180, 170) gave -350 deg; symmetry_angle_pct used
arctan2, which leaves Zifchock's (-100 %, 100 %] range for opposite-signed values; the
SPARC docstring claimed identity with the reference code at every rate.
"""

from __future__ import annotations

import numpy as np
import pytest

from game.scoring import ldlj, reposition_error_deg, reposition_summary_deg, sparc, symmetry_angle_pct
from game.scoring.angles import angle_diff_deg, wrap_deg
from game.scoring.synthetic import min_jerk


def test_wrapped_differences():
    assert angle_diff_deg(-180.0, 170.0) == pytest.approx(10.0)
    assert angle_diff_deg(170.0, -180.0) == pytest.approx(-10.0)
    np.testing.assert_allclose(wrap_deg(np.array([-190.0, 190.0, 360.0, -180.0])), [170, -170, 0, -180])
    absolute, signed = reposition_error_deg(np.array([-180.0, 95.0]), np.array([170.0, 90.0]))
    np.testing.assert_allclose(signed, [10.0, 5.0])
    np.testing.assert_allclose(absolute, [10.0, 5.0])
    summary = reposition_summary_deg(np.array([-178.0, 176.0]), np.array([178.0, 178.0]))
    assert summary["absolute_error_deg"] == pytest.approx(3.0)
    assert summary["constant_error_deg"] == pytest.approx(1.0)


def test_symmetry_angle_follows_zifchock_including_the_wrap():
    assert symmetry_angle_pct(100.0, 80.0) == pytest.approx(7.04, abs=0.01)  # TV9
    # opposite signs: arctan(-0.8) = -38.66 deg -> (45 + 38.66) / 90 = 92.96 %
    assert symmetry_angle_pct(-100.0, 80.0) == pytest.approx(92.96, abs=0.01)
    # X_L / X_R < -1: 45 - arctan(-1.25) = 96.34 deg > 90 -> subtract 180 -> -92.96 %
    assert symmetry_angle_pct(-80.0, 100.0) == pytest.approx(-92.96, abs=0.01)
    v = symmetry_angle_pct(np.linspace(-100, 100, 41)[:, None], np.linspace(-100, 100, 41)[None, :])
    assert np.nanmax(v) <= 100.0 and np.nanmin(v) > -100.0


def reference_sparc(movement, fs, padlevel=4, fc=10.0, amp_th=0.05):
    """siva82kb/smoothness_from_imu ``sparc``, transcribed line by line."""
    nfft = int(pow(2, np.ceil(np.log2(len(movement))) + padlevel))
    f = np.arange(0, fs, fs / nfft)
    mf = abs(np.fft.fft(movement, nfft))
    mf = mf / max(mf)
    fc_inx = ((f <= fc) * 1).nonzero()
    f_sel = f[fc_inx]
    mf_sel = mf[fc_inx]
    inx = ((mf_sel >= amp_th) * 1).nonzero()[0]
    sel = range(inx[0], inx[-1] + 1)
    f_sel = f_sel[sel]
    mf_sel = mf_sel[sel]
    return -sum(np.sqrt(pow(np.diff(f_sel) / (f_sel[-1] - f_sel[0]), 2) + pow(np.diff(mf_sel), 2)))


def _speeds(fs):
    t = np.arange(0, 1.0 + 1e-12, 1 / fs)
    one = np.gradient(0.3 * min_jerk(t), 1 / fs)
    t2 = np.arange(0, 1.6 + 1e-12, 1 / fs)
    two = np.gradient(0.1 * min_jerk(t2) + 0.1 * min_jerk(t2 - 0.6), 1 / fs)
    return one, two


@pytest.mark.parametrize("fs", [20.0, 30.0, 60.0, 100.0])
def test_sparc_is_the_reference_from_20_hz(fs):
    for speed in _speeds(fs):
        assert sparc(speed, fs) == pytest.approx(reference_sparc(speed, fs), abs=1e-12)


def test_sparc_below_20_hz_stops_at_nyquist():
    one, _ = _speeds(15.0)
    assert sparc(one, 15.0) == pytest.approx(reference_sparc(one, 15.0), abs=1e-12)  # smooth
    one, _ = _speeds(10.0)
    assert sparc(one, 10.0) == pytest.approx(-1.40, abs=0.05)
    assert reference_sparc(one, 10.0) < -2.5  # the reference's band reaches the mirrored DC


def test_ldlj_duration_convention_is_n_dt():
    fs = 30.0
    t = np.arange(0, 1.0 + 1e-12, 1 / fs)
    v = np.gradient(0.3 * min_jerk(t), 1 / fs)
    assert ldlj(v[:, None], fs) == pytest.approx(-5.2509, abs=0.02)  # TV2b, T = N dt
