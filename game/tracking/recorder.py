"""Landmark recordings (.npz): what a pose source produced, never its pixels.

File layout (``--record PATH.npz``, read back by ``--replay PATH.npz``):

- ``t_s`` ``(T,) float64``: monotonic capture timestamps in seconds, strictly increasing;
- ``image`` ``(T, 33, 4) float32``: image landmarks (see pose.py), NaN where no pose was found;
- ``world`` ``(T, 33, 4) float32``: world landmarks in metres, NaN where no pose was found.

Only when hands or the face were tracked (files without them, as written before hands and
face existed, load unchanged):

- ``hands_frames`` ``(H,) int64``: indices into ``t_s`` of the frames in which hands were
  tracked, strictly increasing; ``left_hand``, ``left_hand_world``, ``right_hand``,
  ``right_hand_world`` ``(H, 21, 4) float32``, row ``k`` belonging to frame
  ``hands_frames[k]``, NaN where that hand was not found;
- ``face_frames`` ``(F,) int64`` and ``face`` ``(F, 478, 4) float32``, the same for the face.

A part that was never tracked adds nothing to the file or to memory. Files are plain arrays,
read header first (game/tracking/npzfile.py: never pickle, never a size the file does not
hold), and written atomically (temporary file in the same folder, fsync, then ``os.replace``)
so a crash never leaves half a recording behind.

``--record`` streams (:class:`StreamRecorder`): each pose is appended to ``PATH.npz.part`` (and
hands and face to sidecars) as it arrives, so nothing grows in memory, and the .npz is
assembled from them when the run ends (normally, by SIGTERM or SIGHUP, or on a crash); the
.part files are then removed. After a kill -9 or a power cut they stay: they are a complete
recording up to the last frame written (``--replay PATH.npz.part`` plays it). Their layout is
in game/tracking/streamfile.py.
"""

from __future__ import annotations

import os
import tempfile
import time
import zipfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from game.tracking.errors import RecordingError
from game.tracking.npzfile import read_arrays
from game.tracking.pose import (
    MISSING_FACE,
    MISSING_HAND,
    N_FACE_LANDMARKS,
    N_HAND_LANDMARKS,
    N_LANDMARKS,
    Picture,
    PoseFrame,
    PoseSource,
    SourceStatus,
    forward_parts,
)
from game.tracking.streamfile import (
    BODY_DTYPE,
    BODY_MAGIC,
    PART_MAGIC,
    StreamFile,
    part_dtype,
    read_stream,
    sidecar,
)

KEYS = ("t_s", "image", "world")
HAND_KEYS = ("left_hand", "left_hand_world", "right_hand", "right_hand_world")
PART_KEYS: dict[str, tuple[tuple[str, ...], int]] = {
    "hands": (HAND_KEYS, N_HAND_LANDMARKS),
    "face": (("face",), N_FACE_LANDMARKS),
}
"""Optional part → (its PoseFrame fields, which are also its file keys; landmarks per row)."""
_MISSING = {N_HAND_LANDMARKS: MISSING_HAND, N_FACE_LANDMARKS: MISSING_FACE}
FLUSH_FRAMES = 30
"""Frames buffered before they are written to the .part files (half a second at 60 Hz)."""
FSYNC_EVERY_S = 5.0
"""How often the .part files are forced to disk (a killed process loses nothing written; this
bounds what a power cut can lose)."""
COORD_LIMIT = 1e3
"""Loaded landmark coordinates beyond this magnitude (1000 frame widths or metres) are
treated as missing: they can only be damage, and would overflow drawing."""


@dataclass(frozen=True)
class PartTrack:
    """One optional part (hands or face) over a recording, for the frames it was tracked in.

    Attributes
    ----------
    frames : (K,) int64
        Indices of the recording's frames in which the part was tracked, strictly increasing.
    arrays : mapping of PoseFrame field name to (K, n, 4) float32
        The part's landmarks per tracked frame (NaN where tracked but not found).
    """

    frames: np.ndarray
    arrays: Mapping[str, np.ndarray]

    def row(self, i: int) -> int | None:
        """Row of frame ``i`` in the arrays, or None if the part was not tracked then."""
        k = int(np.searchsorted(self.frames, i))
        return k if k < len(self.frames) and int(self.frames[k]) == i else None


