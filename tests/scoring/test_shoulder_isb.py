"""Issue 10 item 1: shoulder angles that cannot flip (ISB globe: plane of elevation, elevation).

Failed before: ``shoulder_angles_deg`` projected onto the sagittal and frontal planes, so a
forward reach of 110 deg stored peak abduction 180 deg and there was no plane of elevation.
The oracle below is written independently from Wu et al. 2005: a humerus frame from the
landmarks (option 2: long axis and the forearm), a thorax frame, and scipy's intrinsic Y-X-Y
Euler decomposition of the relative rotation.
"""

from __future__ import annotations

import numpy as np
import pytest
from scipy.spatial.transform import Rotation

from game.scoring import shoulder_angles_deg
from game.scoring.synthetic import pose_world, reaching_session, score_session
from game.tracking.pose import L_HIP, L_SHOULDER, R_HIP, R_SHOULDER, shoulder_elbow_wrist
from tests.realclips import astronaut_landmarks, squat_landmarks


def _unit(v: np.ndarray) -> np.ndarray:
    return v / np.linalg.norm(v, axis=-1, keepdims=True)


def isb_oracle_deg(xyz: np.ndarray, side: str) -> tuple[np.ndarray, np.ndarray]:
    """(plane of elevation, elevation) by rotation matrices and scipy's YXY decomposition.

    Thorax: Y up (mid-hip -> mid-shoulder), Z lateral for this arm, X = Y x Z (anterior for
    the right arm; the left arm is mirrored through the sagittal plane first, as ISB does).
    Humerus: Y from elbow to shoulder, Z normal to the plane of upper arm and forearm.
    """
    p = np.array(xyz, dtype=np.float64)
    s, e, w = shoulder_elbow_wrist(side)
    arm = p[..., [s, e, w], :].copy()
    if side == "left":  # mirror through the sagittal plane into a right arm (world x = left)
        p[..., 0] *= -1.0
        arm[..., 0] *= -1.0
        p[..., [L_SHOULDER, R_SHOULDER, L_HIP, R_HIP], :] = p[..., [R_SHOULDER, L_SHOULDER, R_HIP, L_HIP], :]
    y_t = _unit(
        0.5 * (p[..., L_SHOULDER, :] + p[..., R_SHOULDER, :]) - 0.5 * (p[..., L_HIP, :] + p[..., R_HIP, :])
    )
    z_t = p[..., R_SHOULDER, :] - p[..., L_SHOULDER, :]
    z_t = _unit(z_t - np.sum(z_t * y_t, axis=-1, keepdims=True) * y_t)
    x_t = np.cross(y_t, z_t)
    y_h = _unit(arm[..., 0, :] - arm[..., 1, :])
    z_h = _unit(np.cross(y_h, arm[..., 2, :] - arm[..., 1, :]))
    x_h = np.cross(y_h, z_h)
    r_t = np.stack([x_t, y_t, z_t], axis=-1)
    r_h = np.stack([x_h, y_h, z_h], axis=-1)
    rel = np.einsum("...ji,...jk->...ik", r_t, r_h)  # humerus in thorax coordinates
    eul = Rotation.from_matrix(rel.reshape(-1, 3, 3)).as_euler("YXY", degrees=True)
    plane, elev = eul[:, 0], -eul[:, 1]
    # the YXY sequence has two solutions; pick the one with elevation >= 0
    flip = elev < 0
    plane = np.where(flip, plane + 180.0, plane)
    elev = np.abs(elev)
    plane = (plane + 180.0) % 360.0 - 180.0
    # ISB's plane of elevation is measured from the abduction plane towards anterior
    return plane.reshape(p.shape[:-2]), elev.reshape(p.shape[:-2])


def test_forward_reach_of_110_deg_reads_no_abduction():
    r = score_session(reaching_session(3, flexion_deg=110))
    np.testing.assert_allclose(r["peak_shoulder_elevation_deg"], 110.0, atol=0.5)
    np.testing.assert_allclose(r["plane_of_elevation_deg"], 90.0, atol=0.5)
    np.testing.assert_allclose(r["peak_shoulder_flexion_deg"], 110.0, atol=0.5)
    # the arm never left the sagittal plane: abduction is 0 near the side, undefined above
    np.testing.assert_allclose(r["peak_shoulder_abduction_deg"], 0.0, atol=1e-6)


