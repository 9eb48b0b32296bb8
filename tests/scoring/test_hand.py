"""Finger measures (game/scoring/hand.py) against closed forms and an independent oracle."""

from __future__ import annotations

import math
import statistics

import numpy as np
import pytest

from game.scoring import hand as SH
from game.tracking import sim_hands as S
from game.tracking.motor import Fingers
from tests.scoring import hand_oracle as O

RNG = np.random.default_rng(7)


def planar_hand(angles_deg: np.ndarray) -> np.ndarray:
    """A hand ``(T, 21, 3)`` whose fingers bend by the given angles, built here from scratch:
    the wrist at the origin, each metacarpal a straight line from it, each finger bending in
    the plane of its metacarpal and the z axis. ``angles_deg`` is (T, 14): for index..pinky
    MCP, PIP, DIP, then thumb MCP, IP."""
    t = angles_deg.shape[0]
    out = np.zeros((t, 21, 3))
    bases = {"index": (0.02, 0.09), "middle": (0.0, 0.095), "ring": (-0.017, 0.088), "pinky": (-0.03, 0.078)}
    for k, (name, (x, y)) in enumerate(bases.items()):
        mcp = np.array([x, y, 0.0])
        e = mcp / np.linalg.norm(mcp)
        idx = O.FINGER[name]
        out[:, idx[0]] = mcp
        cum = np.zeros(t)
        p = np.tile(mcp, (t, 1))
        for j, length in enumerate((0.04, 0.025, 0.02)):
            cum = cum + np.radians(angles_deg[:, 3 * k + j])
            p = p + length * (np.cos(cum)[:, None] * e + np.sin(cum)[:, None] * np.array([0, 0, 1.0]))
            out[:, idx[j + 1]] = p
    cmc, e = np.array([0.02, 0.03, 0.0]), np.array([0.6, 0.8, 0.0])
    out[:, 1] = cmc
    out[:, 2] = cmc + 0.04 * e
    cum = np.zeros(t)
    p = out[:, 2].copy()
    for j, length in enumerate((0.03, 0.025)):
        cum = cum + np.radians(angles_deg[:, 12 + j])
        p = p + length * (np.cos(cum)[:, None] * e + np.sin(cum)[:, None] * np.array([0, 0, 1.0]))
        out[:, 3 + j] = p
    return out


def test_flexion_is_the_angle_built_into_the_fingers() -> None:
    angles = RNG.uniform(0.0, 110.0, (50, 14))
    hand = planar_hand(angles)
    flex = SH.finger_flexion_deg(hand)
    names = [f"{f}_{j}" for f in ("index", "middle", "ring", "pinky") for j in ("mcp", "pip", "dip")]
    names += ["thumb_mcp", "thumb_ip"]
    for k, name in enumerate(names):
        np.testing.assert_allclose(flex[name], angles[:, k], atol=1e-9)
    total = SH.total_flexion_deg(hand)
    np.testing.assert_allclose(total["index"], angles[:, 0:3].sum(axis=1), atol=1e-9)
    np.testing.assert_allclose(total["thumb"], angles[:, 12:14].sum(axis=1), atol=1e-9)
    assert np.allclose(SH.finger_flexion_deg(planar_hand(np.zeros((1, 14))))["ring_pip"], 0.0)


def test_flexion_and_aperture_agree_with_the_per_frame_oracle() -> None:
    """Noisy simulated hands in many shapes, frame by frame, against the plain-Python oracle."""
    frame = S.hand_frame(np.zeros(3), np.array([0.0, 0.25, 0.0]), "right")
    hands = []
    for _ in range(40):
        cmd = Fingers(curl=tuple(RNG.uniform(0, 1, 5)), pinch=float(RNG.uniform(0, 1)), oppose="ring")
        hands.append(S.hand_points(S.shape_vector(cmd), np.zeros(3), frame) + RNG.normal(0, 0.002, (21, 3)))
    stack = np.stack(hands)
    flex = SH.finger_flexion_deg(stack)
    aperture = SH.hand_aperture_norm(stack)
    pinch = SH.pinch_aperture_norm(stack, "ring")
    for i, h in enumerate(hands):
        rows = [list(map(float, r)) for r in h]
        for name, value in O.flexions(rows).items():
            assert flex[name][i] == pytest.approx(value, abs=1e-6), name
        assert aperture[i] == pytest.approx(O.aperture(rows), rel=1e-12)
        assert pinch[i] == pytest.approx(O.pinch(rows, "ring"), rel=1e-12)


def test_measures_ignore_the_hands_size_position_and_a_missing_landmark_is_nan() -> None:
    frame = S.hand_frame(np.zeros(3), np.array([0.0, 0.25, 0.0]), "left")
    fist = S.hand_points(S.shape_vector(Fingers(curl=(1, 1, 1, 1, 1))), np.zeros(3), frame)
    flat = S.hand_points(S.shape_vector(Fingers(curl=(0, 0, 0, 0, 0))), np.zeros(3), frame)
    assert SH.hand_aperture_norm(flat) > 1.0 > 0.6 > SH.hand_aperture_norm(fist)
    moved = 2.5 * fist + np.array([0.3, -1.0, 2.0])
    assert SH.hand_aperture_norm(moved) == pytest.approx(SH.hand_aperture_norm(fist))
    assert SH.finger_flexion_deg(moved)["index_pip"] == pytest.approx(
        SH.finger_flexion_deg(fist)["index_pip"]
    )
    holed = fist.copy()
    holed[7] = np.nan
    flex = SH.finger_flexion_deg(holed)
    assert math.isnan(flex["index_pip"]) and math.isnan(flex["index_dip"]) and np.isfinite(flex["index_mcp"])
    with pytest.raises(ValueError, match="hand must have shape"):
        SH.finger_flexion_deg(np.zeros((20, 3)))


