"""The simulated patient's fingers: both hands' 21 MediaPipe-style landmarks from a hand shape.

A hand is built by forward kinematics in a hand frame at the pose's wrist (so the hands always
agree with the body's wrists): ``u`` points along the fingers (the forearm's direction, tipped
upwards), ``n`` is the palm's normal (towards the camera: palms shown to the screen, as the
hand levels ask), ``r`` points to the thumb's side (medially for a hand held up palm forward:
the right hand's thumb lies towards the person's left, game/tracking/hands.py). Each long
finger bends at MCP, PIP and DIP in the plane of its metacarpal (wrist -> MCP) and ``n``, so
the flexion the scoring measures (game/scoring/hand.py) is exactly the angle asked. The thumb
curls across the palm, or goes to a fingertip (an opposition, a pinch) by two-bone inverse
kinematics.

What each hand does follows a :class:`~game.tracking.motor.Fingers` command: the unaffected
hand exactly, at a healthy speed; the affected hand within its :class:`FingerModel`
impairment (range, speed, tremor, individuation, and for tapping: rate, decrement,
hesitations). Shapes change with minimum-jerk movements (game.tracking.motor.Mover).

Output per frame (game/tracking/pose.py): image landmarks (x, y normalised like the body, z
relative to the wrist in the scale of x, score in the 4th column) and world landmarks (metres
about the hand's centre, camera-aligned axes), exactly as MediaPipe Hands gives them.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace

import numpy as np

from game.tracking import hands as H
from game.tracking.motor import Fingers, Mover
from game.tracking.pose import Side

SIDES: tuple[Side, Side] = ("left", "right")

Project = Callable[[np.ndarray], np.ndarray]
"""World points ``(..., 3)`` -> normalised raw-image points ``(..., 2)``."""

RELAXED = Fingers()
"""Relaxed hands: every finger a little bent, thumb away."""
LONG = ("index", "middle", "ring", "pinky")
MCP_RU_M = {
    "index": (0.022, 0.090),
    "middle": (0.002, 0.095),
    "ring": (-0.016, 0.088),
    "pinky": (-0.031, 0.078),
}
"""Where each long finger's MCP lies in the palm, (towards the thumb, along the fingers), m:
an adult hand with a 0.095 m palm (wrist to middle-finger MCP)."""
PHALANGES_M = {
    "index": (0.040, 0.024, 0.019),
    "middle": (0.045, 0.028, 0.020),
    "ring": (0.042, 0.026, 0.019),
    "pinky": (0.033, 0.019, 0.017),
    "thumb": (0.040, 0.032, 0.026),
}
"""Bone lengths in metres (thumb: metacarpal, proximal, distal; others: proximal, middle,
distal phalanx), in the proportions of adult hands."""
FIST_DEG = (85.0, 100.0, 70.0)
"""MCP, PIP and DIP flexion of a long finger at curl 1 (a fist), within the normal active
ranges (MCP 0-90, PIP 0-100, DIP 0-90 deg; docs/sources.md §12.1)."""
THUMB_FIST_DEG = (50.0, 70.0)
"""Thumb MCP and IP flexion at curl 1 (normal 0-50 and 0-80 deg)."""
PINCH_CURL = (0.5, 0.55, 0.5, 0.5)
"""How far the opposed finger (index..pinky) bends to meet the thumb (a round "O")."""
PAD_GAP_M = 0.012
"""Tip-to-tip distance at contact: the two finger pads' thickness."""
TREMOR_HZ = 5.3
HEALTHY_COUPLING = 0.08
"""How much a healthy finger follows its neighbour (index of individuation about 0.9,
Häger-Ross & Schieber 2000; docs/sources.md §12.3)."""
STATE = 10
"""Shape vector: 5 curls, pinch, 4 opposition weights (index..pinky)."""


@dataclass(frozen=True)
class FingerModel:
    """How the affected hand's fingers are impaired (the unaffected hand moves normally)."""

    range: float = 0.8
    """Fraction of each asked change of shape the affected hand manages (0..1)."""
    speed: float = 0.8
    """Speed of the affected hand's fingers and taps relative to the unaffected hand's."""
    decrement: float = 0.1
    """Fraction by which the affected hand's tap amplitude falls over ten taps."""
    tremor_deg: float = 1.0
    """Finger tremor of the affected hand, degrees at each joint (5.3 Hz)."""
    coupling: float = 0.15
    """Individuation deficit: how much a finger follows a moving neighbour (0 = independent)."""
    hesitation: float = 0.02
    """Probability that a tap of the affected hand is followed by a pause (a hesitation)."""
    tap_rate_hz: float = 4.0
    """Tapping rate of the unaffected hand."""
    shape_s: float = 0.35
    """Time the unaffected hand takes to go from open to a fist."""
    noise_m: float = 0.0006
    """Landmark noise, metres (MediaPipe's frame-to-frame jitter of a still hand)."""

    def __post_init__(self) -> None:
        for name in ("range", "decrement", "coupling", "hesitation"):
            if not 0.0 <= getattr(self, name) <= 1.0:
                raise ValueError(f"FingerModel.{name} must be within 0..1, got {getattr(self, name)}")
        if self.speed <= 0 or self.tap_rate_hz <= 0 or self.shape_s <= 0:
            raise ValueError("FingerModel speed, tap_rate_hz and shape_s must be positive")


