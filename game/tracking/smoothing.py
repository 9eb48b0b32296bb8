"""One smoothing stage for landmarks: a vectorised One-Euro filter on real timestamps.

One-Euro (Casiez, Roussel & Vogel, CHI 2012, doi 10.1145/2207676.2208639): a first-order
low-pass whose cutoff rises with speed, ``fc = min_cutoff + beta * |dx/dt|``, the speed itself
low-passed at ``d_cutoff``. Slow movement is smoothed hard (little jitter at rest), fast
movement passes with little lag. At a steady ramp the lag is exactly ``1 / (2π fc)`` seconds.

Why this filter and not MediaPipe's built-in one (docs/performance-notes.md §1.5, §3, §6):
MediaPipe's own One-Euro runs on a simulated 30 fps clock, so when inference is slower than
30 Hz its real lag grows; ours uses the capture timestamps. On the astronaut benchmark, ours
at 1 Hz / β 0.05 px⁻¹ gave 0.44 px frame-to-frame jitter for ~20 ms lag versus 0.36 px for
~26 ms built-in (raw: 1.52 px). The tracker therefore runs with ``smooth_landmarks=False`` and
the game smooths exactly once, here, for the displayed pose; scoring uses the raw landmarks.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from game.tracking.pose import PoseFrame

TWO_PI = 2.0 * np.pi


@dataclass(frozen=True)
class OneEuroParams:
    """One-Euro tuning (Casiez et al. 2012; tuning procedure in docs/performance-notes.md §6).

    Attributes
    ----------
    min_cutoff_hz : float
        Cutoff at rest in hertz; lower it for less jitter when still.
    beta : float
        Cutoff gain per unit of speed, in hertz per (unit/s); raise it for less lag when fast.
    d_cutoff_hz : float
        Cutoff of the speed estimate in hertz (1 Hz in the paper).
    max_gap_s : float
        A gap between samples longer than this restarts the filter: a derivative across a
        tracking dropout means nothing.
    """

    min_cutoff_hz: float = 1.0
    beta: float = 0.0
    d_cutoff_hz: float = 1.0
    max_gap_s: float = 0.5

    def __post_init__(self) -> None:
        for name in ("min_cutoff_hz", "d_cutoff_hz", "max_gap_s"):
            if not getattr(self, name) > 0:
                raise ValueError(f"OneEuroParams.{name} must be > 0, got {getattr(self, name)}")
        if self.beta < 0:
            raise ValueError(f"OneEuroParams.beta must be >= 0, got {self.beta}")


IMAGE_PARAMS = OneEuroParams(min_cutoff_hz=1.0, beta=32.0)
"""Normalised image coordinates: β 0.05 px⁻¹ × 640 px per unit.

(docs/performance-notes.md §1.5: ~0.44 px frame-to-frame jitter, ~20 ms lag.)"""

WORLD_PARAMS = OneEuroParams(min_cutoff_hz=1.0, beta=20.0)
"""World coordinates in metres: β 0.05 px⁻¹ × ~400 px per metre at a seated working distance."""


def smoothing_alpha(dt_s: float, cutoff_hz: np.ndarray | float) -> np.ndarray:
    """Exponential-smoothing weight of a first-order low-pass: ``1 / (1 + τ/dt)``, τ = 1/(2π fc)."""
    tau_s = 1.0 / (TWO_PI * np.asarray(cutoff_hz, dtype=np.float64))
    return 1.0 / (1.0 + tau_s / dt_s)


class OneEuroFilter:
    """One-Euro filter over an array of any fixed shape, element by element.

    NaN inputs give NaN outputs and restart those elements (tracking loss), so a landmark
    that reappears starts from its new position instead of gliding in from the old one.
    """

    def __init__(self, params: OneEuroParams | None = None) -> None:
        self.params = params or OneEuroParams()
        self.reset()

    def reset(self) -> None:
        """Forget all state."""
        self._t_s: float | None = None
        self._x: np.ndarray | None = None
        self._dx: np.ndarray | None = None

    def __call__(self, x: np.ndarray, t_s: float) -> np.ndarray:
        """Filter one sample taken at monotonic time ``t_s`` seconds; returns float64 copy."""
        x = np.asarray(x, dtype=np.float64)
        p = self.params
        gap_s = None if self._t_s is None else t_s - self._t_s
        if self._x is None or self._x.shape != x.shape or gap_s is None or gap_s > p.max_gap_s:
            return self._restart(x, t_s)
        if gap_s <= 0:
            return self._x.copy()  # duplicate or out-of-order sample: keep the last estimate
        assert self._dx is not None
        fresh = np.isnan(self._x)
        prev_x = np.where(fresh, x, self._x)
        a_d = smoothing_alpha(gap_s, p.d_cutoff_hz)
        dx = a_d * (x - prev_x) / gap_s + (1.0 - a_d) * self._dx
        a = smoothing_alpha(gap_s, p.min_cutoff_hz + p.beta * np.abs(dx))
        out = a * x + (1.0 - a) * prev_x
        dx = np.where(fresh | np.isnan(x), 0.0, dx)
        self._x, self._dx, self._t_s = out, dx, t_s
        return out.copy()

    def _restart(self, x: np.ndarray, t_s: float) -> np.ndarray:
        self._x = x.copy()
        self._dx = np.zeros_like(x)
        self._t_s = t_s
        return x.copy()


class PoseSmoother:
    """Smooths x, y, z of a PoseFrame's body (image and world); visibility, hands and face pass
    through unchanged.

    A frame without a person (:attr:`PoseFrame.present` False and all NaN) restarts the filters.
    """

    def __init__(
        self, image_params: OneEuroParams = IMAGE_PARAMS, world_params: OneEuroParams = WORLD_PARAMS
    ) -> None:
        self._image = OneEuroFilter(image_params)
        self._world = OneEuroFilter(world_params)

    def reset(self) -> None:
        """Forget all state (e.g. when the source changes)."""
        self._image.reset()
        self._world.reset()

    def __call__(self, frame: PoseFrame) -> PoseFrame:
        """The smoothed frame, same timestamp and visibility."""
        if np.isnan(frame.image[:, :3]).all():
            self.reset()
            return frame
        image = frame.image.copy()
        world = frame.world.copy()
        image[:, :3] = self._image(frame.image[:, :3], frame.t_s)
        world[:, :3] = self._world(frame.world[:, :3], frame.t_s)
        return replace(frame, image=image, world=world)
