"""Five-times sit-to-stand test (Bohannon 2006 reference values; docs/sources.md §6.10), guided.

The protocol: a straight-backed chair, arms folded across the chest; "stand up and sit down as
quickly as possible five times, keeping your arms folded"; the clock runs from "Go" until the
person **stands the fifth time** (the Short Physical Performance Battery's stop rule). A test not
done in 60 s is stopped. The time is compared with the age band's limit (slower than average
above it); a test done with the hands pushing on the thighs is kept but not compared.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from game.i18n import M_, N_
from game.leveltypes.base import ExerciseContext, Tracked
from game.leveltypes.events import Event
from game.leveltypes.guided import ChairTest, ChairTestParams
from game.leveltypes.params import param

STANDS = 5
INSTRUCTIONS = (
    M_("Sit with your back against the chair and your feet flat."),
    M_("Fold your arms across your chest and keep them there."),
    M_("On GO, stand up all the way and sit down again five times, as quickly as you safely can."),
    M_("The clock stops when you stand up the fifth time."),
)


@dataclass(frozen=True)
class FiveStsParams(ChairTestParams):
    """Parameters of the five-times sit-to-stand (the protocol fixes most of them)."""

    time_limit_s: float = param(60.0, 20.0, 120.0, "s", "the test stops after this long")


@dataclass(frozen=True)
class FiveStsRep:
    """The test's own event data: thresholds, the stop, and for whom."""

    sit_shanks: float
    stand_shanks: float
    completed: bool
    arms_used: bool
    age_years: int
    sex: str


class FiveStsTest(ChairTest):
    """A running five-times sit-to-stand."""

    TEST = "five_sts"
    TITLE = M_("Five times sit-to-stand")
    INSTRUCTIONS = INSTRUCTIONS

    def __init__(self, params: FiveStsParams, ctx: ExerciseContext) -> None:
        super().__init__(params, ctx)
        self.p = params

    def _run(self, dt_s: float, tracked: Tracked) -> list[Event]:
        assert tracked.raw is not None
        self.counter.update(self.hip_h, tracked.raw)
        elapsed = tracked.t_s - self.start_t_s
        self.big = f"{elapsed:.0f} s"
        self.small = N_("{n} of {total} stands", n=self.counter.count, total=STANDS)
        done = self.counter.count >= STANDS
        if not done and elapsed < self.p.time_limit_s:
            return []
        p, arms = self.p, self.counter.arms_used
        detail = FiveStsRep(p.sit_shanks, p.stand_shanks, done, arms, self.age or 0, self.sex or "unknown")
        return self._report(elapsed if done else math.nan, tracked, detail, completed=done and not arms)
