"""A therapy session, split along its data flow.

- clock.py: the session clock (pose timestamps → seconds since the session started) and UTC stamps;
- plan.py: the plan's levels and sets (PlanItem, build_plan);
- overrides.py: the one table from patient settings (therapist, adaptive) to level parameters;
- scoring.py: one rep's frames cut from the recorder and scored by its level type;
- summary.py: a level's summary over its reps, and the range-of-motion comparison;
- rules.py: the fatigue rule and the pain rule;
- run.py: SessionRun, the state machine that plays a plan and stores what happens.

``utc_now`` and ``SessionRun`` are re-exported for the screens and tools that start sessions.
"""

from game.session.clock import utc_now
from game.session.run import SessionRun

__all__ = ["SessionRun", "utc_now"]
