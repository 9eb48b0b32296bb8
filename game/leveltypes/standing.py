"""What the leg level types and the standard tests share: the camera-view check, live guidance
when the legs leave the picture, the posture signal, and their common goals and view.

:class:`StandingExercise` runs every leg level in this order:

1. **chair** (standing types): "Chair or rail within reach?" (game/leveltypes/common.py), and a
   fall watch from then on (a fall stops the level and asks "Are you all right?");
2. **view**: hips, knees and ankles must be in the picture (both legs, or one leg where a side
   view hides the other), seen with a mean visibility of at least :data:`MIN_CONFIDENCE` for
   :data:`VIEW_HOLD_S` (the tracked-confidence check before a test starts), with room above
   the head for a level that stands up from the chair;
3. **stand up** (types that start standing): "Please stand up", until the hips are high;
4. the level itself (``_play``), paused with guidance ("Step back so I can see your feet")
   whenever feet, knees or hips leave the picture again;
5. **sit down** at the end of a standing level, so the next level starts seated.

Front and side views both work: every measure here is a ratio or an angle that reads the same
from both (game/scoring/lower_limb.py).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from game.i18n import M_
from game.leveltypes.base import ExerciseContext, Rest, Tracked
from game.leveltypes.common import BalanceExercise
from game.leveltypes.events import Event, Feedback
from game.leveltypes.views import ConfirmView, LevelView
from game.scoring.lower_limb import hip_height_shanks, mean_knee_flexion_deg
from game.tracking import pose as P
from game.tracking.pose import VISIBLE, PoseFrame

VIEW_HOLD_S = 1.0
"""The legs must be seen well this long before the level (or test) starts."""
MIN_CONFIDENCE = 0.6
"""Mean MediaPipe visibility of the landmarks a level needs, for it to start."""
EDGE = 0.01
"""Landmarks closer than this to the picture's edge count as out of the picture."""
HEADROOM = 0.18
"""A seated patient who will stand up needs the nose this far below the picture's top."""
STAND_SHANKS = 1.8
"""Hip height (shank lengths above the ankles) that counts as standing (2.0 upright)."""
SIT_SHANKS = 1.45
"""Hip height that counts as seated (about 1.0-1.3 on a chair)."""
SIT_DOWN_MAX_S = 8.0
"""Longest wait for the patient to sit down at the end of a standing level."""
GUIDANCE = {
    "feet": M_("Step back so I can see your feet"),
    "knees": M_("Step back so I can see your knees"),
    "hips": M_("Step back so I can see your hips"),
    "head": M_("Step back so there is room above your head"),
}
"""What the level says when part of the body is out of the picture."""
LEG_CHAINS = {"left": (P.L_HIP, P.L_KNEE, P.L_ANKLE), "right": (P.R_HIP, P.R_KNEE, P.R_ANKLE)}


@dataclass(frozen=True)
class SitStill:
    """Goal: sit on the chair (arms as asked: "crossed", "free")."""

    arms: str = "free"


@dataclass(frozen=True)
class StandStill:
    """Goal: stand (arms as asked)."""

    arms: str = "free"


@dataclass(frozen=True)
class StepBack:
    """Goal: move further from the camera (with the chair), seated or standing."""

    stand: bool = False


@dataclass(frozen=True)
class LegView(LevelView):
    """The part of every leg level's view the shared drawer reads."""

    confirm: ConfirmView | None = None
    guidance: str | None = None
    """Why the level waits ("Step back so I can see your feet"), or None."""
    phase: str = "confirm"
    view_progress: float = 0.0
    """0..1 of the camera-view check."""
    prompt: str | None = None
    """A big one-line prompt ("Please stand up", "Sit down and rest")."""


def seen(frame: PoseFrame, idx: int) -> bool:
    """A landmark is seen: visible enough and inside the picture."""
    v = frame.image[idx]
    return bool(v[3] >= VISIBLE and EDGE <= v[0] <= 1 - EDGE and EDGE <= v[1] <= 1 - EDGE)


def view_problem(frame: PoseFrame, both_legs: bool, headroom: bool = False) -> str | None:
    """What is out of the picture ("feet", "knees", "hips", "head"), or None when all is seen.

    ``both_legs``: both legs must be seen (front view); otherwise one whole leg is enough (a
    side view hides the far one). ``headroom``: a seated patient must have room to stand up."""
    chains = [[seen(frame, i) for i in chain] for chain in LEG_CHAINS.values()]
    need = 2 if both_legs else 1
    for k, part in ((2, "feet"), (1, "knees"), (0, "hips")):
        if sum(c[k] for c in chains) < need:
            return part
    if headroom and frame.image[P.NOSE, 1] < HEADROOM:
        return "head"
    return None


def view_confidence(frame: PoseFrame, both_legs: bool) -> float:
    """Mean visibility of the leg landmarks the level needs (the better leg when one is enough)."""
    vis = [float(np.mean(frame.image[list(chain), 3])) for chain in LEG_CHAINS.values()]
    return min(vis) if both_legs else max(vis)


def hip_height(frame: PoseFrame, frame_size: tuple[int, int]) -> float:
    """Hip height above the ankles in shank lengths, from the picture (NaN when not seen)."""
    px = frame.image[:, :2].astype(np.float64) * np.asarray(frame_size, dtype=np.float64)
    px[frame.image[:, 3] < VISIBLE] = np.nan
    return float(hip_height_shanks(px))


