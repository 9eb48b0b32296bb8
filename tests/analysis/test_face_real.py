"""``analyze --exercise mouth-opening`` and ``--exercise smile`` count what a person counts on real
face footage (tests/data, Apache-2.0, see its README), find no wide opening where there is none,
and measure what an independent computation from the raw landmarks measures.

How the clips were counted by a person (frames looked at one by one, 30 fps / 25 fps):

- face_expressions_half.mp4 (the tfjs face demo at half size, 10.8 s): head tilts to either side
  (1.3-3.3 s and 4.3-6.0 s), squints and winks. At 6.8-7.7 s (frames 205-232) she winks her left
  eye and pulls her **left** mouth corner up; at 7.9-8.9 s (frames 238-266) she winks her right
  eye and pulls her **right** corner up into a lopsided grin; both times the other corner stays.
  Counted as **2 smiles, each one-sided** (a one-sided smile is what a facial palsy's smile looks
  like, so it counts). Her lips move, but the mouth never opens: **0 mouth openings**.
- fist_thumbs_up_4s.mp4 (original frames 25-124, 4 s): neutral, then from about 0.3 s a closed-
  mouth smile that she keeps; from about 1.2 s her hand passes in front of her face and a blurred
  thumb stays in front of her right cheek to the end. She never returns to neutral in view:
  **0 complete smiles**, and **0 mouth openings**.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

import numpy as np
import pytest

from game.analysis import face as AF
from game.analysis.cli import run_analyze
from game.analysis.core import analyze_track, prepare
from game.analysis.exercises import get
from game.analysis.track import Track
from game.scoring.noise_floor import NOISE_FLOORS
from game.tracking import face as F
from game.tracking.motor import Motor
from game.tracking.sim_face import FaceModel
from game.tracking.simulated import PatientModel, SimulatedPatient
from tests.tracking.footage import DATA, FIST_THUMBS_UP, read_frames

EXPRESSIONS = DATA / "face_expressions_half.mp4"
SMILES_S = ((6.8, 7.7, "left"), (7.9, 8.9, "right"))
"""Where a person sees the two smiles, and which corner rose."""


@lru_cache(maxsize=2)
def tracked(path: Path) -> Track:
    frames = read_frames(path)
    return AF.track_face_clip(frames, 30.0 if path == EXPRESSIONS else 25.0)


@pytest.mark.parametrize("path", [EXPRESSIONS, FIST_THUMBS_UP], ids=lambda p: p.stem)
def test_no_wide_opening_where_there_is_none(path: Path) -> None:
    track = tracked(path)
    assert track.frames_tracked == track.frames
    analysis = analyze_track(track, get("mouth-opening"))
    assert analysis.reps == ()
    # the independent computation: the raw inner-lip gap with the iris scale of game/tracking/face.py
    face = track.face
    assert face is not None
    scale = F.iris_scale_mm_per_px(face, track.frame_size)
    gap = [F.distance_mm(f, F.UPPER_LIP_INNER, F.LOWER_LIP_INNER, track.frame_size, scale) for f in face]
    assert max(gap) < 3.0 < AF.MIN_OPENING_MM


def test_smiles_are_counted_as_a_person_counts_them() -> None:
    analysis = analyze_track(tracked(EXPRESSIONS), get("smile"))
    assert len(analysis.reps) == len(SMILES_S)
    for rep, (start_s, end_s, side) in zip(analysis.reps, SMILES_S, strict=True):
        assert start_s - 0.3 <= rep.peak_s <= end_s + 0.3 and rep.reliable
        m = rep.metrics
        other = "right" if side == "left" else "left"
        assert m[f"smile_{side}_mm"] > m[f"smile_{other}_mm"] + 2.0  # the side a person saw rise
        assert m["smile_symmetry_pct"] < 60.0  # one-sided
    assert analyze_track(tracked(FIST_THUMBS_UP), get("smile")).reps == ()


def test_smile_metrics_agree_with_the_raw_landmarks() -> None:
    # Oracle from the definition on the unfiltered landmarks: each corner's move relative to the
    # base of the nose between the rep's start and peak frames, in pixels times the clip's iris
    # scale (game/tracking/face.py), with no face frame and no filter.
    track = tracked(EXPRESSIONS)
    face = track.face
    assert face is not None
    size = np.array(track.frame_size, dtype=np.float64)
    scale = F.iris_scale_mm_per_px(face, track.frame_size)
    for rep in analyze_track(track, get("smile")).reps:
        a, p = (int(round(t * track.fps)) for t in (rep.start_s, rep.peak_s))
        for side, corner in (("left", F.LEFT_MOUTH_CORNER), ("right", F.RIGHT_MOUTH_CORNER)):
            rel = (face[:, corner, :2] - face[:, 2, :2]) * size
            oracle = float(np.linalg.norm(rel[p] - rel[a])) * scale
            assert rep.metrics[f"smile_{side}_mm"] == pytest.approx(oracle, abs=1.5)


def test_the_face_noise_floors_hold_on_the_still_end_of_the_clip() -> None:
    prep = prepare(tracked(EXPRESSIONS))  # frames 285-324: facing the camera, at rest
    assert prep.face_mm is not None
    still = prep.face_mm[285:325]
    corner = still[:, 61] - still[:, 2]
    sem = float(np.sqrt(2.0) * np.sqrt(np.mean(np.var(corner, axis=0))))
    table = NOISE_FLOORS["smile_left_mm"].sem
    assert table / 3.0 <= sem <= table
    assert np.ptp(AF.mouth_opening(prep, "left")[285:325]) < NOISE_FLOORS["peak_mouth_opening_mm"].sem


def sim_track(model: PatientModel, plan: list[tuple[float, Motor | None]], seconds: float) -> Track:
    """A Track of the simulated patient's face (30 fps) under a timed plan of commands."""
    sim = SimulatedPatient(model, seed=6)
    sim.request_parts(frozenset({"body", "face"}))
    frames, steps = [], iter(sorted(plan, key=lambda s: s[0]))
    nxt = next(steps, None)
    for k in range(int(seconds * 30)):
        t = k / 30.0
        while nxt is not None and nxt[0] <= t:
            sim.set_goal(nxt[1])
            nxt = next(steps, None)
        frames.append(sim.poll(t + 1e-6))
    face = np.stack([f.face for f in frames]).astype(np.float64)
    image = np.stack([f.image for f in frames]).astype(np.float64)
    return AF.face_track(image, image.copy(), face, 30.0, sim.frame_size)