@dataclass(frozen=True)
class Recording:
    """A whole landmark recording.

    Attributes
    ----------
    t_s : (T,) float64
        Capture timestamps in seconds, strictly increasing.
    image, world : (T, 33, 4) float32
        Landmarks per frame; NaN coordinates and 0 visibility where no pose was found.
    parts : mapping of "hands" / "face" to PartTrack
        Only the parts tracked in at least one frame.
    """

    t_s: np.ndarray
    image: np.ndarray
    world: np.ndarray
    parts: Mapping[str, PartTrack] = field(default_factory=dict)

    def __post_init__(self) -> None:
        validate_recording(self.t_s, self.image, self.world, where="Recording")
        for name, track in self.parts.items():
            validate_part(name, track, len(self.t_s), where="Recording")

    def __len__(self) -> int:
        return int(self.t_s.shape[0])

    def frame(self, i: int) -> PoseFrame:
        """Frame ``i`` as a PoseFrame (copies, so callers cannot alter the recording)."""
        extra: dict[str, np.ndarray] = {}
        for track in self.parts.values():
            k = track.row(i)
            if k is not None:
                extra.update({key: _unpack(arr[k]) for key, arr in track.arrays.items()})
        return PoseFrame(float(self.t_s[i]), self.image[i].copy(), self.world[i].copy(), **extra)


def _unpack(row: np.ndarray) -> np.ndarray:
    """A copy of one stored part row, or the shared MISSING constant for a part not found."""
    if np.isnan(row[:, :3]).all():
        return _MISSING[row.shape[0]]
    return row.copy()


def validate_recording(t_s: np.ndarray, image: np.ndarray, world: np.ndarray, where: str) -> None:
    """Raise :class:`RecordingError` naming ``where`` and the key if the arrays are malformed."""
    if t_s.ndim != 1:
        raise RecordingError(f"{where}: t_s must have shape (T,), got {t_s.shape}")
    n = t_s.shape[0]
    for key, arr in (("image", image), ("world", world)):
        if arr.shape != (n, N_LANDMARKS, 4):
            raise RecordingError(f"{where}: {key} must have shape ({n}, 33, 4), got {arr.shape}")
    if not np.all(np.isfinite(t_s)):
        raise RecordingError(f"{where}: t_s contains NaN or infinite values")
    if n > 1 and not np.all(np.diff(t_s) > 0):
        raise RecordingError(f"{where}: t_s must be strictly increasing")


def validate_part(name: str, track: PartTrack, n_frames: int, where: str) -> None:
    """Raise :class:`RecordingError` if a part's frame indices or arrays are malformed."""
    if name not in PART_KEYS:
        raise RecordingError(f"{where}: unknown part {name!r}")
    keys, n = PART_KEYS[name]
    frames = track.frames
    if frames.ndim != 1 or not np.issubdtype(frames.dtype, np.integer):
        raise RecordingError(f"{where}: {name}_frames must be integers of shape (K,), got {frames.shape}")
    k = frames.shape[0]
    if k and (frames[0] < 0 or frames[-1] >= n_frames or not np.all(np.diff(frames) > 0)):
        raise RecordingError(f"{where}: {name}_frames must be increasing frame indices below {n_frames}")
    if sorted(track.arrays) != sorted(keys):
        raise RecordingError(f"{where}: {name} needs arrays {', '.join(keys)}")
    for key in keys:
        got = track.arrays[key].shape
        if got != (k, n, 4):
            raise RecordingError(f"{where}: {key} must have shape ({k}, {n}, 4), got {got}")


class Recorder:
    """Collects PoseFrames in memory and saves them as one .npz.

    At 30 Hz a 10-minute session is 18 000 frames × 1056 B ≈ 19 MB, fine to hold in memory;
    hands add 1344 B and the face 7648 B per frame, only for frames in which they were
    tracked (a part tracked but not found is held as the shared MISSING constant until saved).
    Frames whose timestamp does not increase are skipped (a source repeating itself).
    """

    def __init__(self) -> None:
        self._t_s: list[float] = []
        self._image: list[np.ndarray] = []
        self._world: list[np.ndarray] = []
        self._parts: dict[str, tuple[list[int], dict[str, list[np.ndarray]]]] = {}

    def __len__(self) -> int:
        return len(self._t_s)

    def append(self, frame: PoseFrame) -> bool:
        """Add one pose; returns False (and keeps nothing) if its time does not increase."""
        if self._t_s and not frame.t_s > self._t_s[-1]:
            return False
        index = len(self._t_s)
        self._t_s.append(float(frame.t_s))
        self._image.append(np.asarray(frame.image, dtype=np.float32).copy())
        self._world.append(np.asarray(frame.world, dtype=np.float32).copy())
        for name, (keys, _) in PART_KEYS.items():
            if getattr(frame, keys[0]) is None:
                continue
            frames, arrays = self._parts.setdefault(name, ([], {key: [] for key in keys}))
            frames.append(index)
            for key in keys:
                arrays[key].append(_keep(getattr(frame, key)))
        return True

    def recording(self) -> Recording:
        """Everything recorded so far."""
        shape = (0, N_LANDMARKS, 4)
        parts = {
            name: PartTrack(
                np.asarray(frames, dtype=np.int64),
                {key: np.stack(rows).astype(np.float32, copy=False) for key, rows in arrays.items()},
            )
            for name, (frames, arrays) in self._parts.items()
        }
        return Recording(
            np.asarray(self._t_s, dtype=np.float64),
            np.stack(self._image) if self._image else np.empty(shape, np.float32),
            np.stack(self._world) if self._world else np.empty(shape, np.float32),
            parts,
        )

    def save(self, path: str | os.PathLike[str]) -> Path:
        """Write the recording atomically to ``path`` and return it."""
        return save_recording(self.recording(), path)


