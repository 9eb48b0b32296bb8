"""Re-render docs/levels/<level>.png of every hand level (run from the repository with uv run).

Each level is played headless by the demo's simulated patient (``main.py --headless --demo``,
its own temporary database) and the frame at a chosen moment is saved: a moment where the
level shows what it asks (the fruit squeezed, a tap counted, a fingertip glowing, a key lit,
the berry held). Usage: ``uv run python tools/render_hand_docs.py [OUT_DIR]``.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MOMENTS_S = {
    "grasp-orange": 5.2,
    "grasp-lemons": 4.0,
    "tap-drum": 3.8,
    "tap-quick": 9.0,
    "touch-fingers": 4.0,
    "touch-rainbow": 4.6,
    "piano-keys": 4.4,
    "piano-song": 4.4,
    "pinch-berries": 3.8,
    "pinch-beads": 4.2,
}
"""Level id -> game seconds into the level at which the picture is taken."""


def render(level: str, seconds: float, out: Path) -> Path:
    env = {**os.environ, "SDL_VIDEODRIVER": "dummy", "SDL_AUDIODRIVER": "dummy"}
    target = out / f"{level}.png"
    with tempfile.TemporaryDirectory() as tmp:
        cmd = [sys.executable, str(ROOT / "main.py"), "--headless", "--demo", "--level", level]
        cmd += ["--seconds", str(seconds), "--screenshot", str(target), "--db", str(Path(tmp) / "d.db")]
        subprocess.run(cmd, check=True, env=env, cwd=ROOT)
    return target


def main(argv: list[str]) -> int:
    out = Path(argv[1]) if len(argv) > 1 else ROOT / "docs" / "levels"
    out.mkdir(parents=True, exist_ok=True)
    for level, seconds in MOMENTS_S.items():
        print(render(level, seconds, out))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
