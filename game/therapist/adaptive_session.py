"""Adaptive difficulty across sessions: per-level staircases, persisted, with a readable log.

:mod:`game.therapist.adaptive` holds the staircase and the compensation guard; this module keeps
their state for one patient between levels and sessions and turns it into setting values for a
level. Which setting a level type adapts is the level type's (``LevelType.adaptive``); how a
setting becomes a level parameter is game/session/overrides.py's one table.

Call order (from ``SessionRun``)::

    state = load_state(db, patient_id)
    values = overrides_for_level(state, settings, level_id, params=spec.kind.adaptive)
    ...play the level...
    state, changes = record_reps(state, settings, level_id, reps, params=spec.kind.adaptive)
    save_state(db, patient_id, state, changes, at=utc_now())

Storage (meta keys, JSON text; only game/storage writes SQL, this module calls its API):

- ``adaptive:<patient id>``: ``{"version": 1, "levels": {level: {param: {value, streak, trials,
  successes}}}, "shared_gain": float|null, "trunk_mm": [...], "rom_ratio": [...], "sparc": [...]}``
- ``adaptive_log:<patient id>``: a list of ``{"at", "level", "param", "old", "new", "reason"}``,
  oldest first, the latest :data:`LOG_MAX` kept. Therapist edits go to the settings change log
  (``Database.update_patient_settings``); adaptive moves go here so the two never mix.

Bounds are rebuilt from the *current* settings every time (a therapist edit wins at once), and
the reach value is clipped to ``max_reach_fraction``, so no stored state can exceed the
range-of-motion limit (docs/sources.md §8).
"""

from __future__ import annotations

import dataclasses
import json
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

import numpy as np

from game.storage.protocol import MetaStore
from game.therapist.adaptive import (
    HARDER_SIGN,
    Change,
    Staircase,
    adapt_shared_gain,
    compensation_rising,
    staircases_from_settings,
    update,
)
from game.therapist.settings_schema import ADAPTIVE_PARAMS, PatientSettings

HISTORY_MAX = 60
"""Per-rep trunk values (and per-level gain inputs) kept: enough for baseline + recent."""
LOG_MAX = 1000
"""Adaptive log entries kept per patient (oldest dropped)."""
_WORDS = {
    "target_reach_fraction": ("target distance", "further", "closer"),
    "target_radius_norm": ("target size", "smaller", "larger"),
    "dwell_s": ("hold time", "longer", "shorter"),
    "speed_scale": ("speed", "faster", "slower"),
    "balance_zone_fraction": ("lean asked for", "further", "less far"),
    "squat_depth_deg": ("squat depth", "deeper", "shallower"),
    "hand_closure": ("hand closing asked for", "tighter", "looser"),
}


class RepLike(Protocol):
    """A stored rep (game.storage.Rep) as the staircases read it."""

    @property
    def success(self) -> bool: ...

    @property
    def compensated(self) -> bool: ...

    @property
    def metrics(self) -> Mapping[str, float]: ...


@dataclass(frozen=True)
class AdaptiveState:
    """One patient's adaptive state.

    `levels` maps level id → parameter → ``{"value", "streak", "trials", "successes"}``;
    `shared_gain` is the adapted own-arm share (None: not adapted yet); `trunk_mm` is the
    per-rep trunk displacement history in mm; `rom_ratio` and `sparc` hold one value per
    shared-mode level played (inputs of :func:`adapt_shared_gain`).
    """

    levels: Mapping[str, Mapping[str, Mapping[str, float]]] = field(default_factory=dict)
    shared_gain: float | None = None
    trunk_mm: tuple[float, ...] = ()
    rom_ratio: tuple[float, ...] = ()
    sparc: tuple[float, ...] = ()

    def to_json(self) -> str:
        return json.dumps({"version": 1, "levels": self.levels, "shared_gain": self.shared_gain,
                           "trunk_mm": _nan_to_none(self.trunk_mm),
                           "rom_ratio": _nan_to_none(self.rom_ratio),
                           "sparc": _nan_to_none(self.sparc)}, sort_keys=True)  # fmt: skip

    @classmethod
    def from_json(cls, text: str) -> AdaptiveState:
        """Parse stored state; anything damaged starts afresh (safe: values restart at settings)."""
        try:
            raw = json.loads(text)
            levels = {
                str(lvl): {str(p): {k: float(v) for k, v in st.items()} for p, st in params.items()}
                for lvl, params in raw.get("levels", {}).items()
            }
            gain = raw.get("shared_gain")
            return cls(levels, None if gain is None else float(gain), _floats(raw.get("trunk_mm")),
                       _floats(raw.get("rom_ratio")), _floats(raw.get("sparc")))  # fmt: skip
        except (ValueError, TypeError, AttributeError):
            return cls()