def test_active_range_is_largest_minus_smallest_ignoring_gaps() -> None:
    x = np.array([[10.0, np.nan, 80.0, 30.0], [np.nan] * 4])
    out = SH.active_range_deg(x)
    assert out[0] == 70.0 and math.isnan(out[1])


def taps_signal(fs: float, rate_hz: float, amps: list[float], pauses: dict[int, float] | None = None):
    """Thumb-index gap: closed (0.1) between taps, each tap a raised cosine of its amplitude."""
    t, x, now = [], [], 0.0
    step = 1.0 / fs
    for k, a in enumerate(amps):
        n = int(round(fs / rate_hz))
        for i in range(n):
            t.append(now)
            x.append(0.1 + a * 0.5 * (1 - math.cos(2 * math.pi * i / n)))
            now += step
        for _ in range(int(round((pauses or {}).get(k, 0.0) * fs))):
            t.append(now)
            x.append(0.1)
            now += step
    t.append(now)
    x.append(0.1)
    return np.array(t), np.array(x)


def test_tapping_measures_of_a_known_signal() -> None:
    amps = list(np.linspace(1.0, 0.7, 10))
    t, x = taps_signal(60.0, 3.0, amps)
    m = SH.tapping_metrics(t, x)
    assert m["tap_count"] == 10
    assert m["tap_rate_hz"] == pytest.approx(3.0, rel=1e-9)
    assert m["tap_amplitude_norm"] == pytest.approx(np.mean(amps), abs=1e-9)
    assert m["tap_amplitude_decrement_pct"] == pytest.approx(30.0, abs=1e-6)  # 1.0 -> 0.7
    assert m["tap_speed_decrement_pct"] == pytest.approx(30.0, abs=1e-6)  # same cycle time
    assert m["tap_interval_cv_pct"] == pytest.approx(0.0, abs=1e-9) and m["tap_hesitations"] == 0


def test_a_pause_is_a_hesitation_and_the_rhythm_varies() -> None:
    t, x = taps_signal(60.0, 3.0, [1.0] * 10, pauses={4: 0.8})
    m = SH.tapping_metrics(t, x)
    taps = SH.tap_events(x)
    intervals = list(np.diff(t[taps.peak]))
    assert m["tap_count"] == 10 and m["tap_hesitations"] == 1
    assert m["tap_interval_cv_pct"] == pytest.approx(
        100 * statistics.stdev(intervals) / statistics.fmean(intervals), rel=1e-9
    )
    assert m["tap_rate_hz"] == pytest.approx(9 / (t[taps.peak[-1]] - t[taps.peak[0]]))


def test_small_wobbles_are_not_taps_and_gaps_are_bridged() -> None:
    t = np.arange(0, 3, 1 / 30)
    still = 0.1 + 0.05 * np.sin(2 * np.pi * 5 * t)
    assert SH.tapping_metrics(t, still)["tap_count"] == 0
    _, x = taps_signal(30.0, 2.0, [1.0] * 5)
    holed = x.copy()
    holed[20] = np.nan
    assert len(SH.tap_events(holed)) == 5


def test_decrement_against_the_oracle_on_irregular_taps() -> None:
    amps = list(RNG.uniform(0.5, 1.2, 12))
    _, x = taps_signal(60.0, 2.5, amps)
    taps = SH.tap_events(x)
    measured = list(x[taps.peak] - x[taps.before])
    assert SH.tapping_metrics(np.arange(x.size) / 60.0, x)["tap_amplitude_decrement_pct"] == pytest.approx(
        O.decrement_pct(measured), rel=1e-9
    )


def test_individuation_closed_form_and_oracle() -> None:
    lead = np.linspace(0, 60, 40)
    coact = [0.0, 0.2, -0.1, 0.3]
    flex = np.stack([c * lead + 10 * (i + 1) for i, c in enumerate(coact)], axis=1)
    flex[:, 0] = lead
    assert SH.individuation_index(flex, 0) == pytest.approx(1 - (0.2 + 0.1 + 0.3) / 3)
    noisy = flex + RNG.normal(0, 2, flex.shape)
    rows = [list(map(float, r)) for r in noisy]
    assert SH.individuation_index(noisy, 0) == pytest.approx(O.individuation(rows, 0), rel=1e-9)
    assert math.isnan(SH.individuation_index(np.ones((10, 4)), 1))  # the finger never moved


def test_touch_times_follow_the_order() -> None:
    frame = S.hand_frame(np.zeros(3), np.array([0.0, 0.25, 0.0]), "right")
    seq = [Fingers(pinch=p, oppose=f) for f in ("index", "middle", "ring") for p in (0.0, 0.5, 1.0)]
    hand = np.stack([S.hand_points(S.shape_vector(c), np.zeros(3), frame) for c in seq])
    t = np.arange(len(seq), dtype=float)
    np.testing.assert_allclose(SH.touch_times_s(t, hand, ("index", "middle", "ring"), 0.2), [2.0, 5.0, 8.0])
    out = SH.touch_times_s(t, hand, ("ring", "index"), 0.2)
    assert out[0] == 8.0 and math.isnan(out[1])  # the index was touched before the ring only
