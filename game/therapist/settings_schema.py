"""Per-patient therapist settings: one validated, frozen record with its allowed ranges beside it.

:data:`SPECS` is the single table of every setting: name, type, allowed range, unit, label and
help text. The settings screen draws itself from it, and every value, whether typed by the
therapist, loaded from the database or set as a per-level override, is checked against it.
A bad value raises :class:`SettingsError` whose message names the key and the reason, e.g.
``"max_shoulder_flexion_deg: 200 is above the allowed maximum 180"``.

Defaults are conservative for an older stroke survivor (design choices, to be tuned by the
therapist): shoulder limits well below the age norms (Walker 65-85 y: flexion 165 deg, abduction
165 deg; elderly abduction 114-129 deg; docs/sources.md §4.1) because hemiplegic shoulders are
often painful; close, large targets; 20-minute sessions (Cochrane mean 30 min, 15-60;
docs/sources.md §7.1), 5 sessions a week (the Cochrane mean dose, 3-7 a week; §7.1);
text 1.5 × larger (low vision is common after stroke and with age; the screens fit up to 1.6 ×,
game.render.theme.TEXT_SCALE_MAX); adaptive difficulty on within narrow bounds (§8).

Language and voice: ``language`` is one of the shipped languages (game.i18n.LANGUAGES; None =
the clinic's language); the voice speaks instructions, counts and feedback in it, at
``voice_rate`` × the voice's normal speed (default 0.85: slower speech is easier to follow with
aphasia and with age) and ``voice_volume`` (0-1).

``shared_gain`` is the share of the display driven by the patient's own affected arm in
``"shared"`` mirror mode: 0 = only the mirrored unaffected arm, 1 = only the affected arm.

Face levels: ``face_weak_side`` is the side of a facial palsy, whose half of the face the
half-face mirror replaces (None = the affected side: a central facial palsy after a stroke is
on the side of the weak arm). ``max_mouth_opening_mm`` is the jaw levels' limit: no target asks
the mouth to open wider. Default 30 mm, below the 40 mm under which DC/TMD calls an opening
limited (docs/sources.md §13), so a jaw patient is never pushed towards a normal opening
before the therapist has set a limit.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from game.i18n import LANGUAGES, M_
from game.storage.records import Patient

SIDES = ("left", "right")
MIRROR_MODES = ("video", "avatar", "shared")
ADAPTIVE_PARAMS = (
    "target_reach_fraction", "target_radius_norm", "dwell_s", "speed_scale",
    "balance_zone_fraction", "squat_depth_deg", "hand_closure",
)  # fmt: skip
"""Parameters the adaptive staircase may move, each within its own (lo, hi) bounds."""
SEXES = ("female", "male")


class SettingsError(ValueError):
    """A setting is invalid; the message is ``"<key>: <reason>"``."""

    def __init__(self, key: str, reason: str) -> None:
        self.key, self.reason = key, reason
        super().__init__(f"{key}: {reason}")


@dataclass(frozen=True)
class FieldSpec:
    """One setting: its type, allowed range (for text: length), unit and the words on screen.

    `per_level` says whether a level may override it; `choices` lists allowed text values;
    `optional` allows None.
    """

    name: str
    type: type
    min: float | None
    max: float | None
    unit: str
    label: str
    help: str
    choices: tuple[str, ...] | None = None
    per_level: bool = False
    optional: bool = False


_S = FieldSpec
SPECS: tuple[FieldSpec, ...] = (
    _S("alias", str, 1, 40, "", M_("Name or alias"), M_("What the screen shows; no real name needed.")),
    _S("affected_side", str, None, None, "", M_("Affected side"), M_("The arm/leg being trained."),
       SIDES),
    _S("mirror_mode", str, None, None, "", M_("Mirror mode"),
       M_("Video mirror, drawn avatar, or shared control of the affected arm."), MIRROR_MODES,
       per_level=True),
    _S("shared_gain", float, 0.0, 1.0, "1", M_("Own-arm share"),
       M_("Shared mode: 0 = mirrored arm only, 1 = own arm only."), per_level=True),
    _S("shared_gain_min", float, 0.0, 1.0, "1", M_("Own-arm share, lowest"),
       M_("Adaptive shared control never goes below this.")),
    _S("shared_gain_max", float, 0.0, 1.0, "1", M_("Own-arm share, highest"),
       M_("Adaptive shared control never goes above this.")),
    _S("neglect_side", str, None, None, "", M_("Neglected side"),
       M_("Side of visual neglect, if any: cues start on the other side."), SIDES, optional=True),
    _S("face_weak_side", str, None, None, "", M_("Weak side of the face"),
       M_("Side of a facial palsy, mirrored in face levels; none = the affected side."), SIDES,
       optional=True),
    _S("max_mouth_opening_mm", float, 10.0, 60.0, "mm", M_("Max mouth opening"),
       M_("No jaw level asks the mouth to open wider than this.")),
    _S("safety_notes", str, 0, 500, "", M_("Safety notes"), M_("Shown to the therapist before play.")),
    _S("max_shoulder_flexion_deg", float, 0.0, 180.0, "deg", M_("Max shoulder flexion"),
       M_("No level may ask for more forward elevation than this.")),
    _S("max_shoulder_abduction_deg", float, 0.0, 180.0, "deg", M_("Max shoulder abduction"),
       M_("No level may ask for more sideways elevation than this.")),
    _S("max_reach_fraction", float, 0.1, 1.2, "arm lengths", M_("Max reach"),
       M_("No target further than this, in calibrated arm lengths.")),
    _S("target_reach_fraction", float, 0.1, 1.2, "arm lengths", M_("Target distance"),
       M_("Where targets appear, in calibrated arm lengths."), per_level=True),
    _S("target_radius_norm", float, 0.02, 0.25, "screen heights", M_("Target size"),
       M_("Target radius as a fraction of the screen height."), per_level=True),
    _S("dwell_s", float, 0.2, 5.0, "s", M_("Hold time"), M_("How long to hold on a target."),
       per_level=True),
    _S("speed_scale", float, 0.25, 2.0, "x", M_("Speed"), M_("1 = the level's normal speed."),
       per_level=True),
    _S("sets", int, 1, 10, "", M_("Sets"), M_("Sets per level."), per_level=True),
    _S("reps", int, 1, 50, "", M_("Repetitions"), M_("Repetitions per set."), per_level=True),
    _S("rest_s", float, 0.0, 600.0, "s", M_("Rest"), M_("Rest between sets."), per_level=True),
    _S("session_minutes", float, 5.0, 90.0, "min", M_("Session length"),
       M_("Planned active minutes per session.")),
    _S("sessions_per_week", int, 1, 14, "", M_("Sessions per week"),
       M_("Planned sessions a week (up to 2 a day); the family screen counts against it.")),
    _S("plan", list, 0, 30, "", M_("Session plan"),
       M_("Ordered levels with sets, reps and rest; empty = the shipped default plan.")),
    _S("balance_zone_fraction", float, 0.1, 1.0, "of LOS", M_("Balance zone"),
       M_("Lean asked for, as a fraction of the limits of stability."), per_level=True),
    _S("max_hand_closure", float, 0.2, 1.0, "of a fist", M_("Max hand closing"),
       M_("No hand level asks to close the hand or bend a finger further (1 = a full fist).")),
    _S("hand_closure", float, 0.1, 1.0, "of a fist", M_("Hand closing"),
       M_("How far grasp levels ask the hand to close; never more than Max hand closing."),
       per_level=True),
    _S("adaptive", bool, None, None, "", M_("Adaptive difficulty"),
       M_("Adjust difficulty to keep success near 75 %."), per_level=True),
    _S("adaptive_bounds", dict, None, None, "", M_("Adaptive bounds"),
       M_("Lowest and highest value the adaptive staircase may use, per parameter.")),
    _S("text_scale", float, 1.0, 1.6, "x", M_("Text size"),
       M_("Larger text for low vision (1.6 is the most the screens fit).")),
    _S("language", str, None, None, "", M_("Language"),
       M_("Words and voice for this patient; none = the clinic's language."), tuple(LANGUAGES),
       optional=True),
    _S("voice", bool, None, None, "", M_("Voice"), M_("Speak instructions, counts and praise aloud.")),
    _S("voice_rate", float, 0.5, 1.5, "x", M_("Voice speed"), M_("1 = the voice's normal speed.")),
    _S("voice_volume", float, 0.0, 1.0, "1", M_("Voice volume"), M_("0 = silent, 1 = loudest.")),
    _S("seated_only", bool, None, None, "", M_("Seated only"),
       M_("Hide every standing level and test (no standing without supervision).")),
    _S("max_knee_flexion_deg", float, 0.0, 140.0, "deg", M_("Max knee bend"),
       M_("No squat or knee lift asks for more knee bend than this (0 = straight).")),
    _S("squat_depth_deg", float, 10.0, 140.0, "deg", M_("Squat depth"),
       M_("Knee bend asked in a squat; never more than Max knee bend."), per_level=True),
    _S("age_years", int, 18, 110, "years", M_("Age"),
       M_("Optional: compares the standard tests with the published norms for this age."),
       optional=True),
    _S("sex", str, None, None, "", M_("Sex"),
       M_("Optional: the standard tests' norms differ for women and men."), SEXES, optional=True),
)  # fmt: skip
SPEC_BY_NAME: Mapping[str, FieldSpec] = MappingProxyType({s.name: s for s in SPECS})
PLAN_KEYS = ("level", "sets", "reps", "rest_s")

_DEFAULT_BOUNDS = {
    "target_reach_fraction": (0.3, 0.8), "target_radius_norm": (0.06, 0.15),
    "dwell_s": (0.5, 2.0), "speed_scale": (0.5, 1.0), "balance_zone_fraction": (0.3, 0.7),
    "squat_depth_deg": (30.0, 60.0),
    "hand_closure": (0.4, 0.9),
}  # fmt: skip


@dataclass(frozen=True)
class PatientSettings:
    """A patient's validated settings (see :data:`SPECS` for units and ranges).

    `plan` is a tuple of mappings ``{level, sets, reps, rest_s}``; `adaptive_bounds` maps a name
    in :data:`ADAPTIVE_PARAMS` to ``(lo, hi)``; `level_overrides` maps a level id to
    ``{setting: value}`` for settings whose spec has ``per_level=True``.
    """

    alias: str = "Guest"
    affected_side: str = "left"
    mirror_mode: str = "video"
    shared_gain: float = 0.3
    shared_gain_min: float = 0.0
    shared_gain_max: float = 0.7
    neglect_side: str | None = None
    face_weak_side: str | None = None
    max_mouth_opening_mm: float = 30.0
    safety_notes: str = ""
    max_shoulder_flexion_deg: float = 120.0
    max_shoulder_abduction_deg: float = 90.0
    max_reach_fraction: float = 0.9
    target_reach_fraction: float = 0.5
    target_radius_norm: float = 0.10
    dwell_s: float = 1.0
    speed_scale: float = 0.75
    sets: int = 2
    reps: int = 8
    rest_s: float = 60.0
    session_minutes: float = 20.0
    sessions_per_week: int = 5
    plan: tuple[Mapping[str, Any], ...] = ()
    balance_zone_fraction: float = 0.5
    max_hand_closure: float = 1.0
    hand_closure: float = 0.6
    adaptive: bool = True
    adaptive_bounds: Mapping[str, tuple[float, float]] = field(
        default_factory=lambda: MappingProxyType(dict(_DEFAULT_BOUNDS))
    )
    text_scale: float = 1.5
    language: str | None = None
    voice: bool = True
    voice_rate: float = 0.85
    voice_volume: float = 0.8
    seated_only: bool = False
    max_knee_flexion_deg: float = 70.0
    squat_depth_deg: float = 45.0
    age_years: int | None = None
    sex: str | None = None
    level_overrides: Mapping[str, Mapping[str, Any]] = field(default_factory=lambda: MappingProxyType({}))

    def __post_init__(self) -> None:
        for spec in SPECS:
            object.__setattr__(self, spec.name, _check(spec, getattr(self, spec.name)))
        object.__setattr__(self, "level_overrides", _check_overrides(self.level_overrides))
        _check_cross(self)
        for level_id in self.level_overrides:
            try:
                self.effective_for_level(level_id)
            except SettingsError as err:
                raise SettingsError(f"level_overrides.{level_id}.{err.key}", err.reason) from None

    @classmethod
    def from_mapping(cls, m: Mapping[str, Any]) -> PatientSettings:
        """Build from JSON-like data; missing keys take defaults, unknown keys are an error."""
        if not isinstance(m, Mapping):
            raise SettingsError("settings", f"expected a mapping, got {type(m).__name__}")
        known = set(SPEC_BY_NAME) | {"level_overrides"}
        for key in m:
            if key not in known:
                raise SettingsError(str(key), "unknown setting")
        return cls(**dict(m))

    def to_mapping(self) -> dict[str, Any]:
        """Plain JSON-able data (lists and dicts) that :meth:`from_mapping` reads back."""
        out: dict[str, Any] = {s.name: _plain(getattr(self, s.name)) for s in SPECS}
        out["level_overrides"] = _plain(self.level_overrides)
        return out

    def with_change(self, key: str, value: Any, *, level_id: str | None = None) -> PatientSettings:
        """Return a validated copy with `key` set (for one level if `level_id`; None removes it)."""
        if key not in SPEC_BY_NAME:
            raise SettingsError(key, "unknown setting")
        if level_id is None:
            return dataclasses.replace(self, **{key: value})
        overrides = {k: dict(v) for k, v in self.level_overrides.items()}
        level = overrides.setdefault(level_id, {})
        if value is None:
            level.pop(key, None)
            if not level:
                del overrides[level_id]
        else:
            level[key] = value
        return dataclasses.replace(self, level_overrides=overrides)

    def effective_for_level(self, level_id: str) -> PatientSettings:
        """Settings a level plays with: the patient's, with that level's overrides applied."""
        changes = dict(self.level_overrides.get(level_id, {}))
        return dataclasses.replace(self, level_overrides={}, **changes)


def diff(a: PatientSettings, b: PatientSettings) -> list[tuple[str, Any, Any]]:
    """List ``(key, old, new)`` for every setting that differs, for the change log.

    Per-level overrides appear as ``"level_overrides.<level>.<key>"`` with None for absent.
    """
    ma, mb = a.to_mapping(), b.to_mapping()
    out = [(s.name, ma[s.name], mb[s.name]) for s in SPECS if ma[s.name] != mb[s.name]]
    la, lb = ma["level_overrides"], mb["level_overrides"]
    for level in sorted(set(la) | set(lb)):
        oa, ob = la.get(level, {}), lb.get(level, {})
        for key in sorted(set(oa) | set(ob)):
            if oa.get(key) != ob.get(key):
                out.append((f"level_overrides.{level}.{key}", oa.get(key), ob.get(key)))
    return out


def settings_of(patient: Patient) -> PatientSettings:
    """The patient's validated settings; defaults (with alias and side) if the stored ones are bad."""
    raw = dict(patient.settings)
    raw.setdefault("alias", patient.alias)
    raw["affected_side"] = patient.affected_side
    try:
        return PatientSettings.from_mapping(raw)
    except (SettingsError, TypeError):
        return PatientSettings(alias=patient.alias, affected_side=patient.affected_side)


