"""Property tests (hypothesis): shapes, NaN handling, batch equivalence."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from game.scoring import (
    cross_correlation_peak,
    fill_gaps,
    ldlj,
    lowpass,
    movement_units,
    path_length_ratio,
    shoulder_angles_deg,
    sparc,
    sway_metrics,
)
from game.scoring.synthetic import pose_world

FS = 30.0
finite = st.floats(-5, 5, allow_nan=False, width=64)
speeds = arrays(np.float64, st.integers(8, 60), elements=st.floats(0, 2, width=64))


def pad_rows(rows, value=np.nan):
    n = max(r.shape[0] for r in rows)
    out = np.full((len(rows), n) + rows[0].shape[1:], value)
    for i, r in enumerate(rows):
        out[i, : r.shape[0]] = r
    return out


@settings(max_examples=40, deadline=None, derandomize=True, database=None)
@given(st.lists(speeds, min_size=1, max_size=4))
def test_smoothness_batch_equals_single(rows):
    batch = pad_rows(rows)
    s, n = sparc(batch, FS), movement_units(batch, FS)
    v = ldlj(batch[..., None], FS)
    assert s.shape == n.shape == v.shape == (len(rows),)
    for i, r in enumerate(rows):
        np.testing.assert_equal(s[i], sparc(r, FS))
        np.testing.assert_allclose(v[i], ldlj(r[:, None], FS), rtol=1e-12)
        np.testing.assert_equal(n[i], movement_units(r, FS))
        assert np.isnan(s[i]) or s[i] <= -1.0 + 1e-12  # SPARC <= -1 always (§2.2)


@settings(max_examples=30, deadline=None, derandomize=True, database=None)
@given(arrays(np.float64, st.tuples(st.integers(1, 3), st.integers(2, 40), st.just(3)), elements=finite))
def test_path_length_ratio_shape_and_bound(pos):
    plr = path_length_ratio(pos)
    assert plr.shape == pos.shape[:1]
    ok = np.isfinite(plr)
    assert (plr[ok] >= 1 - 1e-9).all()


@settings(max_examples=30, deadline=None, derandomize=True, database=None)
@given(st.integers(20, 80), st.lists(st.integers(0, 79), max_size=15), st.integers(0, 3))
def test_sway_nan_and_batch(n, holes, seed):
    rng = np.random.default_rng(seed)
    ml, ap = rng.normal(0, 0.01, (2, 2, n))
    ml[1, [h for h in holes if h < n]] = np.nan
    both = sway_metrics(ml, ap, FS)
    for i in range(2):
        one = sway_metrics(ml[i], ap[i], FS)
        for k in one:
            np.testing.assert_allclose(both[k][i], one[k], rtol=1e-10)
    assert all(np.isfinite(v[0]) for v in both.values())  # row 0 has no holes: no NaN


@settings(max_examples=30, deadline=None, derandomize=True, database=None)
@given(st.integers(0, 20), st.integers(40, 90))
def test_xcorr_lag_recovers_shift(shift, n):
    rng = np.random.default_rng(shift)
    base = np.cumsum(rng.normal(size=n + 20))
    a = base[20:]
    b = base[20 - shift : n + 20 - shift]  # b lags a by `shift` samples
    r, lag = cross_correlation_peak(a, b, FS)
    assert np.isclose(lag, shift / FS) and r > 0.999


@settings(max_examples=25, deadline=None, derandomize=True, database=None)
@given(
    arrays(np.float64, st.tuples(st.integers(10, 50), st.integers(1, 3)), elements=finite),
    st.lists(st.integers(0, 49), max_size=12),
)
def test_fill_and_lowpass_keep_shape_and_columns_independent(x, holes):
    x = x.copy()
    x[[h for h in holes if h < x.shape[0]], 0] = np.nan
    filled, gap = fill_gaps(x, FS)
    out = lowpass(filled, FS)
    assert filled.shape == gap.shape == out.shape == x.shape
    np.testing.assert_array_equal(np.isnan(out), np.isnan(filled))
    for j in range(x.shape[1]):  # batch equals per-column
        f1, _ = fill_gaps(x[:, j], FS)
        np.testing.assert_allclose(lowpass(f1, FS), out[:, j], rtol=1e-9, atol=1e-12)


@settings(max_examples=25, deadline=None, derandomize=True, database=None)
@given(st.lists(st.floats(-40, 170), min_size=1, max_size=5), st.sampled_from(["left", "right"]))
def test_angles_batch_shapes_and_nan(flex, side):
    flex = np.array(flex)
    world = pose_world(flex, np.full(flex.size, 30.0), side)[..., :3]
    world[0, 11] = np.nan
    ang = shoulder_angles_deg(world[None], side)
    assert ang["flexion_deg"].shape == (1, flex.size)
    assert np.isnan(ang["flexion_deg"][0, 0])
    np.testing.assert_allclose(ang["flexion_deg"][0, 1:], flex[1:], atol=1e-8)
