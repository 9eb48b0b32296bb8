"""SimulatedPatient: a seeded kinematic model of a seated (or standing) person.

It is a PoseSource, so the demo and every test play through exactly the same code as a
camera. The model has a trunk, shoulder–elbow–wrist chains on both sides (two-link inverse
kinematics), a head and legs; trunk sway, tremor and sensor noise; and it moves toward what
the game asks (``set_goal``) with minimum-jerk submovements.

What it is asked is a :class:`Motor` command built from generic motor primitives: the
displayed hand to a point (the good arm mirrors it, the affected arm tries within its range),
both hands to their points, a trunk shift, a trunk lean, a foot lift, rest, the hidden-arm
proprioceptive error, and ``landmarks_m``: any landmarks moved by given world offsets, so a
level type's own ``simulate`` module can ask for a movement nothing else here knows (a
shoulder shrug, say) without changing this file. Each level type turns its exercise's goal
into a Motor (game/leveltypes/<type>/simulate.py); the calibration screen still steers with
the older :class:`game.tracking.pose.Goal`, translated by :func:`motor_for_goal`.

Impairment knobs (``PatientModel``): the affected side, how far the arms reach (fraction of
arm length), how fast, how smooth (number of overlapping submovements), how much the trunk
compensates when a target is out of reach, and proprioceptive error for hidden-arm tasks.

Time is passed in: ``poll(now_s)`` advances the model in fixed 1/``fps_hz`` ticks, so a run
with the same seed and the same ``now_s`` sequence is bit-identical.

Coordinates follow game/tracking/pose.py: world metres, hip-centred, x to the patient's
left, y down, z away from the camera; the pinhole camera sits ``camera_distance_m`` in front.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from game.tracking import pose as P
from game.tracking.motor import REST, Motor, Mover, motor_for_goal
from game.tracking.pose import BODY_ONLY, Goal, Parts, Picture, PoseFrame, Side, SourceStatus, parts_of
from game.tracking.sim_face import FaceModel, SimFace
from game.tracking.sim_hands import MILD_FINGERS, MODERATE_FINGERS, FingerModel, FingerSim
from game.tracking.sim_legs import LegParams, LegState, LowerBody, camera_anchor, place_arms, tilt_trunk, yaw

SIDES: tuple[Side, Side] = ("left", "right")
FRAME_SIZE = (1280, 720)
"""Size in pixels of the simulated camera picture."""
PINKY_M, INDEX_M = (0.08, 0.02), (0.09, -0.01)
"""Pinky and index landmarks from the wrist: (along the forearm, outward), metres."""
HAND_POINT_M = ((PINKY_M[0] + INDEX_M[0]) / 3.0, (PINKY_M[1] + INDEX_M[1]) / 3.0)
"""The hand point (centroid of wrist, index and pinky: game.scoring.kinematics.hand_point)
from the wrist, (along the forearm, outward): about 5.7 cm past the wrist. The model aims
this point, as the scoring and the game measure it."""


@dataclass(frozen=True)
class PatientModel:
    """Parameters of the simulated patient (lengths in metres, times in seconds)."""

    affected_side: Side = "left"
    reach_range: float = 0.95
    """Largest hand distance from the shoulder the driving arm reaches, × arm length."""
    affected_range: float = 0.5
    """How much of each movement the affected arm itself manages (0 = none, 1 = all)."""
    speed_m_s: float = 0.45
    """Average hand speed of a reach."""
    smoothness: float = 0.9
    """1 = one smooth minimum-jerk movement; 0 = four halting submovements."""
    reaction_s: float = 0.45
    compensation_m: float = 0.02
    """Largest forward/sideways trunk shift used to extend an out-of-range reach."""
    sway_m: float = 0.004
    tremor_m: float = 0.001
    noise_m: float = 0.002
    proprio_error_deg: float = 4.0
    """SD of the joint reposition error when the arm is hidden."""
    dropout: float = 0.0
    """Probability that a frame has no pose (tracking loss)."""
    standing: bool = False
    """Start standing, and stand whenever a level sends no Posture command (the weight-shift and
    arm levels); the legs' own levels move it with their Posture commands."""
    leg_speed: float = 1.0
    """Sit-to-stand, squat and step speed (1 = typical; 0.5 = twice as slow)."""
    leg_depth: float = 1.0
    """Fraction of an asked squat depth, knee lift or extension reached (game/tracking/sim_legs.py)."""
    leg_asymmetry: float = 0.1
    """0..1: how much less the affected leg does; the trunk shifts towards the other side."""
    arm_push: bool = False
    """Pushes on the thighs with the hands to stand up and sit down."""
    one_leg_s: float = 12.0
    """Longest stance on one leg before the lifted foot comes down (Springer 2007: about 11-18 s
    at 70-79, docs/sources.md §6.5)."""
    view_yaw_deg: float = 0.0
    """Camera view: 0 = facing the camera, 90 = the patient's left side towards it (side view)."""
    fingers: FingerModel = MILD_FINGERS
    """The affected hand's finger impairment (game/tracking/sim_hands.py)."""
    shoulder_width_m: float = 0.38
    upper_arm_m: float = 0.30
    forearm_m: float = 0.26
    trunk_m: float = 0.50
    camera_distance_m: float = 2.2
    fps_hz: float = 30.0
    face: FaceModel = FaceModel()
    """The face (with its facial palsy), rendered when a level asks for it (sim_face.py)."""

    def __post_init__(self) -> None:
        if self.affected_side not in ("left", "right"):
            raise ValueError(f"affected_side must be 'left' or 'right', got {self.affected_side!r}")
        for name in ("reach_range", "affected_range", "smoothness", "leg_depth", "leg_asymmetry"):
            value = getattr(self, name)
            if not 0.0 <= value <= 1.0:
                raise ValueError(f"{name} must be within 0..1, got {value}")
        if self.speed_m_s <= 0 or self.fps_hz <= 0 or self.leg_speed <= 0:
            raise ValueError("speed_m_s, leg_speed and fps_hz must be positive")

    @property
    def arm_m(self) -> float:
        """Arm length to the hand point (shoulder-elbow-wrist-hand point when straight), as
        game.scoring.kinematics.arm_length_m measures it."""
        return self.upper_arm_m + self.forearm_m + HAND_POINT_M[0]


