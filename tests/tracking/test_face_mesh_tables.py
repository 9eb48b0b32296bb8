"""The Face Mesh tables (game/tracking/face_mesh.py) against MediaPipe's own mesh and a real face.

The partner table was derived from a real face (tools/face_tables.py); the oracle here is
MediaPipe's tessellation, read from the installed wheel: a mirror symmetry of the face maps the
mesh onto itself, so every edge must land on an edge, except where one quad is split along the
other diagonal on the two halves.
"""

from __future__ import annotations

import numpy as np
import pytest

from game.tracking import face as F
from game.tracking.face_mesh import (
    FACE_OVAL,
    LEFT_EYE,
    LEFT_EYEBROW,
    LIPS,
    MIDLINE,
    NEUTRAL_MM,
    PARTNER,
    RIGHT_EYE,
    RIGHT_EYEBROW,
)
from game.tracking.mediapipe_source import load_solution

P = np.asarray(PARTNER)
N = np.asarray(NEUTRAL_MM)


def test_partners_are_a_mirror_symmetry_fixing_exactly_the_midline() -> None:
    assert P.shape == (478,) and np.array_equal(P[P], np.arange(478))
    assert set(np.flatnonzero(P == np.arange(478))) == set(MIDLINE)
    # pairs a person can check on a face: eye corners, mouth corners, lids, brows, irises
    for right, left in ((33, 263), (133, 362), (61, 291), (159, 386), (145, 374), (105, 334),
                        (234, 454), (468, 473), (471, 474), (469, 476), (470, 475), (472, 477)):  # fmt: skip
        assert P[right] == left and P[left] == right
    assert (F.RIGHT_IRIS_CENTRE, F.LEFT_IRIS_CENTRE) == (468, 473)


def test_partners_map_mediapipes_tessellation_onto_itself() -> None:
    edges = {tuple(sorted(e)) for e in load_solution("face_mesh").FACEMESH_TESSELATION}
    adj: dict[int, set[int]] = {}
    for a, b in edges:
        adj.setdefault(a, set()).add(b)
        adj.setdefault(b, set()).add(a)
    missing = [e for e in edges if tuple(sorted((P[e[0]], P[e[1]]))) not in edges]
    assert len(missing) <= 6, missing
    for a, b in missing:  # each is the other diagonal of a quad split the other way across
        c, d = sorted(adj[a] & adj[b])
        assert tuple(sorted((P[c], P[d]))) in edges


def test_contours_follow_mediapipes_connection_sets_and_mirror_each_other() -> None:
    mp = load_solution("face_mesh")
    for chains, name in ((LIPS, "LIPS"), (LEFT_EYE, "LEFT_EYE"), (FACE_OVAL, "FACE_OVAL")):
        drawn = {tuple(sorted(p)) for c in chains for p in zip(c[:-1], c[1:], strict=True)}
        assert drawn == {tuple(sorted(e)) for e in getattr(mp, f"FACEMESH_{name}")}
    assert sorted(P[list(RIGHT_EYE[0])]) == sorted(LEFT_EYE[0])
    assert {tuple(sorted(P[list(c)])) for c in RIGHT_EYEBROW} == {tuple(sorted(c)) for c in LEFT_EYEBROW}


def test_the_neutral_face_is_symmetric_and_adult_sized() -> None:
    assert np.allclose(N[P] * [-1, 1, 1], N, atol=1e-9)
    assert np.allclose(N[list(MIDLINE), 0], 0.0)
    iris = [np.linalg.norm(N[a, :2] - N[b, :2]) for a, b in F.IRIS_HORIZONTAL.values()]
    assert iris == pytest.approx([F.IRIS_DIAMETER_MM] * 2, abs=0.05)
    icd = np.linalg.norm(N[F.LEFT_EYE_INNER] - N[F.RIGHT_EYE_INNER])
    assert 31.4 - 2 * 2.5 < icd < 31.4 + 2 * 2.5  # Bouhadana et al. 2022 (game/tracking/face.py)
    assert N[F.LEFT_EYE_OUTER, 0] > 0 > N[F.RIGHT_EYE_OUTER, 0]  # x towards the person's left
    assert N[F.CHIN, 1] > N[F.LOWER_LIP_INNER, 1] > N[F.NOSE_TIP, 1] > 0  # y down from the eyes
