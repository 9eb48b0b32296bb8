"""From settings to a running App: database, pose source, patient, window, first scene.

Every problem a user can cause or meet at start-up (no display, unreadable database, unknown
patient or level, broken level file) becomes a :class:`LaunchError`: one clear line, exit 2
(1 for the machine: a pose model that cannot start). A missing camera is not an error: the
demo starts and a friendly line says why. Failures during play reach main.py's handler (one
line, traceback in the log file) after the session, the recording and the database are closed.

While it runs, the instance stamps its sessions alive (a :class:`~game.storage.Heartbeat`), so
another instance on the same database leaves them alone; at start it first imports the
recovery files of instances that died with unsaved reps, then aborts sessions whose owner is
gone (game/storage/owners.py). SIGTERM and SIGHUP (closing the terminal) end the run like the
Quit key: the session is closed as "aborted" with its reps, the recording is finalised.

Two patient records are made here, never by the pose sources: the simulated patient's own
(``demo``) and the guest that headless video and replay runs play as (``guest``). Both are
``guest=True``: hidden from the patient list, so their results join no real patient's history.
"""

from __future__ import annotations

import dataclasses
import logging
import signal
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from game.app import App
from game.failures import EXIT_ENVIRONMENT, UserFacingError
from game.levels import DEFAULT_PLAN, LevelError, LevelSpec, load_all, load_plan
from game.render.sound import Sounds
from game.render.window import DisplayUnavailable, Window, display_available
from game.scenes.base import Scene
from game.scenes.menus import TitleScene
from game.scenes.play import PlayScene, start_play
from game.session import SessionRun
from game.settings import Settings
from game.storage import Heartbeat, Store, default_db_path, import_recovery_files, open_database
from game.storage.protocol import PatientStore
from game.storage.records import Patient, Side, utc_now
from game.tracking.errors import ModelUnavailable, SourceUnavailable
from game.tracking.live import open_camera_source, open_replay_source, open_video_source, record
from game.tracking.pose import PoseSource
from game.tracking.simulated import SimulatedPatient

log = logging.getLogger(__name__)
DEMO_PATIENT_ID = "demo"
GUEST_PATIENT_ID = "guest"
"""Patient record that video and replay runs play as (see the module docstring)."""


STOP_SIGNALS = tuple(getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name))
"""Signals that end a run cleanly (SIGHUP: the terminal was closed; not on Windows)."""


class LaunchError(UserFacingError):
    """A start-up problem, told to the user in one line; ``code`` is the exit code."""


@dataclass(frozen=True)
class OpenedSource:
    """The pose source a run plays with, and what the launcher learnt opening it."""

    settings: Settings
    """The settings, with ``demo=True`` when a missing camera made this the demo."""
    source: PoseSource
    frame_size: tuple[int, int]
    """Raw frame size ``(width_px, height_px)``."""
    notice: str | None = None
    """One friendly line for the title screen (why the demo started), or None."""
    simulated_side: Side | None = None
    """The simulated patient's affected side (the demo), None for real sources."""


def open_db(settings: Settings) -> Store:
    """Open the database (the default folder is created, a named one must exist), import the
    recovery files of dead instances, then abort sessions whose owner is gone."""
    path = settings.db if settings.db is not None else default_db_path(demo=settings.uses_demo_db)
    db = open_database(path, create_folder=settings.db is None)
    try:
        import_recovery_files(db)
        # A session the last run could not finish (power cut, killed process) keeps its
        # completed reps and is marked aborted, so it never looks as if it were still playing.
        db.recover_unfinished(utc_now())
    except BaseException:
        db.close()
        raise
    return db


def ensure_demo_patient(db: PatientStore, affected_side: Side) -> Patient:
    """The simulated patient's own record (id ``demo``), never a real patient."""
    return _ensure_guest_record(db, DEMO_PATIENT_ID, "Demo patient", affected_side)


def ensure_guest_patient(db: PatientStore, affected_side: Side = "left") -> Patient:
    """The guest patient record (id ``guest``): results of video and replay runs go here,
    never into a real patient's history."""
    return _ensure_guest_record(db, GUEST_PATIENT_ID, "Guest", affected_side)


def _ensure_guest_record(db: PatientStore, patient_id: str, alias: str, side: Side) -> Patient:
    patient = db.get_patient(patient_id)
    if patient is None:
        patient = Patient(patient_id, alias, side, utc_now(), {}, guest=True)
        db.add_patient(patient)
    return patient


def plays_as_guest(settings: Settings) -> bool:
    """A headless video or replay run without ``--patient`` plays the default session as the
    guest patient (nobody is there to pick a patient)."""
    return bool(
        settings.headless
        and settings.patient is None
        and not settings.demo
        and (settings.video is not None or settings.replay is not None)
    )


def open_source(settings: Settings) -> OpenedSource:
    """The pose source: --replay, --video, the simulated patient (--demo) or the camera.

    A missing camera falls back to the demo with a notice; an unreadable video or recording
    is a :class:`LaunchError` (one line, exit 2). ``--record`` wraps whichever source it is.
    """
    opened = _open_unrecorded(settings)
    if settings.record is None:
        return opened
    try:
        return dataclasses.replace(opened, source=record(opened.source, settings.record))
    except SourceUnavailable as err:
        opened.source.close()
        raise LaunchError(str(err)) from None


