"""Patient settings schema: validation messages, round trip, per-level overrides and diffs."""

from __future__ import annotations

import json

import pytest

from game.therapist.settings_schema import (
    ADAPTIVE_PARAMS,
    SPEC_BY_NAME,
    SPECS,
    PatientSettings,
    SettingsError,
    diff,
)


def test_every_dataclass_field_has_a_spec_and_defaults_are_valid() -> None:
    names = {f for f in PatientSettings.__dataclass_fields__} - {"level_overrides"}
    assert names == {s.name for s in SPECS}
    s = PatientSettings()
    for spec in SPECS:
        value = getattr(s, spec.name)
        if spec.type in (int, float) and spec.min is not None and not (spec.optional and value is None):
            assert spec.min <= value <= spec.max, spec.name
        assert spec.label and spec.help
    # Safe defaults for an older stroke survivor: below the 65-85 y norms (165 deg).
    assert s.max_shoulder_flexion_deg < 165 and s.max_shoulder_abduction_deg < 165
    assert s.adaptive and s.target_reach_fraction <= s.max_reach_fraction


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"max_shoulder_flexion_deg": 200},
         "max_shoulder_flexion_deg: 200 deg is above the allowed maximum 180 deg"),
        ({"dwell_s": 0.1}, "dwell_s: 0.1 s is below the allowed minimum 0.2 s"),
        ({"sets": 2.5}, "sets: expected a whole number"),
        ({"adaptive": 1}, "adaptive: expected true/false"),
        ({"affected_side": "both"}, "affected_side: 'both' is not one of left, right"),
        ({"alias": "   "}, "alias: is empty: type at least 1 character"),
        ({"speed_scale": float("nan")}, "speed_scale: expected a number"),
        ({"colour": "red"}, "colour: unknown setting"),
        ({"shared_gain": 0.9}, "shared_gain: 0.9 is outside the lowest-highest"),
        ({"target_reach_fraction": 1.0}, "target_reach_fraction: 1 arm lengths is beyond Max reach"),
        ({"plan": [{"level": "reach-1", "sets": 1}]}, "plan[0]: a step needs exactly the keys"),
        ({"plan": [{"level": "r", "sets": 1, "reps": 99, "rest_s": 5}]}, "plan[0].reps: 99 is above"),
        ({"adaptive_bounds": {"sets": [1, 2]}}, "adaptive_bounds.sets: not adaptive"),
        ({"adaptive_bounds": {"dwell_s": [2.0, 1.0]}}, "adaptive_bounds.dwell_s: lowest 2.0 is above"),
        ({"adaptive_bounds": {"target_reach_fraction": [0.3, 1.1]}},
         "adaptive_bounds.target_reach_fraction: highest 1.1 arm lengths is beyond Max reach"),
        ({"level_overrides": {"reach-1": {"max_reach_fraction": 1.2}}},
         "level_overrides.reach-1.max_reach_fraction: cannot be set per level"),
        ({"level_overrides": {"reach-1": {"target_reach_fraction": 1.0}}},
         "level_overrides.reach-1.target_reach_fraction: 1 arm lengths is beyond Max reach"),
    ],
)  # fmt: skip
def test_invalid_values_name_key_and_reason(change: dict, message: str) -> None:
    with pytest.raises(SettingsError) as err:
        PatientSettings.from_mapping(change)
    assert str(err.value).startswith(message)
    assert err.value.key == message.split(":")[0]


def test_mapping_round_trip_through_json() -> None:
    s = PatientSettings.from_mapping({
        "alias": "Ann", "affected_side": "right", "mirror_mode": "shared", "neglect_side": "left",
        "plan": [{"level": "reach-1", "sets": 2, "reps": 6, "rest_s": 30}],
        "adaptive_bounds": {"dwell_s": [0.5, 1.5]},
        "level_overrides": {"reach-1": {"dwell_s": 1.5, "mirror_mode": "avatar"}},
    })  # fmt: skip
    again = PatientSettings.from_mapping(json.loads(json.dumps(s.to_mapping())))
    assert again == s
    assert again.to_mapping() == s.to_mapping()
    assert s.plan[0]["rest_s"] == 30.0 and isinstance(s.plan[0]["rest_s"], float)


def test_with_change_validates_and_level_overrides_apply() -> None:
    s = PatientSettings()
    with pytest.raises(SettingsError, match="reps: 0 is below"):
        s.with_change("reps", 0)
    with pytest.raises(SettingsError, match="unknown setting"):
        s.with_change("nope", 1)
    t = s.with_change("dwell_s", 2.0, level_id="reach-1")
    assert t.dwell_s == s.dwell_s
    assert t.effective_for_level("reach-1").dwell_s == 2.0
    assert t.effective_for_level("other").dwell_s == s.dwell_s
    assert t.with_change("dwell_s", None, level_id="reach-1").level_overrides == {}
    with pytest.raises(SettingsError, match="level_overrides.reach-1.text_scale"):
        s.with_change("text_scale", 2.0, level_id="reach-1")


def test_lowering_rom_limit_below_an_override_is_refused() -> None:
    s = PatientSettings().with_change("target_reach_fraction", 0.9, level_id="far")
    beyond = "level_overrides.far.target_reach_fraction: 0.9 arm lengths is beyond Max reach"
    with pytest.raises(SettingsError, match=beyond):
        s.with_change("max_reach_fraction", 0.85)


def test_diff_lists_changes_for_the_log() -> None:
    a = PatientSettings()
    b = a.with_change("dwell_s", 1.5).with_change("reps", 4, level_id="reach-1")
    assert diff(a, b) == [("dwell_s", 1.0, 1.5), ("level_overrides.reach-1.reps", None, 4)]
    assert diff(a, a) == []


def test_adaptive_params_have_specs() -> None:
    for name in ADAPTIVE_PARAMS:
        assert SPEC_BY_NAME[name].per_level
