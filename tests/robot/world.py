"""The robot's world: one database every robot run starts from (copied, never shared).

A therapist PIN (:data:`PIN`), a patient "Ann" (p1, affected left, two weeks of history, a
calibration, a short plan so a session is over in seconds of game time) and five more
patients (more than one page of any patient list).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from game.calibration import calibration_values
from game.storage import Calibration, Patient, open_database
from game.therapist.pin import PinGate
from game.therapist.settings_schema import PatientSettings, settings_of
from game.tracking.simulated import SimulatedPatient
from tests.history import TODAY, make_history

PIN = "2468"
NEW_PIN = "1357"
ANN = "p1"
SHORT_PLAN = ({"level": "reach-apples", "sets": 2, "reps": 1, "rest_s": 5.0},)
"""One rep of apple picking, a 5 s rest, one more: every session screen in ~25 s of game time."""
OTHERS = ("Bea", "Cyril", "Dora", "Ed", "Flo")
FLO = "p6"
"""Flo, the last of :data:`OTHERS`: her plan has a hand level."""
HAND_PLAN = (*SHORT_PLAN, {"level": "grasp-orange", "sets": 1, "reps": 1, "rest_s": 5.0})
"""Flo's plan: Ann's and one hand level, so her calibration goes on to the hand calibration
screen (her stored calibration already has the hand, so Play starts at once)."""
HAND_SHAPES = {"hand_palm_m": 0.09, "hand_open_aperture_norm": 1.1, "hand_fist_aperture_norm": 0.35}
"""A good hand's size and shapes as the hand calibration stores them (typical adult values)."""


def calibration_for(patient_id: str, seed: int = 0) -> Calibration:
    """A calibration measured from two seconds of the simulated patient sitting still."""
    sim = SimulatedPatient(seed=seed)
    frames = [f for f in (sim.poll(k / 30) for k in range(60)) if f is not None]
    image = np.stack([f.image for f in frames])
    world = np.stack([f.world for f in frames])
    values = calibration_values((image, world), {}, "left", sim.frame_size)
    return Calibration(patient_id, "2026-03-01T09:00:00Z", values)


def build_world(path: Path) -> Path:
    """Write the world's database at `path` and return it."""
    db = open_database(path)
    try:
        PinGate(db).set_first_pin(PIN)
        make_history(db, ANN, alias="Ann", weeks=2, today=TODAY)
        ann = db.get_patient(ANN)
        assert ann is not None
        short = settings_of(ann).with_change("plan", list(SHORT_PLAN))
        db.update_patient_settings(ANN, short.to_mapping(), who="therapist", reason="robot world",
                                   at="2026-03-01T09:00:00Z")  # fmt: skip
        db.save_calibration(calibration_for(ANN))
        calibrations: list[Calibration] = []
        for i, alias in enumerate(OTHERS):
            settings = PatientSettings(alias=alias, affected_side="right")
            if alias == OTHERS[-1]:  # a plan with a hand level: calibration adds the hand step
                settings = settings.with_change("plan", list(HAND_PLAN))
                flo = calibration_for(FLO)
                calibrations.append(Calibration(FLO, flo.created_at, {**flo.values, **HAND_SHAPES}))
            db.add_patient(
                Patient(f"p{i + 2}", alias, "right", "2026-01-01T09:00:00Z", settings.to_mapping())
            )
        for cal in calibrations:
            db.save_calibration(cal)
    finally:
        db.close()
    return path
