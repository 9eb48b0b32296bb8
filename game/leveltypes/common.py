"""Shared machinery of the level types: feedback words, the level clock, the chair check.

:class:`ExerciseBase` keeps what every level type repeats: the level clock that pauses when
no one is in view, short-lived feedback words, body measurement at level start and the HUD
part of the view. :class:`ChairCheck` is the safety step of every balance level: before any
standing or weight-shifting task it asks "Chair or rail within reach?" and waits until the
patient (or a helper) confirms with one key (``handle_select``) or by holding the hand on the
big "yes" button. The confirmation is reported as a Feedback and carried by every rep
(``RepOutcome.chair_confirm_s``); the session stores it beside the rep's metrics.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from game.i18n import N_, Text
from game.leveltypes.base import (
    Body,
    ExerciseContext,
    SafetyLimits,
    Tracked,
    body_for_level,
    hand_xy,
)
from game.leveltypes.events import Event, Feedback, RepOutcome
from game.leveltypes.safety import ALARM_REPEAT_S, ALL_RIGHT_TEXT, FallWatch
from game.leveltypes.views import ConfirmView, Hud
from game.scoring.balance import cog_lean_deg
from game.scoring.kinematics import trunk_lean_deg
from game.tracking import pose as P

ENCOURAGE = (N_("Nearly! Next one."), N_("Good try!"), N_("Keep going!"), N_("Well tried!"))
"""Said on a miss: encouragement, never punishment."""
PRAISE = (N_("Great!"), N_("Got it!"), N_("Lovely!"), N_("Well done!"))
FEEDBACK_TTL_S = 1.4
"""How long a feedback word stays on screen."""
READY_S = 0.5
"""Settling time at level start before the body is measured and the first rep is cued."""
LOS_DEG = 8.0
"""Theoretical limit of stability forward and sideways, degrees (NeuroCom convention;
docs/sources.md §6.3): an angle of the whole-body centre of gravity about the ankles. Balance
zones are set as a percentage of it. Seated, the same 8° is only the scale of the trunk lean
(`balance_lean_deg`), not a limit of stability."""
STANDING_KNEE_DROP_M = 0.25
"""A pose is standing when both knees and ankles are seen and the knees are at least this far
below the hips (world y down): standing thighs hang about 0.4 m, a seated person's are nearly
level (knees within a few centimetres of hip height)."""
CHAIR_TEXT = N_("Chair or rail within reach?")
CHAIR_THANKS = N_("Chair ready - thank you")
CHAIR_DWELL_S = 1.5
"""Hold time on the "yes" button: long enough not to be pressed by a passing hand."""
CHAIR_BUTTON_RADIUS_NORM = 0.08
"""Size of the "yes" button, × frame width (big: older eyes, tremor)."""


def elevation_cap_deg(limits: SafetyLimits) -> float:
    """Largest arm elevation any target may ask for: the smaller of the therapist's shoulder
    abduction and flexion limits (frontal-plane elevation, docs/sources.md §4.2)."""
    return float(min(limits.max_shoulder_abduction_deg, limits.max_shoulder_flexion_deg))


def arm_point_px(
    body: Body, elevation_deg: float, fraction: float, limits: SafetyLimits, out_sign: float
) -> tuple[float, float]:
    """A hand point at ``fraction`` × arm length from the affected shoulder, raised
    ``elevation_deg`` from hanging straight down (0 = down, 90 = out to the side, 180 = up),
    capped to the therapist's limits (distance and elevation; §4.2)."""
    elev = min(max(elevation_deg, 0.0), elevation_cap_deg(limits))
    r = min(fraction, limits.max_reach_fraction) * body.arm_px
    a = math.radians(elev)
    return (body.shoulder_px[0] + out_sign * r * math.sin(a), body.shoulder_px[1] + r * math.cos(a))


def cap_point_px(
    body: Body, xy_px: tuple[float, float], limits: SafetyLimits, out_sign: float
) -> tuple[float, float]:
    """Pull a point inside the therapist's limits as seen from the affected shoulder."""
    dx = (xy_px[0] - body.shoulder_px[0]) * out_sign
    dy = xy_px[1] - body.shoulder_px[1]
    dist = math.hypot(dx, dy) / body.arm_px
    elev = math.degrees(math.atan2(dx, dy))  # 0 = straight down, 90 = out to the side
    if dist <= limits.max_reach_fraction and abs(elev) <= elevation_cap_deg(limits):
        return xy_px
    sign = 1.0 if elev >= 0 else -1.0
    elev = sign * min(abs(elev), elevation_cap_deg(limits))
    r = min(dist, limits.max_reach_fraction) * body.arm_px
    a = math.radians(elev)
    return (body.shoulder_px[0] + out_sign * r * math.sin(a), body.shoulder_px[1] + r * math.cos(a))


