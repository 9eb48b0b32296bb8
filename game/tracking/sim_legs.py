"""The simulated patient's lower body and trunk: sit, stand up, squat, step, lift a leg, fall.

game/tracking/simulated.py builds the arms and head around the hips; this module adds what
happens below and around them when a :class:`game.tracking.motor.Posture` is asked:

- **legs** as two-segment chains (thigh, shank; 0.45 m each) with the foot, set by segment
  pitches from vertical (positive when the lower end is forward, towards the camera for a
  patient facing it): seated thigh 87.5 deg and shank 0 reproduce the old fixed seated legs;
  standing is thigh 2, shank -2 (4 deg of knee flexion, 0 = straight);
- **planted feet**: the hips are placed so that the lower ankle stays on the floor (both when
  level), so sitting down, squatting and standing move the hips over planted feet, and a knee
  lift leaves the other leg carrying the body;
- **trunk** pitch (forward lean) and roll (sideways shift): a sit-to-stand leans forward first
  and straightens after the hips rise (the flexion-momentum strategy); a squat leans about
  0.45 x the knee angle; the affected side's weakness shows as a roll towards the other side;
- **arms** crossed over the chest, pushing on the thighs while the knees are bent (the
  ``arm_push`` impairment), or one arm raised forward (the functional reach test);
- **distance** from the camera (``back_m``: step back so the feet come into view) and a
  **fall** (hips to the floor, body horizontal) for the fall-detection tests.

Frames: landmarks are built in the body frame (hip-centred, x to the patient's left, y down,
z away from the camera when facing it). The room is seen from the camera: a body point P is at
``anchor + yaw(hip_B + P) + (0, 0, back_m)`` where ``hip_B`` is the mid-hip relative to the
mid-ankle point on the floor. :func:`camera_anchor` makes the seated hip sit exactly where the
old seated model put it (2.2 m away, 0.32 m below the camera), so every seated level sees the
same pictures as before.

Impairment (``LegParams``): slower transfers, shallower squats and lifts, an affected leg that
does less, and hands pushing on the thighs to stand up.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from game.tracking import pose as P
from game.tracking.motor import Posture, Submovement
from game.tracking.pose import Side

THIGH_M = 0.45
SHANK_M = 0.45
HIP_HALF_M = 0.11
"""Hip joint centre from the mid-hip point, sideways."""
ANKLE_HEIGHT_M = 0.05
"""Ankle above the floor with the foot flat."""
SIT = (87.5, 0.0)
"""Thigh and shank pitch seated (knee 0.02 m below the hip, shank vertical)."""
STAND = (2.0, -2.0)
SEATED_HIP_TO_CAMERA_M = (0.0, 0.32, 2.2)
"""Where the old seated model put the mid-hip relative to the camera (y down, z away)."""
TRANSFER_S = 1.3
"""Sit-to-stand (or back) at leg_speed 1: a brisk older adult (about 12 stands in 30 s)."""
LEAN_TRANSFER_DEG = 35.0
"""Forward trunk lean at seat-off."""
SQUAT_TRUNK = 0.45
"""Trunk lean per degree of knee flexion in a squat (the trunk stays about parallel to the shank)."""
JOINT_SPEED_DEG_S = 150.0
"""Leg segment speed for knee lifts and extensions at leg_speed 1."""
WHOLE_BODY_BACK_M = 1.5
"""How far back from the seated place the whole body, feet included, is in the picture: a
patient asked to step back goes there, one who starts standing starts there."""
FALL_S = 0.6
"""Hips from standing to the floor in a fall (about free-fall time for 0.9 m plus a stumble)."""
FLOOR_HIP = (0.0, -0.12, 0.6)
"""Mid-hip on the floor after a fall, relative to where the ankles were."""
FOOT_HEEL = (0.0, 0.04, 0.05)
FOOT_TOE = (0.0, 0.05, -0.15)
LEG_IDX = {
    "left": (P.L_KNEE, P.L_ANKLE, P.L_HEEL, P.L_FOOT),
    "right": (P.R_KNEE, P.R_ANKLE, P.R_HEEL, P.R_FOOT),
}
SIDE_SIGN = {"left": 1.0, "right": -1.0}
SIDES: tuple[Side, Side] = ("left", "right")


@dataclass(frozen=True)
class LegParams:
    """Impairment of the legs (PatientModel's leg fields)."""

    affected_side: Side = "left"
    speed: float = 1.0
    """1 = typical; 0.5 = transfers and lifts take twice as long."""
    depth: float = 1.0
    """Fraction of an asked squat depth, knee lift or extension reached."""
    asymmetry: float = 0.0
    """0..1: the affected leg does this much less; the trunk shifts towards the other side."""
    arm_push: bool = False
    """Pushes on the thighs with the hands to stand up and to sit down."""
    one_leg_s: float = 12.0
    """Longest single-leg stance (a foot lifted behind): the foot comes down after this."""


@dataclass(frozen=True)
class LegState:
    """The lower body at one moment (body frame, metres and degrees)."""

    legs: np.ndarray
    """(33, 3): knee, ankle, heel and foot rows filled (hip-centred); other rows zero."""
    pitch_deg: float
    roll_deg: float
    hip_b: np.ndarray
    """(3,) mid-hip relative to the mid-ankle point on the floor."""
    back_m: float
    knee_flexion_deg: float
    """Mean knee flexion of both legs (0 = straight)."""
    arms: str
    push_weight: float
    """0..1: how much the hands are on the thighs (arm push while the knees are bent)."""


@dataclass
class Track:
    """A value moved by minimum-jerk submovements that may start in the future (a sequence:
    lean forward, then rise, then straighten). Submovements are folded into the base value
    only once they have finished at the time asked (times only move forward)."""

    pos: np.ndarray
    subs: list[Submovement] = field(default_factory=list)

    def plan(self, t0_s: float, goal: np.ndarray, dur_s: float) -> Submovement | None:
        delta = np.asarray(goal, dtype=np.float64) - self.end()
        if not np.any(np.abs(delta) > 1e-12):
            return None
        sub = Submovement(t0_s, max(dur_s, 1e-3), delta)
        self.subs.append(sub)
        return sub

    def cancel(self, sub: Submovement | None, t_s: float) -> None:
        """Drop a planned submovement that has not started by ``t_s``."""
        if sub is not None and sub in self.subs and sub.t0_s > t_s:
            self.subs.remove(sub)

    def drop_pending(self, t_s: float) -> None:
        """Drop every submovement planned to start after ``t_s`` (a new command supersedes
        the rest of a sequence: a rise reversed halfway leans once, not twice)."""
        self.subs = [s for s in self.subs if s.t0_s <= t_s]

    def end(self) -> np.ndarray:
        return self.pos + sum((s.delta for s in self.subs), np.zeros_like(self.pos))

    def at(self, t_s: float) -> np.ndarray:
        keep, out = [], self.pos.copy()
        for s in self.subs:
            tau = (t_s - s.t0_s) / s.dur_s
            if tau >= 1.0:
                self.pos = self.pos + s.delta
                out = out + s.delta
                continue
            keep.append(s)
            tau = max(tau, 0.0)
            out = out + s.delta * (10 * tau**3 - 15 * tau**4 + 6 * tau**5)
        self.subs = keep
        return out


def _rot_x(v: np.ndarray, deg: float) -> np.ndarray:
    """Rotate (..., 3) about the x axis: +deg brings a downward vector's end forward (-z)."""
    a = math.radians(deg)
    c, s = math.cos(a), math.sin(a)
    y, z = v[..., 1], v[..., 2]
    out = np.array(v, dtype=np.float64, copy=True)
    out[..., 1], out[..., 2] = y * c + z * s, -y * s + z * c
    return out


def leg_points(side: Side, thigh_deg: float, shank_deg: float, ankle_deg: float) -> np.ndarray:
    """Knee, ankle, heel and foot tip of one leg, (4, 3) in the body frame.

    The foot stays flat unless the shank swings forward (a seated knee extension carries the
    foot with it); ``ankle_deg`` > 0 lifts the toes (dorsiflexion)."""
    hip = np.array([SIDE_SIGN[side] * HIP_HALF_M, 0.0, 0.0])
    t, s = math.radians(thigh_deg), math.radians(shank_deg)
    knee = hip + THIGH_M * np.array([0.0, math.cos(t), -math.sin(t)])
    ankle = knee + SHANK_M * np.array([0.0, math.cos(s), -math.sin(s)])
    foot = _rot_x(np.array([FOOT_HEEL, FOOT_TOE]), max(shank_deg, 0.0) + ankle_deg)
    return np.vstack([knee, ankle, ankle + foot[0], ankle + foot[1]])


def planted_hip(left: np.ndarray, right: np.ndarray) -> np.ndarray:
    """Mid-hip above the planted foot (or feet): the lower ankle stays on the floor.

    ``left``/``right`` are leg_points outputs; returns (3,) relative to the mid-ankle floor point."""
    ly, ry = float(left[1, 1]), float(right[1, 1])
    low = [leg for leg, y in ((left, ly), (right, ry)) if y >= max(ly, ry) - 0.01]
    ankle = np.mean([leg[1] for leg in low], axis=0)
    return np.array([0.0, -ANKLE_HEIGHT_M - ankle[1], -ankle[2]])


def knee_flexion(thigh_deg: float, shank_deg: float) -> float:
    return thigh_deg - shank_deg


def camera_anchor(camera_distance_m: float) -> np.ndarray:
    """Camera → mid-ankle floor point such that the seated hip sits where the old model's did."""
    seated = planted_hip(leg_points("left", *SIT, 0.0), leg_points("right", *SIT, 0.0))
    want = np.array(SEATED_HIP_TO_CAMERA_M)
    want[2] = camera_distance_m
    return want - seated


def yaw(v: np.ndarray, deg: float) -> np.ndarray:
    """Turn body-frame vectors (..., 3) about the vertical: 90 shows the left side to the camera."""
    if deg == 0.0:
        return np.asarray(v, dtype=np.float64)
    a = math.radians(deg)
    c, s = math.cos(a), math.sin(a)
    out = np.array(v, dtype=np.float64, copy=True)
    x, z = out[..., 0].copy(), out[..., 2].copy()
    out[..., 0], out[..., 2] = x * c + z * s, -x * s + z * c
    return out


@dataclass(frozen=True)
class _Want:
    legs: np.ndarray
    """(6,) thigh, shank, ankle of the left then the right leg."""
    trunk: np.ndarray
    """(2,) pitch and roll."""
    stand: bool
    fallen: bool


def _legs_wanted(posture: Posture, p: LegParams) -> np.ndarray:
    base = STAND if posture.stand else SIT
    legs = {s: [base[0], base[1], 0.0] for s in ("left", "right")}
    if posture.stand and posture.knee_deg > 0.0:
        k = posture.knee_deg * p.depth
        for s in legs:
            legs[s][:2] = [STAND[0] + 0.58 * k, STAND[1] - 0.42 * k]
    for side, thigh, shank in posture.lift:
        amount = p.depth * ((1.0 - p.asymmetry) if side == p.affected_side else 1.0)
        legs[side][0] = base[0] + amount * (thigh - base[0])
        legs[side][1] = base[1] + amount * (shank - base[1])
    for side, deg in posture.ankle:
        legs[side][2] = deg * p.depth * ((1.0 - p.asymmetry) if side == p.affected_side else 1.0)
    if posture.fallen:
        legs = {s: [80.0, 80.0, 0.0] for s in legs}
    return np.array(legs["left"] + legs["right"])


def wanted(posture: Posture | None, p: LegParams) -> _Want:
    """Leg angles, trunk pitch and roll for a posture command (None = seated rest)."""
    posture = posture or Posture()
    legs = _legs_wanted(posture, p)
    knee = 0.5 * (legs[0] - legs[1] + legs[3] - legs[4])
    pitch = SQUAT_TRUNK * max(knee - 4.0, 0.0) if posture.stand else 0.0
    pitch += posture.trunk_deg * p.depth
    toward_good = -SIDE_SIGN[p.affected_side]  # roll > 0 shifts the shoulders to the patient's left
    roll = toward_good * 6.0 * p.asymmetry if posture.stand else 0.0
    if posture.fallen:
        pitch, roll = -80.0, 0.0
    return _Want(legs, np.array([pitch, roll]), posture.stand, posture.fallen)


class LowerBody:
    """The lower body's state over time, steered by :class:`Posture` commands."""

    def __init__(self, params: LegParams, standing: bool = False) -> None:
        self.p = params
        start = wanted(Posture(stand=standing), params)
        self._legs = Track(start.legs.copy())
        self._trunk = Track(start.trunk.copy())
        self._fall = Track(np.zeros(1))
        self._back = Track(np.array([WHOLE_BODY_BACK_M if standing else 0.0]))
        """Steps back from the seated place (a patient who starts standing stands back)."""
        self.standing = standing
        """Whether the last command asked to stand (arms rest at the sides, not on the lap)."""
        self.rest = Posture(stand=standing)
        """The posture for a command without one (the arm, balance and face levels): the
        starting one, so a patient who starts standing stays standing through them."""
        self._arms = "free"
        self._push = False
        """Hands push on the thighs only in the legs' own levels (a Posture was asked)."""
        self._foot_down: Submovement | None = None
        """The planned end of a single-leg stance (the model's balance runs out)."""

    def plan(self, t_s: float, posture: Posture | None) -> None:
        """Move toward a posture from ``t_s`` (the reaction time already added); None = the
        starting posture (:attr:`rest`)."""
        want = wanted(posture or self.rest, self.p)
        speed = max(self.p.speed, 0.05)
        self._legs.cancel(self._foot_down, t_s)
        if posture is not None and posture.back_m is not None:
            self._back.plan(t_s, np.array([posture.back_m]), 2.5)
        self._arms = posture.arms if posture is not None else "free"
        self._push = posture is not None and self.p.arm_push
        if want.fallen:
            self._legs.plan(t_s, want.legs, FALL_S)
            self._trunk.plan(t_s, want.trunk, FALL_S)
            self._fall.plan(t_s, np.ones(1), FALL_S)
        elif want.stand != self.standing:
            self._transfer(t_s, want, TRANSFER_S / speed)
        else:
            change = float(np.max(np.abs(want.legs - self._legs.end())))
            dur = 0.25 + change / (JOINT_SPEED_DEG_S * speed)
            self._legs.plan(t_s, want.legs, dur)
            self._trunk.plan(t_s, want.trunk, dur)
            if want.stand and posture is not None and any(shank < -30.0 for _, _, shank in posture.lift):
                down = wanted(Posture(stand=True, arms=posture.arms), self.p).legs
                self._foot_down = self._legs.plan(t_s + dur + self.p.one_leg_s, down, 0.3)
        self.standing = want.stand

    def _transfer(self, t_s: float, want: _Want, dur_s: float) -> None:
        """Sit to stand or back: lean forward, move the hips, straighten the trunk."""
        self._trunk.drop_pending(t_s)
        self._legs.drop_pending(t_s)
        lean = np.array([want.trunk[0] + LEAN_TRANSFER_DEG, want.trunk[1]])
        self._trunk.plan(t_s, lean, 0.45 * dur_s)
        self._legs.plan(t_s + 0.3 * dur_s, want.legs, 0.7 * dur_s)
        self._trunk.plan(t_s + 0.75 * dur_s, want.trunk, 0.55 * dur_s)

    def at(self, t_s: float) -> LegState:
        legs_a = self._legs.at(t_s)
        pitch, roll = (float(v) for v in self._trunk.at(t_s))
        fall = float(self._fall.at(t_s)[0])
        pts = {
            "left": leg_points("left", *legs_a[0:3]),
            "right": leg_points("right", *legs_a[3:6]),
        }
        hip_b = (1.0 - fall) * planted_hip(pts["left"], pts["right"]) + fall * np.array(FLOOR_HIP)
        out = np.zeros((P.N_LANDMARKS, 3))
        for side, idx in LEG_IDX.items():
            out[list(idx)] = pts[side]
        knee = 0.5 * (knee_flexion(*legs_a[0:2]) + knee_flexion(*legs_a[3:5]))
        push = float(np.clip((knee - 20.0) / 30.0, 0.0, 1.0)) if self._push else 0.0
        return LegState(out, pitch, roll, hip_b, float(self._back.at(t_s)[0]), knee, self._arms, push)


def tilt_trunk(xyz: np.ndarray, pitch_deg: float, roll_deg: float) -> None:
    """Lean the upper body (landmarks 0-22) about the mid-hip, in place: pitch forward, then
    roll towards the patient's left for roll > 0."""
    if pitch_deg == 0.0 and roll_deg == 0.0:
        return
    up = _rot_x(xyz[:23], -pitch_deg)
    a = math.radians(roll_deg)
    c, s = math.cos(a), math.sin(a)
    x, y = up[:, 0].copy(), up[:, 1].copy()
    up[:, 0], up[:, 1] = x * c - y * s, x * s + y * c
    xyz[:23] = up


def _hand(xyz: np.ndarray, side: Side, wrist: np.ndarray, along: np.ndarray) -> None:
    """Wrist and the three hand points of one side, the hand pointing ``along``."""
    _, _, w, pinky, index, thumb = P.arm_indices(side)
    out = np.array([SIDE_SIGN[side], 0.0, 0.0])
    xyz[w] = wrist
    xyz[pinky] = wrist + 0.08 * along + 0.02 * out
    xyz[index] = wrist + 0.09 * along - 0.01 * out
    xyz[thumb] = wrist + 0.05 * along - 0.03 * out


def _swing_forward(xyz: np.ndarray, state: LegState) -> None:
    """Free arms come forward as the trunk leans (standing up or squatting without pushing):
    the hands leave the lap and reach forward at chest height (like the squat clip's woman)."""
    w = (
        float(np.clip(state.pitch_deg / LEAN_TRANSFER_DEG, 0.0, 1.0))
        if state.knee_flexion_deg > 10.0
        else 0.0
    )
    if w <= 0.0:
        return
    for side in SIDES:
        sh, el, wr = P.shoulder_elbow_wrist(side)
        ahead = xyz[sh] + np.array([-0.1 * SIDE_SIGN[side], 0.15, -0.45])
        wrist = w * ahead + (1.0 - w) * xyz[wr]
        xyz[el] = 0.5 * (xyz[sh] + wrist) + np.array([0.05 * SIDE_SIGN[side], 0.05, 0.0])
        _hand(xyz, side, wrist, np.array([0.0, 0.0, -1.0]))


def place_arms(xyz: np.ndarray, state: LegState, unaffected: Side, upper_arm_m: float, arm_m: float) -> None:
    """Arm landmarks for the arm modes that override the hand primitives, in place."""
    if state.arms == "forward":
        sh = xyz[P.shoulder_elbow_wrist(unaffected)[0]]
        fwd = np.array([0.0, 0.0, -1.0])
        xyz[P.shoulder_elbow_wrist(unaffected)[1]] = sh + upper_arm_m * fwd
        _hand(xyz, unaffected, sh + arm_m * fwd, fwd)
        return
    if state.arms == "free" and state.push_weight <= 0.0:
        _swing_forward(xyz, state)
        return
    for side in ("left", "right"):
        sh, el, wr = P.shoulder_elbow_wrist(side)  # type: ignore[arg-type]
        other = xyz[P.shoulder_elbow_wrist(P.other_side(side))[0]]  # type: ignore[arg-type]
        rest = other + np.array([0.0, 0.08, -0.10]) if state.arms == "crossed" else xyz[wr]
        hip = np.array([SIDE_SIGN[side] * HIP_HALF_M, 0.0, 0.0])
        thigh = hip + 0.6 * (xyz[LEG_IDX[side][0]] - hip) + np.array([0.0, -0.05, -0.02])
        wrist = state.push_weight * thigh + (1.0 - state.push_weight) * rest
        xyz[el] = 0.5 * (xyz[sh] + wrist) + np.array([0.06 * SIDE_SIGN[side], 0.04, 0.06])
        _hand(xyz, side, wrist, np.array([-0.6 * SIDE_SIGN[side], 0.3, -0.2]))  # type: ignore[arg-type]
