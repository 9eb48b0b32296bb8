"""Face metrics (game/scoring/face.py) against closed forms: a real face's neutral landmarks
(game/tracking/face_mesh.py) placed in the picture with a known tilt, size and turn, moved by
known amounts; symmetry against Robinson's index (game.scoring.symmetry_index_pct); the jaw's
opening patterns on paths drawn to be straight, deviating and deflecting."""

from __future__ import annotations

import math

import numpy as np
import pytest

from game.scoring import face as FM
from game.scoring import symmetry_index_pct
from game.tracking import face as F
from game.tracking.face_mesh import NEUTRAL_MM

N = np.asarray(NEUTRAL_MM, dtype=np.float64)
SIZE = (1280, 720)


def placed(head_mm: np.ndarray, roll: float = 0.0, yaw_deg: float = 0.0, px_per_mm: float = 3.0,
           at_px: tuple[float, float] = (640.0, 300.0)) -> np.ndarray:  # fmt: skip
    """``(478, 4)`` normalised landmarks of a head-frame face (mm; x left, y down, z away),
    turned by ``yaw_deg`` (the left cheek going away: +), tilted by ``roll`` degrees in the picture,
    seen orthographically at ``px_per_mm``. The person's left is at the larger raw x."""
    y = math.radians(yaw_deg)
    x3 = head_mm[:, 0] * math.cos(y) - head_mm[:, 2] * math.sin(y)
    z3 = head_mm[:, 0] * math.sin(y) + head_mm[:, 2] * math.cos(y)
    r = math.radians(roll)
    u = at_px[0] + px_per_mm * (x3 * math.cos(r) - head_mm[:, 1] * math.sin(r))
    v = at_px[1] + px_per_mm * (x3 * math.sin(r) + head_mm[:, 1] * math.cos(r))
    out = np.ones((478, 4))
    out[:, 0], out[:, 1], out[:, 2] = u / SIZE[0], v / SIZE[1], px_per_mm * z3 / SIZE[0]
    return out


PLACES = [(0.0, 3.0, (640, 300)), (25.0, 2.2, (400, 420)), (-40.0, 5.0, (700, 360))]


@pytest.mark.parametrize(("roll", "scale", "at"), PLACES)
def test_the_face_frame_gives_its_own_millimetres_whatever_the_tilt_size_and_place(roll, scale, at) -> None:
    coords = FM.face_frame_mm(placed(N, roll, px_per_mm=scale, at_px=at), SIZE)
    expected = np.stack([N[:, 0], -N[:, 1]], axis=-1)  # x to the person's left, y up
    # the table's irises are 11.70 mm to 0.01 mm: the millimetres agree to that rounding
    assert np.allclose(coords, expected, rtol=1e-3, atol=1e-6)
    assert FM.icd_mm(placed(N, roll, px_per_mm=scale, at_px=at)[None], SIZE) == pytest.approx(
        np.linalg.norm(N[F.LEFT_EYE_INNER] - N[F.RIGHT_EYE_INNER]), rel=1e-3
    )


def test_mouth_opening_agrees_with_the_iris_scale_of_game_tracking_face() -> None:
    moved = N.copy()
    moved[F.LOWER_LIP_INNER, 1] += 23.0  # the lower lip 23 mm down
    face = placed(moved, roll=12.0, px_per_mm=2.5)
    oracle = F.distance_mm(
        face, F.UPPER_LIP_INNER, F.LOWER_LIP_INNER, SIZE, F.mm_per_px_from_iris(face, SIZE)
    )
    got = float(FM.mouth_opening_mm(FM.face_frame_mm(face, SIZE)))
    assert got == pytest.approx(oracle, rel=1e-6) and got == pytest.approx(23.0 + 0.1, abs=0.05)