def _open_unrecorded(settings: Settings) -> OpenedSource:
    try:
        if settings.replay is not None:
            return OpenedSource(settings, *open_replay_source(settings.replay))
        if settings.video is not None:
            return OpenedSource(settings, *open_video_source(settings.video, fast=settings.fast))
    except ModelUnavailable as err:
        raise LaunchError(str(err), EXIT_ENVIRONMENT) from None
    except SourceUnavailable as err:
        raise LaunchError(str(err)) from None
    if settings.demo:
        return _simulated(settings, None)
    try:
        return OpenedSource(settings, *open_camera_source(settings))
    except ImportError:
        pass
    except Exception as err:  # CameraUnavailable and device errors: offer the demo
        log.info("camera unavailable: %s", err)
    notice = (
        f"No camera found (camera {settings.camera}) - playing the demo. "
        "Use --camera N to choose another camera."
    )
    print(notice, file=sys.stderr)
    return _simulated(dataclasses.replace(settings, demo=True), notice)


def _simulated(settings: Settings, notice: str | None) -> OpenedSource:
    sim = SimulatedPatient(seed=settings.seed)
    return OpenedSource(settings, sim, sim.frame_size, notice, sim.model.affected_side)


def launch(settings: Settings) -> int:
    """Start the game; return the exit code (128 + the signal when SIGTERM/SIGHUP ended it)."""
    if not settings.headless and not display_available():
        raise LaunchError(
            "no display found: run with --headless, e.g. "
            "'uv run main.py --headless --demo --seconds 20 --screenshot out.png'"
        )
    levels = _load_levels(settings)
    opened = open_source(settings)
    settings = opened.settings
    try:
        db = open_db(settings)
    except BaseException:
        opened.source.close()
        raise
    heartbeat = Heartbeat(lambda: db.heartbeat(utc_now())).start()
    try:
        patient = _choose_patient(settings, db, opened.simulated_side)
        try:
            window = Window(settings.headless)
        except DisplayUnavailable as err:
            raise LaunchError(f"cannot open a window ({err}): run with --headless") from None
        app = App(settings=settings, window=window, db=db, source=opened.source,
                  frame_size=opened.frame_size, levels=levels, sounds=Sounds(enabled=not settings.mute),
                  patient=patient, notice=opened.notice)  # fmt: skip
        try:
            with stop_on_signals(app.stop) as received:
                app.run(_first_scene(app))
        finally:
            window.close()
        if received:
            raise LaunchError(
                f"stopped by {signal.Signals(received[0]).name}: the session was saved as stopped early.",
                128 + received[0],
            )
        return 0
    finally:
        heartbeat.stop()
        opened.source.close()
        db.close()


@contextmanager
def stop_on_signals(stop: threading.Event) -> Iterator[list[int]]:
    """While inside, SIGTERM and SIGHUP set `stop` (the loop then ends like Quit) instead of
    killing the process; yields the list of signals received. Main thread only."""
    received: list[int] = []

    def handler(signum: int, _frame: object) -> None:
        received.append(signum)
        stop.set()

    if threading.current_thread() is not threading.main_thread():
        yield received
        return
    previous = {sig: signal.signal(sig, handler) for sig in STOP_SIGNALS}
    try:
        yield received
    finally:
        for sig, old in previous.items():
            signal.signal(sig, old)


def _load_levels(settings: Settings) -> dict[str, LevelSpec]:
    """Every level, checked with the default plan before anything opens (shipped data fails
    loudly, before any session starts)."""
    try:
        levels = load_all()
        load_plan(DEFAULT_PLAN, levels)
    except LevelError as err:
        raise LaunchError(f"bad level file: {err}") from None
    if settings.level is not None and settings.level not in levels:
        raise LaunchError(f"unknown level {settings.level!r} (known: {', '.join(levels)})")
    return levels


def _first_scene(app: App) -> Scene:
    """The title screen; straight into play for ``--level`` with a patient, or for a guest
    run (nobody there to answer menus)."""
    if plays_as_guest(app.settings):
        return PlayScene(app, SessionRun.begin(app))
    if app.settings.level is not None and app.patient is not None:
        return start_play(app)
    return TitleScene(app)


def _choose_patient(settings: Settings, db: PatientStore, simulated_side: Side | None) -> Patient | None:
    if settings.patient is not None:
        patient = db.get_patient(settings.patient)
        if patient is None:
            known = ", ".join(p.id for p in db.list_patients(include_guests=True)) or "none yet"
            raise LaunchError(f"unknown patient {settings.patient!r} (known: {known})")
        return patient
    if settings.demo:
        patient = ensure_demo_patient(db, simulated_side or "left")
        # The autoplaying demo (or a jump into one level) needs no patient screen.
        return patient if (settings.autoplay and settings.level is not None) else None
    if plays_as_guest(settings):
        return ensure_guest_patient(db)
    return None
