"""Calibration screen: measure the patient once (and on demand) so levels fit their body.

Steps, each with one big instruction and live guidance ("Move back", "More light", ...):

1. *Get in view*: every needed landmark visible and well framed for ``READY_S``.
2. *Hold still*: ``STILL_S`` of neutral sitting/standing: body lengths, trunk position.
3. *Raise your arm* up, then *out to the side*, then *forward* (the unaffected arm):
   each step ends when the arm has been held near its highest point for ``HOLD_S``
   (or after ``RANGE_MAX_S``).
4. *Done*: the numbers are shown; holding still for ``CONFIRM_S`` (or one key: Enter/Space)
   saves them with the patient. Esc leaves without saving.
5. For a patient whose plan has hand levels, the hand step follows
   (game/scenes/calibration_hand.py: the good hand open and as a fist).

No step needs two hands or a mouse. With the simulated patient (a Steerable source) the
scene steers it through the moves, so the demo and headless tests calibrate by themselves.
The scene pops with the saved :class:`~game.storage.Calibration` (None when cancelled).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pygame

from game.actions import Act, Action
from game.calibration import PHASES, calibration_values, guidance
from game.i18n import M_, N_, Msg, _, active
from game.render import theme as T
from game.render.avatar import draw_avatar
from game.render.camera_view import draw_picture
from game.render.icons import draw_icon
from game.render.viewport import Viewport
from game.render.widgets import Button, Menu, fit_text, panel, progress_ring
from game.scenes.base import Pop, Quit, Replace, Scene, Target, Transition
from game.scenes.calibration_hand import HandCalibrationScene, plan_needs_hands
from game.scenes.kit import menu_targets, patient_text
from game.scenes.services import AppServices
from game.scoring.kinematics import shoulder_angles_deg
from game.storage.records import Calibration, Patient, utc_now
from game.tracking import pose as P
from game.tracking.pose import Goal, PoseFrame, Steerable

READY_S = 1.0
STILL_S = 2.0
HOLD_S = 1.0
RANGE_MAX_S = 8.0
CONFIRM_S = 2.0
MIN_RANGE_DEG = 25.0
"""An arm phase ends early only once the arm has moved at least this far from rest."""
NEAR_PEAK_DEG = 6.0
STILL_NORM = 0.01
"""Mid-shoulder movement (frame widths per step) below which the patient counts as still."""

TITLES = {
    "ready": M_("Sit where you can see yourself"),
    "still": M_("Sit tall and hold still"),
    "up": M_("Raise your {arm} arm up"),
    "out": M_("Now lift your {arm} arm out to the side"),
    "forward": M_("Now reach your {arm} arm forward"),
    "done": M_("All done - hold still to save"),
}
"""Each step's one instruction (shown, and spoken when the step starts); ``{arm}`` is the arm
measured (the unaffected one, :data:`ARM_WORDS`, the person's own side)."""
ARM_WORDS = {"left": M_("left"), "right": M_("right")}
MOVE_WORDS = {"up": M_("Up"), "out": M_("Out to the side"), "forward": M_("Forward")}
ANGLE_KEY = {"up": "elevation_deg", "out": "abduction_deg", "forward": "flexion_deg"}


class CalibrationScene(Scene):
    """Measure ``patient`` (default: the current patient); ``on_done(calibration)`` is called
    after saving. Raises ValueError when there is nobody to measure."""

    autoplay_after_s = None
    hand_pointer = False
    for_patient = True

    def __init__(
        self,
        app: AppServices,
        patient: Patient | None = None,
        on_done: Callable[[Calibration], None] | None = None,
    ) -> None:
        super().__init__(app)
        patient = patient if patient is not None else app.patient
        if patient is None:
            raise ValueError("calibration needs a patient: none was given or chosen")
        self.patient = patient
        self.side: P.Side = patient.affected_side
        self.on_done = on_done
        self.vp = Viewport(app.frame_size, (0, 0, 1280, 720))
        self.step = "ready"
        self.step_s = 0.0
        self.hold_s = 0.0
        self.tip: Msg | None = None
        self.pose: PoseFrame | None = None
        self._prev_mid: np.ndarray | None = None
        self._frames: dict[str, list[PoseFrame]] = {k: [] for k in ("still", *PHASES)}
        self._peak_deg = -np.inf
        self.values: dict[str, float] | None = None
        self.result: Calibration | None = None
        self.skipped: set[str] = set()
        """Arm moves skipped with Enter: not measured, no range saved for them."""
        self.buttons = Menu(self._all_buttons(), horizontal=True)
        self.buttons.focus = -1  # Enter skips and Esc stops; the buttons are for a pointer

    @property
    def title(self) -> Msg:
        """The current step's instruction, naming the arm that is measured (translated when
        drawn or spoken, in the reader's language)."""
        return N_(TITLES[self.step], arm=Msg(ARM_WORDS[P.other_side(self.side)]))

    def targets(self) -> list[Target]:
        return [Target(t.key, t.rect, keys=False) for t in menu_targets(self.buttons)]

    def _sync_buttons(self) -> None:
        """The buttons of this step: Skip during the arm moves, Save when done, Stop always."""
        wanted = self._all_buttons()
        if [b.key for b in wanted] != [b.key for b in self.buttons.buttons]:
            self.buttons.buttons = wanted
            self.buttons.dwell.reset()

    # -- input ----------------------------------------------------------------------------
    def enter(self) -> None:
        self.app.say(self.title)

    def handle(self, action: Action) -> Transition | None:
        if action.act is Act.QUIT:
            return Quit()
        if action.act is Act.BACK:
            return Pop(None)
        if action.act is Act.SELECT:
            return self._press("save" if self.step == "done" else "skip")
        if action.act in (Act.POINT, Act.CLICK):
            self._sync_buttons()
            chosen = self.buttons.handle(action)
            return self._press(chosen) if chosen is not None else None
        return None

    def _press(self, key: str) -> Transition | None:
        """Skip the arm move the patient cannot do (it is not measured), save, or stop."""
        if key == "stop":
            return Pop(None)
        if key == "save" and self.step == "done":
            return self._save()
        if key == "skip" and self.step in PHASES:
            self.skipped.add(self.step)
            self._frames[self.step] = []
            self._next()
        return None

    # -- update ---------------------------------------------------------------------------
    def update(self, dt_s: float) -> Transition | None:
        self._sync_buttons()
        chosen = self.buttons.update(dt_s)
        if chosen is not None:
            return self._press(chosen)
        frame = self.app.source.poll(self.app.now_s())
        if frame is not None:
            self.pose = frame if frame.present else None
        self.step_s += dt_s
        tip = guidance(None if self.pose is None else self.pose.image, self._luma())
        if tip is not None and tip != self.tip and self.step != "done":
            self.app.say(tip)  # the voice repeats the same tip at most every few seconds
        self.tip = tip
        still = self._is_still()
        self._steer()
        if self.step == "ready":
            self.hold_s = self.hold_s + dt_s if self.tip is None else 0.0
            if self.hold_s >= READY_S:
                self._next()
        elif self.step == "still":
            self._collect(frame, "still", need_ready=True)
            self.hold_s = self.hold_s + dt_s if (self.tip is None and still) else self.hold_s
            if self.hold_s >= STILL_S and len(self._frames["still"]) >= 3:
                self._next()
        elif self.step in PHASES:
            self._arm_step(frame, dt_s)
        elif self.step == "done":
            self.hold_s = self.hold_s + dt_s if still else 0.0
            if self.hold_s >= CONFIRM_S:
                return self._save()
        return None

    def _next(self) -> None:
        order = ("ready", "still", *PHASES, "done")
        self.step = order[order.index(self.step) + 1]
        self.step_s, self.hold_s, self._peak_deg = 0.0, 0.0, -np.inf
        self.app.say(self.title)
        if self.step == "done":
            self.values = self._compute()

    def _collect(self, frame: PoseFrame | None, key: str, need_ready: bool = False) -> None:
        if frame is not None and frame.present and (self.tip is None or not need_ready):
            self._frames[key].append(frame)

    def _arm_step(self, frame: PoseFrame | None, dt_s: float) -> None:
        self._collect(frame, self.step)
        if frame is not None and frame.present:
            good = P.other_side(self.side)
            angle = float(shoulder_angles_deg(frame.world[:, :3], good)[ANGLE_KEY[self.step]])
            if np.isfinite(angle):
                self._peak_deg = max(self._peak_deg, angle)
                near = self._peak_deg >= MIN_RANGE_DEG and angle >= self._peak_deg - NEAR_PEAK_DEG
                self.hold_s = self.hold_s + dt_s if near else 0.0
        if self.hold_s >= HOLD_S or self.step_s >= RANGE_MAX_S:
            self._next()

    def _compute(self) -> dict[str, float] | None:
        still = self._frames["still"]
        if not still:
            return None

        def stack(frames: list[PoseFrame]) -> tuple[np.ndarray, np.ndarray]:
            empty = np.zeros((0, 33, 4), np.float32)
            if not frames:
                return empty, empty
            return np.stack([f.image for f in frames]), np.stack([f.world for f in frames])

        ranges = {p: stack(self._frames[p]) for p in PHASES if self._frames[p]}
        return calibration_values(stack(still), ranges, self.side, self.app.frame_size)

    def _save(self) -> Transition:
        if self.values is None:
            return Pop(None)
        cal = Calibration(self.patient.id, utc_now(), self.values)
        self.app.db.save_calibration(cal)
        self.result = cal
        self.app.play("hit")
        if self.on_done is not None:
            self.on_done(cal)
        if plan_needs_hands(self.app, self.patient):  # the hand step follows (it pops the result)
            return Replace(HandCalibrationScene(self.app, self.patient, cal))
        return Pop(cal)

    # -- helpers --------------------------------------------------------------------------
    def _luma(self) -> float | None:
        picture = self.app.source.picture()
        if picture is None:
            return None
        return float(picture.bgr[::16, ::16].mean())  # a coarse grid is plenty for "too dark"

    def _is_still(self) -> bool:
        if self.pose is None:
            self._prev_mid = None
            return False
        mid = 0.5 * (self.pose.image[P.L_SHOULDER, :2] + self.pose.image[P.R_SHOULDER, :2])
        prev, self._prev_mid = self._prev_mid, mid.astype(np.float64)
        return prev is None or float(np.linalg.norm(mid - prev)) < STILL_NORM

    def _steer(self) -> None:
        """Guide the simulated patient through the moves (the displayed affected hand's goal
        is the mirror image of where the good hand should go)."""
        source = self.app.source
        if not isinstance(source, Steerable):
            return
        if self.pose is None or self.step not in PHASES:
            source.set_goal(Goal("rest"))
            return
        img = self.pose.image.astype(np.float64)
        good = P.other_side(self.side)
        sh = img[P.shoulder_elbow_wrist(good)[0], :2]
        mid_x = 0.5 * (img[P.L_SHOULDER, 0] + img[P.R_SHOULDER, 0])
        width = abs(img[P.L_SHOULDER, 0] - img[P.R_SHOULDER, 0])
        out_sign = np.sign(sh[0] - mid_x) or 1.0
        reach = {
            "up": (0.1 * out_sign * width, -1.6 * width),
            "out": (1.5 * out_sign * width, 0.0),
            "forward": (-0.3 * out_sign * width, 0.3 * width),
        }[self.step]
        want = sh + np.array(reach) * np.array([1.0, self.app.frame_size[0] / self.app.frame_size[1]])
        source.set_goal(Goal("hand", (float(2 * mid_x - want[0]), float(want[1]))))

    # -- drawing --------------------------------------------------------------------------
    def draw(self, surface: pygame.Surface) -> None:
        T.gradient(surface, (24, 40, 60), (52, 70, 96))
        picture = self.app.source.picture()
        if picture is not None:
            draw_picture(surface, picture, self.vp)
        if self.pose is not None:
            draw_avatar(surface, self.pose.image, self.vp, self.side)  # their own, unmirrored
        with patient_text(self.app, self.patient):
            panel(surface, (40, 20, 1200, 90))
            draw_icon(surface, "person", (90, 65), 64)
            fit_text(surface, self.title, (135, 65), 52, 1000, T.TEXT, "midleft", bold=True)
            if self.tip is not None and self.step != "done":
                panel(surface, (340, 500, 600, 80))
                fit_text(surface, self.tip, (640, 540), 56, 580, T.YELLOW, "center", bold=True)
            need = {"ready": READY_S, "still": STILL_S, "done": CONFIRM_S}.get(self.step, HOLD_S)
            progress_ring(surface, (1190, 65), 34, self.hold_s / need)
            if self.step == "done":
                self._draw_results(surface)
            self._sync_buttons()
            self.buttons.draw(surface)
            if self.step in PHASES:
                fit_text(surface, _("Enter or Skip: this move is not measured"), (640, 604), 28, 1000,
                         T.TEXT_DIM, "midbottom")  # fmt: skip

    def _all_buttons(self) -> list[Button]:
        first = {"done": [Button("save", N_("Save"), "save", (340, 620, 330, 84))]}
        first.update({m: [Button("skip", N_("Skip this move"), "play", (340, 620, 330, 84))] for m in PHASES})
        return [*first.get(self.step, []), Button("stop", N_("Stop"), "stop", (690, 620, 250, 84))]

    def result_lines(self) -> list[str]:
        """What was measured, in words with units; a skipped (or unmeasured) move says so."""
        v = self.values
        if v is None:
            return [_("Could not measure - press Esc")]
        num, moves = active().number, []
        for move in PHASES:
            deg = v.get(f"range_{move}_deg", float("nan"))
            unmeasured = move in self.skipped or not np.isfinite(deg)
            shown = _("not measured") if unmeasured else _("{n} degrees").format(n=num(deg))
            moves.append(_("{move}: {value}").format(move=_(MOVE_WORDS[move]), value=shown))
        return [
            _("Arm {arm} cm, shoulders {shoulders} cm").format(
                arm=num(100 * v["arm_m"]), shoulders=num(100 * v["shoulder_width_m"])
            ),
            *moves,
            _("Hold still or press Enter to save"),
        ]

    def _draw_results(self, surface: pygame.Surface) -> None:
        panel(surface, (290, 150, 700, 440))
        for i, line in enumerate(self.result_lines()):
            fit_text(surface, line, (640, 200 + 76 * i), 40, 660, T.TEXT, "center")