def test_known_openings_and_smiles_of_the_simulated_face() -> None:
    opens = [(1.0 + 3 * k, Motor(face={"jaw_open_mm": 30.0})) for k in range(3)]
    closes = [(2.5 + 3 * k, None) for k in range(3)]
    opening = analyze_track(sim_track(PatientModel(), opens + closes, 11.0), get("mouth-opening"))
    assert len(opening.reps) == 3
    assert all(r.metrics["peak_mouth_opening_mm"] == pytest.approx(30.0, abs=1.5) for r in opening.reps)
    smiles = [(1.0 + 3 * k, Motor(face={"smile": 1.0})) for k in range(4)] + [
        (2.5 + 3 * k, None) for k in range(4)
    ]
    model = PatientModel(face=FaceModel(palsy=0.6))  # the left side moves 40 % of the right
    smile = analyze_track(sim_track(model, smiles, 14.0), get("smile"))
    assert len(smile.reps) == 4
    assert np.median([r.metrics["smile_symmetry_pct"] for r in smile.reps]) == pytest.approx(40.0, abs=10.0)


def test_the_command_line_writes_the_same_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "smile.json"
    assert run_analyze([str(FIST_THUMBS_UP), "--exercise", "smile", "--out", str(out)]) == 0
    data = json.loads(out.read_text(encoding="utf-8"))
    assert set(data) == {"video", "exercise", "side", "fps", "frames", "frames_tracked", "reps"}
    assert (
        data["exercise"] == "smile" and data["frames_tracked"] == data["frames"] == 100 and data["reps"] == []
    )
    assert "scaled by the iris" in capsys.readouterr().out
