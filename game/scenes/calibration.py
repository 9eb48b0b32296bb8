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
from game.i18n import N_, Msg, _, active
from game.render import theme as T
from game.render.avatar import draw_avatar
from game.render.camera_view import draw_picture
from game.render.charts import fit_text
from game.render.icons import draw_icon
from game.render.viewport import Viewport
from game.render.widgets import panel, progress_ring, text
from game.scenes.base import Pop, Quit, Replace, Scene, Transition
from game.scenes.calibration_hand import HandCalibrationScene, plan_needs_hands
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
    "ready": N_("Sit where you can see yourself"),
    "still": N_("Sit tall and hold still"),
    "up": N_("Raise your good arm up"),
    "out": N_("Now lift it out to the side"),
    "forward": N_("Now reach it forward"),
    "done": N_("All done - hold still to save"),
}
"""The one instruction of each step (shown, and spoken when the step starts)."""
ANGLE_KEY = {"up": "elevation_deg", "out": "abduction_deg", "forward": "flexion_deg"}


class CalibrationScene(Scene):
    """Measure ``patient`` (default: the current patient); ``on_done(calibration)`` is called
    after saving. Raises ValueError when there is nobody to measure."""

    autoplay_after_s = None
    hand_pointer = False

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

    # -- input ----------------------------------------------------------------------------
    def enter(self) -> None:
        self.app.say(TITLES[self.step])

    def handle(self, action: Action) -> Transition | None:
        if action.act is Act.QUIT:
            return Quit()
        if action.act is Act.BACK:
            return Pop(None)
        if action.act is Act.SELECT:
            if self.step == "done":
                return self._save()
            if self.step in PHASES:
                self._next()  # one key skips an arm move the patient cannot do
        return None

    # -- update ---------------------------------------------------------------------------
    def update(self, dt_s: float) -> Transition | None:
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
        self.app.say(TITLES[self.step])
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
        panel(surface, (140, 20, 1000, 90))
        draw_icon(surface, "person", (200, 65), 64)
        fit_text(surface, TITLES[self.step], (250, 65), 52, 870, T.TEXT, "midleft", bold=True)
        if self.tip is not None and self.step != "done":
            panel(surface, (340, 560, 600, 80))
            fit_text(surface, self.tip, (640, 600), 56, 580, T.YELLOW, "center", bold=True)
        need = {"ready": READY_S, "still": STILL_S, "done": CONFIRM_S}.get(self.step, HOLD_S)
        progress_ring(surface, (1180, 65), 34, self.hold_s / need)
        if self.step == "done":
            self._draw_results(surface)
        elif self.step in PHASES:
            text(surface, _("Enter: skip this move"), (640, 690), 30, T.TEXT_DIM, "center")

    def _draw_results(self, surface: pygame.Surface) -> None:
        v = self.values
        panel(surface, (340, 200, 600, 300))
        if v is None:
            fit_text(surface, _("Could not measure - press Esc"), (640, 350), 40, 580, T.YELLOW, "center")
            return
        num = active().number
        lines = [
            _("Arm {arm} cm, shoulders {shoulders} cm").format(
                arm=num(100 * v["arm_m"]), shoulders=num(100 * v["shoulder_width_m"])
            ),
            _("Up {up}\u00b0  Out {out}\u00b0  Forward {forward}\u00b0").format(
                up=num(v["range_up_deg"]), out=num(v["range_out_deg"]), forward=num(v["range_forward_deg"])
            ),
            _("Hold still or press Enter to save"),
        ]
        for i, line in enumerate(lines):
            fit_text(surface, line, (640, 260 + 80 * i), 40, 580, T.TEXT, "center")
