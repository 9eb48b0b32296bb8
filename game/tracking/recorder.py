"""Landmark recordings (.npz): what a pose source produced, never its pixels.

File layout (``--record PATH.npz``, read back by ``--replay PATH.npz``):

- ``t_s`` ``(T,) float64``: monotonic capture timestamps in seconds, strictly increasing;
- ``image`` ``(T, 33, 4) float32``: image landmarks (see pose.py), NaN where no pose was found;
- ``world`` ``(T, 33, 4) float32``: world landmarks in metres, NaN where no pose was found.

Files are written atomically (temporary file in the same folder, fsync, then ``os.replace``)
so a crash never leaves half a recording behind.

``--record`` streams (:class:`StreamRecorder`): each pose is appended to ``PATH.npz.part`` as
it arrives (nothing is held in memory), and the .npz is assembled from it when the run ends
(normally, by SIGTERM or SIGHUP, or on a crash); the .part file is then removed. After a
kill -9 or a power cut the .part file stays: it is a complete recording up to the last
frame written (``--replay PATH.npz.part`` plays it). Its layout, little-endian::

    8 bytes   magic b"MPLYREC1"
    4 bytes   uint32 landmarks per frame (33)
    4 bytes   uint32 reserved (0)
    then one 1064-byte record per frame: float64 t_s, float32 image (33, 4),
    float32 world (33, 4); a torn last record (killed mid-write) is ignored.
"""

from __future__ import annotations

import os
import struct
import tempfile
import time
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import numpy as np

from game.tracking.errors import RecordingError
from game.tracking.pose import N_LANDMARKS, Picture, PoseFrame, PoseSource, SourceStatus

KEYS = ("t_s", "image", "world")
STREAM_MAGIC = b"MPLYREC1"
STREAM_HEADER = struct.Struct("<8sII")
FRAME_DTYPE = np.dtype(
    [("t_s", "<f8"), ("image", "<f4", (N_LANDMARKS, 4)), ("world", "<f4", (N_LANDMARKS, 4))]
)
"""One streamed frame record (1064 bytes)."""
FLUSH_FRAMES = 30
"""Frames buffered before they are written to the .part file (half a second at 60 Hz)."""
FSYNC_EVERY_S = 5.0
"""How often the .part file is forced to disk (a killed process loses nothing written; this
bounds what a power cut can lose)."""
MAX_FRAMES = 50_000_000
"""Most frames a recording may claim (a week at 60 Hz is 36 million): refuses absurd headers."""
COORD_LIMIT = 1e3
"""Loaded landmark coordinates beyond this magnitude (1000 frame widths or metres) are
treated as missing: they can only be damage, and would overflow drawing."""


@dataclass(frozen=True)
class Recording:
    """A whole landmark recording.

    Attributes
    ----------
    t_s : (T,) float64
        Capture timestamps in seconds, strictly increasing.
    image, world : (T, 33, 4) float32
        Landmarks per frame; NaN coordinates and 0 visibility where no pose was found.
    """

    t_s: np.ndarray
    image: np.ndarray
    world: np.ndarray

    def __post_init__(self) -> None:
        validate_recording(self.t_s, self.image, self.world, where="Recording")

    def __len__(self) -> int:
        return int(self.t_s.shape[0])

    def frame(self, i: int) -> PoseFrame:
        """Frame ``i`` as a PoseFrame (copies, so callers cannot alter the recording)."""
        return PoseFrame(float(self.t_s[i]), self.image[i].copy(), self.world[i].copy())


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