MILD_FINGERS = FingerModel()
MODERATE_FINGERS = FingerModel(
    range=0.45, speed=0.5, decrement=0.4, tremor_deg=4.0, coupling=0.45, hesitation=0.15
)


def coupled(curl: np.ndarray, coupling: float) -> np.ndarray:
    """Curls a hand with this individuation deficit makes when asked for ``curl`` (5,):
    each long finger is pulled towards its more bent neighbours by ``coupling`` x their
    difference, weighted 1, 0.7, 0.49 by distance (the thumb is independent)."""
    out = np.array(curl, dtype=np.float64)
    c = out[1:].copy()
    dist = np.abs(np.arange(4)[:, None] - np.arange(4)[None, :])
    weight = np.where(dist > 0, 0.7 ** (dist - 1.0), 0.0)
    pull = np.clip(c[None, :] - c[:, None], 0.0, None)
    out[1:] = np.clip(c + coupling * np.sum(weight * pull, axis=1), 0.0, 1.0)
    return out


def shape_vector(cmd: Fingers) -> np.ndarray:
    """A Fingers command as the (10,) shape vector: curls, pinch, opposition weights."""
    if cmd.oppose not in LONG:
        raise ValueError(f"Fingers.oppose must be one of {LONG}, got {cmd.oppose!r}")
    w = np.zeros(4)
    w[LONG.index(cmd.oppose)] = 1.0
    return np.concatenate([np.clip(cmd.curl, 0.0, 1.0), [min(max(cmd.pinch, 0.0), 1.0)], w])


# ------------------------------------------------------------------ kinematics
def hand_frame(wrist: np.ndarray, elbow: np.ndarray, side: Side) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(u along the fingers, n palm normal towards the camera, r towards the thumb) at a wrist."""
    forearm = wrist - elbow
    norm = float(np.linalg.norm(forearm))
    up = np.array([0.0, -1.0, 0.0])
    u = (forearm / norm if norm > 1e-6 else up) + 0.8 * up
    u /= np.linalg.norm(u)
    toward_camera = np.array([0.0, 0.0, -1.0])
    n = toward_camera - np.dot(toward_camera, u) * u
    n /= max(float(np.linalg.norm(n)), 1e-9)
    r = np.cross(u, n)
    return u, n, (r if side == "right" else -r)


def _bones(
    start: np.ndarray, e: np.ndarray, w: np.ndarray, lengths: tuple[float, ...], angles_deg: np.ndarray
) -> list[np.ndarray]:
    """Joint positions after ``start`` along a chain bending from direction ``e`` towards
    ``w`` by the cumulative ``angles_deg`` (one per bone)."""
    out, p, total = [], start, 0.0
    for length, a in zip(lengths, angles_deg, strict=True):
        total += math.radians(float(a))
        p = p + length * (math.cos(total) * e + math.sin(total) * w)
        out.append(p)
    return out


def _two_bone(
    a: np.ndarray, b: np.ndarray, l1: float, l2: float, hint: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Middle joint and end of a two-bone chain from ``a`` reaching for ``b``, bending
    towards ``hint``."""
    d_vec = b - a
    d = float(np.clip(np.linalg.norm(d_vec), abs(l1 - l2) + 1e-4, l1 + l2 - 1e-5))
    e = d_vec / max(float(np.linalg.norm(d_vec)), 1e-9)
    x = (l1**2 - l2**2 + d**2) / (2 * d)
    h = math.sqrt(max(l1**2 - x**2, 0.0))
    w = hint - np.dot(hint, e) * e
    w = w / max(float(np.linalg.norm(w)), 1e-9)
    return a + x * e + h * w, a + d * e