def elevation_of_px(shoulder_px: np.ndarray, hand_px: np.ndarray, out_sign: float) -> float:
    """Arm elevation in the image (frontal) plane, degrees: 0 hanging down, 90 out to the
    side, 180 straight up, up to 270 across the body; 2-D landmark angle as in
    docs/sources.md §4.2 (expect 5–15° error, §4.3).

    atan2 alone returns (-180, 180]; below -90 deg (an arm past vertical across the body, or
    -180 for an arm straight up when the outward x offset is -0.0) it is moved up by 360 deg,
    so the angle grows continuously through overhead and never reads -180 for 180."""
    d = np.asarray(hand_px, dtype=np.float64) - np.asarray(shoulder_px, dtype=np.float64)
    a = float(np.degrees(np.arctan2(out_sign * d[0], d[1])))
    return a + 360.0 if a < -90.0 else a


def out_sign(ctx: ExerciseContext) -> float:
    """+1 when the affected side's "outward" is raw +x (patient's left = larger raw x)."""
    return 1.0 if ctx.affected_side == "left" else -1.0


def to_px(xy_norm: np.ndarray | tuple[float, float], frame_size: tuple[int, int]) -> np.ndarray:
    return np.asarray(xy_norm, dtype=np.float64) * np.asarray(frame_size, dtype=np.float64)


class ExerciseBase:
    """Clock, pause, feedback and body measurement shared by the level types.

    Subclasses implement ``_step(dt_s, tracked) -> list[Event]`` (called only while someone
    is in view and the level is running), ``goal()`` and ``view()`` (building the HUD part
    with :meth:`_hud`).
    """

    def __init__(self, ctx: ExerciseContext, reps: int) -> None:
        self.ctx = ctx
        self.done = False
        self.stopped = False
        self.reps = reps
        self._rep = 0
        self._hits = 0
        self._t_s = 0.0
        self._body: Body | None = None
        self._paused = False
        self._feedback: list[tuple[Feedback, float]] = []
        self._hand: np.ndarray | None = None
        self._sign = out_sign(ctx)

    @property
    def awaiting_confirm(self) -> bool:
        """True while a safety question waits for a confirmation (none by default)."""
        return False

    def handle_select(self) -> None:
        """The patient pressed SELECT during play (balance levels confirm the chair with it)."""

    def update(self, dt_s: float, tracked: Tracked) -> list[Event]:
        self._tick_feedback(dt_s)
        self._paused = not tracked.present
        if self._paused or self.done:
            return []
        assert tracked.raw is not None and tracked.display_image is not None
        self._t_s += dt_s
        self._hand = hand_xy(tracked.display_image, self.ctx.affected_side)
        if self._body is None:
            self._body = body_for_level(
                self.ctx.body, tracked.raw, self.ctx.affected_side, self.ctx.frame_size
            )
        return self._show(self._step(dt_s, tracked))

    def _tick_feedback(self, dt_s: float) -> None:
        self._feedback = [(f, ttl - dt_s) for f, ttl in self._feedback if ttl - dt_s > 0]

    def _show(self, events: list[Event]) -> list[Event]:
        """Keep the feedback words among ``events`` on screen for a while; return ``events``."""
        for ev in events:
            if isinstance(ev, Feedback):
                self._feedback.append((ev, FEEDBACK_TTL_S))
        return events

    def _step(self, dt_s: float, tracked: Tracked) -> list[Event]:
        raise NotImplementedError

    def _hud(self, time_left_s: float | None = None, compensating: bool = False) -> Hud:
        """The HUD part of this level's view."""
        return Hud(
            hand=None if self._hand is None else (float(self._hand[0]), float(self._hand[1])),
            reps_done=self._rep,
            reps_total=self.reps,
            hits=self._hits,
            paused=self._paused,
            feedback=tuple(f for f, _ in self._feedback),
            time_left_s=time_left_s,
            compensating=compensating,
        )

    def _outcome(
        self,
        t_cue_s: float,
        t_end_s: float,
        success: bool,
        target: tuple[float, float] = (math.nan, math.nan),
        compensated: bool = False,
        detail: Any = None,
        chair_confirm_s: float | None = None,
    ) -> list[Event]:
        """A finished rep plus its kind word (praise on success, encouragement otherwise)."""
        self._hits += int(success)
        out = RepOutcome(
            self.ctx.level_id,
            self.ctx.set_index,
            self._rep,
            t_cue_s,
            t_end_s,
            success,
            compensated,
            target,
            detail,
            chair_confirm_s,
        )
        self._rep += 1
        pool = PRAISE if success else ENCOURAGE
        return [out, Feedback("hit" if success else "miss", pool[self._rep % len(pool)])]

    def _norm(self, xy_px: tuple[float, float]) -> tuple[float, float]:
        w, h = self.ctx.frame_size
        return (float(xy_px[0]) / w, float(xy_px[1]) / h)