def _plain(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    return value


def _type_name(t: type) -> str:
    return {bool: "true/false", int: "a whole number", float: "a number", str: "text",
            list: "a list", dict: "a mapping"}[t]  # fmt: skip


def _check(spec: FieldSpec, value: Any, key: str | None = None) -> Any:
    """Type- and range-check one value; return it normalised (int → float, lists → tuples)."""
    key = key or spec.name
    if value is None and spec.optional:
        return None
    if spec.name == "plan":
        return _check_plan(value, key)
    if spec.name == "adaptive_bounds":
        return _check_bounds(value, key)
    is_num = isinstance(value, int | float) and not isinstance(value, bool)
    ok = {
        bool: isinstance(value, bool),
        int: is_num and float(value).is_integer(),
        float: is_num and value == value and abs(value) != float("inf"),
        str: isinstance(value, str),
    }[spec.type]
    if not ok:
        raise SettingsError(key, f"expected {_type_name(spec.type)}, got {value!r}")
    if spec.type in (int, float):
        value = spec.type(value)
    if spec.choices is not None and value not in spec.choices:
        raise SettingsError(key, f"{value!r} is not one of {', '.join(spec.choices)}")
    if isinstance(value, str):
        size = len(value.strip())
        if spec.min is not None and size < spec.min:
            raise SettingsError(
                key, f"is empty: type at least {spec.min:g} character{'s' if spec.min != 1 else ''}"
            )
        if spec.max is not None and size > spec.max:
            raise SettingsError(key, f"{size} characters is above the allowed maximum {spec.max:g}")
        return value
    unit = _unit(spec)
    if spec.type is not bool and spec.min is not None and value < spec.min:
        raise SettingsError(key, f"{value:g}{unit} is below the allowed minimum {spec.min:g}{unit}")
    if spec.type is not bool and spec.max is not None and value > spec.max:
        raise SettingsError(key, f"{value:g}{unit} is above the allowed maximum {spec.max:g}{unit}")
    return value


def _unit(spec: FieldSpec) -> str:
    """The unit written after a number in a message (" deg", " s", " arm lengths"; none for
    plain counts and fractions)."""
    return "" if spec.unit in ("", "1") else " times" if spec.unit == "x" else f" {spec.unit}"


def _check_plan(value: Any, key: str) -> tuple[Mapping[str, Any], ...]:
    if not isinstance(value, list | tuple):
        raise SettingsError(key, f"expected a list of steps, got {value!r}")
    if len(value) > 30:
        raise SettingsError(key, f"{len(value)} steps is above the allowed maximum 30")
    steps = []
    for i, step in enumerate(value):
        where = f"{key}[{i}]"
        if not isinstance(step, Mapping) or set(step) != set(PLAN_KEYS):
            raise SettingsError(where, f"a step needs exactly the keys {', '.join(PLAN_KEYS)}")
        level = step["level"]
        if not isinstance(level, str) or not level.strip():
            raise SettingsError(f"{where}.level", "must be a level id (non-empty text)")
        checked = {k: _check(SPEC_BY_NAME[k], step[k], f"{where}.{k}") for k in PLAN_KEYS[1:]}
        steps.append(MappingProxyType({"level": level, **checked}))
    return tuple(steps)


def _check_bounds(value: Any, key: str) -> Mapping[str, tuple[float, float]]:
    if not isinstance(value, Mapping):
        raise SettingsError(key, f"expected a mapping of parameter -> [lo, hi], got {value!r}")
    out: dict[str, tuple[float, float]] = {}
    for param, pair in value.items():
        where = f"{key}.{param}"
        if param not in ADAPTIVE_PARAMS:
            raise SettingsError(where, f"not adaptive (allowed: {', '.join(ADAPTIVE_PARAMS)})")
        if not isinstance(pair, list | tuple) or len(pair) != 2:
            raise SettingsError(where, f"expected [lo, hi], got {pair!r}")
        lo, hi = (_check(SPEC_BY_NAME[param], v, where) for v in pair)
        if lo > hi:
            raise SettingsError(where, f"lowest {lo} is above highest {hi}")
        out[param] = (lo, hi)
    return MappingProxyType(out)


def _check_overrides(value: Any) -> Mapping[str, Mapping[str, Any]]:
    key = "level_overrides"
    if not isinstance(value, Mapping):
        raise SettingsError(key, f"expected a mapping of level id -> settings, got {value!r}")
    out: dict[str, Mapping[str, Any]] = {}
    for level_id, changes in value.items():
        if not isinstance(level_id, str) or not level_id.strip():
            raise SettingsError(key, f"level id must be non-empty text, got {level_id!r}")
        if not isinstance(changes, Mapping):
            raise SettingsError(f"{key}.{level_id}", "expected a mapping of setting -> value")
        checked = {}
        for name, v in changes.items():
            where = f"{key}.{level_id}.{name}"
            spec = SPEC_BY_NAME.get(name)
            if spec is None or not spec.per_level:
                raise SettingsError(where, "cannot be set per level")
            checked[name] = _check(spec, v, where)
        out[level_id] = MappingProxyType(checked)
    return MappingProxyType(out)


def _check_cross(s: PatientSettings) -> None:
    """Relations between settings: safety limits bound everything else."""
    if s.shared_gain_min > s.shared_gain_max:
        raise SettingsError(
            "shared_gain_min",
            f"{s.shared_gain_min:g} is above Own-arm share, highest ({s.shared_gain_max:g})",
        )
    if not s.shared_gain_min <= s.shared_gain <= s.shared_gain_max:
        raise SettingsError(
            "shared_gain",
            f"{s.shared_gain:g} is outside the lowest-highest {s.shared_gain_min:g}-{s.shared_gain_max:g}",
        )
    for asked, limit in LIMITED:
        _check_within_limit(s, asked, limit)
    if s.neglect_side is not None and s.neglect_side not in SIDES:
        raise SettingsError("neglect_side", "must be left, right or none")
    if s.face_weak_side is not None and s.face_weak_side not in SIDES:
        raise SettingsError("face_weak_side", "must be left, right or none")


LIMITED = (
    ("target_reach_fraction", "max_reach_fraction"),
    ("squat_depth_deg", "max_knee_flexion_deg"),
    ("hand_closure", "max_hand_closure"),
)
"""(what a level asks, the safety limit it may never pass), for the setting and its adaptive bounds."""


def _check_within_limit(s: PatientSettings, asked: str, limit: str) -> None:
    """The asked value and the adaptive staircase's highest value stay within the safety limit
    ("0.95 arm lengths is beyond Max reach (0.9)")."""
    value, cap = getattr(s, asked), getattr(s, limit)
    unit, label = _unit(SPEC_BY_NAME[asked]), SPEC_BY_NAME[limit].label
    if value > cap:
        raise SettingsError(asked, f"{value:g}{unit} is beyond {label} ({cap:g})")
    bounds = s.adaptive_bounds.get(asked)
    if bounds is not None and bounds[1] > cap:
        raise SettingsError(
            f"adaptive_bounds.{asked}", f"highest {bounds[1]:g}{unit} is beyond {label} ({cap:g})"
        )