MILD = PatientModel()
"""A mildly impaired patient: fast, smooth, nearly full reach."""
MODERATE = PatientModel(
    reach_range=0.7,
    affected_range=0.25,
    speed_m_s=0.25,
    smoothness=0.3,
    reaction_s=0.8,
    compensation_m=0.07,
    tremor_m=0.003,
    sway_m=0.008,
    leg_speed=0.55,
    leg_depth=0.75,
    leg_asymmetry=0.4,
    arm_push=True,
    one_leg_s=4.0,
    fingers=MODERATE_FINGERS,
)
"""A moderately impaired patient: slower, halting, shorter reach, more trunk compensation;
slower and shallower with the legs, the affected leg doing less, pushing up with the hands."""


class SimulatedPatient:
    """A PoseSource and Steerable: the demo patient and the tests' subject."""

    def __init__(self, model: PatientModel = MILD, seed: int = 0) -> None:
        self.model = model
        self.name = "simulated patient"
        self.frame_size = FRAME_SIZE
        self._rng = np.random.default_rng(seed)
        self._tick = -1
        self._returned = -1
        self._goal = REST
        self._sway_phase = self._rng.uniform(0, 2 * math.pi, 4)
        m = model
        self._sh_y = -m.trunk_m
        self._lower = LowerBody(
            LegParams(m.affected_side, m.leg_speed, m.leg_depth, m.leg_asymmetry, m.arm_push, m.one_leg_s),
            m.standing,
        )
        """Legs, trunk lean, sitting and standing (game/tracking/sim_legs.py)."""
        self._anchor = camera_anchor(m.camera_distance_m)
        self._state: LegState = self._lower.at(0.0)
        self._hip_room = self._room_hip(self._state)
        """Where the mid-hip is, seen from the camera (metres; x right of the picture's
        centre for the patient's left, y down, z away), at the last rendered frame."""
        rest = {s: self._rest_hand(s) for s in SIDES}
        self._hands = {s: Mover(rest[s]) for s in SIDES}
        self._trunk = Mover(np.zeros(3))
        self._proprio = np.zeros(3)
        self._frame: PoseFrame | None = None
        self._feet = {s: Mover(np.zeros(3)) for s in ("left", "right")}
        """Foot lift offsets (world metres) for a foot lift (single-leg stance)."""
        self._offsets = Mover(np.zeros((P.N_LANDMARKS, 3)))
        """Offsets of single landmarks (world metres): the generic ``landmarks_m`` primitive."""
        self._parts: Parts = BODY_ONLY
        self._face = SimFace(model.face, model.affected_side, seed)
        self._fingers = FingerSim(model.fingers, model.affected_side, np.random.default_rng([seed, 21]))
        """Both hands' fingers, on their own random stream (the body's stays as it was)."""

    # -- PoseSource -------------------------------------------------------------------
    def poll(self, now_s: float) -> PoseFrame | None:
        tick = int(math.floor(now_s * self.model.fps_hz + 1e-9))
        while self._tick < tick:
            self._tick += 1
            self._frame = self._render(self._tick / self.model.fps_hz)
        if self._tick == self._returned or self._frame is None:
            return None
        self._returned = self._tick
        return self._frame

    def picture(self) -> Picture | None:
        return None

    def status(self) -> SourceStatus:
        return SourceStatus.OK

    def close(self) -> None:
        return None

    def request_parts(self, parts: frozenset[str]) -> None:
        """Render the face too when ``parts`` has "face", and the hands' landmarks when "hands"
        is asked for (as the tracker does) (PartsSelectable)."""
        self._parts = parts_of(parts)

    # -- Steerable --------------------------------------------------------------------
    def set_goal(self, goal: Motor | Goal | None) -> None:
        """Move toward a motor command (or an old-style Goal, or rest for None)."""
        motor = goal if isinstance(goal, Motor) else motor_for_goal(goal)
        if motor == self._goal:
            return
        self._goal = motor
        t_s = max(self._tick, 0) / self.model.fps_hz
        if motor.hidden:
            self._proprio = self._rng.normal(0.0, 1.0, 3)
        self._plan(t_s, t_s + self.model.reaction_s)
        self._fingers.plan(t_s, t_s + self.model.reaction_s, motor.fingers)

    # -- model ------------------------------------------------------------------------
    def _shoulder(self, side: Side, trunk: np.ndarray) -> np.ndarray:
        half = self.model.shoulder_width_m / 2
        x = half if side == "left" else -half
        return np.array([x, self._sh_y, 0.0]) + trunk

    def _rest_hand(self, side: Side) -> np.ndarray:
        sh = self._shoulder(side, np.zeros(3))
        if self._lower.standing:
            return sh + np.array([0.04 * np.sign(sh[0]), self.model.arm_m * 0.97, -0.02])
        return sh + np.array([0.02 * np.sign(sh[0]), 0.45, -0.22])  # hands on the lap

    def _plan(self, now_s: float, t_s: float) -> None:
        """Plan the movements of the current goal: decided at ``now_s``, starting at ``t_s``."""
        m, goal = self.model, self._goal
        self._lower.plan(t_s, goal.posture)  # first: the hands rest at the sides when standing
        targets, trunk = self._hand_targets(goal)
        if goal.trunk_xy is not None:
            trunk = self._image_to_trunk(goal.trunk_xy)
        elif goal.lean_deg is not None:
            trunk = self._lean_to_trunk(goal.lean_deg)
        n_sub = 1 + int(round((1.0 - m.smoothness) * 3))
        for side in ("left", "right"):
            mover = self._hands[side]
            dist = float(np.linalg.norm(targets[side] - mover.end()))
            mover.plan(now_s, t_s, targets[side], 0.5 + dist / m.speed_m_s, n_sub)
        self._trunk.plan(now_s, t_s, trunk, 1.2, 1)
        self._plan_feet(now_s, t_s, goal)
        self._plan_offsets(now_s, t_s, goal)
        self._face.plan(now_s, goal.face)

    def _hand_targets(self, goal: Motor) -> tuple[dict[Side, np.ndarray], np.ndarray]:
        """Where each hand goes for a hand primitive (rest otherwise), and the trunk shift
        the unaffected arm's reach needs."""
        m = self.model
        aff, unaff = m.affected_side, P.other_side(m.affected_side)
        targets = {s: self._rest_hand(s) for s in SIDES}
        trunk = np.zeros(3)
        if goal.hand_xy is None:
            return targets, trunk
        want = self._image_to_world(self._mirror_image_xy(goal.hand_xy))
        if goal.hidden:
            want = want + self._proprio * m.arm_m * math.radians(m.proprio_error_deg)
        targets[unaff], trunk = self._reachable(unaff, want)
        if goal.unaffected_xy is not None:  # both hands: the good hand goes to its own point
            targets[unaff], trunk = self._reachable(unaff, self._image_to_world(goal.unaffected_xy))
        # The affected arm attempts the same (mirror) movement within its own range.
        rest = self._rest_hand(aff)
        own = self._image_to_world(goal.hand_xy)
        targets[aff] = rest + m.affected_range * (self._reachable(aff, own)[0] - rest)
        return targets, trunk

    def _plan_offsets(self, now_s: float, t_s: float, goal: Motor) -> None:
        """The generic primitive: chosen landmarks move by world offsets (others go back to 0)."""
        want = np.zeros((P.N_LANDMARKS, 3))
        for idx, offset in goal.landmarks_m.items():
            want[idx] = offset
        mover = self._offsets
        dist = float(np.max(np.linalg.norm(want - mover.end(), axis=-1)))
        if dist > 0.0:
            mover.plan(now_s, t_s, want, 0.5 + dist / self.model.speed_m_s, 1)

    def _lean_to_trunk(self, lean_deg: tuple[float, float]) -> np.ndarray:
        """Lean primitive: (left, forward) trunk lean in degrees → shoulder shift in metres
        (x to the patient's left, z towards the camera is negative), within the same trunk
        range as a "trunk" goal."""
        m = self.model
        shift = m.trunk_m * np.array(
            [math.tan(math.radians(lean_deg[0])), 0.0, -math.tan(math.radians(lean_deg[1]))]
        )
        limit = 0.12 * m.reach_range
        norm = float(np.linalg.norm(shift))
        return shift if norm <= limit else shift * limit / norm

    def _plan_feet(self, now_s: float, t_s: float, goal: Motor) -> None:
        """Foot primitive: lift the ankle nearest ``foot_xy`` (raw x) to the height
        ``foot_xy[1]``; any other command puts lifted feet down. Feet that never lifted are
        left untouched."""
        lifts = {"left": 0.0, "right": 0.0}
        if goal.foot_xy is not None:
            xy = goal.foot_xy
            xyz = self._state.legs
            ank = {"left": xyz[P.L_ANKLE], "right": xyz[P.R_ANKLE]}
            img = {s: self._project(a) for s, a in ank.items()}
            near_left = abs(float(img["left"][0]) - xy[0]) <= abs(float(img["right"][0]) - xy[0])
            side: Side = "left" if near_left else "right"
            zc = float(self._hip_room[2]) + float(ank[side][2])
            rise = (float(img[side][1]) - xy[1]) * FRAME_SIZE[1] * zc / self._focal_px()
            lifts[side] = min(max(rise, 0.0), 0.3)
        for s in ("left", "right"):
            mover = self._feet[s]
            if lifts[s] > 0.0 or float(np.linalg.norm(mover.end())) > 0.0:
                dur = 0.6 + lifts[s] / self.model.speed_m_s
                mover.plan(now_s, t_s, np.array([0.0, -lifts[s], 0.0]), dur, 1)

    def _reachable(self, side: Side, want: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Clip a wanted hand position to the reach range; lean the trunk to help."""
        m = self.model
        sh = self._shoulder(side, np.zeros(3))
        vec = want - sh
        dist = float(np.linalg.norm(vec))
        limit = m.reach_range * m.arm_m * 0.98
        if dist <= limit:
            return want, np.zeros(3)
        direction = vec / dist
        lean = min(dist - limit, m.compensation_m)
        trunk = direction * lean * np.array([1.0, 0.3, 1.0])
        return sh + trunk + direction * limit, trunk

    # -- camera model -----------------------------------------------------------------
    def _focal_px(self) -> float:
        return 0.75 * FRAME_SIZE[0]

    def _room_hip(self, state: LegState) -> np.ndarray:
        """The mid-hip seen from the camera for a lower-body state (game/tracking/sim_legs.py)."""
        return self._anchor + yaw(state.hip_b, self.model.view_yaw_deg) + np.array([0.0, 0.0, state.back_m])

    def _project(self, xyz: np.ndarray) -> np.ndarray:
        """World (..., 3) → normalised raw-image (..., 2). Patient's left is image right."""
        w, h = FRAME_SIZE
        f = self._focal_px()
        room = xyz + self._hip_room
        u = w / 2 + f * room[..., 0] / room[..., 2]
        v = h / 2 + f * room[..., 1] / room[..., 2]
        return np.stack([u / w, v / h], axis=-1)

    def _image_to_world(self, xy: tuple[float, float], depth_m: float = -0.22) -> np.ndarray:
        """Back-project a raw-image point onto the plane ``z = depth_m`` (in front of the body)."""
        w, h = FRAME_SIZE
        f = self._focal_px()
        hip = self._hip_room
        zc = float(hip[2]) + depth_m
        x = (xy[0] * w - w / 2) * zc / f - float(hip[0])
        y = (xy[1] * h - h / 2) * zc / f - float(hip[1])
        return np.array([x, y, depth_m])

    def _image_to_trunk(self, xy: tuple[float, float]) -> np.ndarray:
        target = self._image_to_world(xy, 0.0)
        shift = target - np.array([0.0, self._sh_y, 0.0])
        shift[1] = 0.0
        limit = 0.12 * self.model.reach_range
        norm = float(np.linalg.norm(shift))
        return shift if norm <= limit else shift * limit / norm

    def _mirror_image_xy(self, xy: tuple[float, float]) -> tuple[float, float]:
        """Reflect a raw-image point across the vertical body midline (x = 0 in the world)."""
        centre = self._project(np.zeros(3))[0]
        return (2 * centre - xy[0], xy[1])

    # -- rendering a frame ------------------------------------------------------------
    def _render(self, t_s: float) -> PoseFrame:
        m, rng = self.model, self._rng
        noise = rng.normal(0.0, 1.0, (P.N_LANDMARKS, 3))
        drop = rng.random() < m.dropout
        sway = m.sway_m * np.array(
            [
                math.sin(2 * math.pi * 0.23 * t_s + self._sway_phase[0])
                + 0.5 * math.sin(2 * math.pi * 0.61 * t_s + self._sway_phase[1]),
                0.0,
                math.sin(2 * math.pi * 0.17 * t_s + self._sway_phase[2])
                + 0.5 * math.sin(2 * math.pi * 0.53 * t_s + self._sway_phase[3]),
            ]
        )
        trunk = self._trunk.at(t_s) + sway
        self._state = state = self._lower.at(t_s)
        self._hip_room = self._room_hip(state)
        world = yaw(self._skeleton(t_s, trunk, state), m.view_yaw_deg)
        world = world + noise * m.noise_m
        if drop:
            return PoseFrame.missing(t_s, self._parts)
        image = np.empty((P.N_LANDMARKS, 4), dtype=np.float32)
        image[:, :2] = self._project(world)
        vis = self._visibility(state, image[:, :2])
        image[:, 2] = world[:, 2]
        image[:, 3] = vis
        w4 = np.empty((P.N_LANDMARKS, 4), dtype=np.float32)
        w4[:, :3] = world
        w4[:, 3] = vis
        face = self._face.landmarks(t_s, world[P.NOSE], self._project) if "face" in self._parts else None
        if "hands" not in self._parts:
            return PoseFrame(t_s, image, w4, face=face)
        wrists = {"left": world[P.L_WRIST], "right": world[P.R_WRIST]}
        elbows = {"left": world[P.L_ELBOW], "right": world[P.R_ELBOW]}
        hands = self._fingers.render(t_s, wrists, elbows, self._project)
        return PoseFrame(t_s, image, w4, *hands["left"], *hands["right"], face=face)

    def _visibility(self, state: LegState, xy: np.ndarray) -> np.ndarray:
        """Landmark visibility: legs partly hidden under a table while seated, the far side
        half hidden in a side view, anything outside the picture not seen (as MediaPipe)."""
        vis = np.full(P.N_LANDMARKS, 0.99)
        if not self._lower.standing and state.knee_flexion_deg > 60.0:
            vis[P.L_KNEE :] = 0.6  # legs are partly hidden under the table
        s = math.sin(math.radians(self.model.view_yaw_deg))
        if abs(s) > 0.7:  # a side view: the far side is behind the body
            far = np.arange(P.N_LANDMARKS)[11:][(np.arange(11, P.N_LANDMARKS) % 2 == 0) == (s > 0)]
            vis[far] = 0.55
        outside = np.any((xy < 0.0) | (xy > 1.0) | ~np.isfinite(xy), axis=-1)
        vis[outside] = 0.05
        return vis

    def _skeleton(self, t_s: float, trunk: np.ndarray, state: LegState) -> np.ndarray:
        m = self.model
        xyz = np.zeros((P.N_LANDMARKS, 3))
        half = m.shoulder_width_m / 2
        xyz[P.L_HIP] = [0.11, 0.0, 0.0]
        xyz[P.R_HIP] = [-0.11, 0.0, 0.0]
        lean = trunk * np.array([1.0, 0.0, 1.0])
        arms: tuple[tuple[Side, tuple[int, ...]], ...] = (("left", P.LEFT_ARM), ("right", P.RIGHT_ARM))
        for side, idx in arms:
            sh = self._shoulder(side, lean)
            tremor = m.tremor_m * math.sin(2 * math.pi * 5.0 * t_s + (0.0 if side == "left" else 1.3))
            out = np.array([1.0 if side == "left" else -1.0, 0.0, 0.0])
            # The hand point is aimed: solve the arm to it (forearm + hand point), then put the
            # wrist back along the forearm.
            aim = self._hands[side].at(t_s) + lean + tremor - HAND_POINT_M[1] * out
            elbow, tip = _two_link(
                sh, aim, m.upper_arm_m, m.forearm_m + HAND_POINT_M[0], half if side == "left" else -half
            )
            fwd = _unit(tip - elbow)
            wrist = elbow + m.forearm_m * fwd
            xyz[idx[0]], xyz[idx[1]], xyz[idx[2]] = sh, elbow, wrist
            xyz[idx[3]] = wrist + PINKY_M[0] * fwd + PINKY_M[1] * out  # pinky
            xyz[idx[4]] = wrist + INDEX_M[0] * fwd + INDEX_M[1] * out  # index
            xyz[idx[5]] = wrist + 0.05 * fwd - 0.03 * out  # thumb
        head = np.array([0.0, -m.trunk_m - 0.2, -0.08]) + lean * 1.2
        xyz[P.NOSE] = head
        for i in range(1, 11):  # eyes, ears, mouth around the nose
            side_sign = 1.0 if i in (1, 2, 3, 7, 9) else -1.0
            xyz[i] = head + np.array([side_sign * (0.035 if i < 7 else 0.07), -0.03 if i < 9 else 0.04, 0.03])
        xyz[P.L_KNEE :] = state.legs[P.L_KNEE :]
        tilt_trunk(xyz, state.pitch_deg, state.roll_deg)
        place_arms(xyz, state, P.other_side(m.affected_side), m.upper_arm_m, m.arm_m)
        for s, (knee, ankle, heel, foot) in (
            ("left", (P.L_KNEE, P.L_ANKLE, P.L_HEEL, P.L_FOOT)),
            ("right", (P.R_KNEE, P.R_ANKLE, P.R_HEEL, P.R_FOOT)),
        ):
            lift = self._feet[s].at(t_s)
            if np.any(lift != 0.0):
                xyz[[ankle, heel, foot]] += lift
                xyz[knee] += 0.5 * lift + np.array([0.0, 0.0, 0.5 * lift[1]])  # knee comes forward
        offsets = self._offsets.at(t_s)
        if np.any(offsets != 0.0):
            xyz += offsets
        return xyz


def _unit(v: np.ndarray) -> np.ndarray:
    n = float(np.linalg.norm(v))
    return v / n if n > 1e-9 else np.array([0.0, 1.0, 0.0])


def _two_link(
    shoulder: np.ndarray, hand: np.ndarray, l1: float, l2: float, out_x: float
) -> tuple[np.ndarray, np.ndarray]:
    """Elbow and end point for a goal: planar two-link IK (links ``l1``, ``l2``), elbow
    pointing down and out; the end point is the goal when it is within reach."""
    vec = hand - shoulder
    d = float(np.linalg.norm(vec))
    d_clamped = min(max(d, abs(l1 - l2) + 1e-3), l1 + l2 - 1e-4)
    u = _unit(vec)
    wrist = shoulder + u * d_clamped
    a = (l1**2 - l2**2 + d_clamped**2) / (2 * d_clamped)
    h = math.sqrt(max(l1**2 - a**2, 0.0))
    hint = np.array([0.3 * math.copysign(1.0, out_x), 1.0, 0.2])  # down, out, slightly back
    w = hint - np.dot(hint, u) * u
    w = _unit(w)
    return shoulder + a * u + h * w, wrist
