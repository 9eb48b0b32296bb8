"""Synthetic reaching sessions with known answers, and recorded simulated-patient reaches.

A seated-upright skeleton (world axes of game/tracking/pose.py: x to the patient's left, y
down, z away from the camera, origin mid-hip) reaches forwards with one arm in the sagittal
plane: shoulder flexion and elbow flexion follow minimum-jerk profiles (Flash & Hogan 1985)
between a rest posture and a reach posture, so the true peak angles are known exactly. The
image landmarks are an orthographic projection (1 m = ``IMAGE_SCALE`` frame widths), so
world and image distances in the frontal plane agree exactly.

:func:`simulated_reaches` instead records the game's simulated patient
(game.tracking.simulated) reaching frontal-plane targets at a chosen pose rate, with its
impairment model, tremor, sway and landmark noise: repeated realistic movements for the
noise-floor measurements and the "mild beats moderate" checks.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from game.scoring.kinematics import arm_length_m
from game.scoring.reps import score_reps
from game.tracking.pose import (
    L_ANKLE,
    L_HIP,
    L_SHOULDER,
    N_LANDMARKS,
    R_ANKLE,
    R_HIP,
    R_SHOULDER,
    Goal,
    PoseFrame,
    other_side,
    shoulder_elbow_wrist,
)
from game.tracking.simulated import PatientModel, SimulatedPatient

UPPER_ARM_M = 0.30
FOREARM_M = 0.26
HAND_M = 0.08
IMAGE_SCALE = 0.5
"""Frame widths per metre in the synthetic orthographic camera."""


@dataclass(frozen=True)
class SyntheticSession:
    """A synthetic recording and its ground truth (all arrays time-first)."""

    t_s: np.ndarray
    world: np.ndarray
    image: np.ndarray
    cue_s: np.ndarray
    end_s: np.ndarray
    targets_xy_norm: np.ndarray
    aspect_w_over_h: float
    flexion_peak_deg: float
    elbow_min_flexion_deg: float
    arm_length_m: float


def min_jerk(tau: np.ndarray) -> np.ndarray:
    """Minimum-jerk position profile 10 tau^3 - 15 tau^4 + 6 tau^5, clipped to [0, 1]."""
    x = np.clip(tau, 0.0, 1.0)
    return 10 * x**3 - 15 * x**4 + 6 * x**5


def _in_plane(angle_rad: np.ndarray, plane_deg: float, lateral_x: float) -> np.ndarray:
    """Unit vector at ``angle`` from straight down, rotated toward the direction given by the
    ISB plane of elevation (90 deg anterior, -z; 0 deg lateral, ``lateral_x`` along x)."""
    p = np.radians(plane_deg)
    horiz = np.array([lateral_x * np.cos(p), 0.0, -np.sin(p)])
    a = np.asarray(angle_rad, dtype=np.float64)[..., None]
    return np.cos(a) * np.array([0.0, 1.0, 0.0]) + np.sin(a) * horiz


def pose_world(
    flexion_deg: np.ndarray, elbow_deg: np.ndarray, side: str, *, plane_deg: float = 90.0
) -> np.ndarray:
    """World landmarks ``(T, 33, 4)`` for given shoulder elevation and elbow flexion of one arm.

    The arm moves in one plane through the shoulder: the sagittal plane by default
    (``plane_deg`` = 90, so "flexion" is the ISB elevation in the flexion plane), the frontal
    plane with ``plane_deg`` = 0 (abduction). Unused landmarks sit at plausible fixed places
    with visibility 1; the other arm hangs.
    """
    n = np.asarray(flexion_deg).shape[0]
    out = np.zeros((n, N_LANDMARKS, 4))
    out[..., 3] = 1.0
    out[:, :11, :3] = (0.0, -0.65, -0.05)  # head points
    out[:, L_SHOULDER, :3] = (0.18, -0.50, 0.0)
    out[:, R_SHOULDER, :3] = (-0.18, -0.50, 0.0)
    out[:, L_HIP, :3] = (0.10, 0.0, 0.0)
    out[:, R_HIP, :3] = (-0.10, 0.0, 0.0)
    out[:, 25, :3], out[:, 26, :3] = (0.10, 0.42, 0.0), (-0.10, 0.42, 0.0)
    out[:, L_ANKLE, :3], out[:, R_ANKLE, :3] = (0.10, 0.85, 0.0), (-0.10, 0.85, 0.0)
    out[:, 29:33, :3] = out[:, [L_ANKLE, R_ANKLE, L_ANKLE, R_ANKLE], :3] + (0.0, 0.03, -0.05)
    for arm_side, flex, elbow, plane in (
        ("left" if side == "right" else "right", np.zeros(n), np.full(n, 10.0), 90.0),
        (side, np.asarray(flexion_deg, float), np.asarray(elbow_deg, float), plane_deg),
    ):
        s, e, w = shoulder_elbow_wrist(arm_side)  # type: ignore[arg-type]
        lat_x = 1.0 if arm_side == "left" else -1.0  # world x points to the patient's left
        phi = np.radians(flex)
        psi = phi + np.radians(elbow)
        out[:, e, :3] = out[:, s, :3] + UPPER_ARM_M * _in_plane(phi, plane, lat_x)
        out[:, w, :3] = out[:, e, :3] + FOREARM_M * _in_plane(psi, plane, lat_x)
        # the hand's width lies across the plane of movement
        across = np.cross(_in_plane(np.array(np.pi / 2), plane, lat_x), [0.0, 1.0, 0.0]) * 0.02
        tip = out[:, w, :3] + HAND_M * _in_plane(psi, plane, lat_x)
        out[:, w + 2, :3] = tip + across  # pinky (17/18)
        out[:, w + 4, :3] = tip - across  # index (19/20)
        out[:, w + 6, :3] = out[:, w, :3] + 0.5 * HAND_M * _in_plane(psi, plane, lat_x)  # thumb
    return out


def project_image(world: np.ndarray, aspect_w_over_h: float) -> np.ndarray:
    """Orthographic raw-image landmarks: the patient's left is at larger image x."""
    img = world.copy()
    img[..., 0] = 0.5 + IMAGE_SCALE * world[..., 0]
    img[..., 1] = 0.55 + IMAGE_SCALE * world[..., 1] * aspect_w_over_h
    img[..., 2] = world[..., 2]
    return img


