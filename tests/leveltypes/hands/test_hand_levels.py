"""The hand level types driven by the simulated patient: what they ask, what they read, what
they measure, the therapist's limit and shared control, the wait without hands, and a hand
level played through the real loop."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from game.leveltypes.base import SafetyLimits
from game.leveltypes.hand_common import SHOW_HANDS, HandGoal, hand_motor
from game.scoring.catalog import info
from game.therapist.adaptive import staircases_from_settings
from game.therapist.settings_schema import PatientSettings, SettingsError
from game.tracking.simulated import MILD, MODERATE
from tests.leveltypes.driving import drive
from tests.playing import play


def median(driven, name: str) -> float:
    return float(np.nanmedian([m.get(name, np.nan) for m in driven.metrics]))


@pytest.mark.parametrize(
    ("level", "seconds", "metric", "better"),
    [
        ("grasp-orange", 14.0, "affected_hand_active_range_deg", 1),
        ("tap-drum", 30.0, "affected_tap_rate_hz", 1),
        ("piano-keys", 16.0, "affected_individuation_index", 1),
        ("touch-fingers", 14.0, "affected_opposition_touches", 1),
    ],
)
def test_the_mild_patients_own_hand_does_better_than_the_moderate_patients(
    level: str, seconds: float, metric: str, better: int
) -> None:
    mild, moderate = drive(level, seconds, model=MILD), drive(level, seconds, model=MODERATE)
    assert mild.reps and moderate.reps
    for driven in (mild, moderate):  # every stored name is catalogued
        assert all(info(k) is not None for m in driven.metrics for k in m if not k.endswith("_reliable"))
    a, b = median(mild, metric), median(moderate, metric)
    assert np.isfinite(a) and (a - b) * better > 0, (a, b)


def test_the_mirror_lets_a_moderate_patient_squeeze_what_the_own_hand_cannot() -> None:
    """Mirror (gain 0): the good hand's reflection closes the fist; shared control at gain 1
    shows the own moderate hand, which closes only part of the way: the squeezes fail."""
    mirror = drive("grasp-lemons", 30.0, model=MODERATE)
    own = drive("grasp-lemons", 30.0, model=MODERATE, gain=1.0)
    assert sum(r.success for r in mirror.reps) >= len(mirror.reps) - 1 >= 2
    assert own.reps and not any(r.success for r in own.reps)
    # the metrics measure the same real hands whatever was shown
    assert median(own, "affected_min_aperture_norm") > median(own, "min_aperture_norm") + 0.1


def test_the_therapists_hand_closing_limit_caps_what_is_asked() -> None:
    loose = drive("grasp-lemons", 2.0, limits=SafetyLimits(max_hand_closure=0.4))
    assert loose.exercise.closure == pytest.approx(0.4)  # type: ignore[attr-defined]
    piano = drive("piano-song", 2.0, limits=SafetyLimits(max_hand_closure=0.2))
    assert piano.exercise.press_deg == pytest.approx(0.2 * 255.0)  # type: ignore[attr-defined]
    adapted = drive("grasp-orange", 2.0, overrides={"closure": 0.3})
    assert adapted.exercise.closure == pytest.approx(0.3)  # type: ignore[attr-defined]


def test_the_simulated_patient_is_asked_for_hand_shapes_with_both_hands_up() -> None:
    driven = drive("tap-drum", 4.0)
    goal = driven.exercise.goal()
    assert isinstance(goal, HandGoal) and goal.fingers.tap in ("left", "right")
    motor = hand_motor(goal)
    assert motor.fingers == goal.fingers and motor.hand_xy == goal.shown_xy
    assert goal.shown_xy[0] > 0.5 > goal.good_xy[0]  # MILD's affected (left) side: raw x > 0.5
    assert driven.views[-1].regions and driven.views[-1].shown is not None


def test_without_hands_the_level_waits_and_asks_for_them() -> None:
    """A source that tracks no hands (a body-only recording): nothing advances."""
    driven = drive("grasp-orange", 3.0, model=MILD, parts=frozenset({"body"}))
    assert driven.reps == [] and driven.views[-1].waiting_hands
    assert SHOW_HANDS.msgid.startswith("Show both hands")


def test_a_hand_level_plays_through_the_real_loop_and_is_scored_from_the_hands(tmp_path: Path) -> None:
    out = play(MILD, tmp_path / "h.db", seconds=14.0, level="grasp-orange", seed=2)
    assert len(out.reps) >= 3 and all(r.level_id == "grasp-orange" for r in out.reps)
    m = out.reps[0].metrics
    assert 0.0 < m["min_aperture_norm"] < m["peak_aperture_norm"] and m["hand_active_range_deg"] > 100.0
    assert out.level_results and out.level_results[0].stars >= 1


def test_the_hand_closing_settings_respect_the_therapists_limit() -> None:
    ok = PatientSettings(max_hand_closure=0.6, hand_closure=0.5, adaptive_bounds={"hand_closure": (0.3, 0.6)})
    assert staircases_from_settings(ok)["hand_closure"].hi == 0.6
    with pytest.raises(SettingsError, match="hand_closure"):
        PatientSettings(max_hand_closure=0.5, hand_closure=0.7)
    with pytest.raises(SettingsError, match="adaptive_bounds.hand_closure"):
        PatientSettings(max_hand_closure=0.5, hand_closure=0.4, adaptive_bounds={"hand_closure": (0.3, 0.9)})