class ChairCheck:
    """The chair-or-rail confirmation every balance level asks before standing tasks (and,
    with other words, the "Are you all right?" after a fall).

    Confirmed by one key (the play scene forwards SELECT to ``handle_select``; the demo's
    autopilot presses it) or by holding the displayed hand on the "yes" button for
    ``CHAIR_DWELL_S``. Until then ``awaiting_confirm`` is True and the level waits.
    """

    def __init__(self, text: Text = CHAIR_TEXT, icon: str = "chair", thanks: Text = CHAIR_THANKS) -> None:
        self.text, self.icon, self.thanks = text, icon, thanks
        self.confirmed = False
        self.confirm_t_s = math.nan
        self._dwell_s = 0.0
        self._pressed = False

    @property
    def awaiting(self) -> bool:
        return not self.confirmed

    def press(self) -> None:
        self._pressed = True

    def button_xy(self, ctx: ExerciseContext) -> tuple[float, float]:
        """The "yes" button, raw-normalised: on the affected side at lap height."""
        return (0.5 + out_sign(ctx) * 0.26, 0.66)

    def update(self, dt_s: float, t_s: float, hand: np.ndarray | None, ctx: ExerciseContext) -> list[Event]:
        if self.confirmed:
            return []
        if hand is not None and np.all(np.isfinite(hand)):
            bx, by = self.button_xy(ctx)
            w, h = ctx.frame_size
            d = math.hypot((hand[0] - bx) * w, (hand[1] - by) * h)
            on = d <= CHAIR_BUTTON_RADIUS_NORM * w
            self._dwell_s = self._dwell_s + dt_s if on else max(self._dwell_s - dt_s, 0.0)
        if self._pressed or self._dwell_s >= CHAIR_DWELL_S:
            self.confirmed, self.confirm_t_s = True, t_s
            return [Feedback("info", self.thanks)]
        return []

    def view(self, ctx: ExerciseContext) -> ConfirmView | None:
        if self.confirmed:
            return None
        return ConfirmView(
            text=self.text,
            icon=self.icon,
            button_xy=self.button_xy(ctx),
            radius=CHAIR_BUTTON_RADIUS_NORM,
            progress=min(self._dwell_s / CHAIR_DWELL_S, 1.0),
        )