def _floats(values: Any) -> tuple[float, ...]:
    return tuple(math.nan if v is None else float(v) for v in (values or ()))


def _nan_to_none(values: Iterable[float]) -> list[float | None]:
    return [v if math.isfinite(v) else None for v in values]


def state_key(patient_id: str) -> str:
    return f"adaptive:{patient_id}"


def log_key(patient_id: str) -> str:
    return f"adaptive_log:{patient_id}"


def load_state(db: MetaStore, patient_id: str) -> AdaptiveState:
    """The patient's stored adaptive state, or a fresh one."""
    text = db.get_meta(state_key(patient_id))
    return AdaptiveState.from_json(text) if text else AdaptiveState()


def load_log(db: MetaStore, patient_id: str) -> list[dict[str, Any]]:
    """The patient's adaptive log (oldest first); empty when none or damaged."""
    text = db.get_meta(log_key(patient_id))
    try:
        log = json.loads(text) if text else []
    except ValueError:
        return []
    return [e for e in log if isinstance(e, dict)] if isinstance(log, list) else []


def save_state(
    db: MetaStore, patient_id: str, state: AdaptiveState, changes: Sequence[LevelChange], at: str
) -> None:
    """Store `state` and append `changes` (stamped `at`, ISO-8601 UTC) to the adaptive log."""
    db.set_meta(state_key(patient_id), state.to_json())
    if not changes:
        return
    log = load_log(db, patient_id)
    log += [{"at": at, "level": c.level_id, "param": c.param, "old": c.old, "new": c.new,
             "reason": c.reason} for c in changes]  # fmt: skip
    db.set_meta(log_key(patient_id), json.dumps(log[-LOG_MAX:]))


@dataclass(frozen=True)
class LevelChange(Change):
    """A :class:`Change` with the level it applied to."""

    level_id: str = ""


def params_for(params: Sequence[str]) -> tuple[str, ...]:
    """The adapted settings, each checked to be in :data:`ADAPTIVE_PARAMS`.

    Which one a level adapts is its level type's choice (``LevelType.adaptive``: one setting
    per type, design choice). Moving several on the same success signal confounds them: a miss
    would shrink the distance *and* grow the target *and* shorten the hold, and the log could
    not say which made the difference; one staircase per level keeps the 70-80 % target of
    docs/sources.md §8 interpretable. Shared-control gain adapts in shared mirror mode for
    every type."""
    bad = [p for p in params if p not in ADAPTIVE_PARAMS]
    if bad:
        raise ValueError(f"params: {', '.join(bad)} not adaptive (allowed: {', '.join(ADAPTIVE_PARAMS)})")
    return tuple(params)


def _staircases(
    state: AdaptiveState, settings: PatientSettings, level_id: str, params: tuple[str, ...]
) -> dict[str, Staircase]:
    """This level's staircases: bounds from the current settings, stored progress clipped in."""
    eff = settings.effective_for_level(level_id)
    fresh = staircases_from_settings(eff)
    stored = state.levels.get(level_id, {})
    out = {}
    for param in params:
        sc = fresh.get(param)
        if sc is None:
            continue
        saved = stored.get(param)
        if saved is not None and math.isfinite(saved.get("value", math.nan)):
            sc = dataclasses.replace(
                sc, value=min(max(saved["value"], sc.lo), sc.hi), streak=int(saved.get("streak", 0)),
                trials=int(saved.get("trials", 0)), successes=int(saved.get("successes", 0)),
            )  # fmt: skip
        out[param] = sc
    return out


def overrides_for_level(
    state: AdaptiveState, settings: PatientSettings, level_id: str, *, params: Sequence[str] = ()
) -> dict[str, float]:
    """Setting values for a level, keyed by setting name (game/session/overrides.py turns them
    into level parameters).

    Only the adapted settings ``params`` appear: with adaptive difficulty on, each is its
    staircase's current value; off, the therapist's setting for this level.
    ``target_reach_fraction`` never exceeds ``max_reach_fraction``. ``shared_gain`` is present
    in shared mirror mode only.
    """
    eff = settings.effective_for_level(level_id)
    chosen = params_for(params)
    out = {p: float(getattr(eff, p)) for p in chosen}
    for param, sc in _staircases(state, settings, level_id, chosen).items():
        out[param] = sc.value
    if "target_reach_fraction" in out:
        out["target_reach_fraction"] = min(out["target_reach_fraction"], eff.max_reach_fraction)
    if eff.mirror_mode == "shared":
        gain = eff.shared_gain if state.shared_gain is None or not eff.adaptive else state.shared_gain
        out["shared_gain"] = min(max(gain, eff.shared_gain_min), eff.shared_gain_max)
    return out


