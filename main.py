"""MirrorPlay: webcam mirror therapy and visual-feedback games for neuromuscular re-education.

Run ``uv run main.py`` to play (the demo with a simulated patient when there is no camera),
``uv run main.py --help`` for every option. Bad input gets one clear line and exit code 2.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from pathlib import Path
from typing import NoReturn

EXIT_USAGE = 2


class UsageError(Exception):
    """Bad input from the user: printed as one line, exit code 2."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{message} (see --help)")


def _positive_float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number of seconds, got {text!r}") from None
    if not value > 0:
        raise argparse.ArgumentTypeError(f"must be more than 0, got {text}")
    return value


def _camera_index(text: str) -> int:
    if not text.isdigit():
        raise argparse.ArgumentTypeError(f"expected a camera number like 0 or 1, got {text!r}")
    return int(text)


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(
        prog="mirrorplay",
        description="Mirror therapy and visual-feedback rehabilitation games with a webcam.",
        epilog="Examples: 'uv run main.py' plays; 'uv run main.py --headless --demo --seconds 20 "
        "--screenshot out.png' runs the demo without a window.",
    )
    p.add_argument(
        "--demo",
        action="store_true",
        help="play the demo: a simulated patient plays by itself (no camera needed)",
    )
    p.add_argument(
        "--camera", type=_camera_index, default=0, metavar="N", help="webcam number to use (default 0)"
    )
    p.add_argument("--patient", metavar="ID", help="play as this patient (skips the patient screen)")
    p.add_argument("--level", metavar="ID", help="jump straight into one level (see levels/*.toml)")
    p.add_argument(
        "--db",
        type=Path,
        metavar="PATH",
        help="database file (default: your user data folder; the demo uses demo.db)",
    )
    p.add_argument(
        "--headless",
        action="store_true",
        help="no window: SDL dummy video and audio (for CI, benchmarks, screenshots)",
    )
    p.add_argument("--seconds", type=_positive_float, metavar="S", help="stop after S seconds of game time")
    p.add_argument("--screenshot", type=Path, metavar="PNG", help="save the last frame as a PNG")
    p.add_argument("--seed", type=int, default=0, help="random seed for the demo and targets")
    p.add_argument("--mute", action="store_true", help="no sound cues")
    p.add_argument(
        "--video",
        type=Path,
        metavar="PATH",
        help="track a video file instead of the camera (real pose estimation on every "
        "frame, at the file's frame rate; with --headless and no --patient it plays "
        "as a guest whose results join no patient's history; ends with the video)",
    )
    p.add_argument(
        "--fast", action="store_true", help="with --video: process frames as fast as possible, none skipped"
    )
    p.add_argument(
        "--replay",
        type=Path,
        metavar="PATH.npz",
        help="play back landmarks recorded with --record (no camera needed)",
    )
    p.add_argument(
        "--record",
        type=Path,
        metavar="PATH.npz",
        help="save the landmarks the pose source produced to a .npz (never pixels)",
    )
    return p


def _check_paths(args: argparse.Namespace) -> None:
    """Bad file arguments become one line (exit 2) before anything starts."""
    if args.video is not None and args.replay is not None:
        raise UsageError("--video and --replay cannot be used together")
    if args.demo and (args.video is not None or args.replay is not None):
        raise UsageError("--demo plays the simulated patient; leave it out with --video/--replay")
    if args.video is not None and not args.video.is_file():
        raise UsageError(f"--video: no such file {str(args.video)!r}")
    if args.replay is not None:
        if args.replay.suffix.lower() != ".npz":
            raise UsageError(f"--replay must name a .npz recording, got {str(args.replay)!r}")
        if not args.replay.is_file():
            raise UsageError(f"--replay: no such file {str(args.replay)!r}")
    if args.record is not None:
        if args.record.suffix.lower() != ".npz":
            raise UsageError(f"--record must name a .npz file, got {str(args.record)!r}")
        folder = args.record.parent if str(args.record.parent) else Path(".")
        if not folder.is_dir():
            raise UsageError(f"--record: folder does not exist {str(folder)!r}")
    if args.fast and args.video is None:
        raise UsageError("--fast only applies to --video")


def parse_settings(argv: list[str]) -> object:
    from game.settings import Settings

    args = build_parser().parse_args(argv)
    if args.screenshot is not None and args.screenshot.suffix.lower() != ".png":
        raise UsageError(f"--screenshot must name a .png file, got {str(args.screenshot)!r}")
    _check_paths(args)
    return Settings(
        demo=args.demo,
        camera=args.camera,
        patient=args.patient,
        level=args.level,
        db=args.db,
        headless=args.headless,
        seconds=args.seconds,
        screenshot=args.screenshot,
        seed=args.seed,
        mute=args.mute or args.headless,
        video=args.video,
        replay=args.replay,
        record=args.record,
        fast=args.fast,
    )


def main(argv: list[str] | None = None) -> int:
    """Entry point (console script ``mirrorplay``). Returns the process exit code."""
    argv = sys.argv[1:] if argv is None else argv
    os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
    # OpenCV's and MediaPipe's own start-up chatter would bury our one friendly line.
    os.environ.setdefault("OPENCV_LOG_LEVEL", "ERROR")
    os.environ.setdefault("GLOG_minloglevel", "2")
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    if argv and argv[0] in ("progress", "export"):
        from game.cli_tools import run_tool  # subcommands: family progress picture, exports

        return run_tool(argv)
    if argv and argv[0] == "analyze":
        from game.analysis.cli import run_analyze  # offline analysis of a recorded clip

        return run_analyze(argv[1:])
    try:
        settings = parse_settings(argv)
        from game.launch import LaunchError, launch

        try:
            return launch(settings)  # type: ignore[arg-type]
        except LaunchError as err:
            print(f"mirrorplay: {err}", file=sys.stderr)
            return err.code
    except UsageError as err:
        print(f"mirrorplay: {err}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