def hand_points(
    state: np.ndarray, wrist: np.ndarray, frame: tuple[np.ndarray, np.ndarray, np.ndarray]
) -> np.ndarray:
    """The 21 landmarks (21, 3) of a hand in shape ``state`` (:func:`shape_vector`) at ``wrist``."""
    u, n, r = frame
    curl, pinch, weights = state[:5], float(state[5]), state[6:]
    weights = weights / max(float(weights.sum()), 1e-9)
    out = np.zeros((21, 3))
    out[H.WRIST] = wrist
    for k, name in enumerate(LONG):
        c = curl[k + 1] + (PINCH_CURL[k] - curl[k + 1]) * pinch * weights[k]
        ru = MCP_RU_M[name]
        mcp = wrist + ru[0] * r + ru[1] * u
        e = (mcp - wrist) / np.linalg.norm(mcp - wrist)
        idx = H.FINGERS[name]
        out[idx[0]] = mcp
        out[list(idx[1:])] = _bones(mcp, e, n, PHALANGES_M[name], np.array(FIST_DEG) * c)
    target = np.einsum("k,kd->d", weights, out[[H.INDEX_TIP, H.MIDDLE_TIP, H.RING_TIP, H.PINKY_TIP]])
    out[list(H.FINGERS["thumb"])] = _thumb(wrist, u, n, r, float(curl[0]), pinch, target)
    return out


def _thumb(
    wrist: np.ndarray, u: np.ndarray, n: np.ndarray, r: np.ndarray, c: float, pinch: float, target: np.ndarray
) -> np.ndarray:
    """Thumb CMC, MCP, IP, tip (4, 3): curled by ``c`` across the palm, then moved ``pinch``
    of the way to a pad-to-pad contact with ``target``."""
    meta, prox, dist = PHALANGES_M["thumb"]
    cmc = wrist + 0.020 * r + 0.030 * u + 0.010 * n
    e = _unit((0.65 - 0.8 * c) * r + (0.75 - 0.2 * c) * u + (0.2 + 0.4 * c) * n)
    w = _unit((n - 0.5 * r) - np.dot(n - 0.5 * r, e) * e)
    mcp = cmc + meta * e
    ip, tip = _bones(mcp, e, w, (prox, dist), np.array(THUMB_FIST_DEG) * c)
    if pinch <= 0.0:
        return np.stack([cmc, mcp, ip, tip])
    opp_mcp, opp_tip = _opposed(cmc, n, target, meta, 0.97 * (prox + dist) + PAD_GAP_M)
    m = cmc + meta * _unit(mcp + pinch * (opp_mcp - mcp) - cmc)
    want_tip = tip + pinch * (opp_tip - tip)
    hint = (ip - 0.5 * (mcp + tip)) * (1.0 - pinch) + pinch * _unit(m - cmc)
    ip2, tip2 = _two_bone(m, want_tip, prox, dist, hint)
    return np.stack([cmc, m, ip2, tip2])


def _opposed(
    cmc: np.ndarray, n: np.ndarray, target: np.ndarray, meta: float, reach: float
) -> tuple[np.ndarray, np.ndarray]:
    """Thumb MCP and tip of an opposition to ``target``: the metacarpal turns from the
    target's direction towards the palm's normal until the target lies ``reach`` from the
    MCP (law of cosines), and the tip stops a pad's thickness short of the target."""
    to_target = target - cmc
    d = max(float(np.linalg.norm(to_target)), 1e-9)
    t_hat = to_target / d
    side = _unit(n - np.dot(n, t_hat) * t_hat)
    cos_a = float(np.clip((d**2 + meta**2 - reach**2) / (2 * d * meta), -1.0, 1.0))
    mcp = cmc + meta * (cos_a * t_hat + math.sqrt(1.0 - cos_a**2) * side)
    return mcp, target + PAD_GAP_M * _unit(mcp - target)


def _unit(v: np.ndarray) -> np.ndarray:
    return v / max(float(np.linalg.norm(v)), 1e-9)


def to_frame_arrays(
    points: np.ndarray, project: Project, score: float = 0.95
) -> tuple[np.ndarray, np.ndarray]:
    """(image, world) ``(21, 4) float32`` arrays of hand points ``(21, 3)`` in body-world
    metres: image z relative to the wrist in the scale of x; world about the hand's centre."""
    image = np.empty((21, 4), np.float32)
    xy = project(points)
    image[:, :2] = xy
    eps = 1e-3
    scale = float(np.linalg.norm(project(points[0] + np.array([eps, 0.0, 0.0])) - xy[0])) / eps
    image[:, 2] = (points[:, 2] - points[0, 2]) * scale
    image[:, 3] = score
    world = np.empty((21, 4), np.float32)
    world[:, :3] = points - points.mean(axis=0)
    world[:, 3] = score
    return image, world