@pytest.mark.parametrize("side", ["left", "right"])
@pytest.mark.parametrize("plane", [-90.0, -50.0, 0.0, 25.0, 45.0, 90.0, 125.0])
def test_globe_round_trip_in_every_plane(side, plane):
    world = pose_world(np.zeros(1), np.zeros(1), side)[0, :, :3]
    s_idx, e_idx, _ = shoulder_elbow_wrist(side)
    lateral = -1.0 if side == "right" else 1.0  # world x points to the patient's left
    for elev in (25.0, 60.0, 90.0, 150.0, 179.0):
        a, p = np.radians(elev), np.radians(plane)
        h = np.array([lateral * np.sin(a) * np.cos(p), np.cos(a), -np.sin(a) * np.sin(p)])
        world[e_idx] = world[s_idx] + 0.3 * h
        ang = shoulder_angles_deg(world, side)
        assert ang["elevation_deg"] == pytest.approx(elev, abs=1e-9)
        assert ang["plane_of_elevation_deg"] == pytest.approx(plane, abs=1e-6)
        flex, abd = ang["flexion_deg"], ang["abduction_deg"]
        if abs(plane - 90) <= 30:
            assert flex == pytest.approx(elev)
        elif abs(plane + 90) <= 30:
            assert flex == pytest.approx(-elev)
        else:
            assert np.isnan(flex)
        assert abd == pytest.approx(elev) if abs(plane) <= 30 else np.isnan(abd)


def test_arm_out_to_the_side_never_reads_flexion_180():
    world = pose_world(np.zeros(1), np.zeros(1), "right")[0, :, :3]
    s_idx, e_idx, _ = shoulder_elbow_wrist("right")
    for elev in (100.0, 130.0, 170.0):
        a = np.radians(elev)
        world[e_idx] = world[s_idx] + 0.3 * np.array([-np.sin(a), np.cos(a), 0.0])
        ang = shoulder_angles_deg(world, "right")
        assert np.isnan(ang["flexion_deg"])
        assert ang["abduction_deg"] == pytest.approx(elev)


def test_near_the_side_the_projections_are_reported():
    world = pose_world(np.array([10.0]), np.zeros(1), "right")[0, :, :3]
    ang = shoulder_angles_deg(world, "right")
    assert np.isnan(ang["plane_of_elevation_deg"])  # undefined at the pole
    assert ang["flexion_deg"] == pytest.approx(10.0)
    assert ang["abduction_deg"] == pytest.approx(0.0, abs=1e-9)


@pytest.mark.parametrize("side", ["left", "right"])
def test_real_squat_clip_agrees_with_the_isb_oracle(side):
    _, world = squat_landmarks()
    xyz = world[..., :3]
    ang = shoulder_angles_deg(xyz, side)
    plane, elev = isb_oracle_deg(xyz, side)
    np.testing.assert_allclose(ang["elevation_deg"], elev, atol=1e-6)
    ok = np.isfinite(ang["plane_of_elevation_deg"])
    assert ok.sum() > 30
    diff = (ang["plane_of_elevation_deg"][ok] - plane[ok] + 180.0) % 360.0 - 180.0
    np.testing.assert_allclose(diff, 0.0, atol=1e-6)


def test_real_squat_clip_reads_what_the_frames_show():
    # Frames 6-15 (looked at): both arms reach forward at about shoulder height, hands
    # clasped in front of the chest; frames 21-24 and 44-48: standing, arms hanging.
    _, world = squat_landmarks()
    for side in ("left", "right"):
        ang = shoulder_angles_deg(world[..., :3], side)
        reach = slice(6, 16)
        assert np.all((ang["elevation_deg"][reach] > 60) & (ang["elevation_deg"][reach] < 100))
        assert np.all(np.abs(ang["plane_of_elevation_deg"][reach] - 90) < 45)
        hanging = np.r_[21:25, 44:49]
        assert np.all(ang["elevation_deg"][hanging] < 30)
        # no flip anywhere: flexion is within 1 deg of the elevation or undefined
        f = ang["flexion_deg"]
        both = np.isfinite(f) & (ang["elevation_deg"] >= 20)
        np.testing.assert_allclose(np.abs(f[both]), ang["elevation_deg"][both], atol=1e-9)


def test_astronaut_arms_hang_at_her_sides():
    _, world = astronaut_landmarks()
    for side in ("left", "right"):
        ang = shoulder_angles_deg(world[:, :3], side)
        assert ang["elevation_deg"] < 35.0