def reaching_session(
    n_reps: int = 3,
    *,
    fs_hz: float = 30.0,
    rep_period_s: float = 10.0,
    reaction_s: float = 0.4,
    move_s: float = 1.0,
    hold_s: float = 0.6,
    flexion_deg: float = 80.0,
    elbow_start_deg: float = 90.0,
    elbow_end_deg: float = 20.0,
    side: str = "right",
    aspect_w_over_h: float = 4 / 3,
    noise_m: float = 0.0,
    rng: np.random.Generator | None = None,
    plane_deg: float = 90.0,
) -> SyntheticSession:
    """A session of ``n_reps`` identical reaches, each followed by a return.

    Each period: cue at its start, ``reaction_s`` still, a min-jerk reach of ``move_s``,
    ``hold_s`` at the target (the rep ends here), a min-jerk return of ``move_s``, rest. The
    arm moves in the ISB plane ``plane_deg`` (90: forward, 0: out to the side).
    ``noise_m`` adds isotropic Gaussian noise to world and image landmarks (image noise
    scaled by ``IMAGE_SCALE``), drawn from ``rng``.
    """
    n = int(round(n_reps * rep_period_s * fs_hz))
    t = np.arange(n) / fs_hz
    # Sum over reps (not a modular phase), so a return that outlasts the period really
    # overlaps the next cue: the hand is still moving back when the next target appears.
    start = (np.arange(n_reps) * rep_period_s + reaction_s)[:, None]
    go = min_jerk((t - start) / move_s)
    back = min_jerk((t - start - move_s - hold_s) / move_s)
    u = np.clip((go - back).sum(axis=0), 0.0, 1.0)
    flex = flexion_deg * u
    elbow = elbow_start_deg + (elbow_end_deg - elbow_start_deg) * u
    world = pose_world(flex, elbow, side, plane_deg=plane_deg)
    image = project_image(world, aspect_w_over_h)
    cue = np.arange(n_reps) * rep_period_s
    end = cue + reaction_s + move_s + hold_s
    final = pose_world(np.array([flexion_deg]), np.array([elbow_end_deg]), side, plane_deg=plane_deg)
    hand = list((16, 18, 20) if side == "right" else (15, 17, 19))
    target = project_image(final, aspect_w_over_h)[0, hand, :2].mean(axis=0)
    if noise_m > 0:
        gen = rng if rng is not None else np.random.default_rng(0)
        world[..., :3] += gen.normal(0.0, noise_m, world[..., :3].shape)
        image[..., :2] += gen.normal(0.0, noise_m * IMAGE_SCALE, image[..., :2].shape)
    return SyntheticSession(
        t_s=t,
        world=world,
        image=image,
        cue_s=cue,
        end_s=end,
        targets_xy_norm=np.tile(target, (n_reps, 1)),
        aspect_w_over_h=aspect_w_over_h,
        flexion_peak_deg=flexion_deg,
        elbow_min_flexion_deg=elbow_end_deg,
        arm_length_m=UPPER_ARM_M + FOREARM_M + 2 * HAND_M / 3,
    )


@dataclass(frozen=True)
class SimulatedReaches:
    """Reaches of the simulated patient (game.tracking.simulated) and what scoring needs.

    ``side`` is the arm that really moves (the unaffected arm drives the mirror) and
    ``targets_xy_norm`` are its raw-image targets; the goals given to the patient were their
    mirror images (``goals_xy_norm``: where the displayed affected hand had to go, as in the
    game), which are also the targets of the affected arm's own attempt (``affected_side``;
    the simulator moves it ``affected_range`` of the way).
    """

    t_s: np.ndarray
    world: np.ndarray
    image: np.ndarray
    cue_s: np.ndarray
    end_s: np.ndarray
    targets_xy_norm: np.ndarray
    goals_xy_norm: np.ndarray
    side: str
    affected_side: str
    arm_length_m: float
    aspect_w_over_h: float


