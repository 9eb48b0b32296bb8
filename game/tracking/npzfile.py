"""Reading a .npz of plain number arrays safely: every header checked before a byte is loaded.

A .npz is a zip archive of .npy members. ``numpy.load`` trusts each member's header, so a
damaged or hostile file can claim a huge shape (a 983 GiB allocation was seen) or an object
dtype. :func:`read_arrays` reads the header first, refuses anything but plain numbers, checks
the claimed size against the bytes really present, and only then reads the data. Never pickle.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterable
from pathlib import Path

import numpy as np

from game.tracking.errors import RecordingError

MAX_ROWS = 50_000_000
"""Most rows (frames) an array may claim: a week at 60 Hz is 36 million."""
MAX_HEADER_BYTES = 10_000


def read_arrays(path: Path, required: Iterable[str], optional: Iterable[str] = ()) -> dict[str, np.ndarray]:
    """The `required` arrays (RecordingError naming the missing ones) and any `optional` ones
    present, from the .npz at `path`, each checked as described in the module docstring."""
    if not zipfile.is_zipfile(path):
        raise RecordingError(f"{path}: not a .npz recording (a .npz is a zip archive of arrays)")
    with zipfile.ZipFile(path) as zf:
        names = {n.removesuffix(".npy"): n for n in zf.namelist()}
        required = tuple(required)
        missing = [k for k in required if k not in names]
        if missing:
            raise RecordingError(f"{path}: missing array(s) {', '.join(missing)}")
        wanted = [*required, *(k for k in optional if k in names)]
        return {k: _read_member(zf, names[k], path, k) for k in wanted}


def _read_member(zf: zipfile.ZipFile, member: str, path: Path, key: str) -> np.ndarray:
    """One .npy member, its header checked against the bytes really there before reading."""
    info = zf.getinfo(member)
    with zf.open(member) as fh:
        version = np.lib.format.read_magic(fh)
        read_header = (
            np.lib.format.read_array_header_1_0 if version == (1, 0) else np.lib.format.read_array_header_2_0
        )
        shape, fortran, dtype = read_header(fh, max_header_size=MAX_HEADER_BYTES)  # type: ignore[call-arg]
        header_end = fh.tell()
        if dtype.kind not in "fiu" or dtype.hasobject or dtype.fields is not None:
            raise RecordingError(f"{path}: {key} must hold numbers, got dtype {dtype}")
        n_items = int(np.prod(shape, dtype=np.int64)) if shape else 1
        if any(s < 0 for s in shape) or (shape and shape[0] > MAX_ROWS):
            raise RecordingError(f"{path}: {key} has an impossible shape {shape}")
        if n_items * dtype.itemsize != info.file_size - header_end:
            raise RecordingError(f"{path}: {key} claims shape {shape} but the file holds other data")
        data = fh.read(n_items * dtype.itemsize)
    return np.frombuffer(data, dtype=dtype).reshape(shape, order="F" if fortran else "C").copy()