def _keep(arr: np.ndarray) -> np.ndarray:
    """What the recorder holds for one part array: the shared constant itself, else a copy."""
    if arr is MISSING_HAND or arr is MISSING_FACE:
        return arr
    return np.array(arr, dtype=np.float32)


def recording_arrays(rec: Recording) -> dict[str, np.ndarray]:
    """The arrays of the .npz file for ``rec`` (module docstring), keyed by file key."""
    arrays = {"t_s": rec.t_s, "image": rec.image, "world": rec.world}
    for name, track in rec.parts.items():
        arrays[f"{name}_frames"] = track.frames
        arrays.update(track.arrays)
    return arrays


def save_recording(rec: Recording, path: str | os.PathLike[str]) -> Path:
    """Write ``rec`` to ``path`` (.npz) atomically: temp file in the same folder, then replace."""
    target = Path(path)
    if target.suffix.lower() != ".npz":
        raise RecordingError(f"recording path must end in .npz, got {str(target)!r}")
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise RecordingError(f"folder for recording does not exist: {str(folder)!r}")
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name[:100]}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "wb") as fh:
            np.savez(fh, **recording_arrays(rec))
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return target


def load_recording(path: str | os.PathLike[str]) -> Recording:
    """Read and validate a recording (.npz, or a streamed .npz.part); :class:`RecordingError`
    names the file and the problem. Every array header is checked before anything is loaded
    (game/tracking/npzfile.py), so a damaged or hostile file is refused instead of allocating
    what its header claims. Coordinates beyond ``COORD_LIMIT`` or not finite become missing."""
    name = str(path)
    p = Path(path)
    if p.is_dir():
        raise RecordingError(f"{name}: is a folder, not a recording")
    if not p.is_file():
        raise RecordingError(f"{name}: no such recording")
    try:
        if p.name.lower().endswith(".part"):
            arrays = read_stream(p, PART_KEYS)
        else:
            optional = [k for part, (keys, _) in PART_KEYS.items() for k in (f"{part}_frames", *keys)]
            arrays = read_arrays(p, KEYS, optional)
    except RecordingError:
        raise
    except (OSError, ValueError, EOFError, zipfile.BadZipFile, KeyError) as exc:
        raise RecordingError(f"{name}: not a readable .npz recording ({exc})") from None
    validate_recording(arrays["t_s"], arrays["image"], arrays["world"], where=name)
    parts = {part: _load_part(part, arrays, name) for part in PART_KEYS if f"{part}_frames" in arrays}
    return Recording(
        arrays["t_s"].astype(np.float64),
        _sane(arrays["image"].astype(np.float32)),
        _sane(arrays["world"].astype(np.float32)),
        parts,
    )


def _sane(landmarks: np.ndarray) -> np.ndarray:
    """Landmarks ``(..., n, 4)`` with damaged points (non-finite or huge coordinates) missing."""
    with np.errstate(invalid="ignore"):
        xyz = landmarks[..., :3]
        bad = ~np.all(np.isfinite(xyz) & (np.abs(xyz) <= COORD_LIMIT), axis=-1)
        out = landmarks.copy()
        out[bad, :3] = np.nan
        out[bad, 3] = 0.0
        vis = out[..., 3]
        out[..., 3] = np.where(np.isfinite(vis) & (np.abs(vis) <= COORD_LIMIT), vis, 0.0)
    return out


def _load_part(part: str, arrays: Mapping[str, np.ndarray], where: str) -> PartTrack:
    keys, _ = PART_KEYS[part]
    missing = [k for k in keys if k not in arrays]
    if missing:
        raise RecordingError(f"{where}: {part}_frames present but missing array(s) {', '.join(missing)}")
    track = PartTrack(arrays[f"{part}_frames"], {k: _sane(arrays[k].astype(np.float32)) for k in keys})
    validate_part(part, track, len(arrays["t_s"]), where=where)
    return PartTrack(track.frames.astype(np.int64), track.arrays)


