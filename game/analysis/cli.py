"""``mirrorplay analyze VIDEO --exercise ID [--side left|right] [--out FILE.json] [--csv FILE.csv]``.

Tracks every frame of a recorded clip with MediaPipe (progress on stderr), segments and
scores the reps of one exercise, prints a one-screen summary and writes the JSON/CSV
atomically. Nothing goes to any patient's history and no pixels are stored. Bad input (a
missing or unreadable video, an unknown exercise, nobody in view, an output that would
overwrite the input) gets one line and exit code 2; a broken environment exit code 1.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import NoReturn

from game.analysis import exercises as registry
from game.analysis.core import analyze_track
from game.analysis.face import track_face_video
from game.analysis.progress import ProgressBar
from game.analysis.report import json_text, summary, to_csv, write_atomic
from game.analysis.track import Track, timed, track_video
from game.tracking.errors import SourceUnavailable

EXIT_OK, EXIT_ENVIRONMENT, EXIT_USAGE = 0, 1, 2


class AnalyzeError(Exception):
    """Bad input: printed as one line, exit code 2."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise AnalyzeError(f"{message} (see 'analyze --help')")


def build_parser() -> argparse.ArgumentParser:
    ids = ", ".join(sorted(registry.exercises()))
    p = _Parser(
        prog="mirrorplay analyze",
        description="Count and measure the repetitions of one exercise in a recorded video "
        "(real pose tracking on every frame; nothing is saved to any patient's history).",
        epilog="Example: uv run main.py analyze clip.mp4 --exercise arm-raise --out clip.json",
    )
    p.add_argument("video", type=Path, metavar="VIDEO", help="the video file to analyse")
    p.add_argument("--exercise", required=True, metavar="ID", help=f"what to measure: {ids}")
    p.add_argument(
        "--side", choices=("left", "right"), help="the person's own side (default: the side that moves more)"
    )
    p.add_argument("--out", type=Path, metavar="FILE.json", help="write the results as JSON")
    p.add_argument("--csv", type=Path, metavar="FILE.csv", help="write one row per repetition as CSV")
    return p


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve() or (b.exists() and a.samefile(b))
    except OSError:
        return False


def check_args(args: argparse.Namespace) -> None:
    """Every bad argument becomes one line before any tracking starts."""
    try:
        registry.get(args.exercise)
    except ValueError as err:
        raise AnalyzeError(str(err)) from None
    if not args.video.is_file():
        raise AnalyzeError(f"no such video file: {str(args.video)!r}")
    outputs = [(flag, path) for flag, path in (("--out", args.out), ("--csv", args.csv)) if path is not None]
    for flag, path in outputs:
        if _same_file(args.video, path):
            raise AnalyzeError(f"{flag} would overwrite the input video {str(args.video)!r}")
        folder = path.parent if str(path.parent) else Path(".")
        if not folder.is_dir():
            raise AnalyzeError(f"{flag}: folder does not exist: {str(folder)!r}")
        if path.is_dir():
            raise AnalyzeError(f"{flag} names a folder, not a file: {str(path)!r}")
    if len(outputs) == 2 and _same_file(args.out, args.csv):
        raise AnalyzeError("--out and --csv name the same file")


def _track(video: Path, exercise: registry.Exercise) -> tuple[Track, float]:
    bar = ProgressBar(f"tracking {video.name}")
    try:
        if "face" in exercise.parts:
            return timed(lambda: track_face_video(video, progress=bar))
        return timed(lambda: track_video(video, progress=bar, parts=exercise.parts))
    finally:
        bar.close()


def run_analyze(argv: list[str]) -> int:
    """Entry point of the ``analyze`` subcommand; returns the exit code."""
    try:
        args = build_parser().parse_args(argv)
        check_args(args)
        exercise = registry.get(args.exercise)
        try:
            track, seconds = _track(args.video, exercise)
        except SourceUnavailable as err:
            raise AnalyzeError(str(err)) from None
        if track.frames_tracked == 0:
            who = "face" if track.face is not None else "person"
            raise AnalyzeError(f"no {who} in view in any of the {track.frames} frames of {args.video.name!r}")
        analysis = analyze_track(track, exercise, args.side, video=str(args.video))
        if args.out is not None:
            write_atomic(args.out, json_text(analysis))
        if args.csv is not None:
            write_atomic(args.csv, to_csv(analysis))
        print(summary(analysis, seconds))
        return EXIT_OK
    except AnalyzeError as err:
        print(f"mirrorplay analyze: {err}", file=sys.stderr)
        return EXIT_USAGE
    except (ImportError, RuntimeError, OSError) as err:
        print(f"mirrorplay analyze: cannot run: {err}", file=sys.stderr)
        return EXIT_ENVIRONMENT
