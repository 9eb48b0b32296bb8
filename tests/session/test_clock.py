"""The session clock: stored and exported rep times are seconds since the session started,
whatever clock the pose source runs on.

A live camera stamps poses with ``time.perf_counter``, whose zero is arbitrary (often boot), and
the app polls it with the same clock. Here the simulated patient is seen through such a clock:
poses and ``App.now_s`` start at 10^6 s. The session is played through the real App loop; every
stored rep time, the CSV export's times and the FHIR export's ``effectiveDateTime`` must fall
within the session.
"""

from __future__ import annotations

import csv
import json
import time
from datetime import datetime, timedelta
from pathlib import Path

from game.app import App
from game.cli_tools import export_patient
from game.launch import ensure_demo_patient
from game.levels import load_all
from game.render.window import Window
from game.scenes.play import start_play
from game.settings import Settings
from game.storage import open_database
from game.tracking.pose import Goal, Picture, PoseFrame, SourceStatus
from game.tracking.simulated import MILD, SimulatedPatient

WALL0_S = 1.0e6
"""Where the live-like clock starts: eleven and a half days after its zero."""
SECONDS = 40.0
"""Game seconds played (the live-like clock advances with game time)."""


class LiveClock:
    """Stands in for the ``time`` module of game/app.py: ``perf_counter`` is WALL0_S plus the
    app's game time, so a headless run stays deterministic."""

    def __init__(self) -> None:
        self.app: App | None = None

    def perf_counter(self) -> float:
        return WALL0_S + (self.app.t_s if self.app is not None else 0.0)

    def sleep(self, seconds: float) -> None:
        time.sleep(seconds)


class LiveLikeSource:
    """The simulated patient seen through a live camera's clock (``uses_wall_clock``): its poses
    are stamped WALL0_S later, and it is polled with the app's perf_counter."""

    uses_wall_clock = True

    def __init__(self, patient: SimulatedPatient) -> None:
        self.patient = patient
        self.name = "live-like simulated patient"
        self.frame_size = patient.frame_size

    def poll(self, now_s: float) -> PoseFrame | None:
        frame = self.patient.poll(now_s - WALL0_S)
        return None if frame is None else PoseFrame(frame.t_s + WALL0_S, frame.image, frame.world)

    def set_goal(self, goal: Goal | None) -> None:
        self.patient.set_goal(goal)

    def picture(self) -> Picture | None:
        return None

    def status(self) -> SourceStatus:
        return SourceStatus.OK

    def close(self) -> None:
        self.patient.close()


def test_rep_times_are_seconds_since_the_session_started(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    clock = LiveClock()
    monkeypatch.setattr("game.app.time", clock)
    source = LiveLikeSource(SimulatedPatient(MILD, seed=3))
    settings = Settings(demo=True, headless=True, seconds=SECONDS, level="boat-steer", mute=True, seed=3)
    db = open_database(tmp_path / "live.db")
    window = Window(headless=True)
    try:
        app = App(settings=settings, window=window, db=db, source=source, frame_size=source.frame_size,
                  levels=load_all())  # fmt: skip
        clock.app = app
        assert app.now_s() >= WALL0_S  # the app polls with the live-like clock
        app.patient = ensure_demo_patient(db, MILD.affected_side)
        assert app.run(start_play(app)) == 0
        session = db.sessions("demo")[-1]
        reps = db.reps(session.id)
        assert len(reps) >= 3
        for rep in reps:  # stored: seconds since the session started
            assert 0.0 < rep.t_cue_s < rep.t_end_s <= SECONDS
            assert 0.0 < rep.metrics["chair_confirm_s"] <= rep.t_cue_s
        patient = db.get_patient("demo")
        csv_path = export_patient(db, patient, "csv", tmp_path / "out.csv")[0]
        fhir_path = export_patient(db, patient, "fhir", tmp_path / "out.json", reps=True)[0]
    finally:
        window.close()
        db.close()
    with csv_path.open(encoding="utf-8") as fh:
        times = [
            float(r["value"])
            for r in csv.DictReader(fh)
            if r["metric"] == "chair_confirm_s" and r["rep"] not in ("", "0")
        ]  # rep 0 is the set's summary row
    assert len(times) == len(reps) and all(0.0 < t <= SECONDS for t in times)
    start = datetime.fromisoformat(session.started_at.replace("Z", "+00:00"))
    bundle = json.loads(fhir_path.read_text(encoding="utf-8"))
    reps_obs = [
        e["resource"]
        for e in bundle["entry"]
        if any(c["code"]["coding"][0]["code"] == "rep-number" for c in e["resource"].get("component", []))
    ]
    assert reps_obs
    for obs in reps_obs:  # exported: started_at + the rep's own times, within the session
        period = obs["effectivePeriod"]
        for key in ("start", "end"):
            when = datetime.fromisoformat(period[key])
            assert start <= when <= start + timedelta(seconds=SECONDS)
