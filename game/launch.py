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
from game.scenes.no_camera import RETRY_CAMERA, NoCameraScene
from game.scenes.play import PlayScene, start_play
from game.session import SessionRun
from game.settings import Settings
from game.storage import Heartbeat, Store, default_db_path, import_recovery_files, open_database
from game.storage.protocol import PatientStore
from game.storage.records import Patient, Side, utc_now
from game.storage.repwriter import recovery_path
from game.tracking.errors import ModelUnavailable, SourceUnavailable
from game.tracking.live import open_camera_source, open_replay_source, open_video_source, record
from game.tracking.pose import PoseSource
from game.tracking.simulated import PatientModel, SimulatedPatient

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
    camera_missing: bool = False
    """No camera answered: the first screen says so (game/scenes/no_camera.py)."""


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
        f"No camera found (camera {settings.camera}): the demo is ready. Use --camera N for another camera."
    )
    print(notice, file=sys.stderr)
    return dataclasses.replace(
        _simulated(dataclasses.replace(settings, demo=True), None), camera_missing=True
    )


def _simulated(settings: Settings, notice: str | None, side: Side = "left") -> OpenedSource:
    sim = SimulatedPatient(PatientModel(affected_side=side), seed=settings.seed)
    return OpenedSource(settings, sim, sim.frame_size, notice, sim.model.affected_side)


def launch(settings: Settings) -> int:
    """Start the game; return the exit code (128 + the signal when SIGTERM/SIGHUP ended it).
    "Try again" on the no-camera screen starts over with the camera opened again."""
    if not settings.headless and not display_available():
        raise LaunchError(
            "no display found: run with --headless, e.g. "
            "'uv run main.py --headless --demo --seconds 20 --screenshot out.png'"
        )
    levels = _load_levels(settings)
    while True:
        code, outcome = _launch_once(settings, levels)
        if outcome != RETRY_CAMERA:
            return code


def _launch_once(settings: Settings, levels: dict[str, LevelSpec]) -> tuple[int, object]:
    """One run of the app: (exit code, what the last screen closed with)."""
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
        opened = _follow_patient_side(opened, patient)
        try:
            window = Window(settings.headless)
        except DisplayUnavailable as err:
            raise LaunchError(f"cannot open a window ({err}): run with --headless") from None
        app = App(settings=settings, window=window, db=db, source=opened.source,
                  frame_size=opened.frame_size, levels=levels, sounds=Sounds(enabled=not settings.mute),
                  patient=patient, notice=opened.notice)  # fmt: skip
        try:
            first = NoCameraScene(app, settings.camera) if opened.camera_missing else _first_scene(app)
            with stop_on_signals(app.stop) as received:
                app.run(first)
        finally:
            window.close()
        if received:
            raise LaunchError(
                f"stopped by {signal.Signals(received[0]).name}: the session was saved as stopped early.",
                128 + received[0],
            )
        _check_all_saved(db)
        return 0, app.stack.result if app.stack is not None else None
    finally:
        heartbeat.stop()
        opened.source.close()
        db.close()


def _check_all_saved(db: Store) -> None:
    """One line, exit 1, when saves had to be left in this instance's recovery file (the
    database stayed busy or full to the end): nothing is lost, the next start writes them."""
    unsaved = recovery_path(db.path, db.owner)
    if unsaved.exists():
        raise LaunchError(
            f"some results could not be saved yet (the records stayed busy or the disk full): they "
            f"are kept in {unsaved} and will be saved the next time MirrorPlay starts.",
            EXIT_ENVIRONMENT,
        )


def _follow_patient_side(opened: OpenedSource, patient: Patient | None) -> OpenedSource:
    """The simulated patient moves the side of the patient it plays as (--demo --db PATH
    --patient ID): a new one with that patient's affected side."""
    if opened.simulated_side is None or patient is None or patient.affected_side == opened.simulated_side:
        return opened
    side: Side = "right" if patient.affected_side == "right" else "left"
    opened.source.close()
    return _simulated(opened.settings, opened.notice, side)


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
            raise LaunchError(_unknown_patient(settings, db))
        if settings.demo and not patient.guest:
            return demo_as(db, patient)
        return patient
    if settings.demo:
        patient = ensure_demo_patient(db, simulated_side or "left")
        # The autoplaying demo (or a jump into one level) needs no patient screen.
        return patient if (settings.autoplay and settings.level is not None) else None
    if plays_as_guest(settings):
        return ensure_guest_patient(db)
    return None


def _unknown_patient(settings: Settings, db: PatientStore) -> str:
    known = ", ".join(p.id for p in db.list_patients(include_guests=True)) or "none yet"
    line = f"unknown patient {settings.patient!r} (known: {known})"
    if settings.uses_demo_db:
        line += (
            f". The demo keeps its own database ({default_db_path(demo=True)}) with only the "
            "simulated patient 'demo'; to run the demo with a real patient's settings add "
            f"--db PATH (your patients' database is {default_db_path(demo=False)})"
        )
    return line


def demo_as(db: PatientStore, patient: Patient) -> Patient:
    """The demo record playing with `patient`'s settings and side: the simulated patient's
    sessions, adaptive changes and calibrations go to the demo record, never to `patient`."""
    demo = ensure_demo_patient(db, patient.affected_side)
    settings = {**dict(patient.settings), "alias": f"Demo as {patient.alias}"[:40],
                "affected_side": patient.affected_side}  # fmt: skip
    db.update_patient_settings(
        demo.id, settings, who="demo", reason=f"demo plays as {patient.id}", at=utc_now()
    )
    fresh = db.get_patient(demo.id)
    assert fresh is not None
    return fresh
