"""Landmark recordings (.npz): what a pose source produced, never its pixels.

File layout (``--record PATH.npz``, read back by ``--replay PATH.npz``):

- ``t_s`` ``(T,) float64``: monotonic capture timestamps in seconds, strictly increasing;
- ``image`` ``(T, 33, 4) float32``: image landmarks (see pose.py), NaN where no pose was found;
- ``world`` ``(T, 33, 4) float32``: world landmarks in metres, NaN where no pose was found.

Files are written atomically (temporary file in the same folder, then ``os.replace``) so a
crash never leaves half a recording behind.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from game.tracking.errors import RecordingError
from game.tracking.pose import N_LANDMARKS, Picture, PoseFrame, PoseSource, SourceStatus, forward_parts

KEYS = ("t_s", "image", "world")


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
    if target.suffix != ".npz":
        raise RecordingError(f"recording path must end in .npz, got {str(target)!r}")
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise RecordingError(f"folder for recording does not exist: {str(folder)!r}")
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
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
    """Read and validate a recording; :class:`RecordingError` names the file and the problem."""
    name = str(path)
    try:
        with np.load(path, allow_pickle=False) as data:
            missing = [k for k in KEYS if k not in data.files]
            if missing:
                raise RecordingError(f"{name}: missing array(s) {', '.join(missing)}")
            arrays = {k: data[k] for k in KEYS}
    except RecordingError:
        raise
    except FileNotFoundError:
        raise RecordingError(f"{name}: no such recording") from None
    except (OSError, ValueError) as exc:
        raise RecordingError(f"{name}: not a readable .npz recording ({exc})") from None
    validate_recording(arrays["t_s"], arrays["image"], arrays["world"], where=name)
    return Recording(
        arrays["t_s"].astype(np.float64),
        arrays["image"].astype(np.float32),
        arrays["world"].astype(np.float32),
    )


class RecordingSource:
    """Wraps any PoseSource and records every pose it returns (``--record PATH.npz``).

    The recording is saved atomically on :meth:`close` (and whenever :meth:`save` is called);
    pictures pass through untouched and are never stored.
    """

    def __init__(self, source: PoseSource, path: str | os.PathLike[str]) -> None:
        target = Path(path)
        if target.suffix != ".npz":
            raise RecordingError(f"recording path must end in .npz, got {str(target)!r}")
        self.source = source
        self.path = target
        self.recorder = Recorder()
        self.name = f"{source.name} (recording)"
        self._closed = False

    def poll(self, now_s: float) -> PoseFrame | None:
        """Newest pose of the wrapped source, recorded on the way through."""
        frame = self.source.poll(now_s)
        if frame is not None:
            self.recorder.append(frame)
        return frame

    def request_parts(self, parts: frozenset[str]) -> None:
        """Pass a parts request on to the wrapped source."""
        forward_parts(self.source, parts)

    def picture(self) -> Picture | None:
        """The wrapped source's picture (not recorded)."""
        return self.source.picture()

    def status(self) -> SourceStatus:
        """The wrapped source's status."""
        return self.source.status()

    def save(self) -> Path:
        """Write what was recorded so far."""
        return self.recorder.save(self.path)

    def close(self) -> None:
        """Close the wrapped source, then save. Safe to call twice."""
        if self._closed:
            return
        self._closed = True
        try:
            self.source.close()
        finally:
            self.save()
