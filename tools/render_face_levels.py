"""Render the face levels' screenshots in docs/levels/ (headless, through the real game).

``uv run python tools/render_face_levels.py [--out docs/levels] [--video CLIP.mp4]``

Each face level type is played by the simulated patient (``main.py --headless --demo``: its
drawn face, with a 30 % palsy of its left side) to a moment in the middle of a rep, and the last
frame is saved as ``<type>.png``. With ``--video`` a real clip is played through the smile level
too (``--video``: real Face Mesh on every frame, the therapist's default mirror mode "video"),
saved as ``smile-video.png``: the half-face mirror in the camera picture. The docs' copy used
the full-size face-expression clip of tests/data/README.md (Apache-2.0).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHOTS = {
    "mouth_opening": ("jaw-gentle", 10.0),
    "smile": ("smile-sunny", 7.6),
    "brow_raise": ("brow-surprise", 7.6),
    "eye_closure": ("eyes-gentle", 7.6),
    "lip_pucker": ("pucker-kiss", 7.6),
}
"""Level type -> (level played, game seconds at which the screenshot is taken: mid-rep)."""


def shoot(args: list[str], png: Path) -> None:
    env = dict(os.environ, SDL_VIDEODRIVER="dummy", SDL_AUDIODRIVER="dummy")
    cmd = [sys.executable, str(ROOT / "main.py"), "--headless", *args, "--screenshot", str(png)]
    subprocess.run(cmd, cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)
    print(f"wrote {png}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=ROOT / "docs" / "levels")
    ap.add_argument("--video", type=Path, help="a real face clip for smile-video.png")
    args = ap.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    for kind, (level, seconds) in SHOTS.items():
        shoot(["--demo", "--level", level, "--seconds", str(seconds)], args.out / f"{kind}.png")
    if args.video is not None:
        with_video = ["--video", str(args.video), "--level", "smile-sunny", "--seconds", "5.6"]
        shoot(with_video, args.out / "smile-video.png")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