def test_excursions_of_known_movements() -> None:
    face = N.copy()
    face[291, :2] += [3.0, -4.0]  # left mouth corner out 3 mm and up 4 mm: 5 mm
    face[[300, 293, 334, 296, 336], 1] -= 6.0  # left brow up 6 mm
    face[159, :2] += 0.5 * (N[145, :2] - N[159, :2])  # right upper lid half way to the lower
    face[61, 0] += 4.0  # right mouth corner 4 mm towards the midline
    # (the millimetres hold to 0.01 mm: the table's irises are rounded to 0.01 mm)
    rest = FM.face_frame_mm(placed(N, 20.0), SIZE)
    now = FM.face_frame_mm(placed(face, 20.0), SIZE)
    assert FM.corner_excursion_mm(now, rest)["left"] == pytest.approx(5.0, abs=0.01)
    assert FM.brow_excursion_mm(now, rest)["left"] == pytest.approx(6.0, abs=0.01)
    assert FM.brow_excursion_mm(now, rest)["right"] == pytest.approx(0.0, abs=0.01)
    assert FM.eye_closure_pct(now, rest)["right"] == pytest.approx(50.0, abs=0.5)
    assert FM.eye_closure_pct(now, rest)["left"] == pytest.approx(0.0, abs=0.01)
    assert FM.pucker_excursion_mm(now, rest)["right"] == pytest.approx(4.0, abs=0.01)
    assert FM.pucker_excursion_mm(now, rest)["left"] == pytest.approx(-3.0, abs=0.01)  # it went out


def test_symmetry_is_the_smaller_over_the_larger_and_matches_robinsons_index() -> None:
    left, right = np.array([8.0, 4.0, 0.5, -1.0, 6.0]), np.array([4.0, 8.0, 0.8, 5.0, 6.0])
    sym = FM.symmetry_pct(left, right)
    assert np.allclose(sym[[0, 1, 3, 4]], [50.0, 50.0, 0.0, 100.0]) and np.isnan(sym[2])
    r = sym[0] / 100.0
    assert 200.0 * (1 - r) / (1 + r) == pytest.approx(float(symmetry_index_pct(8.0, 4.0)))


def _opening_path(pattern: str) -> tuple[np.ndarray, np.ndarray]:
    up = np.linspace(0.0, 1.0, 40)
    frac = np.concatenate([np.zeros(10), up, np.ones(10), up[::-1], np.zeros(10)])
    lateral = {"straight": 0.4 * np.sin(frac * 9.0), "deviation": -3.0 * np.sin(np.pi * frac),
               "deflection": 4.0 * frac}[pattern]  # fmt: skip
    return 35.0 * frac, lateral + 1.5  # the chin 1.5 mm off the midline at rest


PATTERNS = [("straight", 0.4, 0.0), ("deviation", -3.0, 0.0), ("deflection", 4.0, 4.0)]


@pytest.mark.parametrize(("pattern", "deviation", "deflection"), PATTERNS)
def test_jaw_deviation_and_deflection_on_drawn_paths(
    pattern: str, deviation: float, deflection: float
) -> None:
    opening, lateral = _opening_path(pattern)
    dev, defl = FM.jaw_deviation_mm(opening, lateral)
    assert dev == pytest.approx(deviation, abs=0.15) and defl == pytest.approx(deflection, abs=0.4)
    assert FM.opening_pattern(dev, defl) == pattern
    assert FM.opening_pattern(math.nan, 1.0) == ""


@pytest.mark.parametrize("yaw", [-20.0, -5.0, 0.0, 12.0, 30.0])
def test_head_turn_from_the_cheeks_depth(yaw: float) -> None:
    assert float(FM.head_yaw_deg(placed(N, roll=10.0, yaw_deg=yaw), SIZE)) == pytest.approx(yaw, abs=0.5)


def test_moving_mean_and_the_peak_ignore_single_frames() -> None:
    x = np.array([0.0, 0.0, 9.0, 0.0, 0.0, 1.0, 2.0, np.nan, 2.0, 1.0])
    m = FM.moving_mean(x, fs_hz=20.0, window_s=0.15)  # 3 samples
    assert m[2] == pytest.approx(3.0) and m[7] == pytest.approx(2.0) and m[0] == pytest.approx(0.0)
    assert np.array_equal(FM.moving_mean(x, fs_hz=5.0), x, equal_nan=True)  # one sample: unchanged
    spike = {"left": np.array([0.0, 0.0, 9.0, 0.0, 3.0, 3.2, 3.1]), "right": np.zeros(7)}
    assert FM.peak_index(spike) == 5
    assert FM.peak_index({"left": np.full(3, np.nan), "right": np.full(3, np.nan)}) == -1


def test_bad_input_is_named() -> None:
    with pytest.raises(ValueError, match="478"):
        FM.face_frame_mm(np.zeros((468, 2)), SIZE)
    with pytest.raises(ValueError, match="frame_size"):
        FM.face_frame_mm(placed(N), (0, 720))
    assert np.isnan(FM.icd_mm(np.full((2, 478, 4), np.nan), SIZE))
