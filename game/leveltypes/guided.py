"""The standard tests as guided tests, not games (30-s chair stand, five-times sit-to-stand,
single-leg stance, functional reach): what their level types share.

A guided test runs: the chair question and the camera-view check with its tracked-confidence
hold (game/leveltypes/standing.py), then the **protocol's own instructions**, one step a line,
and a big "GO" the patient (or a helper) presses or holds the hand on; a 3-2-1 countdown; the
test itself (``_run``, the type's protocol); and the **result** in plain words against the
published norm for the patient's age band and sex, with its source (game/scoring/norms.py).
The whole test is one rep; its numbers are computed again from the recorded frames by the
type's metrics module. Age and sex come from the patient's settings (optional; without them
the result is shown alone).

:class:`StandCounter` counts full stands from the chair live, as both chair tests need it, and
notices hands pushing on the thighs (which the protocols do not allow).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from game.i18n import N_, Text
from game.leveltypes.base import ExerciseContext, Tracked, effective
from game.leveltypes.common import ChairCheck
from game.leveltypes.events import Event, Feedback
from game.leveltypes.params import param
from game.leveltypes.registry import SettingLink
from game.leveltypes.standing import LegView, SitStill, StandingExercise, StandStill
from game.leveltypes.views import ConfirmView
from game.scoring.lower_limb import hands_on_thighs
from game.scoring.norms import compare, comparison_words, result_words
from game.tracking.pose import VISIBLE, PoseFrame

READ_S = 4.0
"""The instructions stay at least this long before GO responds (time to read them)."""
COUNTDOWN_S = 3.0
RESULT_S = 6.0
"""How long the result card stays before the level ends."""
SEXES = ("unknown", "female", "male")


@dataclass(frozen=True)
class GuidedParams:
    """What every guided test's parameters hold: the patient's age and sex for the norm."""

    age_years: int = param(
        0, 0, 110, "years", "the patient's age for the norm (0 = unknown; from the settings)"
    )
    sex: str = param("unknown", help="for the norm (from the settings)", choices=SEXES)


@dataclass(frozen=True)
class ChairTestParams(GuidedParams):
    """The chair tests' parameters: the hip heights that count as standing and as seated."""

    stand_shanks: float = param(1.8, 1.5, 2.0, "shank lengths", "hip height that counts as standing")
    sit_shanks: float = param(1.45, 1.1, 1.7, "shank lengths", "hip height that counts as seated")


@dataclass(frozen=True)
class GuidedView(LegView):
    """What a guided test shows: its instructions and GO, the countdown, the live count or
    clock, then the result card."""

    title: str = ""
    instructions: tuple[str, ...] = ()
    start: ConfirmView | None = None
    countdown: int = 0
    big: str = ""
    small: Text = ""
    result: tuple[str, str, str] | None = None
    """(headline, comparison words, source) once the test is over."""


def age_or_none(age_years: int) -> int | None:
    return age_years if age_years > 0 else None


def sex_or_none(sex: str) -> str | None:
    return sex if sex in ("female", "male") else None


class StandCounter:
    """Full stands from a chair, counted live on the hip height (hysteresis between the seated
    and the standing threshold), with the share of each rise spent with a hand on a thigh."""

    def __init__(self, sit_shanks: float, stand_shanks: float) -> None:
        self.sit, self.stand = sit_shanks, stand_shanks
        self.up = False
        self.count = 0
        self._rise: list[bool] = []
        self.arms_used = False

    def update(self, hip_h: float, frame: PoseFrame) -> bool:
        """One frame; True when it completes a stand."""
        if not self.up and hip_h > self.sit:
            w = frame.world[:, :3].astype(np.float64)
            w[frame.world[:, 3] < VISIBLE] = np.nan
            self._rise.append(bool(hands_on_thighs(w)))
        if not self.up and hip_h >= self.stand:
            self.up, self.count = True, self.count + 1
            self.arms_used |= bool(self._rise) and float(np.mean(self._rise)) > 0.5
            self._rise = []
            return True
        if self.up and hip_h <= self.sit:
            self.up = False
        if not self.up and hip_h <= self.sit:
            self._rise = []
        return False

    def halfway_up(self, hip_h: float) -> bool:
        """More than halfway up and not yet counted (the 30-s chair stand's last stand)."""
        return not self.up and hip_h >= self.sit + 0.5 * (self.stand - self.sit)


