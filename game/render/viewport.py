"""Mapping between raw-camera normalised coordinates and the mirrored screen (pure maths).

The patient sees a mirror: a point at raw-image x appears at screen x ∝ (1 − x). The raw
frame is fitted (letterboxed) into the stage rectangle keeping its aspect ratio.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Viewport:
    """frame_size (w, h) of the raw picture; stage (x, y, w, h) on screen in pixels."""

    frame_size: tuple[int, int]
    stage: tuple[int, int, int, int]

    @property
    def scale(self) -> float:
        fw, fh = self.frame_size
        return min(self.stage[2] / fw, self.stage[3] / fh)

    @property
    def rect(self) -> tuple[int, int, int, int]:
        """Where the frame lands on screen (x, y, w, h)."""
        fw, fh = self.frame_size
        s = self.scale
        w, h = int(round(fw * s)), int(round(fh * s))
        return (self.stage[0] + (self.stage[2] - w) // 2, self.stage[1] + (self.stage[3] - h) // 2, w, h)

    def to_screen(self, xy_norm: np.ndarray) -> np.ndarray:
        """Raw normalised (..., 2) → mirrored screen pixels (..., 2)."""
        x, y, w, h = self.rect
        xy = np.asarray(xy_norm, dtype=np.float64)
        return np.stack([x + (1.0 - xy[..., 0]) * w, y + xy[..., 1] * h], axis=-1)

    def to_norm(self, xy_px: np.ndarray) -> np.ndarray:
        """Mirrored screen pixels (..., 2) → raw normalised (..., 2)."""
        x, y, w, h = self.rect
        p = np.asarray(xy_px, dtype=np.float64)
        return np.stack([1.0 - (p[..., 0] - x) / w, (p[..., 1] - y) / h], axis=-1)

    def length_px(self, length_norm_x: float) -> float:
        """A length given in units of the frame width, in screen pixels."""
        return length_norm_x * self.rect[2]
