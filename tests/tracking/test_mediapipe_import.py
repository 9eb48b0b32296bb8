"""MediaPipe's solutions load without its package ``__init__`` (game/tracking/mediapipe_import.py):
no matplotlib, no mediapipe.tasks, the same models, and what the real packages offer still
resolves on first use. Each check runs in a fresh interpreter (the test process may already
hold a fully imported mediapipe, which the loader then leaves alone)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from game.tracking.mediapipe_import import import_solution

ROOT = Path(__file__).resolve().parents[2]

PROBE = r"""
import json, sys
from game.tracking.mediapipe_source import MediaPipeConfig, MediaPipeEstimator, load_solution
from game.tracking.testimages import astronaut_frame

est = MediaPipeEstimator(MediaPipeConfig(static_image_mode=True))
found = est.process(astronaut_frame(640, 480)) is not None
est.close()
hands, face = load_solution("hands"), load_solution("face_mesh")
out = {
    "found": found,
    "heavy": sorted(m for m in ("matplotlib", "matplotlib.pyplot", "mediapipe.tasks",
                                "mediapipe.python.solutions.drawing_utils") if m in sys.modules),
    "classes": [hands.Hands.__name__, face.FaceMesh.__name__],
}
import mediapipe as mp  # what the real package offers, loaded on first use
out["version"] = mp.__version__
out["same_pose"] = mp.solutions.pose is sys.modules["mediapipe.python.solutions.pose"]
out["image"] = mp.Image.__name__
out["drawing"] = mp.solutions.drawing_utils.DrawingSpec.__name__
out["tasks"] = mp.tasks.vision.PoseLandmarker.__name__
try:
    mp.solutions.no_such_solution
    out["missing"] = "no error"
except AttributeError:
    out["missing"] = "AttributeError"
print(json.dumps(out))
"""


def run_probe(code: str) -> Any:
    """The JSON the code printed last, run in a fresh interpreter from the repository."""
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                          timeout=300, env={"GLOG_minloglevel": "2", "PATH": ""})  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_solutions_load_without_matplotlib_or_tasks_and_the_pose_model_runs() -> None:
    out = run_probe(PROBE)
    assert out["found"] is True  # the real pose model ran and found the astronaut
    assert out["heavy"] == []
    assert out["classes"] == ["Hands", "FaceMesh"]
    # `import mediapipe` afterwards still offers the real package's names, loaded when asked
    assert out["version"] == "0.10.21" and out["same_pose"] is True and out["image"] == "Image"
    assert out["drawing"] == "DrawingSpec" and out["tasks"] == "PoseLandmarker"
    assert out["missing"] == "AttributeError"


def test_an_ordinary_import_first_is_left_alone() -> None:
    code = (
        "import json, sys, mediapipe\n"
        "from game.tracking.mediapipe_import import import_solution\n"
        "pose = import_solution('pose')\n"
        "print(json.dumps([sys.modules['mediapipe'] is mediapipe, pose is mediapipe.solutions.pose,\n"
        "                  'matplotlib' in sys.modules]))\n"
    )
    assert run_probe(code) == [True, True, True]


def test_unknown_solution_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown MediaPipe solution 'objectron'"):
        import_solution("objectron")
