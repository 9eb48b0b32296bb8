"""The hand step of calibration: the good hand's size and its open and fist shapes.

Run after the body calibration for a patient whose session plan has hand levels, and before
such a session when the stored calibration has no hand yet (game/scenes/play.py). Steps, one
big instruction each (spoken when it starts):

1. *Show your hands*: both hands in view, palms to the screen, for ``READY_S`` (or, for a
   patient who cannot show the affected hand, ``PHASE_MAX_S``);
2. *Open your good hand wide*: held near its widest for ``HOLD_S`` (or ``PHASE_MAX_S``);
3. *Make a fist*: held near its tightest for ``HOLD_S`` (or ``PHASE_MAX_S``);
4. *Done*: the shapes are shown; holding still for ``CONFIRM_S`` or one key saves them with
   the patient's calibration (a new calibration row: the latest body values plus the hand's).

Enter skips a shape the patient cannot make; Esc leaves, keeping the body calibration. Every
step ends by itself, so a patient with only the tracked hand is never kept here (the hand is
what is measured, held in front where the buttons are, so it does not dwell on them). The
hand models run only while this scene is on screen. The simulated patient is steered through
the shapes, so the demo and headless tests calibrate by themselves. Pops with the saved
:class:`~game.storage.Calibration` (or the body calibration it started from when left).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import numpy as np
import pygame

from game.actions import Act, Action
from game.calibration import hand_values, has_hands
from game.i18n import N_, Msg, _, active
from game.leveltypes.hand_common import FIST, FLAT, RELAXED
from game.render import theme as T
from game.render.hand_view import draw_hand
from game.render.icons import draw_icon
from game.render.viewport import Viewport
from game.render.widgets import Button, Menu, fit_text, panel, progress_ring
from game.scenes.base import Pop, Quit, Scene, Target, Transition
from game.scenes.kit import menu_targets
from game.scenes.services import AppServices
from game.scoring import hand as SH
from game.session.plan import PlanItem, build_plan
from game.storage.records import Calibration, Patient, utc_now
from game.therapist.settings_schema import settings_of
from game.tracking import pose as P
from game.tracking.motor import Motor, MotorSteerable
from game.tracking.pose import BODY_ONLY, PoseFrame

READY_S = 1.0
HOLD_S = 1.2
PHASE_MAX_S = 8.0
CONFIRM_S = 2.0
NEAR_DEG = 12.0
"""A shape is held while the most bent finger stays within this of its best so far."""
SMOOTH_S = 0.25
"""Time constant of the smoothing of the closure the hold is judged on (s)."""
MIN_CHANGE_DEG = 25.0
"""A shape ends early only once the fingers moved this far from where the step began: nearly
twice a real still hand's finger range over a second (p95 13.5 deg, docs/validation.md §10),
and less than opening a relaxed hand flat (a relaxed hand's most bent finger reads more than
60 deg, a flat one less), so a patient whose hand was already fairly open is not kept waiting
the whole ``PHASE_MAX_S``."""
HANDS = frozenset({"body", "hands"})
GOOD_HAND = N_("Your good hand")
"""Written above the good hand, so the patient knows which hand the words mean."""
STEPS = ("ready", "open", "fist", "done")
TITLES: Mapping[str, Msg] = {
    "ready": N_("Show both hands, palms to the screen"),
    "open": N_("Open your good hand wide"),
    "fist": N_("Now make a tight fist"),
    "done": N_("All done - hold still to save"),
}


def session_plan(app: AppServices, patient: Patient) -> list[PlanItem]:
    """The levels of the patient's next session (or the one level asked for), as the session
    will build them (game/session/run.py); none when the plan cannot be built (the session
    start says why)."""
    settings = settings_of(patient)
    try:
        return build_plan(app.levels, settings.plan, app.settings.level, seated_only=settings.seated_only)
    except (KeyError, ValueError):
        return []


def plan_needs_hands(app: AppServices, patient: Patient) -> bool:
    """True when the patient's session plan (or the one level asked for) has a hand level."""
    return any("hands" in item.spec.kind.parts for item in session_plan(app, patient))


def needs_hand_calibration(app: AppServices, patient: Patient | None) -> bool:
    """A real patient with hand levels ahead whose calibration has no hand yet (the demo and
    guests use the default hand shapes)."""
    if patient is None or app.settings.demo or getattr(patient, "guest", False):
        return False
    return plan_needs_hands(app, patient) and not has_hands(app.db.latest_calibration(patient.id))


