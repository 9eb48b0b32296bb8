"""Write game/tracking/face_mesh.py: Face Mesh's left/right partner table, its contours and a
neutral face for the simulated patient, derived from a real face (run once; the output is
committed).

``uv run python tools/face_tables.py [--clip tests/data/face_webcam_3s.mp4 --start 4 --frames 20]``

1. **Partners.** MediaPipe's face mesh is built symmetric: every landmark off the midline has
   a mirror partner on the other half of the face. Its table is not published as data, so it
   is derived here: MediaPipe Face Mesh on 20 frames of the clip (frames 4-23: a woman facing
   the camera, still, neutral, after a blink in frames 0-3), each frame's 3-D landmarks (x, y
   in pixels, z scaled like x) reflected across the plane fitted to the 28 midline landmarks;
   the partner of each
   landmark is the one its reflection lands on, chosen by an optimal one-to-one assignment
   (Hungarian algorithm) on the median distances, refined by preferring partners whose mesh
   neighbours are each other's partners' neighbours (the reflection maps the mesh onto itself).
   The result is checked: an involution, the midline landmarks (and only they) are their own
   partners, and every edge of MediaPipe's tessellation maps onto an edge except where one
   quad of the mesh is split along the other diagonal on the two halves (6 quads). The
   irises' ten points are paired by hand from their documented order.
2. **Contours** for drawing a face: MediaPipe's connection sets (lips, eyes, brows, face oval,
   nose), each ordered into chains of landmark indices.
3. **A neutral face** for the simulated patient: the same frames' median 3-D landmarks, in a
   head frame (origin between the inner eye corners, x to the person's left, y down, z away
   from the camera), scaled to millimetres with the iris (11.7 mm) and made exactly symmetric
   (each landmark averaged with its partner's reflection).

The clip is a Google test fixture (Apache-2.0, see tests/data/README.md).
"""

from __future__ import annotations

import argparse
import sys
from collections import defaultdict
from pathlib import Path

import numpy as np
from scipy.optimize import linear_sum_assignment

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # run as a script from anywhere

from game.tracking.face import IRIS_DIAMETER_MM, IRIS_HORIZONTAL  # noqa: E402
from game.tracking.mediapipe_parts import FaceGraph  # noqa: E402
from game.tracking.mediapipe_source import load_solution, to_rgb  # noqa: E402
from game.tracking.video_file import read_frames  # noqa: E402

OUT = ROOT / "game" / "tracking" / "face_mesh.py"
MIDLINE = (10, 151, 9, 8, 168, 6, 197, 195, 5, 4, 1, 19, 94, 2, 164, 0, 11, 12, 13, 14, 15, 16, 17, 18,
           200, 199, 175, 152)  # fmt: skip
"""Landmarks on the face's midline (forehead, nose bridge, nose, philtrum, lips, chin)."""
IRIS_PARTNERS = {468: 473, 469: 476, 470: 475, 471: 474, 472: 477}
"""Right iris (centre, medial, top, lateral, bottom) -> the left iris point at the mirror place
(checked on the clip: 469 lies nearer the nose than 471; 474 farther from it than 476)."""
N_MESH = 468


def track_faces(clip: Path, start: int, n: int) -> tuple[np.ndarray, tuple[int, int]]:
    """``(n, 478, 3)`` landmarks of frames ``start`` to ``start + n`` (x, y pixels; z scaled
    like x). Tracked from frame 0 in video mode, as the game tracks."""
    frames, _ = read_frames(clip, 0, start + n)
    graph = FaceGraph(static_image_mode=False)
    try:
        faces = [graph.process_rgb(to_rgb(f)) for f in frames]
    finally:
        graph.close()
    faces = faces[start:]
    if any(f is None for f in faces):
        raise SystemExit(f"{clip}: no face in some of frames {start}-{start + n - 1}")
    h, w = frames[0].shape[:2]
    arr = np.stack([f[:, :3] for f in faces if f is not None]).astype(np.float64)
    return arr * np.array([w, h, w]), (w, h)


