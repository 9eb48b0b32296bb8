"""game.scoring.zero_phase: the scoring's forward-backward filter is scipy's sosfiltfilt, bit for
bit, on the lengths, widths and orders scoring uses (down to two samples)."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.signal

from game.scoring.zero_phase import butter_sections, filtfilt_columns, pad_samples


@pytest.mark.parametrize("order", [1, 2, 4])
@pytest.mark.parametrize(("n", "k"), [(18000, 21), (900, 1), (40, 6), (10, 3), (2, 4)])
def test_same_bits_as_sosfiltfilt(order: int, n: int, k: int) -> None:
    rng = np.random.default_rng(n + k + order)
    x = np.cumsum(rng.standard_normal((n, k)), axis=0) * 10.0 ** rng.integers(-3, 2, k)
    sos = scipy.signal.butter(order, 6.0, fs=30.0, output="sos")
    padlen = min(3 * (2 * sos.shape[0] + 1), n - 1)
    want = scipy.signal.sosfiltfilt(sos, x, axis=0, padlen=padlen)
    got = filtfilt_columns(x, order, 6.0, 30.0)
    assert got.shape == (n, k)
    np.testing.assert_array_equal(got, want)


def test_columns_are_independent_and_input_untouched() -> None:
    rng = np.random.default_rng(1)
    x = rng.standard_normal((300, 5))
    before = x.copy()
    both = filtfilt_columns(x, 2, 1.5, 30.0)
    np.testing.assert_array_equal(x, before)
    np.testing.assert_array_equal(filtfilt_columns(x[:, [3]], 2, 1.5, 30.0)[:, 0], both[:, 3])


def test_a_constant_passes_and_a_fast_sine_is_removed() -> None:
    t = np.arange(600) / 30.0
    x = np.stack([np.full(t.size, 2.5), np.sin(2 * np.pi * 12.0 * t)], axis=1)
    y = filtfilt_columns(x, 2, 6.0, 30.0)
    np.testing.assert_allclose(y[:, 0], 2.5, rtol=1e-12)
    assert np.max(np.abs(y[60:-60, 1])) < 0.05  # 12 Hz, well above the 6 Hz cut-off


def test_pad_and_sections() -> None:
    assert pad_samples(1, 18000) == 9
    assert pad_samples(2, 18000) == 15
    assert pad_samples(1, 5) == 4
    sos, zi = butter_sections(2, 6.0, 30.0)
    assert sos.shape == (1, 6) and zi.shape == (1, 2)
    assert not sos.flags.writeable and not zi.flags.writeable
    assert butter_sections(2, 6.0, 30.0)[0] is sos  # designed once