def partial_path(target: str | os.PathLike[str]) -> Path:
    """The file a recording streams into while it grows: ``PATH.npz.part``."""
    p = Path(target)
    return p.with_name(p.name + ".part")


class StreamRecorder:
    """Appends each pose to ``PATH.npz.part`` (hands and face to its sidecars) as it arrives;
    :meth:`finish` assembles the .npz. Memory use stays at :data:`FLUSH_FRAMES` frames whatever
    the length of the run. Frames whose timestamp does not increase are skipped."""

    def __init__(self, target: str | os.PathLike[str], clock: Callable[[], float] = time.monotonic) -> None:
        self.target = Path(target)
        self.part = partial_path(self.target)
        if self.part.exists():
            raise FileExistsError(str(self.part))
        self._body = StreamFile(self.part, BODY_MAGIC, N_LANDMARKS, 0)
        self._parts = {
            name: StreamFile(sidecar(self.part, name), PART_MAGIC, n, len(keys))
            for name, (keys, n) in PART_KEYS.items()
        }
        self._buf: list[PoseFrame] = []
        self._n = 0
        self._last_t: float | None = None
        self._clock = clock
        self._synced_at = clock()

    def __len__(self) -> int:
        return self._n

    def append(self, frame: PoseFrame) -> bool:
        """Add one pose; returns False (and keeps nothing) if its time does not increase."""
        if self._last_t is not None and not frame.t_s > self._last_t:
            return False
        self._last_t = float(frame.t_s)
        self._buf.append(frame)
        self._n += 1
        if len(self._buf) == FLUSH_FRAMES:
            self.flush()
        return True

    def flush(self) -> None:
        """Write buffered frames to the .part files (and fsync every FSYNC_EVERY_S)."""
        first = self._n - len(self._buf)
        body = np.zeros(len(self._buf), BODY_DTYPE)
        for i, f in enumerate(self._buf):
            body[i]["t_s"], body[i]["image"], body[i]["world"] = f.t_s, f.image, f.world
        self._body.write(body)
        for name, (keys, n) in PART_KEYS.items():
            rows = [(first + i, f) for i, f in enumerate(self._buf) if getattr(f, keys[0]) is not None]
            if rows:
                rec = np.zeros(len(rows), part_dtype(len(keys), n))
                rec["frame"] = [i for i, _ in rows]
                rec["rows"] = [[getattr(f, k) for k in keys] for _, f in rows]
                self._parts[name].write(rec)
        self._buf = []
        if self._clock() - self._synced_at >= FSYNC_EVERY_S:
            for stream in (self._body, *self._parts.values()):
                stream.sync()
            self._synced_at = self._clock()

    def finish(self) -> Path:
        """Flush, assemble the .npz atomically from the .part files, remove them; return it."""
        self.flush()  # also creates the body file of a run without a single frame
        for stream in (self._body, *self._parts.values()):
            stream.close()
        save_recording(load_recording(self.part), self.target)
        for stream in (self._body, *self._parts.values()):
            stream.path.unlink(missing_ok=True)
        return self.target


class RecordingSource:
    """Wraps any PoseSource and records every pose it returns (``--record PATH.npz``).

    Poses stream to ``PATH.npz.part`` as they pass (:class:`StreamRecorder`); :meth:`close`
    assembles the .npz. Pictures pass through untouched and are never stored.
    """

    def __init__(self, source: PoseSource, path: str | os.PathLike[str]) -> None:
        target = Path(path)
        if target.suffix.lower() != ".npz":
            raise RecordingError(f"recording path must end in .npz, got {str(target)!r}")
        self.source = source
        self.path = target
        try:
            self.recorder = StreamRecorder(target)
        except FileExistsError:
            raise RecordingError(f"{partial_path(target)} already exists (an unfinished recording)") from None
        except OSError as err:
            raise RecordingError(f"cannot write the recording {target}: {err.strerror or err}") from None
        self.name = f"{source.name} (recording)"
        self._closed = False

    def poll(self, now_s: float) -> PoseFrame | None:
        """Newest pose of the wrapped source, recorded on the way through."""
        frame = self.source.poll(now_s)
        if frame is not None:
            self.recorder.append(frame)
        return frame

    def request_parts(self, parts: frozenset[str]) -> None:
        """Pass a parts request on to the wrapped source (hands and face are then recorded)."""
        forward_parts(self.source, parts)

    def picture(self) -> Picture | None:
        """The wrapped source's picture (not recorded)."""
        return self.source.picture()

    def status(self) -> SourceStatus:
        """The wrapped source's status."""
        return self.source.status()

    def close(self) -> None:
        """Close the wrapped source, then assemble the .npz. Safe to call twice."""
        if self._closed:
            return
        self._closed = True
        try:
            self.source.close()
        finally:
            self.recorder.finish()
