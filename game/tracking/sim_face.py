"""The simulated patient's face: 478 Face Mesh landmarks that move with its head and make the
expressions the face levels ask for, with a facial palsy on one side.

The face at rest is a real one (game/tracking/face_mesh.py ``NEUTRAL_MM``: MediaPipe Face Mesh
of a real face, in millimetres, made symmetric). Expressions deform it in its own head frame
(millimetres; x to the person's left, y down, z away from the camera, origin between the inner
eye corners), each by an activation the game commands (``Motor.face``, :data:`EXPRESSIONS`):

- ``jaw_open_mm``: the lower jaw (lower lip, chin, jaw line) rotates about a hinge in front
  of the ears (the temporomandibular joints) until the inner lips are this far apart; the chin
  shifts sideways by ``FaceModel.jaw_shift_mm`` at the widest opening (a deflection) or in the
  middle of the opening only (a corrected deviation, ``jaw_pattern``);
- ``smile``, ``brow``, ``eye_close``, ``pucker`` (0..1): each mouth corner moves up and out,
  each brow rises, each upper lid comes down onto the lower one, the corners move towards the
  midline and forward. Full amplitudes are those of healthy adults (Jorge et al. 2012, Vicon:
  mouth corner 9.3 mm in a smile, brow 10.6 mm, eyelid 9.1 mm; docs/sources.md §13).

The palsy: on ``FaceModel.weak_side`` every expression except the jaw (moved by the trigeminal,
not the facial, nerve) reaches only ``1 - palsy`` of its amplitude. Activations move with
minimum-jerk submovements (game/tracking/motor.py). Landmark noise is white, ``noise_mm`` per
coordinate. Nothing here draws random numbers unless a face is rendered.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cache
from typing import Literal

import numpy as np

from game.tracking.face import LOWER_LIP_INNER, NOSE_TIP, UPPER_LIP_INNER
from game.tracking.face_mesh import LEFT_EYE, NEUTRAL_MM, RIGHT_EYE
from game.tracking.motor import Mover
from game.tracking.pose import N_FACE_LANDMARKS, Side

EXPRESSIONS = ("jaw_open_mm", "smile", "brow", "eye_close", "pucker")
"""What ``Motor.face`` may command (0 = rest): the jaw in millimetres, the rest 0..1."""
HINGE_MM = np.array([0.0, 25.0, 75.0])
"""The jaw's hinge axis (x) in the head frame: in front of the ears, below the eyes."""
SMILE_MM = np.array([6.5, -6.5, 2.0])
"""Left mouth corner's move at a full smile (out, up, back): 9.4 mm in the picture plane."""
BROW_MM = 10.5
"""Brow rise at full raise."""
PUCKER_FRACTION, PUCKER_FORWARD_MM = 0.55, 8.0
"""A full pucker pulls the corners this fraction of the way to the midline, and forward."""
REACTION_S = 0.3
"""From a new command to the start of the movement."""

_N = np.asarray(NEUTRAL_MM, dtype=np.float64)
_UPPER_LIP = (0, 267, 269, 270, 409, 185, 40, 39, 37, 13, 312, 311, 310, 415, 191, 80, 81, 82)
_LOWER_LIP = (375, 321, 405, 314, 17, 84, 181, 91, 146, 324, 318, 402, 317, 14, 87, 178, 88, 95)
_CORNERS = (61, 291, 78, 308)


@dataclass(frozen=True)
class FaceModel:
    """The simulated face's impairments and noise."""

    palsy: float = 0.3
    """0 = both sides move fully, 1 = the weak side does not move at all."""
    weak_side: Side | None = None
    """The palsied side; None = the patient's affected side (a central facial palsy after a
    stroke is on the side of the weak arm)."""
    max_opening_mm: float = 45.0
    """The widest the jaw opens (healthy adults 40-50 mm, docs/sources.md §13)."""
    jaw_shift_mm: float = 0.5
    """Sideways chin shift while opening (+ = towards the person's left)."""
    jaw_pattern: Literal["deflection", "deviation"] = "deflection"
    """"deflection": the shift grows to the widest opening; "deviation": it peaks halfway and
    is gone again at the widest opening."""
    noise_mm: float = 0.2
    """SD of each landmark coordinate (about MediaPipe's frame-to-frame jitter on a still face)."""

    def __post_init__(self) -> None:
        if not 0.0 <= self.palsy <= 1.0:
            raise ValueError(f"FaceModel.palsy must be within 0..1, got {self.palsy}")
        if self.weak_side not in (None, "left", "right"):
            raise ValueError(f"FaceModel.weak_side must be 'left', 'right' or None, got {self.weak_side!r}")
        if self.max_opening_mm <= 0 or self.noise_mm < 0:
            raise ValueError("FaceModel.max_opening_mm must be > 0 and noise_mm >= 0")