def knee_flexion(frame: PoseFrame) -> float:
    """Mean knee flexion of the legs seen, degrees (world landmarks; 0 = straight)."""
    w = frame.world[:, :3].astype(np.float64)
    w[frame.world[:, 3] < VISIBLE] = np.nan
    return float(mean_knee_flexion_deg(w))


class StandingExercise(BalanceExercise):
    """A leg level or test (see the module doc). Subclasses set the class attributes and
    implement ``_begin()`` (called once the body is in view, standing if asked), ``_play``,
    ``goal`` (via :meth:`_shared_goal` first) and ``view``."""

    BOTH_LEGS = True
    """Both legs must be in view (False: one is enough, e.g. side views of sit-to-stand)."""
    START_STANDING = False
    """Stand up before the level begins (and sit down again at its end)."""
    HEADROOM = False
    """Starting seated and standing up later: keep room above the head."""
    CHAIR = True
    """Ask for a chair or rail first (every standing level and test)."""

    def __init__(self, ctx: ExerciseContext, reps: int) -> None:
        super().__init__(ctx, reps)
        self.guidance: str | None = None
        self._view_s = 0.0
        self.hip_h = float("nan")
        """Hip height in shank lengths, newest frame."""
        self._h: list[float] = []
        self.prompt: str | None = None
        if not self.CHAIR:  # seated levels: no chair question, straight to the camera view
            self.chair.confirmed = True
            self._phase = "view"

    # -- the shared phases ------------------------------------------------------------------
    def _step(self, dt_s: float, tracked: Tracked) -> list[Event]:
        assert tracked.raw is not None
        self._phase_t_s += dt_s
        if self._phase == "confirm":
            return self._ask_chair(dt_s, tracked, then="view")
        self._h = (self._h + [hip_height(tracked.raw, self.ctx.frame_size)])[-3:]
        self.hip_h = float(np.nanmedian(self._h)) if np.any(np.isfinite(self._h)) else float("nan")
        seated_start = self._phase == "view" and self.HEADROOM
        problem = view_problem(tracked.raw, self.BOTH_LEGS, seated_start)
        self.guidance = GUIDANCE[problem] if problem is not None else None
        if self._phase == "view":
            return self._check_view(dt_s, tracked)
        if self.guidance is not None:
            return []  # the level waits (its clock too) until the body is back in view
        if self._phase == "stand_up":
            return self._wait_standing(dt_s)
        if self._phase == "sit_down":
            if self.hip_h <= SIT_SHANKS or self._phase_t_s >= SIT_DOWN_MAX_S:
                self.done, self._phase = True, "done"
            return []
        return self._play(dt_s, tracked)

    def _check_view(self, dt_s: float, tracked: Tracked) -> list[Event]:
        assert tracked.raw is not None
        ok = self.guidance is None and view_confidence(tracked.raw, self.BOTH_LEGS) >= MIN_CONFIDENCE
        self._view_s = self._view_s + dt_s if ok else 0.0
        if self._view_s < VIEW_HOLD_S:
            return []
        if self.START_STANDING and not self.hip_h >= STAND_SHANKS:
            self._set_phase("stand_up")
            self.prompt = M_("Please stand up")
            return [Feedback("cue", "Please stand up")]
        return self._begin()

    def _wait_standing(self, dt_s: float) -> list[Event]:
        standing = self.hip_h >= STAND_SHANKS
        self._view_s = self._view_s + dt_s if standing else 0.0
        if self._view_s < VIEW_HOLD_S:
            return []
        self.prompt = None
        return self._begin()

    def _set_phase(self, phase: str) -> None:
        self._phase, self._phase_t_s, self._view_s = phase, 0.0, 0.0

    def _finish(self) -> list[Event]:
        """End of the level: standing levels ask the patient to sit down first."""
        if self.START_STANDING:
            self._set_phase("sit_down")
            self.prompt = M_("Well done - sit down and rest")
            return [Feedback("cue", "Sit down and rest")]
        self.done, self._phase = True, "done"
        return []

    def _shared_goal(self) -> object | None:
        """The goal of the shared phases (None during the level's own)."""
        if self._phase == "confirm":
            return Rest()
        standing = self.START_STANDING and self._phase not in ("view", "sit_down")
        if self.guidance is not None:
            return StepBack(stand=standing or self._phase == "stand_up")
        if self._phase == "view":
            return StandStill() if standing else SitStill()
        if self._phase == "stand_up":
            return StandStill()
        if self._phase == "sit_down":
            return SitStill()
        return None

    def _leg_view(self) -> dict[str, object]:
        """The shared fields of every leg level's view."""
        return {
            "confirm": self._confirm_view(),
            "guidance": self.guidance if self._phase not in ("confirm", "fallen") else None,
            "phase": self._phase,
            "view_progress": min(self._view_s / VIEW_HOLD_S, 1.0) if self._phase == "view" else 0.0,
            "prompt": self.prompt,
        }

    # -- what subclasses implement -------------------------------------------------------------
    def _begin(self) -> list[Event]:
        raise NotImplementedError

    def _play(self, dt_s: float, tracked: Tracked) -> list[Event]:
        raise NotImplementedError
