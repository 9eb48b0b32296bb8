"""Recording and replaying hands and face: only where tracked, old files unchanged, no pickle."""

from __future__ import annotations

import time

import numpy as np
import pytest

from game.tracking.errors import RecordingError
from game.tracking.pose import BODY_ONLY, MISSING_FACE, MISSING_HAND, PoseFrame, SourceStatus
from game.tracking.recorder import Recorder, RecordingSource, load_recording, save_recording
from game.tracking.replay import ReplaySource
from game.tracking.video import VideoSource
from tests.tracking.footage import FIST_THUMBS_UP
from tests.tracking.test_recorder import DT_S, make_frames

ALL = frozenset({"body", "hands", "face"})


def with_parts(frames: list[PoseFrame], rng: np.random.Generator) -> list[PoseFrame]:
    """Frames 0-2 body only; 3-6 hands and face tracked (left hand lost in 4, face in 5)."""
    out = []
    for i, f in enumerate(frames):
        if i < 3:
            out.append(f)
            continue
        left, right = (rng.random((21, 4), dtype=np.float32) for _ in range(2))
        face = rng.random((478, 4), dtype=np.float32)
        out.append(
            PoseFrame(
                f.t_s,
                f.image,
                f.world,
                MISSING_HAND if i == 4 else left,
                MISSING_HAND if i == 4 else left * 0.1,
                right,
                right * 0.1,
                MISSING_FACE if i == 5 else face,
            )
        )
    return out


def test_round_trip_keeps_hands_and_face_where_they_were_tracked(tmp_path) -> None:
    frames = with_parts(make_frames(7), np.random.default_rng(5))
    rec = Recorder()
    for f in frames:
        rec.append(f)
    path = rec.save(tmp_path / "parts.npz")
    with np.load(path, allow_pickle=False) as data:
        assert data["hands_frames"].tolist() == [3, 4, 5, 6]  # nothing stored for frames 0-2
        assert data["face_frames"].tolist() == [3, 4, 5, 6]
        assert data["left_hand"].shape == (4, 21, 4) and data["face"].shape == (4, 478, 4)
        assert data["face"].dtype == np.float32
    back = load_recording(path)
    for i, original in enumerate(frames):
        copy = back.frame(i)
        assert copy.parts == original.parts
        for key in ("left_hand", "left_hand_world", "right_hand", "right_hand_world", "face"):
            want, got = getattr(original, key), getattr(copy, key)
            if want is None or want is MISSING_HAND or want is MISSING_FACE:
                assert got is want  # None stays None; "not found" comes back as the constant
            else:
                np.testing.assert_array_equal(got, want)


def test_body_only_recordings_keep_the_old_file_layout(tmp_path) -> None:
    rec = Recorder()
    for f in make_frames(4):
        rec.append(f)
    assert rec.recording().parts == {}
    path = rec.save(tmp_path / "body.npz")
    with np.load(path) as data:
        assert sorted(data.files) == ["image", "t_s", "world"]
    old = tmp_path / "old.npz"  # written the way files were before hands and face existed
    frames = make_frames(3)
    np.savez(
        old,
        t_s=np.array([f.t_s for f in frames]),
        image=np.stack([f.image for f in frames]),
        world=np.stack([f.world for f in frames]),
    )
    back = load_recording(old)
    assert back.parts == {} and back.frame(1).parts == BODY_ONLY


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"hands_frames": np.array([0, 1])}, "missing array.*left_hand"),
        ({"face_frames": np.array([0, 5]), "face": np.zeros((2, 478, 4))}, "indices below 3"),
        ({"face_frames": np.array([1, 0]), "face": np.zeros((2, 478, 4))}, "increasing frame indices"),
        ({"face_frames": np.array([0]), "face": np.zeros((1, 468, 4))}, r"face must have shape \(1, 478"),
        ({"face_frames": np.array([0.0]), "face": np.zeros((1, 478, 4))}, "integers"),
        ({"face_frames": np.array([None], dtype=object), "face": np.zeros((1, 478, 4))}, "must hold numbers"),
    ],
)
def test_malformed_or_pickled_parts_are_refused(tmp_path, extra: dict, message: str) -> None:
    frames = make_frames(3)
    path = tmp_path / "bad.npz"
    body = {
        "t_s": np.array([f.t_s for f in frames]),
        "image": np.stack([f.image for f in frames]),
        "world": np.stack([f.world for f in frames]),
    }
    np.savez(path, **body, **extra)
    with pytest.raises(RecordingError, match=message):
        load_recording(path)


def test_replay_gives_hands_and_face_back_on_the_game_clock(tmp_path) -> None:
    frames = with_parts(make_frames(7), np.random.default_rng(6))
    rec = Recorder()
    for f in frames:
        rec.append(f)
    src = ReplaySource(save_recording(rec.recording(), tmp_path / "r.npz"))
    got = [src.poll(20.0 + i * DT_S) for i in range(7)]
    assert all(g is not None for g in got) and src.status() is SourceStatus.ENDED
    last = got[-1]
    assert last is not None and last.t_s == pytest.approx(20.0 + 6 * DT_S)
    np.testing.assert_array_equal(last.face, frames[6].face)
    np.testing.assert_array_equal(last.right_hand_world, frames[6].right_hand_world)
    assert got[0] is not None and got[0].parts == BODY_ONLY


def test_real_tracking_recorded_and_replayed_with_hands_and_face(tmp_path) -> None:
    path = tmp_path / "real.npz"
    source = RecordingSource(VideoSource(FIST_THUMBS_UP, fast=True), path)
    source.request_parts(ALL)
    live: list[PoseFrame] = []
    deadline = time.monotonic() + 60.0
    while len(live) < 30 and time.monotonic() < deadline:
        frame = source.poll(0.0)
        if frame is None:
            time.sleep(0.001)
        else:
            live.append(frame)
    source.close()
    assert len(live) == 30
    tracked = [f for f in live if f.parts == ALL]
    assert len(tracked) >= 28 and all(f.face_found for f in tracked)
    assert sum(f.hand_found("right") for f in tracked) >= 20  # the raised fist is her right hand
    back = load_recording(path)
    assert set(back.parts) == {"hands", "face"}
    for i, frame in enumerate(live):
        copy = back.frame(i)
        assert copy.parts == frame.parts
        if frame.face_found:
            np.testing.assert_array_equal(copy.face, frame.face)
        if frame.hand_found("right"):
            np.testing.assert_array_equal(copy.right_hand, frame.right_hand)