@cache
def _jaw_weights() -> np.ndarray:
    """``(478,)`` how much each landmark moves with the lower jaw (lower lip 1, upper lip 0,
    corners half, other skin by its height relative to the mouth)."""
    w = np.clip((_N[:, 1] - 70.7) / 6.0 + 0.5, 0.0, 1.0)
    w[list(_UPPER_LIP)] = 0.0
    w[list(_LOWER_LIP)] = 1.0
    w[list(_CORNERS)] = 0.5
    return w


def _rotate_x(points: np.ndarray, angle_rad: float, weights: np.ndarray) -> np.ndarray:
    """Rotate about the hinge's x axis (opening = chin down and back), blended by ``weights``."""
    c, s = math.cos(angle_rad), math.sin(angle_rad)
    rel = points - HINGE_MM
    rotated = np.stack([rel[:, 0], c * rel[:, 1] - s * rel[:, 2], s * rel[:, 1] + c * rel[:, 2]], axis=1)
    return points + weights[:, None] * (rotated - rel)


@cache
def _opening_table() -> tuple[np.ndarray, np.ndarray]:
    """(lip gap increase in mm, jaw angle in radians) on a grid, for inverting the rotation."""
    angles = np.radians(np.arange(0.0, 45.01, 0.25))
    w = _jaw_weights()
    rest = float(np.linalg.norm((_N[UPPER_LIP_INNER] - _N[LOWER_LIP_INNER])[:2]))
    # in the picture plane (x, y): the camera does not see the lip moving back
    gaps = [
        float(np.linalg.norm((_rotate_x(_N, a, w)[LOWER_LIP_INNER] - _N[UPPER_LIP_INNER])[:2]))
        for a in angles
    ]
    return np.asarray(gaps) - rest, angles


def jaw_angle_rad(opening_mm: float) -> float:
    """The jaw rotation that opens the inner lips by ``opening_mm``."""
    gaps, angles = _opening_table()
    return float(np.interp(max(opening_mm, 0.0), gaps, angles))


def _side_mask(side: Side) -> np.ndarray:
    return _N[:, 0] > 0 if side == "left" else _N[:, 0] < 0


def _near(centre: np.ndarray, sigma_mm: float) -> np.ndarray:
    """``(478,)`` Gaussian weight of each landmark's distance to ``centre`` (rest positions)."""
    d2 = np.sum((_N - centre) ** 2, axis=1)
    return np.exp(-0.5 * d2 / sigma_mm**2)


@cache
def _upper_lid_pairs() -> tuple[tuple[int, int], ...]:
    """(upper lid landmark, the lower lid landmark nearest below it) of both eyes: each eye's
    contour is split at its two corners (the extreme x) into the upper and lower lid."""
    pairs = []
    for loop in (RIGHT_EYE[0], LEFT_EYE[0]):
        ring = list(loop[:-1])
        a, b = sorted((int(np.argmin(_N[ring, 0])), int(np.argmax(_N[ring, 0]))))
        arcs = (ring[a + 1 : b], ring[b + 1 :] + ring[:a])
        upper, lower = sorted(arcs, key=lambda arc: float(np.mean(_N[arc, 1])))  # y is down
        for u in upper:
            pairs.append((u, min(lower, key=lambda j: abs(_N[j, 0] - _N[u, 0]))))
    return tuple(pairs)


