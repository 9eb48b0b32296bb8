"""What the pain check-in asks about: each level type's region (game/leveltypes/registry.py)
and a session's (game/scenes/checkin.py), in every shipped language."""

from __future__ import annotations

from dataclasses import replace

import pytest

from game import i18n
from game.leveltypes.registry import REGIONS, level_types
from game.scenes.checkin import QUESTIONS, session_region

EXPECTED = {
    "reach": "arm", "trace": "arm", "bilateral": "arm", "position_match": "arm",
    "grasp": "hand", "finger_tapping": "hand", "thumb_opposition": "hand", "pinch_place": "hand",
    "finger_individuation": "hand",
    "smile": "face", "mouth_opening": "face", "brow_raise": "face", "eye_closure": "face",
    "lip_pucker": "face",
    "squat": "leg", "sit_to_stand": "leg", "stance": "leg", "march": "leg", "leg_mirror": "leg",
    "chair_stand": "leg", "five_sts": "leg", "one_leg_test": "leg", "reach_test": "leg",
    "posture": "body", "weight_shift": "body",
}  # fmt: skip
"""Every shipped level type and the region its check-in names (the trunk's two: the body)."""


def test_every_level_type_names_the_part_it_exercises() -> None:
    types = level_types()
    assert set(types) == set(EXPECTED)  # a new type is added here, with its region
    assert {name: kind.region for name, kind in types.items()} == EXPECTED


def test_a_region_that_is_not_one_is_refused() -> None:
    reach = level_types()["reach"]
    with pytest.raises(ValueError, match="pain_region"):
        replace(reach, pain_region="elbow")


@pytest.mark.parametrize(
    ("regions", "asked"),
    [(["hand", "hand"], "hand"), (["arm"], "arm"), (["arm", "hand"], "body"), ([], "body")],
)
def test_a_session_asks_about_the_one_region_its_levels_share(regions: list[str], asked: str) -> None:
    assert session_region(regions) == asked


@pytest.mark.parametrize("language", i18n.LANGUAGES)
def test_every_question_is_in_every_language(language: str) -> None:
    assert set(QUESTIONS) == set(REGIONS)
    try:
        i18n.activate(language)
        said = [str(m) for pair in QUESTIONS.values() for m in pair]
    finally:
        i18n.activate("en")
    assert len(set(said)) == 2 * len(REGIONS)  # ten different questions
    if language != "en":
        english = {m for pair in QUESTIONS.values() for m in pair}
        assert not set(said) & english  # each one translated
