"""The play screen asks the tracker for the parts each level needs, and for the body only after."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from game.app import App
from game.launch import ensure_demo_patient
from game.levels import load_all
from game.render.window import Window
from game.scenes.play import start_play
from game.settings import Settings
from game.storage import open_database
from game.tracking.pose import PartsSelectable
from game.tracking.simulated import MILD, SimulatedPatient


class PartsRecordingPatient(SimulatedPatient):
    """The simulated patient, remembering every parts request (a camera would switch models)."""

    def __init__(self) -> None:
        super().__init__(MILD, seed=1)
        self.requests: list[frozenset[str]] = []

    def request_parts(self, parts: frozenset[str]) -> None:
        self.requests.append(frozenset(parts))


def test_a_hand_level_requests_hands_and_leaving_play_requests_the_body_only(tmp_path: Path) -> None:
    levels = load_all()
    spec = levels["reach-apples"]
    hand_kind = dataclasses.replace(spec.kind, parts=frozenset({"body", "hands"}))
    levels = {spec.id: dataclasses.replace(spec, kind=hand_kind)}
    source = PartsRecordingPatient()
    assert isinstance(source, PartsSelectable)
    settings = Settings(demo=True, headless=True, seconds=6.0, level=spec.id, db=tmp_path / "d.db", mute=True)
    db = open_database(tmp_path / "d.db")
    window = Window(headless=True)
    try:
        app = App(settings=settings, window=window, db=db, source=source, frame_size=source.frame_size,
                  levels=levels)  # fmt: skip
        app.patient = ensure_demo_patient(db, MILD.affected_side)
        assert app.run(start_play(app)) == 0
    finally:
        window.close()
        db.close()
    assert source.requests[0] == {"body", "hands"}
    assert source.requests[-1] == {"body"}  # the play screen closed: back to the pose model only
