"""Adaptive difficulty: staircase convergence on simulated patients, guards and shared gain."""

from __future__ import annotations

import math

import numpy as np
import pytest

from game.therapist.adaptive import (
    Staircase,
    adapt_shared_gain,
    compensation_rising,
    staircases_from_settings,
    update,
)
from game.therapist.settings_schema import PatientSettings

SLOPE = 0.05  # logistic spread of the simulated patient, in arm lengths


def p_success(distance: float, d50: float) -> float:
    """Simulated patient: logistic psychometric function, success falls with distance."""
    return 1.0 / (1.0 + math.exp((distance - d50) / SLOPE))


def simulate(rule: str, d50: float, seed: int, n: int = 400) -> tuple[float, float]:
    rng = np.random.default_rng(seed)
    st = Staircase("target_reach_fraction", 0.3, 0.01, 0.05, 1.5, 1, rule, 0.75)  # type: ignore[arg-type]
    hits, values = [], []
    for _ in range(n):
        ok = bool(rng.random() < p_success(st.value, d50))
        hits.append(ok)
        values.append(st.value)
        st, _ = update(st, ok, compensation_rising=False)
    assert st.trials == n and st.successes == sum(hits)
    return float(np.mean(hits[100:])), float(np.mean(values[100:]))


@pytest.mark.parametrize(
    ("rule", "target_p"),
    [("1up2down", 0.5**0.5), ("1up3down", 0.5 ** (1 / 3)), ("weighted", 0.75)],
)
@pytest.mark.parametrize("d50", [0.4, 0.55, 0.7])
def test_staircase_converges_to_target_success(rule: str, target_p: float, d50: float) -> None:
    # Levitt: p^n = 0.5 (70.7 %, 79.4 %); Kaernbach weighted: p (docs/sources.md §8, TV10).
    threshold = d50 + SLOPE * math.log((1 - target_p) / target_p)  # closed-form inverse
    for seed in range(4):
        rate, mean_value = simulate(rule, d50, seed)
        assert 0.70 - 0.03 <= rate <= 0.80 + 0.03  # the 70-80 % band, within tolerance
        assert rate == pytest.approx(target_p, abs=0.03)
        assert mean_value == pytest.approx(threshold, abs=0.02)


def test_weighted_step_ratio_is_kaernbach() -> None:
    st = Staircase("dwell_s", 1.0, 0.1, 0.5, 2.0, 1, "weighted", 0.8)
    assert st.easier_step / st.step == pytest.approx(4.0)  # TV10: p = 0.8 → 4


def test_no_raise_while_compensation_rising() -> None:
    st = Staircase("target_reach_fraction", 0.5, 0.02, 0.3, 0.8, 1, "1up2down")
    st, change = update(st, True, compensation_rising=True)
    assert change is None and st.value == 0.5
    st, change = update(st, True, compensation_rising=True)
    assert change is not None and change.old == change.new == 0.5
    assert "compensation" in change.reason
    for _ in range(50):
        st, _ = update(st, True, compensation_rising=True)
        assert st.value == 0.5
    st, change = update(st, False, compensation_rising=True)  # easier is still allowed
    assert st.value < 0.5 and change is not None and "closer" in change.reason


def test_never_exceeds_rom_limit() -> None:
    settings = PatientSettings.from_mapping({
        "max_reach_fraction": 0.6, "target_reach_fraction": 0.5,
        "adaptive_bounds": {"target_reach_fraction": [0.3, 0.6], "target_radius_norm": [0.06, 0.15]},
    })  # fmt: skip
    stairs = staircases_from_settings(settings)
    assert set(stairs) == {"target_reach_fraction", "target_radius_norm"}
    st = stairs["target_reach_fraction"]
    seen = []
    for _ in range(100):  # a patient who never misses
        st, _ = update(st, True, False)
        seen.append(st.value)
    assert max(seen) == pytest.approx(0.6) and max(seen) <= settings.max_reach_fraction
    radius = stairs["target_radius_norm"]
    for _ in range(100):
        radius, _ = update(radius, True, False)
    assert radius.value == pytest.approx(0.06)  # smaller is harder, stops at the lower bound
    assert staircases_from_settings(settings.with_change("adaptive", False)) == {}


def test_change_reasons_are_readable() -> None:
    st = Staircase("target_reach_fraction", 0.5, 0.025, 0.3, 0.8, 1, "1up3down")
    for _ in range(2):
        st, change = update(st, True, False)
        assert change is None
    st, change = update(st, True, False)
    assert change is not None
    assert change.reason.startswith("3 successes in a row → target 5% further")
    assert (change.old, change.new) == (0.5, 0.525)


def test_staircase_validates() -> None:
    with pytest.raises(ValueError, match="outside"):
        Staircase("dwell_s", 3.0, 0.1, 0.5, 2.0, 1)
    with pytest.raises(ValueError, match="rule"):
        Staircase("dwell_s", 1.0, 0.1, 0.5, 2.0, 1, "2up1down")  # type: ignore[arg-type]


def test_compensation_rising_rule() -> None:
    flat = [30, 32, 28, 31, 29, 30, 33]
    assert not compensation_rising(flat)
    assert compensation_rising([*flat, 60, 65, 58])
    assert not compensation_rising([*flat, 60, 31, 30])  # one outlier: median holds
    assert not compensation_rising([30, 80, 90])  # too little history for a baseline
    assert compensation_rising([*flat, float("nan"), 60, 65, 58])  # NaN ignored
    assert not compensation_rising([*flat, 45, 45, 45], margin_mm=20.0)
    assert compensation_rising([*flat, 45, 45, 45], margin_mm=10.0)


def test_shared_gain_hands_over_as_arm_improves() -> None:
    rom = [0.50, 0.52, 0.51, 0.60, 0.62, 0.61]
    sparc = [-2.0, -2.0, -2.0, -1.9, -1.9, -1.9]
    gain, reason = adapt_shared_gain(0.3, (0.0, 0.7), rom, sparc)
    assert gain == pytest.approx(0.4) and "0.30 → 0.40" in reason and "51% → 61%" in reason
    gain, reason = adapt_shared_gain(0.7, (0.0, 0.7), rom, sparc)
    assert gain == 0.7 and "bound" in reason
    worse, reason = adapt_shared_gain(0.3, (0.1, 0.7), rom[::-1], sparc)
    assert worse == pytest.approx(0.2) and "0.30 → 0.20" in reason
    held, reason = adapt_shared_gain(0.3, (0.0, 0.7), [0.5] * 6, [-2.0] * 6)
    assert held == 0.3 and reason.startswith("held")
    few, reason = adapt_shared_gain(0.3, (0.0, 0.7), rom[:4], sparc[:4])
    assert few == 0.3 and "not enough" in reason
    clipped, _ = adapt_shared_gain(0.9, (0.0, 0.7), [0.5] * 6, [-2.0] * 6)
    assert clipped == 0.7
    with pytest.raises(ValueError, match="bounds"):
        adapt_shared_gain(0.3, (0.8, 0.2), rom, sparc)
