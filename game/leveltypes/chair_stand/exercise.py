"""30-second chair stand test (CDC STEADI; Rikli & Jones 1999; docs/sources.md §6.9), guided.

The protocol as STEADI gives it: sit in the middle of a chair without arms, each hand on the
opposite shoulder crossed at the wrists, feet flat, back straight; on "Go", rise to a full
stand and sit back down, as many times as possible in 30 seconds. A stand counts when the hips
reach standing height (game/leveltypes/guided.py StandCounter); more than halfway up when the
time ends counts as a stand. **If the arms are needed to stand, the test stops and scores 0.**
The count is compared with the 25th-75th percentile range of the patient's age band and sex.
"""

from __future__ import annotations

from dataclasses import dataclass

from game.i18n import M_, N_
from game.leveltypes.base import ExerciseContext, Tracked
from game.leveltypes.events import Event
from game.leveltypes.guided import ChairTest, ChairTestParams
from game.leveltypes.params import param

INSTRUCTIONS = (
    M_("Sit in the middle of the chair, feet flat on the floor."),
    M_("Cross your arms: each hand on the opposite shoulder."),
    M_("Keep your back straight and your arms against your chest."),
    M_("On GO, stand up all the way, then sit down again."),
    M_("Do it as many times as you can in 30 seconds."),
    M_("If you need your hands to stand up, the test stops there."),
)


@dataclass(frozen=True)
class ChairStandParams(ChairTestParams):
    """Parameters of the 30-second chair stand (the protocol fixes most of them)."""

    duration_s: float = param(30.0, 10.0, 60.0, "s", "test time (the protocol's 30 s)")


@dataclass(frozen=True)
class ChairStandRep:
    """The test's own event data: what the protocol was, and for whom."""

    duration_s: float
    sit_shanks: float
    stand_shanks: float
    arms_stopped: bool
    age_years: int
    sex: str


class ChairStandTest(ChairTest):
    """A running 30-second chair stand."""

    TEST = "chair_stand_30s"
    TITLE = M_("30-second chair stand")
    INSTRUCTIONS = INSTRUCTIONS

    def __init__(self, params: ChairStandParams, ctx: ExerciseContext) -> None:
        super().__init__(params, ctx)
        self.p = params

    def _run(self, dt_s: float, tracked: Tracked) -> list[Event]:
        assert tracked.raw is not None
        self.counter.update(self.hip_h, tracked.raw)
        left = self.p.duration_s - (tracked.t_s - self.start_t_s)
        self.big = str(self.counter.count)
        self.small = N_("stands - {n} s left", n=max(round(left), 0))
        if self.counter.arms_used:
            return self._end(tracked, arms=True)
        return self._end(tracked, arms=False) if left <= 0.0 else []

    def _end(self, tracked: Tracked, arms: bool) -> list[Event]:
        count = 0 if arms else self.counter.count + int(self.counter.halfway_up(self.hip_h))
        p = self.p
        detail = ChairStandRep(
            p.duration_s, p.sit_shanks, p.stand_shanks, arms, self.age or 0, self.sex or "unknown"
        )
        return self._report(float(count), tracked, detail)
