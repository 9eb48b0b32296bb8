"""MirrorPlay: webcam mirror therapy and visual-feedback games for neuromuscular re-education.

Run ``uv run main.py`` to play (the demo with a simulated patient when there is no camera),
``uv run main.py --help`` for every option and the other commands (``export``, ``progress``,
``analyze``). Every failure is one plain line on stderr (exit 2 for bad input, 1 for the
machine); tracebacks go to the log file that line names (game/applog.py, game/failures.py).
"""

from __future__ import annotations

import argparse
import math
import os
import sys
import tomllib
from importlib import metadata
from pathlib import Path
from typing import NoReturn

from game.applog import log_usable, setup_logging
from game.failures import UserFacingError, run_guarded
from game.files import check_output, folder_of, is_database_file
from game.i18n import LANGUAGES, LanguageError, check_language
from game.malloc import limit_arenas
from game.settings import Settings
from game.storage import StorageError, db_target, default_db_path, server_name
from game.tracking.recorder import partial_path
from game.validate import check_plain_text

COMMANDS = {
    "play": "play (the default when no command is given)",
    "export": "export one patient's sessions as CSV, a FHIR R4 Bundle or a one-page report",
    "progress": "draw one patient's family progress screen into a PNG picture",
    "analyze": "analyse recorded movement (see 'analyze --help')",
    "serve": "start the clinic web portal for therapists and families (see 'serve --help')",
}
"""The subcommands, in the order ``--help`` lists them."""
MAX_SECONDS = 7 * 24 * 3600.0
"""Longest ``--seconds`` accepted (a week of game time; ``inf`` would never end)."""
MAX_SEED = 2**63 - 1
ROOT = Path(__file__).resolve().parent


class UsageError(UserFacingError):
    """Bad input from the user: printed as one line, exit code 2."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{message} (see --help)")


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number of seconds, got {text!r}") from None
    if not math.isfinite(value) or not 0 < value <= MAX_SECONDS:
        raise argparse.ArgumentTypeError(f"must be more than 0 and at most {MAX_SECONDS:.0f}, got {text}")
    return value


def _language(text: str) -> str:
    try:
        return check_language(text)
    except LanguageError as err:
        raise argparse.ArgumentTypeError(str(err)) from None


def _camera_index(text: str) -> int:
    if not text.isascii() or not text.isdigit() or int(text) > 99:
        raise argparse.ArgumentTypeError(f"expected a camera number like 0 or 1, got {text!r}")
    return int(text)


def _seed(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if not 0 <= value <= MAX_SEED:
        raise argparse.ArgumentTypeError(f"must be between 0 and {MAX_SEED}, got {text}")
    return value


def _name(text: str) -> str:
    try:
        return check_plain_text(text, "the value")
    except ValueError as err:
        raise argparse.ArgumentTypeError(str(err)) from None


def version() -> str:
    """The installed package's version, else the one in pyproject.toml beside this file."""
    try:
        return metadata.version("mirrorplay")
    except metadata.PackageNotFoundError:
        with (ROOT / "pyproject.toml").open("rb") as fh:
            return str(tomllib.load(fh)["project"]["version"])


def add_common(p: argparse.ArgumentParser) -> None:
    """Options every command takes."""
    p.add_argument("--verbose", "-v", action="store_true", help="more detail on stderr and in the log file")