def _poll_until(patient: SimulatedPatient, t_stop_s: float, fps_hz: float, frames: list[PoseFrame]) -> None:
    """Poll the patient at every tick up to ``t_stop_s`` (game time), keeping every frame."""
    i = len(frames)
    while i / fps_hz < t_stop_s - 1e-9:
        frame = patient.poll(i / fps_hz)
        if frame is not None:
            frames.append(frame)
        i += 1


def simulated_reaches(
    model: PatientModel,
    *,
    fps_hz: float = 30.0,
    seed: int = 0,
    elevations_deg: tuple[float, ...] = (60.0, 90.0, 120.0, 60.0, 90.0, 120.0),
    reach_fraction: float = 0.9,
    rep_s: float = 6.5,
    rest_s: float = 4.0,
) -> SimulatedReaches:
    """Drive a SimulatedPatient through frontal-plane reaches and record every frame.

    Targets lie at ``reach_fraction`` x arm length from the driving shoulder in the picture,
    at the given elevations in the frontal plane (0 deg down, 90 deg out to the side), like
    the game's reach levels; the patient gets each goal at the cue, ``rep_s`` to reach
    (the rep ends then) and ``rest_s`` of rest. The pose rate is ``fps_hz`` (10-60 Hz).
    Both phases are long enough for the moderate patient to finish moving before the next
    goal: a goal given during an unfinished movement makes the simulated hand jump (the
    simulator folds submovements that end before the new start time, reaction included).
    """
    patient = SimulatedPatient(replace(model, fps_hz=fps_hz), seed=seed)
    side = other_side(model.affected_side)
    frames: list[PoseFrame] = []
    patient.set_goal(Goal("rest"))
    _poll_until(patient, 1.5, fps_hz, frames)
    w, h = patient.frame_size
    aspect = w / h
    first = frames[-1]
    s_idx = shoulder_elbow_wrist(side)[0]  # type: ignore[arg-type]
    centre_x = 0.5 * float(first.image[L_HIP, 0] + first.image[R_HIP, 0])
    rest_world = np.stack([f.world[:, :3] for f in frames]).astype(np.float64)
    arm_m = float(np.nanmedian(arm_length_m(rest_world, side)))
    sw_img = np.linalg.norm((first.image[L_SHOULDER, :2] - first.image[R_SHOULDER, :2]) * [1.0, 1 / aspect])
    units_per_m = sw_img / float(np.linalg.norm(first.world[L_SHOULDER, :3] - first.world[R_SHOULDER, :3]))
    out_x = 1.0 if side == "left" else -1.0  # the patient's left is at larger raw x
    cues, ends, targets = [], [], []
    for elev in elevations_deg:
        a = np.radians(elev)
        r = reach_fraction * arm_m * units_per_m
        x = float(first.image[s_idx, 0]) + out_x * r * np.sin(a)
        y = float(first.image[s_idx, 1]) + r * np.cos(a) * aspect
        cue = len(frames) / fps_hz
        patient.set_goal(Goal("hand", (2 * centre_x - x, y)))  # the displayed hand's goal
        _poll_until(patient, cue + rep_s, fps_hz, frames)
        cues.append(cue)
        ends.append(len(frames) / fps_hz - 1.0 / fps_hz)
        targets.append((x, y))
        patient.set_goal(Goal("rest"))
        _poll_until(patient, len(frames) / fps_hz + rest_s, fps_hz, frames)
    return SimulatedReaches(
        t_s=np.array([f.t_s for f in frames]),
        world=np.stack([f.world for f in frames]).astype(np.float64),
        image=np.stack([f.image for f in frames]).astype(np.float64),
        cue_s=np.array(cues),
        end_s=np.array(ends),
        targets_xy_norm=np.array(targets),
        goals_xy_norm=np.array([(2 * centre_x - x, y) for x, y in targets]),
        side=side,
        affected_side=model.affected_side,
        arm_length_m=arm_m,
        aspect_w_over_h=aspect,
    )


def score_session(
    rec: SyntheticSession | SimulatedReaches,
    *,
    side: str | None = None,
    target_radius_norm: float = 0.03,
    **overrides: object,
) -> dict[str, np.ndarray]:
    """:func:`game.scoring.score_reps` of a recorded session with its own cues, end times,
    targets, arm length and aspect; ``side`` defaults to the moving arm (right for a
    synthetic session); any ``score_reps`` keyword can be overridden (and the landmarks
    with ``world=`` / ``image=``)."""
    args: dict[str, object] = dict(
        side=side or getattr(rec, "side", "right"),
        cue_s=rec.cue_s,
        end_s=rec.end_s,
        targets_xy_norm=rec.targets_xy_norm,
        target_radius_norm=target_radius_norm,
        arm_length_m=rec.arm_length_m,
        aspect_w_over_h=rec.aspect_w_over_h,
    )
    args.update(overrides)
    world = args.pop("world", rec.world)
    image = args.pop("image", rec.image)
    return score_reps(rec.t_s, world, image, **args)  # type: ignore[arg-type]