class Recorder:
    """Collects PoseFrames in memory and saves them as one .npz.

    At 30 Hz a 10-minute session is 18 000 frames × 1056 B ≈ 19 MB, fine to hold in memory.
    Frames whose timestamp does not increase are skipped (a source repeating itself).
    """

    def __init__(self) -> None:
        self._t_s: list[float] = []
        self._image: list[np.ndarray] = []
        self._world: list[np.ndarray] = []

    def __len__(self) -> int:
        return len(self._t_s)

    def append(self, frame: PoseFrame) -> bool:
        """Add one pose; returns False (and keeps nothing) if its time does not increase."""
        if self._t_s and not frame.t_s > self._t_s[-1]:
            return False
        self._t_s.append(float(frame.t_s))
        self._image.append(np.asarray(frame.image, dtype=np.float32).copy())
        self._world.append(np.asarray(frame.world, dtype=np.float32).copy())
        return True

    def recording(self) -> Recording:
        """Everything recorded so far."""
        shape = (0, N_LANDMARKS, 4)
        return Recording(
            np.asarray(self._t_s, dtype=np.float64),
            np.stack(self._image) if self._image else np.empty(shape, np.float32),
            np.stack(self._world) if self._world else np.empty(shape, np.float32),
        )

    def save(self, path: str | os.PathLike[str]) -> Path:
        """Write the recording atomically to ``path`` and return it."""
        return save_recording(self.recording(), path)


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
            np.savez(fh, t_s=rec.t_s, image=rec.image, world=rec.world)
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
    (shape, dtype, size against the bytes present), so a damaged or hostile file is refused
    instead of allocating what its header claims. Coordinates beyond ``COORD_LIMIT`` or not
    finite become missing (NaN, visibility 0)."""
    name = str(path)
    p = Path(path)
    if p.is_dir():
        raise RecordingError(f"{name}: is a folder, not a recording")
    if not p.is_file():
        raise RecordingError(f"{name}: no such recording")
    try:
        if p.name.lower().endswith(".part"):
            arrays = _load_stream(p)
        else:
            arrays = _load_npz(p)
    except RecordingError:
        raise
    except (OSError, ValueError, EOFError, zipfile.BadZipFile, KeyError) as exc:
        raise RecordingError(f"{name}: not a readable .npz recording ({exc})") from None
    validate_recording(arrays["t_s"], arrays["image"], arrays["world"], where=name)
    return Recording(
        arrays["t_s"].astype(np.float64),
        _sane(arrays["image"].astype(np.float32)),
        _sane(arrays["world"].astype(np.float32)),
    )


def _load_npz(path: Path) -> dict[str, np.ndarray]:
    if not zipfile.is_zipfile(path):
        raise RecordingError(f"{path}: not a .npz recording (a .npz is a zip archive of arrays)")
    with zipfile.ZipFile(path) as zf:
        names = {n.removesuffix(".npy"): n for n in zf.namelist()}
        missing = [k for k in KEYS if k not in names]
        if missing:
            raise RecordingError(f"{path}: missing array(s) {', '.join(missing)}")
        return {k: _read_member(zf, names[k], path, k) for k in KEYS}


def _read_member(zf: zipfile.ZipFile, member: str, path: Path, key: str) -> np.ndarray:
    """One .npy member, its header checked against the bytes really there before reading."""
    info = zf.getinfo(member)
    with zf.open(member) as fh:
        version = np.lib.format.read_magic(fh)
        read_header = (
            np.lib.format.read_array_header_1_0 if version == (1, 0) else np.lib.format.read_array_header_2_0
        )
        shape, fortran, dtype = read_header(fh, max_header_size=10_000)  # type: ignore[call-arg]
        header_end = fh.tell()
        if dtype.kind not in "fiu" or dtype.hasobject or dtype.fields is not None:
            raise RecordingError(f"{path}: {key} must hold numbers, got dtype {dtype}")
        n_items = int(np.prod(shape, dtype=np.int64)) if shape else 1
        if any(s < 0 for s in shape) or (shape and shape[0] > MAX_FRAMES):
            raise RecordingError(f"{path}: {key} has an impossible shape {shape}")
        if n_items * dtype.itemsize != info.file_size - header_end:
            raise RecordingError(f"{path}: {key} claims shape {shape} but the file holds other data")
        data = fh.read(n_items * dtype.itemsize)
    arr = np.frombuffer(data, dtype=dtype).reshape(shape, order="F" if fortran else "C")
    return np.array(arr, dtype=np.float64 if key == "t_s" else np.float32)


def _load_stream(path: Path) -> dict[str, np.ndarray]:
    size = path.stat().st_size
    with path.open("rb") as fh:
        head = fh.read(STREAM_HEADER.size)
    if len(head) < STREAM_HEADER.size:
        raise RecordingError(f"{path}: too short to be a streamed recording")
    magic, landmarks, _ = STREAM_HEADER.unpack(head)
    if magic != STREAM_MAGIC or landmarks != N_LANDMARKS:
        raise RecordingError(f"{path}: not a MirrorPlay streamed recording")
    n = (size - STREAM_HEADER.size) // FRAME_DTYPE.itemsize
    frames = np.fromfile(path, dtype=FRAME_DTYPE, count=n, offset=STREAM_HEADER.size)
    return {k: np.array(frames[k]) for k in KEYS}


def _sane(landmarks: np.ndarray) -> np.ndarray:
    """Landmarks ``(T, 33, 4)`` with damaged points (non-finite or huge coordinates) missing."""
    with np.errstate(invalid="ignore"):
        xyz = landmarks[..., :3]
        bad = ~np.all(np.isfinite(xyz) & (np.abs(xyz) <= COORD_LIMIT), axis=-1)
        out = landmarks.copy()
        out[bad, :3] = np.nan
        out[bad, 3] = 0.0
        vis = out[..., 3]
        out[..., 3] = np.where(np.isfinite(vis) & (np.abs(vis) <= COORD_LIMIT), vis, 0.0)
    return out


def partial_path(target: str | os.PathLike[str]) -> Path:
    """The file a recording streams into while it grows: ``PATH.npz.part``."""
    p = Path(target)
    return p.with_name(p.name + ".part")


class StreamRecorder:
    """Appends each pose to ``PATH.npz.part`` as it arrives; :meth:`finish` assembles the .npz.

    Memory use stays at :data:`FLUSH_FRAMES` frames whatever the length of the run. Frames
    whose timestamp does not increase are skipped (a source repeating itself).
    """

    def __init__(self, target: str | os.PathLike[str], clock: Callable[[], float] = time.monotonic) -> None:
        self.target = Path(target)
        self.part = partial_path(self.target)
        if self.part.exists():
            raise FileExistsError(str(self.part))
        self._fh: BinaryIO | None = None  # opened with the first frame: no frame, no file
        self._buf = np.zeros(FLUSH_FRAMES, FRAME_DTYPE)
        self._n_buf = 0
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
        if self._fh is None:
            self._open()
        self._last_t = float(frame.t_s)
        row = self._buf[self._n_buf]
        row["t_s"], row["image"], row["world"] = frame.t_s, frame.image, frame.world
        self._n_buf += 1
        self._n += 1
        if self._n_buf == FLUSH_FRAMES:
            self.flush()
        return True

    def _open(self) -> None:
        fd = os.open(self.part, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        self._fh = os.fdopen(fd, "wb", buffering=0)
        self._fh.write(STREAM_HEADER.pack(STREAM_MAGIC, N_LANDMARKS, 0))

    def flush(self) -> None:
        """Write buffered frames to the .part file (and fsync every FSYNC_EVERY_S)."""
        if self._fh is None:
            return
        if self._n_buf:
            self._fh.write(self._buf[: self._n_buf].tobytes())
            self._n_buf = 0
        if self._clock() - self._synced_at >= FSYNC_EVERY_S:
            os.fsync(self._fh.fileno())
            self._synced_at = self._clock()

    def finish(self) -> Path:
        """Flush, assemble the .npz atomically from the .part file, remove it; return the .npz."""
        if self._fh is None and not self.part.exists():
            self._open()  # no frame at all: still an (empty) recording, as asked
        if self._fh is not None:
            self.flush()
            os.fsync(self._fh.fileno())
            self._fh.close()
            self._fh = None
        stream = _load_stream(self.part)
        frames = Recording(stream["t_s"], stream["image"], stream["world"])
        save_recording(frames, self.target)
        self.part.unlink(missing_ok=True)
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
