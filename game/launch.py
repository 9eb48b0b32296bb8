"""From settings to a running App: database, pose source, patient, window, first scene.

Every problem a user can cause or meet at start-up (no display, unreadable database, unknown
patient or level, broken level file) becomes a :class:`LaunchError`: one clear line, exit 2.
A missing camera is not an error: the demo starts and a friendly line says why.
"""

from __future__ import annotations

import dataclasses
import logging
import sys
from typing import Any

from game.settings import Settings
from game.tracking.live import ensure_guest_patient, plays_as_guest

log = logging.getLogger(__name__)
DEMO_PATIENT_ID = "demo"


class LaunchError(Exception):
    """A start-up problem, told to the user in one line; ``code`` is the exit code."""

    def __init__(self, message: str, code: int = 2) -> None:
        super().__init__(message)
        self.code = code


def open_db(settings: Settings) -> Any:
    from game.storage import StorageError, default_db_path, open_database

    path = settings.db if settings.db is not None else default_db_path(demo=settings.uses_demo_db)
    try:
        db = open_database(path)
        # A session the last run could not finish (power cut, killed process) keeps its
        # completed reps and is marked aborted, so it never looks as if it were still playing.
        from game.session import utc_now

        db.recover_unfinished(utc_now())
        return db
    except StorageError as err:
        raise LaunchError(str(err)) from None


def ensure_demo_patient(db: Any, affected_side: str) -> Any:
    """The simulated patient's own record (id ``demo``), never a real patient."""
    from game.session import utc_now
    from game.storage import Patient

    patient = db.get_patient(DEMO_PATIENT_ID)
    if patient is None:
        patient = Patient(DEMO_PATIENT_ID, "Demo patient", affected_side, utc_now(), {}, guest=True)  # type: ignore[arg-type]
        db.add_patient(patient)
    return patient


def open_source(settings: Settings) -> tuple[Settings, Any, tuple[int, int], str | None]:
    """The pose source: --replay, --video, the simulated patient (--demo) or the camera.

    A missing camera falls back to the demo with a notice; an unreadable video or recording
    is a :class:`LaunchError` (one line, exit 2). ``--record`` wraps whichever source it is.
    """
    settings, source, size, notice = _open_unrecorded(settings)
    if settings.record is not None:
        from game.tracking.errors import SourceUnavailable
        from game.tracking.live import record

        try:
            source = record(source, settings.record)
        except SourceUnavailable as err:
            source.close()
            raise LaunchError(str(err)) from None
    return settings, source, size, notice


def _open_unrecorded(settings: Settings) -> tuple[Settings, Any, tuple[int, int], str | None]:
    from game.tracking.errors import SourceUnavailable
    from game.tracking.simulated import SimulatedPatient

    try:
        if settings.replay is not None:
            from game.tracking.live import open_replay_source

            return (settings, *open_replay_source(settings.replay), None)
        if settings.video is not None:
            from game.tracking.live import open_video_source

            return (settings, *open_video_source(settings.video, fast=settings.fast), None)
    except SourceUnavailable as err:
        raise LaunchError(str(err)) from None
    if not settings.demo:
        notice = (
            f"No camera found (camera {settings.camera}) - playing the demo. "
            "Use --camera N to choose another camera."
        )
        try:
            from game.tracking.live import open_camera_source

            source, size = open_camera_source(settings)
            return settings, source, size, None
        except ImportError:
            pass
        except Exception as err:  # CameraUnavailable and device errors: offer the demo
            log.info("camera unavailable: %s", err)
        print(notice, file=sys.stderr)
        settings = dataclasses.replace(settings, demo=True)
        sim = SimulatedPatient(seed=settings.seed)
        return settings, sim, sim.frame_size, notice
    sim = SimulatedPatient(seed=settings.seed)
    return settings, sim, sim.frame_size, None


def launch(settings: Settings) -> int:
    """Start the game; return the exit code."""
    from game.app import App
    from game.levels import DEFAULT_PLAN, LevelError, load_all, load_plan
    from game.render.window import DisplayUnavailable, Window, display_available

    if not settings.headless and not display_available():
        raise LaunchError(
            "no display found: run with --headless, e.g. "
            "'uv run main.py --headless --demo --seconds 20 --screenshot out.png'"
        )
    try:
        levels = load_all()
        load_plan(DEFAULT_PLAN, levels)  # shipped data fails loudly, before any session starts
    except LevelError as err:
        raise LaunchError(f"bad level file: {err}") from None
    if settings.level is not None and settings.level not in levels:
        raise LaunchError(f"unknown level {settings.level!r} (known: {', '.join(levels)})")
    settings, source, frame_size, notice = open_source(settings)
    db = open_db(settings)
    try:
        patient = _choose_patient(settings, db, source)
        try:
            window = Window(settings.headless)
        except DisplayUnavailable as err:
            raise LaunchError(f"cannot open a window ({err}): run with --headless") from None
        from game.render.sound import Sounds
        from game.scenes.menus import TitleScene
        from game.scenes.play import start_play

        app = App(
            settings=settings,
            window=window,
            db=db,
            source=source,
            frame_size=frame_size,
            levels=levels,
            sounds=Sounds(enabled=not settings.mute),
            patient=patient,
            notice=notice,
        )
        first: Any = TitleScene(app)
        if settings.level is not None and patient is not None:
            first = start_play(app)
        if plays_as_guest(settings):  # nobody there to answer menus: straight into play
            from game.scenes.play import PlayScene
            from game.session import SessionRun

            first = PlayScene(app, SessionRun.begin(app))
        try:
            return app.run(first)
        except Exception:  # a bug: keep the user's screen free of tracebacks, keep the details
            log_path = _write_crash_log(db)
            raise LaunchError(
                "MirrorPlay hit an unexpected problem and stopped; completed reps "
                f"are saved. Details: {log_path}",
                code=1,
            ) from None
        finally:
            window.close()
    finally:
        source.close()
        db.close()


def _write_crash_log(db: Any) -> str:
    """Write the current traceback beside the database; return its path."""
    import traceback
    from pathlib import Path

    path = Path(getattr(db, "path", Path("."))).with_name("mirrorplay-crash.log")
    try:
        with path.open("a", encoding="utf-8") as fh:
            fh.write(traceback.format_exc() + "\n")
    except OSError:
        return "(could not write the crash log)"
    return str(path)


def _choose_patient(settings: Settings, db: Any, source: Any) -> Any:
    if settings.patient is not None:
        patient = db.get_patient(settings.patient)
        if patient is None:
            known = ", ".join(p.id for p in db.list_patients(include_guests=True)) or "none yet"
            raise LaunchError(f"unknown patient {settings.patient!r} (known: {known})")
        return patient
    if settings.demo:
        side = getattr(getattr(source, "model", None), "affected_side", "left")
        patient = ensure_demo_patient(db, side)
        # The autoplaying demo (or a jump into one level) needs no patient screen.
        return patient if (settings.autoplay and settings.level is not None) else None
    if plays_as_guest(settings):
        return ensure_guest_patient(db)
    return None