# ------------------------------------------------------------------ the two hands over time
class FingerSim:
    """Both hands' shapes over time for one simulated patient (see the module doc)."""

    def __init__(self, model: FingerModel, affected_side: Side, rng: np.random.Generator) -> None:
        self.model = model
        self.affected = affected_side
        self._rng = rng
        self._shape = {s: Mover(shape_vector(RELAXED)) for s in ("left", "right")}
        self._cmd = RELAXED
        self._taps: dict[Side, np.ndarray] = {}
        """Per tapping hand: (K, 3) rows of (start_s, period_s, amplitude) of its taps."""
        self._phase = rng.uniform(0, 2 * math.pi, 5)

    def _own(self, side: Side) -> tuple[float, float, float]:
        """(range, speed, coupling) of one hand."""
        m = self.model
        if side == self.affected:
            return m.range, m.speed, m.coupling
        return 1.0, 1.0, HEALTHY_COUPLING

    def plan(self, now_s: float, t_s: float, cmd: Fingers | None) -> None:
        """Move both hands towards a new command, starting at ``t_s`` (``now_s`` plus the
        reaction time)."""
        cmd = cmd or RELAXED
        if cmd == self._cmd:
            return
        self._cmd = cmd
        self._taps = {}
        if cmd.tap is not None:
            self._taps[cmd.tap] = self._tap_schedule(t_s, cmd.tap)
        for side in ("left", "right"):
            rng_, speed, coupling = self._own(side)
            want = cmd if cmd.tap is None else RELAXED
            if cmd.tap == side:  # a tap opens a straight index away from an open thumb
                want = replace(cmd, curl=(0.0, 0.0, *cmd.curl[2:]))
            goal = shape_vector(want)
            goal[:5] = coupled(goal[:5], coupling)
            rest = shape_vector(RELAXED)
            goal[:6] = rest[:6] + rng_ * (goal[:6] - rest[:6])
            mover = self._shape[side]
            change = float(np.max(np.abs(goal[:6] - mover.end()[:6])))
            mover.plan(now_s, t_s, goal, 0.1 + self.model.shape_s * change / speed, 1)

    def _tap_schedule(self, t_s: float, side: Side) -> np.ndarray:
        """Up to 60 taps from ``t_s`` + the time to bring the fingers together."""
        rng_, speed, _ = self._own(side)
        affected = side == self.affected
        period = 1.0 / (self.model.tap_rate_hz * speed)
        k = np.arange(60, dtype=np.float64)
        decrement = self.model.decrement if affected else 0.03
        amp = (0.35 + 0.65 * rng_) * np.clip(1.0 - decrement * k / 9.0, 0.15, 1.0)
        periods = period * (1.0 + 0.06 * self._rng.standard_normal(60))
        pause = (self._rng.random(60) < (self.model.hesitation if affected else 0.0)) * 2.5 * period
        start = t_s + 0.35 + np.concatenate([[0.0], np.cumsum(periods + pause)[:-1]])
        return np.stack([start, periods, amp], axis=1)

    def shape(self, side: Side, t_s: float) -> np.ndarray:
        """(10,) shape vector of one hand at ``t_s`` (taps and tremor included)."""
        state = self._shape[side].at(t_s)
        taps = self._taps.get(side)
        if taps is not None:
            state[5] = _tap_pinch(taps, t_s, float(state[5]))
            state[6:] = (1.0, 0.0, 0.0, 0.0)
        if side == self.affected and self.model.tremor_deg > 0:
            wobble = self.model.tremor_deg / 90.0 * np.sin(2 * math.pi * TREMOR_HZ * t_s + self._phase)
            state[:5] = np.clip(state[:5] + wobble, 0.0, 1.0)
        return state

    def render(
        self, t_s: float, wrists: Mapping[str, np.ndarray], elbows: Mapping[str, np.ndarray], project: Project
    ) -> dict[str, tuple[np.ndarray, np.ndarray]]:
        """Each hand's (image, world) landmark arrays at ``t_s`` (module doc), by side."""
        out: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        for side in SIDES:
            points = hand_points(
                self.shape(side, t_s), wrists[side], hand_frame(wrists[side], elbows[side], side)
            )
            points = points + self._rng.normal(0.0, self.model.noise_m, points.shape)
            out[side] = to_frame_arrays(points, project)
        return out


def _tap_pinch(taps: np.ndarray, t_s: float, pinch_now: float) -> float:
    """Pinch (1 = fingers together) of a tapping hand: the fingers close over the first
    0.35 s, then each tap opens to 1 - amplitude and closes again (raised cosine)."""
    start = taps[:, 0]
    if t_s < start[0]:
        lead = start[0] - 0.35
        frac = min(max((t_s - lead) / 0.35, 0.0), 1.0)
        return pinch_now + (1.0 - pinch_now) * frac
    k = int(np.searchsorted(start, t_s, "right")) - 1
    t0, period, amp = taps[k]
    tau = (t_s - t0) / period
    if tau >= 1.0:
        return 1.0  # a pause after the tap: fingers held together
    return 1.0 - amp * 0.5 * (1.0 - math.cos(2 * math.pi * tau))
