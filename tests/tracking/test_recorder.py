"""Landmark recordings: atomic .npz writing, validation on load, replay in game time."""

from __future__ import annotations

import numpy as np
import pytest

from game.tracking.errors import RecordingError
from game.tracking.pose import L_SHOULDER, R_SHOULDER, PoseFrame, PoseSource, SourceStatus
from game.tracking.recorder import (
    Recorder,
    Recording,
    RecordingSource,
    load_recording,
    save_recording,
)
from game.tracking.replay import ReplaySource

DT_S = 1.0 / 30.0


def make_frames(n: int, seed: int = 3, missing: tuple[int, ...] = ()) -> list[PoseFrame]:
    rng = np.random.default_rng(seed)
    frames = []
    for i in range(n):
        t_s = 100.0 + i * DT_S
        if i in missing:
            frames.append(PoseFrame.missing(t_s))
            continue
        image = rng.random((33, 4)).astype(np.float32)
        image[:, 3] = 0.9
        world = rng.normal(size=(33, 4)).astype(np.float32)
        frames.append(PoseFrame(t_s, image, world))
    return frames


def test_save_and_load_round_trip_with_missing_frames(tmp_path) -> None:
    rec = Recorder()
    frames = make_frames(12, missing=(4, 5))
    for f in frames:
        assert rec.append(f)
    assert not rec.append(frames[3])  # time does not increase: skipped
    path = rec.save(tmp_path / "session.npz")
    with np.load(path) as data:
        assert sorted(data.files) == ["image", "t_s", "world"]
        assert data["image"].dtype == np.float32 and data["image"].shape == (12, 33, 4)
        assert data["t_s"].dtype == np.float64
    back = load_recording(path)
    np.testing.assert_array_equal(back.t_s, [f.t_s for f in frames])
    np.testing.assert_array_equal(back.image[0], frames[0].image)
    assert np.isnan(back.image[4, :, :3]).all() and (back.image[4, :, 3] == 0).all()
    assert np.isnan(back.world[5]).any()
    assert list(tmp_path.iterdir()) == [path]  # no temp file left behind


def test_save_replaces_existing_file_atomically(tmp_path) -> None:
    path = tmp_path / "r.npz"
    path.write_bytes(b"old")
    frames = make_frames(3)
    rec = Recording(
        np.array([f.t_s for f in frames]),
        np.stack([f.image for f in frames]),
        np.stack([f.world for f in frames]),
    )
    save_recording(rec, path)
    assert len(load_recording(path)) == 3
    assert [p.name for p in tmp_path.iterdir()] == ["r.npz"]


@pytest.mark.parametrize(
    ("arrays", "message"),
    [
        ({"t_s": np.zeros(2), "image": np.zeros((2, 33, 4))}, "missing array.*world"),
        (
            {"t_s": np.zeros(2), "image": np.zeros((2, 33, 3)), "world": np.zeros((2, 33, 4))},
            r"image must have shape \(2, 33, 4\)",
        ),
        (
            {
                "t_s": np.array([1.0, 1.0]),
                "image": np.zeros((2, 33, 4)),
                "world": np.zeros((2, 33, 4)),
            },
            "strictly increasing",
        ),
    ],
)
def test_load_rejects_malformed_files(tmp_path, arrays, message: str) -> None:
    path = tmp_path / "bad.npz"
    np.savez(path, **arrays)
    with pytest.raises(RecordingError, match=message) as info:
        load_recording(path)
    assert "bad.npz" in str(info.value)


def test_load_rejects_missing_and_non_npz_files(tmp_path) -> None:
    with pytest.raises(RecordingError, match="no such recording"):
        load_recording(tmp_path / "nope.npz")
    junk = tmp_path / "junk.npz"
    junk.write_text("not a zip")
    with pytest.raises(RecordingError, match="junk.npz"):
        load_recording(junk)
    with pytest.raises(RecordingError, match=r"\.npz"):
        save_recording(Recorder().recording(), tmp_path / "x.csv")


def test_replay_follows_game_time_and_ends(tmp_path) -> None:
    frames = make_frames(10)
    rec = Recorder()
    for f in frames:
        rec.append(f)
    src = ReplaySource(rec.save(tmp_path / "r.npz"))
    assert isinstance(src, PoseSource)
    assert src.status() is SourceStatus.STARTING
    first = src.poll(50.0)
    assert first is not None and first.t_s == 50.0  # re-stamped onto the caller's clock
    np.testing.assert_array_equal(first.image, frames[0].image)
    assert src.poll(50.0) is None  # nothing new yet
    # 3.5 frame periods later the newest due frame is index 3; 1 and 2 are dropped.
    third = src.poll(50.0 + 3.5 * DT_S)
    assert third is not None
    np.testing.assert_array_equal(third.world, frames[3].world)
    assert third.t_s == pytest.approx(50.0 + 3 * DT_S)
    assert src.status() is SourceStatus.OK
    last = src.poll(60.0)
    assert last is not None
    np.testing.assert_array_equal(last.image, frames[-1].image)
    assert src.status() is SourceStatus.ENDED
    assert src.poll(61.0) is None and src.picture() is None


def test_recording_source_records_what_it_passes_on(tmp_path) -> None:
    frames = make_frames(8, missing=(2,))
    inner = ReplaySource(
        Recording(
            np.array([f.t_s for f in frames]),
            np.stack([f.image for f in frames]),
            np.stack([f.world for f in frames]),
        )
    )
    path = tmp_path / "out.npz"
    src = RecordingSource(inner, path)
    assert isinstance(src, PoseSource)
    returned = []
    for i in range(8):
        f = src.poll(i * DT_S)
        if f is not None:
            returned.append(f)
    assert src.status() is SourceStatus.ENDED
    src.close()
    src.close()
    back = load_recording(path)
    assert len(back) == len(returned) == 8
    assert np.isnan(back.image[2, :, :3]).all()
    assert not PoseFrame(0.0, back.image[2], back.world[2]).present
    vis = back.image[:, [L_SHOULDER, R_SHOULDER], 3]
    assert (vis[[0, 1, 3]] > 0.5).all()
    with pytest.raises(RecordingError, match=r"\.npz"):
        RecordingSource(inner, tmp_path / "out.txt")
