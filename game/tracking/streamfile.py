"""The streamed recording files: poses appended to disk as they arrive (``--record``).

``PATH.npz.part`` holds the body, one fixed-size record per frame, little-endian::

    8 bytes   magic b"MPLYREC1"
    4 bytes   uint32 landmarks per frame (33)
    4 bytes   uint32 reserved (0)
    then one 1064-byte record per frame: float64 t_s, float32 image (33, 4),
    float32 world (33, 4)

Hands and the face, only while a level tracked them, go to a sidecar each,
``PATH.npz.part.hands`` and ``PATH.npz.part.face``::

    8 bytes   magic b"MPLYPRT1"
    4 bytes   uint32 landmarks per row (21 for a hand, 478 for the face)
    4 bytes   uint32 arrays per record (4 for hands: left, left world, right, right world;
              1 for the face)
    then one record per tracked frame: int64 frame index into the body file, then the
    arrays as float32 (arrays, landmarks, 4)

A torn last record (a process killed mid-write) is ignored, and part records whose frame the
body file does not hold (yet) are dropped, so a file cut anywhere reads as a complete recording
up to its last whole frame. Nothing here knows what a Recording is (game/tracking/recorder.py
builds one from :func:`read_stream`).
"""

from __future__ import annotations

import os
import struct
from collections.abc import Mapping
from pathlib import Path
from typing import BinaryIO

import numpy as np

from game.tracking.errors import RecordingError
from game.tracking.pose import N_LANDMARKS

BODY_MAGIC = b"MPLYREC1"
PART_MAGIC = b"MPLYPRT1"
HEADER = struct.Struct("<8sII")
BODY_DTYPE = np.dtype(
    [("t_s", "<f8"), ("image", "<f4", (N_LANDMARKS, 4)), ("world", "<f4", (N_LANDMARKS, 4))]
)
"""One streamed body record (1064 bytes)."""
PartKeys = Mapping[str, tuple[tuple[str, ...], int]]
"""Part name → (its array keys, landmarks per row), as game/tracking/recorder.PART_KEYS."""


def part_dtype(n_arrays: int, landmarks: int) -> np.dtype:
    """One streamed part record: the frame index and `n_arrays` (landmarks, 4) arrays."""
    return np.dtype([("frame", "<i8"), ("rows", "<f4", (n_arrays, landmarks, 4))])


def sidecar(part_file: Path, part: str) -> Path:
    """The sidecar of one part beside the body's ``.part`` file."""
    return part_file.with_name(f"{part_file.name}.{part}")


class StreamFile:
    """One append-only stream (body or a part), created on the first write, 0600."""

    def __init__(self, path: Path, magic: bytes, landmarks: int, n_arrays: int) -> None:
        self.path = path
        self._head = HEADER.pack(magic, landmarks, n_arrays)
        self._fh: BinaryIO | None = None

    def write(self, records: np.ndarray) -> None:
        if self._fh is None:
            fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            self._fh = os.fdopen(fd, "wb", buffering=0)
            self._fh.write(self._head)
        if len(records):
            self._fh.write(records.tobytes())

    def sync(self) -> None:
        if self._fh is not None:
            os.fsync(self._fh.fileno())

    def close(self) -> None:
        if self._fh is not None:
            self.sync()
            self._fh.close()
            self._fh = None


def read_stream(path: Path, parts: PartKeys) -> dict[str, np.ndarray]:
    """The arrays of a streamed recording in the .npz layout of game/tracking/recorder.py:
    ``t_s``, ``image``, ``world`` and, for each part with a sidecar, ``<part>_frames`` and the
    part's arrays."""
    magic, landmarks, _ = _header(path)
    if magic != BODY_MAGIC or landmarks != N_LANDMARKS:
        raise RecordingError(f"{path}: not a MirrorPlay streamed recording")
    body = _records(path, BODY_DTYPE)
    out = {"t_s": np.array(body["t_s"]), "image": np.array(body["image"]), "world": np.array(body["world"])}
    for part, (keys, n) in parts.items():
        side = sidecar(path, part)
        if side.is_file():
            out.update(_read_part(side, part, keys, n, len(body)))
    return out


def _read_part(path: Path, part: str, keys: tuple[str, ...], n: int, n_frames: int) -> dict[str, np.ndarray]:
    magic, landmarks, n_arrays = _header(path)
    if magic != PART_MAGIC or landmarks != n or n_arrays != len(keys):
        raise RecordingError(f"{path}: not a MirrorPlay {part} stream")
    rec = _records(path, part_dtype(n_arrays, n))
    rec = rec[rec["frame"] < n_frames]  # frames the body file does not hold (yet)
    out = {f"{part}_frames": np.array(rec["frame"], dtype=np.int64)}
    out.update({key: np.array(rec["rows"][:, i]) for i, key in enumerate(keys)})
    return out


def _header(path: Path) -> tuple[bytes, int, int]:
    with path.open("rb") as fh:
        head = fh.read(HEADER.size)
    if len(head) < HEADER.size:
        raise RecordingError(f"{path}: too short to be a streamed recording")
    magic, landmarks, extra = HEADER.unpack(head)
    return magic, int(landmarks), int(extra)


def _records(path: Path, dtype: np.dtype) -> np.ndarray:
    n = (path.stat().st_size - HEADER.size) // dtype.itemsize
    return np.fromfile(path, dtype=dtype, count=n, offset=HEADER.size)
