"""The simulated patient's face: drawn only on request, on its head, making the expressions it is
asked for by the amounts it is built to, with the palsy's side moving less.

The measuring oracle is game.scoring.face (itself checked against closed forms in
tests/scoring/test_face_metrics.py); the expected sizes are the model's own constants."""

from __future__ import annotations

import numpy as np
import pytest

from game.scoring import face as FM
from game.tracking import pose as P
from game.tracking.face_mesh import NEUTRAL_MM
from game.tracking.motor import Motor
from game.tracking.sim_face import EXPRESSIONS, SMILE_MM, FaceModel
from game.tracking.simulated import MILD, PatientModel, SimulatedPatient

FACE = frozenset({"body", "face"})
SIZE = SimulatedPatient().frame_size


def run(sim: SimulatedPatient, motor: Motor, seconds: float = 3.0, start_s: float = 0.0) -> list[P.PoseFrame]:
    frames = []
    for k in range(int(seconds * 60)):
        t = start_s + k / 60.0
        if k == 30:
            sim.set_goal(motor)
        f = sim.poll(t)
        if f is not None:
            frames.append(f)
    return frames


def faces(frames: list[P.PoseFrame]) -> np.ndarray:
    return np.stack([f.face for f in frames if f.face is not None])


def test_the_face_is_drawn_only_when_asked_for_and_the_body_stays_the_same() -> None:
    plain, with_face = SimulatedPatient(seed=5), SimulatedPatient(seed=5)
    with_face.request_parts(FACE)
    a, b = run(plain, Motor(hand_xy=(0.6, 0.4))), run(with_face, Motor(hand_xy=(0.6, 0.4)))
    assert all(f.face is None and f.parts == P.BODY_ONLY for f in a)
    assert all(f.face is not None and f.face.shape == (478, 4) and f.parts == FACE for f in b)
    assert all(np.array_equal(x.image, y.image) for x, y in zip(a, b, strict=True))  # own random stream
    with_face.request_parts(P.BODY_ONLY)
    assert with_face.poll(10.0).face is None  # type: ignore[union-attr]


def test_the_face_sits_on_the_head_and_is_the_persons_own_way_round() -> None:
    sim = SimulatedPatient(seed=1)
    sim.request_parts(FACE)
    for f in run(sim, Motor(trunk_xy=(0.55, 0.5)), 4.0):
        assert f.face is not None
        assert np.linalg.norm(f.face[1, :2] - f.image[P.NOSE, :2]) < 1e-3  # nose tip on the pose's nose
        assert f.face[263, 0] > f.face[33, 0]  # the person's left eye at the larger raw x
    # its iris gives the millimetres of the face it was built from
    icd_built = np.linalg.norm(np.subtract(NEUTRAL_MM[362], NEUTRAL_MM[133]))
    assert FM.icd_mm(faces([f]), SIZE) == pytest.approx(icd_built, abs=0.5)


@pytest.mark.parametrize("palsy", [0.0, 0.3, 0.7])
@pytest.mark.parametrize("weak", ["left", "right"])
def test_a_smile_moves_the_weak_corner_less_by_the_palsy(palsy: float, weak: str) -> None:
    sim = SimulatedPatient(PatientModel(affected_side=weak, face=FaceModel(palsy=palsy)), seed=2)  # type: ignore[arg-type]
    sim.request_parts(FACE)
    coords = FM.face_frame_mm(faces(run(sim, Motor(face={"smile": 1.0}))), SIZE)
    exc = FM.corner_excursion_mm(coords[-20:], FM.neutral(coords[:20]))
    healthy = "right" if weak == "left" else "left"
    full = float(np.linalg.norm(SMILE_MM[:2]))
    assert np.median(exc[healthy]) == pytest.approx(full, rel=0.08)
    assert np.median(exc[weak]) == pytest.approx((1 - palsy) * full, abs=0.08 * full)


@pytest.mark.parametrize("name", ["brow", "eye_close", "pucker"])
def test_each_expression_moves_its_own_features(name: str) -> None:
    sim = SimulatedPatient(PatientModel(face=FaceModel(palsy=0.5)), seed=3)  # weak side: left
    sim.request_parts(FACE)
    coords = FM.face_frame_mm(faces(run(sim, Motor(face={name: 1.0}))), SIZE)
    rest, now = FM.neutral(coords[:20]), coords[-20:]
    measure = {
        "brow": FM.brow_excursion_mm,
        "eye_close": FM.eye_closure_pct,
        "pucker": FM.pucker_excursion_mm,
    }
    exc = {s: float(np.median(v)) for s, v in measure[name](now, rest).items()}
    assert exc["left"] == pytest.approx(0.5 * exc["right"], rel=0.15)
    assert exc["right"] > {"brow": 8.0, "eye_close": 90.0, "pucker": 6.0}[name]
    smile = FM.corner_excursion_mm(now, rest)
    if name != "pucker":  # the other features stay put
        assert max(np.median(v) for v in smile.values()) < 1.0


@pytest.mark.parametrize("asked_mm", [10.0, 25.0, 60.0])
def test_the_jaw_opens_as_asked_up_to_its_own_limit(asked_mm: float) -> None:
    model = PatientModel(face=FaceModel(max_opening_mm=45.0, jaw_shift_mm=2.0))
    sim = SimulatedPatient(model, seed=4)
    sim.request_parts(FACE)
    coords = FM.face_frame_mm(faces(run(sim, Motor(face={"jaw_open_mm": asked_mm}), 4.0)), SIZE)
    opening = FM.mouth_opening_mm(coords)
    assert np.median(opening[-20:]) == pytest.approx(min(asked_mm, 45.0), abs=0.6)
    shift = np.median(FM.jaw_lateral_mm(coords[-20:])) - np.median(FM.jaw_lateral_mm(coords[:20]))
    assert shift == pytest.approx(2.0 * min(asked_mm, 45.0) / 45.0, abs=0.3)  # a deflection to the left


def test_unknown_expressions_and_bad_models_are_named() -> None:
    sim = SimulatedPatient(MILD)
    with pytest.raises(ValueError, match="unknown face expression.*grin.*known: " + ", ".join(EXPRESSIONS)):
        sim.set_goal(Motor(face={"grin": 1.0}))
    with pytest.raises(ValueError, match="palsy"):
        FaceModel(palsy=1.5)