def add_play_options(p: argparse.ArgumentParser) -> None:
    """The options of ``play`` (also accepted without the word ``play``)."""
    p.add_argument("--demo", action="store_true",
                   help="play the demo: a simulated patient plays by itself (no camera needed)")  # fmt: skip
    p.add_argument("--camera", type=_camera_index, default=0, metavar="N", help="webcam number (default 0)")
    p.add_argument(
        "--patient", type=_name, metavar="ID", help="play as this patient (skips the patient screen)"
    )
    p.add_argument("--level", type=_name, metavar="ID", help="jump straight into one level (levels/*.toml)")
    p.add_argument("--db", type=db_target, metavar="PATH|URL",
                   help="database file, or a clinic's server as postgresql://USER@HOST/DBNAME (default: "
                   "$MIRRORPLAY_DB, else your user data folder; the demo uses demo.db)")  # fmt: skip
    p.add_argument("--headless", action="store_true",
                   help="no window: SDL dummy video and audio (for CI, benchmarks, screenshots)")  # fmt: skip
    p.add_argument("--seconds", type=_seconds, metavar="S", help="stop after S seconds of game time")
    p.add_argument("--screenshot", type=Path, metavar="PNG", help="save the last frame as a PNG")
    p.add_argument("--seed", type=_seed, default=0, help="random seed for the demo and targets (0 or more)")
    p.add_argument("--mute", action="store_true", help="no sound cues")
    p.add_argument("--video", type=Path, metavar="PATH",
                   help="track a video file instead of the camera (real pose estimation on every "
                   "frame, at the file's frame rate; with --headless and no --patient it plays "
                   "as a guest whose results join no patient's history; ends with the video)")  # fmt: skip
    p.add_argument("--fast", action="store_true", help="with --video: process frames as fast as possible")
    p.add_argument("--replay", type=Path, metavar="PATH.npz",
                   help="play back landmarks recorded with --record (no camera needed)")  # fmt: skip
    p.add_argument("--record", type=Path, metavar="PATH.npz",
                   help="save the landmarks the pose source produced to a .npz, written to disk "
                   "as they come (never pixels)")  # fmt: skip
    p.add_argument("--force", action="store_true",
                   help="let --screenshot and --record replace existing files")  # fmt: skip
    p.add_argument("--language", type=_language, metavar="CODE",
                   help="every screen and the voice in this language for this run "
                   f"({', '.join(LANGUAGES)}; default: the patient's own)")  # fmt: skip


def build_parser() -> argparse.ArgumentParser:
    """The top-level parser: the play options, ``--version``, and the subcommands."""
    from game.cli_tools import add_tool_arguments  # imports pygame: see _quiet_imports

    p = _Parser(
        prog="mirrorplay",
        description="Mirror therapy and visual-feedback rehabilitation games with a webcam.",
        epilog="Examples: 'uv run main.py' plays; 'uv run main.py --headless --demo --seconds 20 "
        "--screenshot out.png' runs the demo without a window; 'uv run main.py export --help'.",
    )
    p.add_argument("--version", action="version", version=f"mirrorplay {version()}")
    add_common(p)
    add_play_options(p)
    sub = p.add_subparsers(dest="command", title="commands", metavar="{" + ",".join(COMMANDS) + "}")
    for name, text in COMMANDS.items():
        cmd = sub.add_parser(name, help=text, description=text, add_help=name not in ("analyze", "serve"))
        if name == "play":
            add_common(cmd)
            add_play_options(cmd)
        elif name in ("export", "progress"):
            add_common(cmd)
            add_tool_arguments(cmd, name)
    return p


DB_ENV = "MIRRORPLAY_DB"
"""Environment variable naming the database (a file or a postgresql:// URL) when --db is not given."""


def command_of(argv: list[str]) -> str:
    """The subcommand `argv` asks for (``play`` when it names none)."""
    rest = [a for a in argv if a not in ("--verbose", "-v")]
    return rest[0] if rest and rest[0] in COMMANDS else "play"


def parse_settings(argv: list[str]) -> Settings:
    """Parse and check the play options; every problem is a :class:`UsageError` (exit 2)."""
    args = build_parser().parse_args(argv)
    if args.db is None and os.environ.get(DB_ENV):
        args.db = db_target(os.environ[DB_ENV])
    db = _check_db_path(args.db)
    _check_sources(args)
    protect = [] if db is None else [db]
    if args.screenshot is not None:
        check_output(
            args.screenshot, option="--screenshot", suffixes=(".png",), protect=protect, force=args.force
        )
    if args.record is not None:
        _check_record(args.record, protect, args.force)
    return Settings(demo=args.demo, camera=args.camera, patient=args.patient, level=args.level, db=args.db,
                    headless=args.headless, seconds=args.seconds, screenshot=args.screenshot, seed=args.seed,
                    mute=args.mute or args.headless, video=args.video, replay=args.replay, record=args.record,
                    fast=args.fast, force=args.force, language=args.language)  # fmt: skip