def midline_plane(points: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(point, unit normal) of the plane through the midline landmarks (least squares)."""
    mid = points[list(MIDLINE)]
    centre = mid.mean(axis=0)
    normal = np.linalg.svd(mid - centre)[2][2]
    return centre, normal


def reflect(points: np.ndarray, centre: np.ndarray, normal: np.ndarray) -> np.ndarray:
    return points - 2.0 * ((points - centre) @ normal)[:, None] * normal


def tessellation() -> set[tuple[int, int]]:
    return {tuple(sorted(e)) for e in load_solution("face_mesh").FACEMESH_TESSELATION}  # type: ignore[misc]


def derive_partners(faces: np.ndarray) -> np.ndarray:
    """``(468,)`` partner of every mesh landmark (see the module doc, step 1)."""
    costs = []
    for pts in faces[:, :N_MESH]:
        centre, normal = midline_plane(pts)
        mirrored = reflect(pts, centre, normal)
        costs.append(np.linalg.norm(pts[:, None, :] - mirrored[None, :, :], axis=-1))
    cost = np.median(costs, axis=0)
    partner = linear_sum_assignment(cost)[1]
    adj = np.zeros((N_MESH, N_MESH))
    for a, b in tessellation():
        adj[a, b] = adj[b, a] = 1.0
    scale = float(np.median(cost[np.arange(N_MESH), partner]))
    for _ in range(5):
        perm = np.zeros((N_MESH, N_MESH))
        perm[np.arange(N_MESH), partner] = 1.0
        support = adj @ perm @ adj.T  # neighbours of i whose partners neighbour j
        partner = linear_sum_assignment(cost / scale - 2.0 * support)[1]
    return partner


def check_partners(partner: np.ndarray) -> int:
    """Raise if the table is not a mirror symmetry of the mesh; return the flipped quads."""
    if not np.array_equal(partner[partner], np.arange(N_MESH)):
        raise SystemExit("partner table is not an involution")
    fixed = set(np.flatnonzero(partner == np.arange(N_MESH)).tolist())
    if fixed != set(MIDLINE):
        raise SystemExit(f"own partners differ from the midline: {sorted(fixed ^ set(MIDLINE))}")
    edges = tessellation()
    bad = [e for e in edges if tuple(sorted((partner[e[0]], partner[e[1]]))) not in edges]
    adj: dict[int, set[int]] = defaultdict(set)
    for a, b in edges:
        adj[a].add(b)
        adj[b].add(a)
    for a, b in bad:  # each must be the other diagonal of a quad whose mirror is split the other way
        common = sorted(adj[a] & adj[b])
        if len(common) != 2 or tuple(sorted((partner[common[0]], partner[common[1]]))) not in edges:
            raise SystemExit(f"edge {(a, b)} has no mirror edge and is no flipped diagonal")
    return len(bad)


def chains(edges: frozenset[tuple[int, int]]) -> list[list[int]]:
    """Order a connection set into chains (closed loops repeat their first index)."""
    adj: dict[int, list[int]] = defaultdict(list)
    for a, b in sorted(edges):
        adj[a].append(b)
        adj[b].append(a)
    seen: set[tuple[int, int]] = set()
    out = []
    ends = sorted(v for v, n in adj.items() if len(n) != 2)
    for start in ends + sorted(adj):
        for nxt in adj[start]:
            if tuple(sorted((start, nxt))) in seen:
                continue
            chain, prev, cur = [start], start, nxt
            seen.add(tuple(sorted((start, nxt))))  # type: ignore[arg-type]
            while True:
                chain.append(cur)
                if len(adj[cur]) != 2 or cur == start:
                    break
                step = adj[cur][0] if adj[cur][0] != prev else adj[cur][1]
                if tuple(sorted((cur, step))) in seen:
                    break
                seen.add(tuple(sorted((cur, step))))  # type: ignore[arg-type]
                prev, cur = cur, step
            out.append(chain)
    return out


def neutral_face_mm(faces: np.ndarray, partner: np.ndarray) -> np.ndarray:
    """``(478, 3)`` symmetric neutral face in millimetres, head frame (module doc, step 3)."""
    pts = np.median(faces, axis=0)
    iris_px = np.mean([np.linalg.norm(pts[a, :2] - pts[b, :2]) for a, b in IRIS_HORIZONTAL.values()])
    pts = pts * (IRIS_DIAMETER_MM / iris_px)
    centre, normal = midline_plane(pts[:N_MESH])
    if normal @ (pts[263] - pts[33]) < 0:  # x points to the person's left (left eye, 263)
        normal = -normal
    down = pts[152] - pts[10]  # forehead -> chin
    down -= (down @ normal) * normal
    down /= np.linalg.norm(down)
    back = np.cross(normal, down)  # right-handed: x left, y down, z away from the camera
    origin = 0.5 * (pts[133] + pts[362])
    origin = origin - ((origin - centre) @ normal) * normal
    head = (pts - origin) @ np.stack([normal, down, back], axis=1)
    mirrored = head[partner] * np.array([-1.0, 1.0, 1.0])
    return 0.5 * (head + mirrored)


def wrap(values: list[int], indent: str) -> list[str]:
    """``values`` as comma-separated lines of at most 100 characters."""
    lines, line = [], indent
    for tok in (f"{int(v)}," for v in values):
        if len(line) + len(tok) + 1 > 100:
            lines.append(line.rstrip())
            line = indent
        line += tok + " "
    lines.append(line.rstrip())
    return lines


def fmt_ints(name: str, values: list[int], doc: str) -> str:
    body = "\n".join(wrap(values, "    "))
    return f"{name}: tuple[int, ...] = (\n{body}\n)  # fmt: skip\n" + f'"""{doc}"""\n'


def fmt_chains(name: str, loops: list[list[int]]) -> str:
    items = "\n".join("    (\n" + "\n".join(wrap(c, "        ")) + "\n    )," for c in loops)
    return f"{name}: tuple[tuple[int, ...], ...] = (\n{items}\n)  # fmt: skip\n"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--clip", type=Path, default=ROOT / "tests" / "data" / "face_webcam_3s.mp4")
    ap.add_argument("--start", type=int, default=4)
    ap.add_argument("--frames", type=int, default=20)
    args = ap.parse_args()
    faces, _ = track_faces(args.clip, args.start, args.frames)
    partner = derive_partners(faces)
    flipped = check_partners(partner)
    full = list(partner) + [0] * 10
    for a, b in IRIS_PARTNERS.items():
        full[a], full[b] = b, a
    neutral = neutral_face_mm(faces, np.array(full))
    mp = load_solution("face_mesh")
    parts = ["LIPS", "LEFT_EYE", "RIGHT_EYE", "LEFT_EYEBROW", "RIGHT_EYEBROW", "FACE_OVAL", "NOSE"]
    text = [GENERATED_HEADER.format(flipped=flipped)]
    text.append(fmt_ints("PARTNER", full, "Mirror partner of every landmark (midline ones are their own)."))
    text.append(fmt_ints("MIDLINE", list(MIDLINE), "Landmarks on the face's midline, forehead to chin."))
    for part in parts:
        text.append(fmt_chains(part, chains(getattr(mp, f"FACEMESH_{part}"))))
    rows = "\n".join(f"    ({x:.2f}, {y:.2f}, {z:.2f})," for x, y, z in neutral)
    text.append(
        "NEUTRAL_MM: tuple[tuple[float, float, float], ...] = (\n"
        + rows
        + '\n)  # fmt: skip\n"""A symmetric neutral face, millimetres, head frame (module doc)."""\n'
    )
    OUT.write_text("\n".join(text), encoding="utf-8")
    print(f"wrote {OUT.relative_to(ROOT)}: {flipped} flipped quad diagonals")
    return 0


GENERATED_HEADER = '''"""Face Mesh tables: mirror partners, midline, contours and a neutral face (generated).

Written by ``uv run python tools/face_tables.py`` from MediaPipe Face Mesh on a real face
(frames 4-23 of tests/data/face_webcam_3s.mp4, Apache-2.0); do not edit by hand. How each
table was derived and checked is in that tool's docstring: the partner table is an involution whose
fixed points are exactly the midline landmarks and which maps MediaPipe's tessellation onto
itself except for {flipped} quads split along the other diagonal on the two halves.

Indices are MediaPipe's (0-467 mesh, 468-472 the person's right iris, 473-477 the left).
Contours are chains of indices (lips: outer and inner, upper and lower; eyes: upper and
lower lid; brows: upper and lower edge; the face oval; the nose).
"""

from __future__ import annotations
'''

if __name__ == "__main__":
    raise SystemExit(main())
