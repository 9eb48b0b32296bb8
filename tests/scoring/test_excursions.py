"""Rep segmentation of free exercises: start position -> movement -> back."""

from __future__ import annotations

import numpy as np
import pytest

from game.scoring.segmentation import excursions

FS = 10.0


def raises(n: int, amp: float = 60.0, rest: float = 10.0) -> np.ndarray:
    t = np.arange(0, 5.0 * n, 1 / FS)
    return rest + amp * np.clip(np.sin(2 * np.pi * t / 5.0), 0.0, None) ** 2


def test_counts_every_complete_excursion():
    s, p, e = excursions(raises(4), FS, min_amplitude=25.0)
    assert len(p) == 4
    assert np.all(s < p) and np.all(p < e) and np.all(e[:-1] <= s[1:])
    np.testing.assert_allclose(p / FS, [1.25, 6.25, 11.25, 16.25], atol=0.11)


def test_a_rep_cut_off_by_the_end_is_not_a_rep():
    x = raises(3)
    cut = x[: int(12.0 * FS)]  # the third raise peaks at 11.25 s and is cut at 12 s
    assert len(excursions(cut, FS, min_amplitude=25.0)[1]) == 2


def test_small_moves_noise_and_posture_changes_are_not_reps():
    rng = np.random.default_rng(0)
    assert len(excursions(raises(3, amp=15.0), FS, min_amplitude=25.0)[1]) == 0
    still = 20.0 + rng.normal(0.0, 2.0, 300)
    assert len(excursions(still, FS, min_amplitude=25.0)[1]) == 0
    step = np.concatenate(
        [
            np.full(50, 10.0),
            np.linspace(10, 70, 10),
            np.full(50, 70.0),
            np.linspace(70, 45, 10),
            np.full(50, 45.0),
        ]
    )
    assert len(excursions(step, FS, min_amplitude=25.0)[1]) == 0  # up, then only partly back


def test_missing_samples_split_the_signal():
    x = raises(3)
    x[55:70] = np.nan  # lost during the second raise
    s, p, e = excursions(x, FS, min_amplitude=25.0)
    assert len(p) == 2
    assert not np.any((s <= 62) & (e >= 62))


def test_bad_arguments_name_themselves():
    with pytest.raises(ValueError, match="signal"):
        excursions(np.zeros((3, 3)), FS, min_amplitude=1.0)
    with pytest.raises(ValueError, match="min_amplitude"):
        excursions(np.zeros(10), FS, min_amplitude=0.0)