def expression_mm(
    act: Mapping[str, float], palsy: float, weak: Side, shift: Callable[[float], float]
) -> np.ndarray:
    """``(478, 3)`` the face in its head frame for activations ``act`` (module doc)."""
    pts = _N.copy()
    gain = {s: (1.0 - palsy) if s == weak else 1.0 for s in ("left", "right")}
    sides: tuple[tuple[Side, float], ...] = (("left", 1.0), ("right", -1.0))
    for side, sign in sides:
        on = _side_mask(side) | (_N[:, 0] == 0.0)
        corner = _N[291 if side == "left" else 61]
        smile = act.get("smile", 0.0) * gain[side]
        if smile:
            g = _near(corner, 11.0) * on
            g[_N[:, 0] == 0.0] *= 0.5  # the midline is pulled by both corners
            pts += smile * g[:, None] * (SMILE_MM * [sign, 1.0, 1.0])
        brow = act.get("brow", 0.0) * gain[side]
        if brow:
            centre = _N[334 if side == "left" else 105]
            g = np.minimum(_near(centre, 30.0) / 0.8, 1.0) * _side_mask(side) * (_N[:, 1] < -12.0)
            pts[:, 1] -= brow * BROW_MM * g
        pucker = act.get("pucker", 0.0) * gain[side]
        if pucker:
            g = _near(np.array([0.0, 71.0, -15.0]), 25.0) * _side_mask(side)
            pts[:, 0] -= pucker * PUCKER_FRACTION * _N[:, 0] * g
            pts[:, 2] -= pucker * PUCKER_FORWARD_MM * g
    for upper, lower in _upper_lid_pairs():
        side = "left" if _N[upper, 0] > 0 else "right"
        close = min(max(act.get("eye_close", 0.0) * gain[side], 0.0), 1.0)
        pts[upper] += close * (pts[lower] - pts[upper])
    opening = act.get("jaw_open_mm", 0.0)
    if opening > 0:
        w = _jaw_weights()
        pts = _rotate_x(pts, jaw_angle_rad(opening), w)
        pts[:, 0] += w * shift(opening)
    return pts


class SimFace:
    """The simulated face of one :class:`~game.tracking.simulated.SimulatedPatient`."""

    def __init__(self, model: FaceModel, affected_side: Side, seed: int) -> None:
        self.model = model
        self.weak: Side = model.weak_side or affected_side
        self._rng = np.random.default_rng([seed, 17])  # its own stream: the body's is unchanged
        self._act = Mover(np.zeros(len(EXPRESSIONS)))

    def plan(self, now_s: float, face: Mapping[str, float]) -> None:
        """Move towards the activations ``face`` (missing ones relax to 0), decided at
        ``now_s``; the face starts moving after its own reaction time."""
        unknown = sorted(set(face) - set(EXPRESSIONS))
        if unknown:
            raise ValueError(
                f"unknown face expression(s) {', '.join(unknown)}; known: {', '.join(EXPRESSIONS)}"
            )
        goal = np.array([float(face.get(name, 0.0)) for name in EXPRESSIONS])
        goal[0] = min(max(goal[0], 0.0), self.model.max_opening_mm)
        delta = np.abs(goal - self._act.end())
        change = max(float(delta[0]) / 40.0, float(np.max(delta[1:])))
        if change > 0.0:
            self._act.plan(now_s, now_s + REACTION_S, goal, 0.5 + 0.6 * change, 1)

    def activations(self, t_s: float) -> dict[str, float]:
        return dict(zip(EXPRESSIONS, (float(v) for v in self._act.at(t_s)), strict=True))

    def _shift_mm(self, opening_mm: float) -> float:
        m = self.model
        frac = min(opening_mm / m.max_opening_mm, 1.0)
        return m.jaw_shift_mm * (frac if m.jaw_pattern == "deflection" else math.sin(math.pi * frac))

    def landmarks(
        self, t_s: float, nose_m: np.ndarray, project: Callable[[np.ndarray], np.ndarray]
    ) -> np.ndarray:
        """``(478, 4) float32`` Face Mesh image landmarks at ``t_s``, the nose tip at the pose's
        nose ``nose_m`` (world metres); ``project`` maps world ``(N, 3)`` to normalised image
        ``(N, 2)``.

        The face is projected with the scale at the nose (weak perspective): a face camera sits
        at face height, where a face 10 cm deep at arm's length is distorted by a few per cent
        at most, while the body camera's perspective seen from chest height would stretch the
        lower face by some 10 %. z is depth relative to the nose, scaled like x (as Face
        Mesh's)."""
        head = expression_mm(self.activations(t_s), self.model.palsy, self.weak, self._shift_mm)
        head = head + self._rng.normal(0.0, self.model.noise_mm, head.shape)
        rel_mm = head - _N[NOSE_TIP]
        ref = project(np.stack([nose_m, nose_m + [0.001, 0.0, 0.0], nose_m + [0.0, 0.001, 0.0]]))
        per_mm = np.array([ref[1, 0] - ref[0, 0], ref[2, 1] - ref[0, 1]])  # normalised units per mm
        out = np.empty((N_FACE_LANDMARKS, 4), dtype=np.float32)
        out[:, :2] = ref[0] + rel_mm[:, :2] * per_mm
        out[:, 2] = rel_mm[:, 2] * per_mm[0]
        out[:, 3] = 1.0
        return out