class BalanceExercise(ExerciseBase):
    """A level type that asks the chair-or-rail question before anything else (:class:`ChairCheck`)
    and watches for a fall all along (game/leveltypes/safety.py): a fall stops the level, sounds
    an alert every few seconds, asks "Are you all right?" and is stored as a record of the level
    (``RepOutcome.detail`` a FallRep); once answered the session stops (``stopped``)."""

    def __init__(self, ctx: ExerciseContext, reps: int) -> None:
        super().__init__(ctx, reps)
        self.chair = ChairCheck()
        self._phase, self._phase_t_s = "confirm", 0.0
        self.fall_watch = FallWatch(ctx.frame_size)
        self.all_right: ChairCheck | None = None
        """The "Are you all right?" question, once a fall was seen."""
        self._alarm_s = 0.0

    def update(self, dt_s: float, tracked: Tracked) -> list[Event]:
        if self.all_right is not None:
            return self._after_fall(dt_s, tracked)
        events = super().update(dt_s, tracked)
        if tracked.present and not self.done and self.fall_watch.update(tracked.raw):  # type: ignore[arg-type]
            events += self._show(self._on_fall(tracked))
        return events

    def _on_fall(self, tracked: Tracked) -> list[Event]:
        """Stop: the fall as a record of this level, the alert, and the question."""
        self.all_right = ChairCheck(ALL_RIGHT_TEXT, "heart", N_("Thank you. We stop here - rest now."))
        self._phase, self._phase_t_s = "fallen", 0.0
        t0 = (
            min(self.fall_watch.onset_t_s, tracked.t_s)
            if math.isfinite(self.fall_watch.onset_t_s)
            else tracked.t_s
        )
        out = RepOutcome(
            self.ctx.level_id, self.ctx.set_index, self._rep, t0, tracked.t_s, False, False,
            detail=self.fall_watch.detail, chair_confirm_s=self._chair_confirm_s(),
        )  # fmt: skip
        self._feedback = []  # the question alone on screen: no praise left over from the last rep
        return [out, Feedback("alert", "")]

    def _after_fall(self, dt_s: float, tracked: Tracked) -> list[Event]:
        """Wait for the answer (a key or the hand on YES), sounding the alert again now and then."""
        assert self.all_right is not None
        self._tick_feedback(dt_s)
        self._paused = not tracked.present
        if tracked.display_image is not None:
            self._hand = hand_xy(tracked.display_image, self.ctx.affected_side)
        events = self.all_right.update(dt_s, tracked.t_s, self._hand, self.ctx)
        self._alarm_s += dt_s
        if self._alarm_s >= ALARM_REPEAT_S and not self.all_right.confirmed:
            self._alarm_s = 0.0
            events.append(Feedback("alert", ""))  # the sound again; the question stays on screen
        if self.all_right.confirmed:
            self.done = self.stopped = True
        return self._show(events)

    def _confirm_view(self) -> ConfirmView | None:
        """The question on screen: "Are you all right?" after a fall, else the chair question."""
        return (self.all_right or self.chair).view(self.ctx)

    def _ask_chair(self, dt_s: float, tracked: Tracked, then: str) -> list[Event]:
        """One step of the "confirm" phase: the question waits; once answered the level goes
        on to phase ``then``."""
        events = self.chair.update(dt_s, tracked.t_s, self._hand, self.ctx)
        if self.chair.confirmed:
            self._phase, self._phase_t_s = then, 0.0
        return events

    @property
    def awaiting_confirm(self) -> bool:
        return (self.all_right or self.chair).awaiting

    def handle_select(self) -> None:
        """Confirm that a chair or rail is within reach, or, after a fall, "I am all right"."""
        (self.all_right or self.chair).press()

    def _chair_confirm_s(self) -> float | None:
        """When the chair was confirmed (pose clock), for every rep's record; None before."""
        return self.chair.confirm_t_s if self.chair.confirmed else None


def standing(world: np.ndarray) -> bool:
    """Whether the poses ``(..., 33, 4)`` show a standing person (the median over frames of
    the knee drop below the hips, ``STANDING_KNEE_DROP_M``, with knees and ankles seen)."""
    w = np.asarray(world, dtype=np.float64).reshape(-1, 33, 4)
    legs = [P.L_KNEE, P.R_KNEE, P.L_ANKLE, P.R_ANKLE]
    seen = np.all(w[:, legs, 3] >= P.VISIBLE, axis=-1)
    drop = w[:, [P.L_KNEE, P.R_KNEE], 1].mean(axis=-1) - w[:, [P.L_HIP, P.R_HIP], 1].mean(axis=-1)
    return bool(seen.any()) and float(np.median(drop[seen])) >= STANDING_KNEE_DROP_M


def balance_lean_deg(world: np.ndarray, is_standing: bool) -> np.ndarray:
    """(left, forward) lean in degrees (> 0 to the patient's left / towards the camera) that
    the balance levels measure against ``LOS_DEG``: standing, the whole-body centre of gravity
    about the ankles (game.scoring.cog_lean_deg: the angle NeuroCom's limits of stability are
    defined on, docs/sources.md §6.3); seated, the trunk (:func:`lean_deg`), which is not a
    centre-of-gravity angle. ``world`` is (..., 33, 4); the result is (..., 2)."""
    if not is_standing:
        return lean_deg(world)
    cog = cog_lean_deg(np.asarray(world, dtype=np.float64))
    return np.stack([cog["left_deg"], cog["forward_deg"]], axis=-1)


def lean_deg(world: np.ndarray) -> np.ndarray:
    """(left, forward) trunk lean from vertical in degrees (hip→shoulder axis; > 0 to the
    patient's left / towards the camera), via game.scoring.trunk_lean_deg (§6.3 lean angle).

    ``world`` is (..., 33, 4); the result is (..., 2)."""
    lean = trunk_lean_deg(np.asarray(world, dtype=np.float64)[..., :3])
    return np.stack([lean["left_deg"], lean["forward_deg"]], axis=-1)