def record_reps(
    state: AdaptiveState,
    settings: PatientSettings,
    level_id: str,
    reps: Sequence[RepLike],
    *,
    params: Sequence[str] = (),
) -> tuple[AdaptiveState, list[LevelChange]]:
    """Advance the level's staircase(s) of the settings ``params`` (its level type's
    ``adaptive``) with its reps (in order); return the state and changes. Stored values of
    settings not adapted here are kept.

    Difficulty is never raised on a rep flagged ``compensated`` or while trunk displacement
    is rising (:func:`compensation_rising`). One summarising change per parameter that moved or
    was held; nothing when adaptive difficulty is off for this level.
    """
    eff = settings.effective_for_level(level_id)
    if not eff.adaptive or not reps:
        return state, []
    stairs = _staircases(state, settings, level_id, params_for(params))
    start = {p: sc.value for p, sc in stairs.items()}
    held: dict[str, int] = {p: 0 for p in stairs}
    trunk = list(state.trunk_mm)
    for rep in reps:
        trunk.append(float(rep.metrics.get("trunk_displacement_mm", math.nan)))
        rising = bool(rep.compensated) or compensation_rising(trunk)
        for param, sc in stairs.items():
            stairs[param], change = update(sc, bool(rep.success), rising)
            if change is not None and change.old == change.new:
                held[param] += 1
    hits = sum(bool(r.success) for r in reps)
    changes = [
        _summary(param, start[param], sc.value, hits, len(reps), held[param], level_id)
        for param, sc in stairs.items()
        if sc.value != start[param] or held[param]
    ]
    levels = {k: dict(v) for k, v in state.levels.items()}
    levels[level_id] = {**levels.get(level_id, {}), **{
        p: {"value": sc.value, "streak": float(sc.streak), "trials": float(sc.trials),
            "successes": float(sc.successes)} for p, sc in stairs.items()
    }}  # fmt: skip
    new_state = dataclasses.replace(state, levels=levels, trunk_mm=tuple(trunk[-HISTORY_MAX:]))
    if eff.mirror_mode == "shared":
        new_state, gain_change = _adapt_gain(new_state, eff, reps, level_id)
        changes += [gain_change] if gain_change else []
    return new_state, changes


def _summary(param: str, old: float, new: float, hits: int, n: int, held: int, level_id: str) -> LevelChange:
    noun, harder, easier = _WORDS[param]
    why = f"{hits}/{n} successful"
    if held:
        why += f"; harder step held back {held}x: trunk compensation"
    if new == old:
        return LevelChange(param, old, new, f"{why} -> {noun} unchanged ({old:.3g})", level_id)
    word = harder if (new - old) * HARDER_SIGN[param] > 0 else easier
    return LevelChange(param, old, new, f"{why} -> {noun} {word} ({old:.3g} -> {new:.3g})", level_id)


def _median(reps: Sequence[RepLike], key: str) -> float:
    vals = np.array([float(r.metrics.get(key, math.nan)) for r in reps], dtype=float)
    return float(np.nanmedian(vals)) if np.isfinite(vals).any() else math.nan


def _adapt_gain(
    state: AdaptiveState, eff: PatientSettings, reps: Sequence[RepLike], level_id: str
) -> tuple[AdaptiveState, LevelChange | None]:
    """Shared-control gain: one step per level played (game.therapist.adaptive.adapt_shared_gain)."""
    rom = (*state.rom_ratio, _median(reps, "affected_rom_ratio"))[-HISTORY_MAX:]
    sparc = (*state.sparc, _median(reps, "sparc"))[-HISTORY_MAX:]
    old = eff.shared_gain if state.shared_gain is None else state.shared_gain
    old = min(max(old, eff.shared_gain_min), eff.shared_gain_max)
    new, why = adapt_shared_gain(old, (eff.shared_gain_min, eff.shared_gain_max), rom, sparc)
    state = dataclasses.replace(state, shared_gain=new, rom_ratio=rom, sparc=sparc)
    if new == old:
        return state, None
    return state, LevelChange("shared_gain", old, new, why, level_id)
