"""Adaptive difficulty: one staircase per parameter, a compensation guard, shared-control gain.

Each adaptive parameter (target distance, target size, hold time, speed, balance zone) has its
own :class:`Staircase` that aims at a success rate of about 70-80 % (docs/sources.md §8):

- ``"1up2down"``: harder after 2 successes in a row, easier after a miss → 70.7 % (Levitt 1971).
- ``"1up3down"``: harder after 3 successes in a row → 79.4 % (Levitt 1971).
- ``"weighted"`` (default): one step per trial, easier step / harder step = p/(1-p) (Kaernbach
  1991), so p = 0.75 gives an easier step 3 × the harder step.

Fixed-step staircases settle near, not exactly at, these targets (García-Pérez 1998); the tests
check convergence by simulation with a logistic simulated patient. Values never leave the
therapist's bounds, whose upper reach bound is itself capped by the range-of-motion limit
(:func:`staircases_from_settings`). Difficulty is never raised while compensation is rising
(§8 item 4, restitution versus compensation). Every move or hold comes back as a :class:`Change`
with a reason the therapist can read.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np

from game.therapist.settings_schema import ADAPTIVE_PARAMS, LIMITED, PatientSettings

Rule = Literal["1up2down", "1up3down", "weighted"]
RULES: tuple[str, ...] = ("1up2down", "1up3down", "weighted")

HARDER_SIGN = {
    "target_reach_fraction": 1, "target_radius_norm": -1, "dwell_s": 1, "speed_scale": 1,
    "balance_zone_fraction": 1, "squat_depth_deg": 1, "hand_closure": 1,
}  # fmt: skip
"""+1 when a larger value is harder (further, longer, faster, wider lean); -1 when smaller is."""
DEFAULT_STEP = {
    "target_reach_fraction": 0.02, "target_radius_norm": 0.005, "dwell_s": 0.1,
    "speed_scale": 0.05, "balance_zone_fraction": 0.03, "squat_depth_deg": 3.0, "hand_closure": 0.03,
}  # fmt: skip
"""Harder step per parameter, in its own unit (small against the therapist's bounds)."""
_WORDS = {
    "target_reach_fraction": ("target", "further", "closer"),
    "target_radius_norm": ("target", "smaller", "larger"),
    "dwell_s": ("hold", "longer", "shorter"),
    "speed_scale": ("speed", "faster", "slower"),
    "balance_zone_fraction": ("lean zone", "wider", "narrower"),
    "squat_depth_deg": ("squat", "deeper", "shallower"),
    "hand_closure": ("hand closing", "tighter", "looser"),
}
SAFETY_CAPS = dict(LIMITED)
"""Adaptive parameter -> the safety limit its upper bound never passes (settings_schema.LIMITED)."""
COMPENSATION_MARGIN_MM = 20.0
"""Trunk displacement rise that counts as compensation: about one healthy SD (27 ± 17 mm,
drinking task, Alt Murphy 2011; docs/sources.md §1.1, §3), rounded up for tracking noise."""


@dataclass(frozen=True)
class Change:
    """What the adaptive controller did to one parameter and why (old == new for a hold)."""

    param: str
    old: float
    new: float
    reason: str


@dataclass(frozen=True)
class Staircase:
    """Configuration and state of one parameter's staircase.

    `value` always lies in [`lo`, `hi`]; `step` is the harder step in the parameter's unit;
    `harder` is +1 if a larger value is harder, -1 if smaller is; `target_p` is used by the
    ``"weighted"`` rule. `streak` counts successes since the last move; `trials` and
    `successes` count everything seen.
    """

    param: str
    value: float
    step: float
    lo: float
    hi: float
    harder: int
    rule: Rule = "weighted"
    target_p: float = 0.75
    streak: int = 0
    trials: int = 0
    successes: int = 0

    def __post_init__(self) -> None:
        if not self.lo <= self.hi:
            raise ValueError(f"{self.param}: lo {self.lo} is above hi {self.hi}")
        if not self.lo <= self.value <= self.hi:
            raise ValueError(f"{self.param}: value {self.value} is outside [{self.lo}, {self.hi}]")
        if not self.step > 0:
            raise ValueError(f"{self.param}: step must be > 0, got {self.step}")
        if self.harder not in (1, -1):
            raise ValueError(f"{self.param}: harder must be +1 or -1, got {self.harder}")
        if self.rule not in RULES:
            raise ValueError(f"{self.param}: rule must be one of {', '.join(RULES)}")
        if not 0.5 <= self.target_p < 1.0:
            raise ValueError(f"{self.param}: target_p must be in [0.5, 1), got {self.target_p}")

    @property
    def n_down(self) -> int:
        """Successes in a row needed before a harder step."""
        return {"1up2down": 2, "1up3down": 3}.get(self.rule, 1)

    @property
    def easier_step(self) -> float:
        """Size of the step after a miss (Kaernbach ratio p/(1-p) for ``"weighted"``)."""
        if self.rule == "weighted":
            return self.step * self.target_p / (1.0 - self.target_p)
        return self.step

    def update(self, success: bool, compensation_rising: bool) -> tuple[Staircase, Change | None]:
        """Shorthand for :func:`update`."""
        return update(self, success, compensation_rising)


def update(state: Staircase, success: bool, compensation_rising: bool) -> tuple[Staircase, Change | None]:
    """Advance `state` by one trial; return the new state and what changed (None if nothing).

    A miss makes the task easier at once. Enough successes make it harder, unless
    `compensation_rising`: then the value is held, the streak restarts, and the hold is reported.
    """
    counted = dataclasses.replace(
        state, trials=state.trials + 1, successes=state.successes + int(bool(success))
    )
    if not success:
        new = _clip(state.value - state.harder * state.easier_step, state.lo, state.hi)
        moved = dataclasses.replace(counted, value=new, streak=0)
        return moved, _change(state, new, "missed")
    streak = state.streak + 1
    if streak < state.n_down:
        return dataclasses.replace(counted, streak=streak), None
    if compensation_rising:
        held = dataclasses.replace(counted, streak=0)
        return held, Change(state.param, state.value, state.value, "held: trunk compensation rising")
    new = _clip(state.value + state.harder * state.step, state.lo, state.hi)
    cause = "success" if state.n_down == 1 else f"{state.n_down} successes in a row"
    return dataclasses.replace(counted, value=new, streak=0), _change(state, new, cause)


def _clip(value: float, lo: float, hi: float) -> float:
    return min(max(value, lo), hi)


def _change(state: Staircase, new: float, cause: str) -> Change | None:
    if new == state.value:
        return None  # already at the therapist's bound: nothing changed
    noun, harder_word, easier_word = _WORDS.get(state.param, (state.param, "harder", "easier"))
    made_harder = (new - state.value) * state.harder > 0
    pct = abs(new - state.value) / abs(state.value) * 100 if state.value else math.inf
    word = harder_word if made_harder else easier_word
    reason = f"{cause} → {noun} {pct:.0f}% {word} ({state.value:.3g} → {new:.3g})"
    return Change(state.param, state.value, new, reason)


def staircases_from_settings(
    settings: PatientSettings, rule: Rule = "weighted", target_p: float = 0.75
) -> dict[str, Staircase]:
    """One staircase per parameter with therapist bounds, starting at the current setting.

    The upper reach bound is capped at ``max_reach_fraction`` so the staircase can never ask
    for more than the range-of-motion limit. Empty when ``settings.adaptive`` is off.
    """
    if not settings.adaptive:
        return {}
    out = {}
    for param in ADAPTIVE_PARAMS:
        if param not in settings.adaptive_bounds:
            continue
        lo, hi = settings.adaptive_bounds[param]
        if param in SAFETY_CAPS:  # never past the therapist's limit
            hi = min(hi, float(getattr(settings, SAFETY_CAPS[param])))
            lo = min(lo, hi)
        value = _clip(float(getattr(settings, param)), lo, hi)
        out[param] = Staircase(param, value, DEFAULT_STEP[param], lo, hi, HARDER_SIGN[param], rule, target_p)
    return out


def compensation_rising(
    trunk_mm_history: Sequence[float],
    *,
    recent_n: int = 3,
    baseline_n: int = 10,
    margin_mm: float = COMPENSATION_MARGIN_MM,
) -> bool:
    """True when recent trunk displacement is clearly above the patient's own baseline.

    Rule (docs/sources.md §8 item 4, "gate progression on quality", and §3): drop NaN
    (unreliable) values; the recent level is the median of the last `recent_n` reps, the
    baseline the median of up to `baseline_n` reps before them; rising means
    ``recent > baseline + margin_mm``. Medians resist a single mistracked rep. With fewer than
    `recent_n` + 3 valid reps there is no baseline, so it returns False.

    Parameters
    ----------
    trunk_mm_history : (N,) float
        Trunk displacement per rep in millimetres, oldest first.
    """
    values = np.asarray(trunk_mm_history, dtype=float).ravel()
    values = values[np.isfinite(values)]
    if recent_n < 1 or baseline_n < 1:
        raise ValueError("recent_n and baseline_n must be >= 1")
    if values.size < recent_n + 3:
        return False
    recent = float(np.median(values[-recent_n:]))
    baseline = float(np.median(values[:-recent_n][-baseline_n:]))
    return recent > baseline + margin_mm


def adapt_shared_gain(
    gain: float,
    bounds: tuple[float, float],
    affected_rom_ratio_history: Sequence[float],
    sparc_history: Sequence[float],
    *,
    window: int = 3,
    step: float = 0.1,
    rom_margin: float = 0.05,
    sparc_margin: float = 0.05,
) -> tuple[float, str]:
    """Move the own-arm share of the shared-control display one step, with the reason.

    Compares the median of the last `window` values with the `window` before them:
    the affected arm's range (as a ratio of the unaffected arm's) up by at least `rom_margin`
    with smoothness (SPARC, closer to 0 is smoother; docs/sources.md §2) not worse by more
    than `sparc_margin` → hand over one `step` to the own arm. Range down by `rom_margin` or
    SPARC worse by `sparc_margin` → hand one step back to the mirrored arm. Otherwise hold.
    The result always lies within `bounds` (the therapist's shared_gain_min/max).

    Parameters
    ----------
    gain : float
        Current share in [0, 1]; 0 = mirrored arm only, 1 = own arm only.
    affected_rom_ratio_history, sparc_history : (N,) float
        One value per session or level, oldest first; NaN = unreliable, ignored.
    """
    lo, hi = bounds
    if not 0.0 <= lo <= hi <= 1.0:
        raise ValueError(f"bounds must satisfy 0 <= lo <= hi <= 1, got {bounds}")
    if not 0.0 <= gain <= 1.0:
        raise ValueError(f"gain must be in [0, 1], got {gain}")
    rom = _finite(affected_rom_ratio_history)
    sparc = _finite(sparc_history)
    if rom.size < 2 * window or sparc.size < 2 * window:
        new = _clip(gain, lo, hi)
        return new, _gain_reason(gain, new, "held: not enough sessions yet")
    d_rom = float(np.median(rom[-window:]) - np.median(rom[-2 * window : -window]))
    d_sparc = float(np.median(sparc[-window:]) - np.median(sparc[-2 * window : -window]))
    rom_text = (
        f"own-arm range {np.median(rom[-2 * window : -window]):.0%} → "
        f"{np.median(rom[-window:]):.0%} of the other arm"
    )
    if d_rom <= -rom_margin or d_sparc <= -sparc_margin:
        why = rom_text if d_rom <= -rom_margin else f"smoothness worse (SPARC {d_sparc:+.2f})"
        return _stepped(gain, -step, lo, hi, f"{why}")
    if d_rom >= rom_margin:
        return _stepped(gain, step, lo, hi, f"{rom_text}, smoothness SPARC {d_sparc:+.2f}")
    new = _clip(gain, lo, hi)
    return new, _gain_reason(gain, new, "held: range and smoothness steady")


def _finite(values: Sequence[float]) -> np.ndarray:
    arr = np.asarray(values, dtype=float).ravel()
    return arr[np.isfinite(arr)]


def _stepped(gain: float, delta: float, lo: float, hi: float, why: str) -> tuple[float, str]:
    new = round(_clip(gain + delta, lo, hi), 6)
    return new, _gain_reason(gain, new, why)


def _gain_reason(old: float, new: float, why: str) -> str:
    if new == old:
        return why if why.startswith("held") else f"{why}; held at the therapist's bound {old:.2f}"
    return f"{why} → own-arm share {old:.2f} → {new:.2f}"
