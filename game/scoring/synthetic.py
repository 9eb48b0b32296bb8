"""Synthetic reaching sessions with known answers, for tests and benchmarks.

A seated-upright skeleton (world axes of game/tracking/pose.py: x to the patient's left, y
down, z away from the camera, origin mid-hip) reaches forwards with one arm in the sagittal
plane: shoulder flexion and elbow flexion follow minimum-jerk profiles (Flash & Hogan 1985)
between a rest posture and a reach posture, so the true peak angles are known exactly. The
image landmarks are an orthographic projection (1 m = ``IMAGE_SCALE`` frame widths), so
world and image distances in the frontal plane agree exactly.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from game.tracking.pose import (
    L_ANKLE,
    L_HIP,
    L_SHOULDER,
    N_LANDMARKS,
    R_ANKLE,
    R_HIP,
    R_SHOULDER,
    shoulder_elbow_wrist,
)

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


def _sagittal(angle_rad: np.ndarray) -> np.ndarray:
    """Unit vector at ``angle`` from straight down towards anterior (-z), ``(..., 3)``."""
    return np.stack([np.zeros_like(angle_rad), np.cos(angle_rad), -np.sin(angle_rad)], axis=-1)


def pose_world(flexion_deg: np.ndarray, elbow_deg: np.ndarray, side: str) -> np.ndarray:
    """World landmarks ``(T, 33, 4)`` for given shoulder and elbow flexion of one arm.

    Unused landmarks sit at plausible fixed places with visibility 1; the other arm hangs.
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
    for arm_side, flex, elbow in (
        ("left" if side == "right" else "right", np.zeros(n), np.full(n, 10.0)),
        (side, np.asarray(flexion_deg, float), np.asarray(elbow_deg, float)),
    ):
        s, e, w = shoulder_elbow_wrist(arm_side)  # type: ignore[arg-type]
        phi = np.radians(flex)
        psi = phi + np.radians(elbow)
        out[:, e, :3] = out[:, s, :3] + UPPER_ARM_M * _sagittal(phi)
        out[:, w, :3] = out[:, e, :3] + FOREARM_M * _sagittal(psi)
        lateral = np.array([0.02, 0.0, 0.0])
        tip = out[:, w, :3] + HAND_M * _sagittal(psi)
        out[:, w + 2, :3] = tip + lateral  # pinky (17/18)
        out[:, w + 4, :3] = tip - lateral  # index (19/20)
        out[:, w + 6, :3] = out[:, w, :3] + 0.5 * HAND_M * _sagittal(psi)  # thumb
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
) -> SyntheticSession:
    """A session of ``n_reps`` identical forward reaches, each followed by a return.

    Each period: cue at its start, ``reaction_s`` still, a min-jerk reach of ``move_s``,
    ``hold_s`` at the target (the rep ends here), a min-jerk return of ``move_s``, rest.
    ``noise_m`` adds isotropic Gaussian noise to world and image landmarks (image noise
    scaled by ``IMAGE_SCALE``), drawn from ``rng``.
    """
    n = int(round(n_reps * rep_period_s * fs_hz))
    t = np.arange(n) / fs_hz
    phase = np.mod(t, rep_period_s)
    go = min_jerk((phase - reaction_s) / move_s)
    back = min_jerk((phase - reaction_s - move_s - hold_s) / move_s)
    u = go - back
    flex = flexion_deg * u
    elbow = elbow_start_deg + (elbow_end_deg - elbow_start_deg) * u
    world = pose_world(flex, elbow, side)
    image = project_image(world, aspect_w_over_h)
    cue = np.arange(n_reps) * rep_period_s
    end = cue + reaction_s + move_s + hold_s
    final = pose_world(np.array([flexion_deg]), np.array([elbow_end_deg]), side)
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