class HandCalibrationScene(Scene):
    """Measure the good hand of ``patient``; ``base`` is the body calibration it adds to."""

    autoplay_after_s = None
    hand_pointer = False

    def __init__(self, app: AppServices, patient: Patient, base: Calibration | None) -> None:
        super().__init__(app)
        self.patient, self.base = patient, base
        self.good: P.Side = P.other_side(patient.affected_side)
        self.vp = Viewport(app.frame_size, (0, 0, 1280, 720))
        self.step, self.step_s, self.hold_s = "ready", 0.0, 0.0
        self.frame: PoseFrame | None = None
        self._frames: dict[str, list[np.ndarray]] = {"open": [], "fist": []}
        self._best = math.nan
        self._start = math.nan
        self._smooth = math.nan
        self.values: dict[str, float] | None = None
        self.buttons = Menu(self._all_buttons(), horizontal=True)
        self.buttons.focus = -1  # Enter skips or saves and Esc stops; the buttons are for a pointer

    def _all_buttons(self) -> list[Button]:
        """Skip during a shape, Save when done, Stop always (a mouse-only user leaves here too)."""
        first = {"done": [Button("save", N_("Save"), "save", (340, 600, 330, 84))]}
        first.update(
            {m: [Button("skip", N_("Skip this move"), "play", (340, 600, 330, 84))] for m in ("open", "fist")}
        )
        return [*first.get(self.step, []), Button("stop", N_("Stop"), "stop", (690, 600, 250, 84))]

    def _sync_buttons(self) -> None:
        wanted = self._all_buttons()
        if [b.key for b in wanted] != [b.key for b in self.buttons.buttons]:
            self.buttons.buttons = wanted
            self.buttons.dwell.reset()

    def targets(self) -> list[Target]:
        return [Target(t.key, t.rect, keys=False) for t in menu_targets(self.buttons)]

    def enter(self) -> None:
        self.app.request_parts(HANDS)
        self.app.say(TITLES[self.step])

    def exit(self) -> None:
        self.app.request_parts(BODY_ONLY)

    def handle(self, action: Action) -> Transition | None:
        if action.act is Act.QUIT:
            return Quit()
        if action.act is Act.BACK:
            return Pop(self.base)
        if action.act is Act.SELECT:
            return self._press("save" if self.step == "done" else "skip")
        if action.act in (Act.POINT, Act.CLICK):
            self._sync_buttons()
            chosen = self.buttons.handle(action)
            return self._press(chosen) if chosen is not None else None
        return None

    def _press(self, key: str) -> Transition | None:
        """Skip a shape the patient cannot make, save, or stop (keeping the body calibration)."""
        if key == "stop":
            return Pop(self.base)
        if key == "save" and self.step == "done":
            return self._save()
        if key == "skip" and self.step in ("open", "fist"):
            self._next()
        return None

    # -- update ---------------------------------------------------------------------------
    def update(self, dt_s: float) -> Transition | None:
        frame = self.app.source.poll(self.app.now_s())
        if frame is not None:
            self.frame = frame if frame.present else None
        self.step_s += dt_s
        self._sync_buttons()
        chosen = self.buttons.update(dt_s)  # a resting mouse on a button chooses it
        if chosen is not None:
            return self._press(chosen)
        self._steer()
        closure = self._closure()
        if self.step == "ready":
            self.hold_s = self.hold_s + dt_s if self._both_hands() else 0.0
            if self.hold_s >= READY_S or self.step_s >= PHASE_MAX_S:
                self._next()
        elif self.step in ("open", "fist"):
            self._shape_step(frame, closure, dt_s)
        elif self.step == "done":
            self.hold_s += dt_s
            if self.hold_s >= CONFIRM_S:
                return self._save()
        return None

    def _both_hands(self) -> bool:
        f = self.frame
        return f is not None and f.hand_found("left") and f.hand_found("right")

    def _closure(self) -> float:
        f = self.frame
        if f is None or not f.hand_found(self.good):
            return math.nan
        return float(SH.hand_closure_deg(f.hand_world(self.good)))

    def _shape_step(self, frame: PoseFrame | None, closure: float, dt_s: float) -> None:
        if frame is not None and frame.hand_found(self.good):
            world = frame.hand_world(self.good)
            assert world is not None
            self._frames[self.step].append(np.asarray(world, dtype=np.float64))
        if math.isfinite(closure):
            # judged on the closure smoothed over ~SMOOTH_S: a flat hand's raw closure jitters
            # by more than NEAR_DEG, and its noisiest minimum would never be held again
            alpha = dt_s / (SMOOTH_S + dt_s)
            closure = closure if math.isnan(self._start) else self._smooth + alpha * (closure - self._smooth)
            self._smooth = closure
            if math.isnan(self._start):
                self._start = closure
            better = min if self.step == "open" else max
            self._best = closure if math.isnan(self._best) else better(self._best, closure)
            moved = abs(self._best - self._start) >= MIN_CHANGE_DEG
            near = abs(closure - self._best) <= NEAR_DEG
            self.hold_s = self.hold_s + dt_s if (moved and near) else 0.0
        if self.hold_s >= HOLD_S or self.step_s >= PHASE_MAX_S:
            self._next()

    def _next(self) -> None:
        self.step = STEPS[STEPS.index(self.step) + 1]
        self.step_s, self.hold_s, self._best, self._start = 0.0, 0.0, math.nan, math.nan
        self.app.say(TITLES[self.step])
        if self.step == "done":
            empty = np.zeros((0, 21, 4))
            stack = {k: np.stack(v) if v else empty for k, v in self._frames.items()}
            self.values = hand_values(stack["open"], stack["fist"])

    def _save(self) -> Transition:
        measured = {k: v for k, v in (self.values or {}).items() if np.isfinite(v)}
        if not measured:  # the hand was never seen: nothing new to store
            return Pop(self.base)
        values: dict[str, float] = dict(self.base.values) if self.base is not None else {}
        values.update(measured)
        cal = Calibration(self.patient.id, utc_now(), values)
        self.app.db.save_calibration(cal)
        self.app.play("hit")
        return Pop(cal)

    def _steer(self) -> None:
        """Guide the simulated patient: both hands up in front, the asked shape."""
        source = self.app.source
        if not isinstance(source, MotorSteerable) or self.frame is None:
            return
        img = self.frame.image.astype(np.float64)
        sh = img[P.shoulder_elbow_wrist(self.patient.affected_side)[0], :2]
        mid_x = 0.5 * (img[P.L_SHOULDER, 0] + img[P.R_SHOULDER, 0])
        width = abs(img[P.L_SHOULDER, 0] - img[P.R_SHOULDER, 0])
        shown = (float(sh[0] + 0.1 * np.sign(sh[0] - mid_x) * width), float(sh[1] + 0.2))
        good = (float(2 * mid_x - shown[0]), shown[1])
        # relaxed until asked, as a person's hand is: the open shape is then a real movement
        fingers = {"open": FLAT, "fist": FIST}.get(self.step, RELAXED)
        source.set_goal(Motor(hand_xy=shown, unaffected_xy=good, fingers=fingers))

    # -- drawing --------------------------------------------------------------------------
    def draw(self, surface: pygame.Surface) -> None:
        T.gradient(surface, (24, 40, 60), (52, 70, 96))
        panel(surface, (140, 20, 1000, 90))
        draw_icon(surface, "hand", (200, 65), 64)
        fit_text(surface, TITLES[self.step], (250, 65), 52, 870, T.TEXT, "midleft", bold=True)
        need = {"ready": READY_S, "done": CONFIRM_S}.get(self.step, HOLD_S)
        progress_ring(surface, (1180, 65), 34, self.hold_s / need)
        self._draw_hands(surface)
        if self.step == "done":
            self._draw_results(surface)
        elif self.step in ("open", "fist"):
            fit_text(surface, _("Enter: skip this shape"), (640, 700), 26, 1200, T.TEXT_DIM, "center")
        self._sync_buttons()
        self.buttons.draw(surface)

    def _draw_hands(self, surface: pygame.Surface) -> None:
        """Both hands, big, as a mirror: the good one in the own-arm colour."""
        f = self.frame
        if f is None:
            return
        sides: tuple[tuple[P.Side, float], ...] = (("left", 430.0), ("right", 850.0))  # a mirror
        for side, x in sides:
            hand = f.hand(side)
            if hand is None or not P.found(hand):
                continue
            pts = self.vp.to_screen(np.asarray(hand)[:, :2])
            palm = float(np.linalg.norm(pts[9] - pts[0]))
            scaled = (pts - pts[0]) * (120.0 / max(palm, 1.0)) + np.array([x, 470.0])
            draw_hand(surface, scaled, T.OWN_ARM if side == self.good else T.MIRROR_ARM)
            if side == self.good and self.step != "done":  # which hand the words mean
                top = float(min(scaled[:, 1].min(), 430.0)) - 40.0
                fit_text(surface, GOOD_HAND, (x, max(top, 150.0)), 40, 400, T.YELLOW, "center", bold=True)

    def _draw_results(self, surface: pygame.Surface) -> None:
        v = self.values or {}
        panel(surface, (340, 150, 600, 160))
        num = active().number
        ok = has_hands(v)
        line: Any = (
            _("Hand {palm} cm; open {open}, fist {fist}").format(
                palm=num(100 * v["hand_palm_m"]),
                open=num(v["hand_open_aperture_norm"]),
                fist=num(v["hand_fist_aperture_norm"]),
            )
            if ok
            else _("Could not see the hand - press Esc")
        )
        fit_text(surface, line, (640, 200), 40, 580, T.TEXT if ok else T.YELLOW, "center")
        fit_text(surface, _("Hold still or press Enter to save"), (640, 260), 36, 580, T.TEXT, "center")
