"""MediaPipe's unused dependencies: real pose, hands and face mesh inference on real footage
runs with jax, jaxlib, ml_dtypes, sentencepiece, opt_einsum and sounddevice refused (only
sounddevice is even tried, by MediaPipe's optional audio recorder, which tolerates its absence).

This is what allows pyproject.toml to leave them out (uv ``override-dependencies``). The
inference runs in a fresh interpreter with a meta-path finder that records and refuses every
import of those packages (so a ``try: import jax`` inside MediaPipe is caught too), and
``sys.modules`` is checked afterwards."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "data"
UNUSED = ("jax", "jaxlib", "ml_dtypes", "sentencepiece", "opt_einsum", "sounddevice")

PROBE = r"""
import importlib.abc, json, sys
UNUSED = set(sys.argv[1].split(","))
attempts = []

class Refuse(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in UNUSED:
            attempts.append(name)
            raise ImportError(f"refused: {name}")
        return None

sys.meta_path.insert(0, Refuse())
import cv2
from mediapipe.python.solutions import face_mesh, hands
from game.tracking.mediapipe_source import MediaPipeConfig, MediaPipeEstimator

def frames(path, n):
    cap = cv2.VideoCapture(path)
    out = []
    while len(out) < n:
        ok, bgr = cap.read()
        if not ok:
            break
        out.append(bgr)
    cap.release()
    return out

body, hand = frames(sys.argv[2], 6), frames(sys.argv[3], 6)
pose = MediaPipeEstimator(MediaPipeConfig())
found = {"pose": sum(pose.process(f) is not None for f in body)}
pose.close()
with hands.Hands(max_num_hands=1) as h:
    found["hands"] = sum(h.process(cv2.cvtColor(f, cv2.COLOR_BGR2RGB)).multi_hand_landmarks is not None
                         for f in hand)
with face_mesh.FaceMesh(refine_landmarks=True) as fm:
    found["face"] = sum(fm.process(cv2.cvtColor(f, cv2.COLOR_BGR2RGB)).multi_face_landmarks is not None
                        for f in body + hand)
found["frames"] = [len(body), len(hand)]
found["attempts"] = attempts
found["loaded"] = sorted(m for m in sys.modules if m.split(".")[0] in UNUSED)
print(json.dumps(found))
"""


def test_real_inference_never_imports_the_unused_packages() -> None:
    done = subprocess.run(
        [sys.executable, "-c", PROBE, ",".join(UNUSED), str(DATA / "squats_front_oblique_tfjs.mp4"),
         str(DATA / "hand_finger_shapes_closeup_tfjs.mp4")],
        cwd=ROOT, capture_output=True, text=True, timeout=300, env={"GLOG_minloglevel": "2", "PATH": ""},
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    found = json.loads(done.stdout.strip().splitlines()[-1])
    assert found["frames"] == [6, 6]
    assert found["pose"] == 6 and found["hands"] >= 5  # the models really ran and found the person
    # MediaPipe's audio recorder (mediapipe/tasks/python/audio/core/audio_record.py) tries
    # sounddevice at `import mediapipe` inside `try: ... except ImportError`: optional, and the
    # refusal above shows everything works without it. The other five are never even tried.
    assert set(found["attempts"]) <= {"sounddevice"} and found["loaded"] == []


def test_the_probe_would_catch_an_import() -> None:
    """Guards the guard: with one of the refused names imported on purpose, it is recorded."""
    probe = PROBE.split("sys.meta_path.insert(0, Refuse())")[0] + (
        "sys.meta_path.insert(0, Refuse())\ntry:\n    import opt_einsum\nexcept ImportError:\n    pass\n"
        "print(json.dumps(attempts))\n"
    )
    done = subprocess.run([sys.executable, "-c", probe, ",".join(UNUSED)], capture_output=True, text=True,
                          timeout=60)  # fmt: skip
    assert json.loads(done.stdout.strip()) == ["opt_einsum"]