def _check_db_path(path: Path | str | None) -> Path | None:
    """The database path to use (None for a PostgreSQL URL); a named file must be a file name in
    an existing folder, a URL must parse."""
    if path is None:
        return default_db_path(demo=False)
    if isinstance(path, str):
        try:
            server_name(path)
        except StorageError as err:
            raise UsageError(str(err)) from None
        return None
    text = str(path)
    if not text.strip() or text in (".", ".."):
        raise UsageError("--db: the database file name is empty.")
    if len(os.fsencode(path.name)) > 255:
        raise UsageError("--db: the file name is longer than 255 bytes.")
    if not folder_of(path).is_dir():
        raise UsageError(f"--db: the folder {folder_of(path)} does not exist. Create it first.")
    return path


def _check_sources(args: argparse.Namespace) -> None:
    if args.video is not None and args.replay is not None:
        raise UsageError("--video and --replay cannot be used together")
    if args.demo and (args.video is not None or args.replay is not None):
        raise UsageError("--demo plays the simulated patient; leave it out with --video/--replay")
    if args.video is not None and not args.video.is_file():
        raise UsageError(f"--video: no such file {str(args.video)!r}")
    if args.replay is not None:
        name = args.replay.name.lower()
        if not (name.endswith(".npz") or name.endswith(".npz.part")):
            raise UsageError(f"--replay must name a .npz recording, got {str(args.replay)!r}")
        if not args.replay.is_file():
            raise UsageError(f"--replay: no such file {str(args.replay)!r}")
    if args.fast and args.video is None:
        raise UsageError("--fast only applies to --video")


def _check_record(path: Path, protect: list[Path], force: bool) -> None:
    target = check_output(path, option="--record", suffixes=(".npz",), protect=protect, force=force)
    part = partial_path(target)
    if part.exists():
        raise UsageError(
            f"--record: {part} holds an unfinished recording from an earlier run. "
            f"Play it with --replay {part}, or move it away."
        )
    if any(is_database_file(part, db) for db in protect):
        raise UsageError(f"--record: {part} is the database. Choose another file name.")


def dispatch(argv: list[str]) -> int:
    """Run the command `argv` names; failures propagate to :func:`main`'s handler."""
    command = command_of(argv)
    if command in ("analyze", "serve"):  # each has its own parser and one-line errors
        rest = [a for a in argv if a not in ("--verbose", "-v")][1:]
        if command == "analyze":
            from game.analysis.cli import run_analyze  # loads MediaPipe: see _quiet_imports

            return run_analyze(rest)
        from game.portal.cli import run as run_portal

        return run_portal(rest)
    from game.cli_tools import run_tool  # imports pygame: see _quiet_imports
    from game.launch import launch

    if command in ("export", "progress"):
        return run_tool(build_parser().parse_args(argv))
    return launch(parse_settings(argv))


def _quiet_imports() -> None:
    """Set before pygame, OpenCV or MediaPipe is imported: their start-up chatter (pygame's
    banner on stdout) would bury our one friendly line. That is why the modules that import
    pygame (game.launch, game.cli_tools) are imported inside the functions above."""
    os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
    os.environ.setdefault("OPENCV_LOG_LEVEL", "ERROR")
    os.environ.setdefault("GLOG_minloglevel", "2")


def main(argv: list[str] | None = None) -> int:
    """Entry point (console script ``mirrorplay``). Returns the process exit code."""
    argv = list(sys.argv[1:] if argv is None else argv)
    limit_arenas()  # before any thread allocates: game/malloc.py
    _quiet_imports()
    log_path = setup_logging(verbose="--verbose" in argv or "-v" in argv)
    return run_guarded(command_of(argv), lambda: dispatch(argv), log_path=lambda: log_usable(log_path))


if __name__ == "__main__":
    sys.exit(main())