class GuidedTest(StandingExercise):
    """A running guided test (see the module doc); subclasses set TEST, TITLE, INSTRUCTIONS and
    implement ``_run`` and ``_test_goal``, and call :meth:`_report` at the end."""

    TEST = ""
    TITLE = ""
    INSTRUCTIONS: tuple[str, ...] = ()

    def __init__(self, ctx: ExerciseContext, age_years: int, sex: str) -> None:
        super().__init__(ctx, 1)
        self.age, self.sex = age_or_none(age_years), sex_or_none(sex)
        self.go = ChairCheck(N_("Ready to start?"), "play", N_("Go!"))
        self.result: tuple[str, str, str] | None = None
        self.big: str = ""
        self.small: Text = ""
        self.start_t_s = 0.0

    @property
    def awaiting_confirm(self) -> bool:
        waiting_go = self._phase == "instructions" and not self.go.confirmed
        return super().awaiting_confirm or (self.all_right is None and waiting_go)

    def handle_select(self) -> None:
        if self.all_right is None and self.chair.confirmed and self._phase == "instructions":
            self.go.press()
        else:
            super().handle_select()

    def goal(self) -> object:
        shared = self._shared_goal()
        if shared is not None:
            return shared
        if self._phase == "test":
            return self._test_goal()
        return StandStill() if self.START_STANDING and self._phase != "result" else SitStill("crossed")

    def view(self) -> GuidedView:
        left = COUNTDOWN_S - self._phase_t_s
        return GuidedView(
            self._hud(),
            **self._leg_view(),  # type: ignore[arg-type]
            title=self.TITLE,
            instructions=self.INSTRUCTIONS,
            start=self.go.view(self.ctx) if self._phase == "instructions" else None,
            countdown=max(int(math.ceil(left)), 1) if self._phase == "countdown" else 0,
            big=self.big,
            small=self.small,
            result=self.result if self._phase == "result" else None,
        )

    def _begin(self) -> list[Event]:
        self._set_phase("instructions")
        return [Feedback("info", "Here is how the test goes")]

    def _play(self, dt_s: float, tracked: Tracked) -> list[Event]:
        if self._phase == "instructions":
            if self._phase_t_s < READ_S:
                return []
            events = self.go.update(dt_s, tracked.t_s, self._hand, self.ctx)
            if self.go.confirmed:
                self._set_phase("countdown")
            return events
        if self._phase == "countdown":
            if self._phase_t_s < COUNTDOWN_S:
                return []
            self._set_phase("test")
            self.start_t_s = tracked.t_s
            return [Feedback("cue", "Go!")] + self._start(tracked)
        if self._phase == "test":
            return self._run(dt_s, tracked)
        if self._phase == "result" and self._phase_t_s >= RESULT_S:
            return self._finish()
        return []

    def _report(
        self, value: float, tracked: Tracked, detail: object, *, completed: bool = True
    ) -> list[Event]:
        """The test is over: one rep for the whole test, and the result card."""
        comparison = (
            compare(self.TEST, value, self.age, self.sex) if completed and math.isfinite(value) else None
        )
        source = f"Norm: {comparison.source}" if comparison is not None else ""
        headline = result_words(self.TEST, value)
        self.result = (
            headline[0].upper() + headline[1:],
            comparison_words(self.TEST, value, comparison),
            source,
        )
        events = self._outcome(
            self.start_t_s, tracked.t_s, completed, detail=detail, chair_confirm_s=self._chair_confirm_s()
        )
        self._set_phase("result")
        return events

    # -- what subclasses implement -------------------------------------------------------------
    def _start(self, tracked: Tracked) -> list[Event]:
        return []

    def _run(self, dt_s: float, tracked: Tracked) -> list[Event]:
        raise NotImplementedError

    def _test_goal(self) -> object:
        raise NotImplementedError


class ChairTest(GuidedTest):
    """A chair test (30-s chair stand, five-times sit-to-stand): seated start, one leg in view is
    enough (side views), stands counted by :class:`StandCounter`, arms crossed."""

    BOTH_LEGS = False
    HEADROOM = True

    def __init__(self, params: ChairTestParams, ctx: ExerciseContext) -> None:
        super().__init__(ctx, int(effective(params, ctx, "age_years")), str(effective(params, ctx, "sex")))
        self.counter = StandCounter(params.sit_shanks, params.stand_shanks)

    def _test_goal(self) -> object:
        return SitStill("crossed") if self.counter.up else StandStill("crossed")


def _age(value: object, params: object, frame_size: tuple[int, int]) -> int:
    """The patient's age setting as a test parameter (0 = unknown)."""
    return int(value) if isinstance(value, int | float) and value > 0 else 0


def _sex(value: object, params: object, frame_size: tuple[int, int]) -> str:
    return value if isinstance(value, str) and value in SEXES else "unknown"


PATIENT_LINKS = {"age_years": SettingLink("age_years", _age), "sex": SettingLink("sex", _sex)}
"""The patient's age and sex (optional settings) become every test's parameters, for its norm."""
