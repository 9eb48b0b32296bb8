"""The play screen: the mirror, the targets, feedback and the HUD; runs the session's levels.

What the patient sees: their body as a mirror (camera picture or avatar) whose affected arm is
the reflection of the good arm, the level's targets, a progress ring while dwelling, a burst
and a gentle sound on each hit, kind words on a miss, and a cue when the trunk compensates.

Controls: P pauses, Esc ends the level (its completed reps are kept).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import pygame

from game.actions import Act, Action
from game.leveltypes.base import Exercise, ExerciseContext, Tracked
from game.leveltypes.events import Event, Feedback, RepOutcome
from game.leveltypes.views import Hud
from game.mirror import display_pose
from game.render import theme as T
from game.render.camera_view import draw_mirror, draw_source_status, status_message
from game.render.charts import fit_text
from game.render.icons import draw_icon
from game.render.level_views import DrawContext
from game.render.viewport import Viewport
from game.render.widgets import banner, panel, text
from game.scenes.base import Pop, Push, Quit, Replace, Scene, Transition
from game.scenes.calibration import CalibrationScene
from game.scenes.calibration_hand import HandCalibrationScene, needs_hand_calibration
from game.scenes.checkin import PainCheckScene, RestScene
from game.scenes.kit import DEMO_BANNER
from game.scenes.results import ResultsScene
from game.session.rules import pain_stop
from game.session.run import SessionRun
from game.tracking.motor import MotorSteerable
from game.tracking.pose import BODY_ONLY, PartsSelectable, PoseFrame, SourceStatus
from game.tracking.smoothing import PoseSmoother

STALE_POSE_S = 0.5
"""A pose older than this no longer counts: the level pauses with "step into view"."""
BURST_S = 0.8


@dataclass
class Particle:
    x: float
    y: float
    vx: float
    vy: float
    ttl: float
    color: tuple[int, int, int]


def start_play(app: Any) -> Scene:
    """Start a session for the current patient: pain check-in, calibration if the patient
    has none yet (run once per patient), then the plan's levels."""
    return SessionStart(app)


def needs_calibration(app: Any) -> bool:
    """A real patient who was never calibrated (the demo and guests measure at level start)."""
    p = app.patient
    if app.settings.demo or getattr(p, "guest", False):
        return False
    return app.db.latest_calibration(p.id) is None


class SessionStart(Scene):
    """Runs the steps before play in order; never drawn for long (each step is its own scene)."""

    autoplay_after_s = None
    hand_pointer = False

    def __init__(self, app: Any) -> None:
        super().__init__(app)
        self.pain: int | None = None
        self.step = "pain"

    def update(self, dt_s: float) -> Transition | None:
        if self.step == "pain":
            self.step = "waiting-pain"
            return Push(PainCheckScene(self.app, "before"))
        if self.step == "calibrate":
            if needs_calibration(self.app):
                self.step = "waiting-calibration"
                return Push(CalibrationScene(self.app, self.app.patient))
            self.step = "calibrate-hands"
        if self.step == "calibrate-hands":
            self.step = "play"
            patient = self.app.patient
            if patient is not None and needs_hand_calibration(self.app, patient):
                self.step = "waiting-calibration"
                latest = self.app.db.latest_calibration(patient.id)
                return Push(HandCalibrationScene(self.app, patient, latest))
        if self.step == "play":
            return Replace(PlayScene(self.app, SessionRun.begin(self.app, pain_before=self.pain)))
        return None

    def resume(self, result: Any) -> Transition | None:
        if self.step == "waiting-pain":
            self.pain = result if isinstance(result, int) else None
            self.step = "calibrate"
        elif self.step == "waiting-calibration":
            self.step = "play" if result is not None else "cancelled"
            if result is None:  # calibration left with Esc: back to the title, nothing started
                return Pop()
        return None

    def draw(self, surface: pygame.Surface) -> None:
        T.gradient(surface)


class AfterCheckScene(PainCheckScene):
    """The pain check-in after the session; it closes the session row with the answer."""

    def __init__(self, app: Any, run: SessionRun, status: str) -> None:
        def done(pain: int) -> Transition:
            final = "ended_pain" if status == "ended_pain" or pain_stop(run.pain_before, pain) else status
            run.close(status=final, pain_after=pain)
            return Replace(ResultsScene(app, run, again=lambda: start_play(app)))

        super().__init__(app, "after", on_answer=done)
        self.run, self.status = run, status

    def exit(self) -> None:
        self.run.close(status=self.status)  # no answer (app closed): keep the status, no pain value


class PlayScene(Scene):
    autoplay_after_s = None
    hand_pointer = False
    CONFIRM_AUTOPLAY_S = 1.5

    def __init__(self, app: Any, run: SessionRun) -> None:
        super().__init__(app)
        self.run = run
        self.vp = Viewport(app.frame_size, (0, 0, 1280, 720))
        self.pose: PoseFrame | None = None
        self.display: np.ndarray | None = None
        self.shown: np.ndarray | None = None  # smoothed raw image landmarks (mirror midline)
        self.smoother = PoseSmoother()
        self.particles: list[Particle] = []
        self.paused = False
        self._handoff = False
        self._waiting: str | None = None  # "rest" or "pain" while a pushed scene is on top
        self._body = run.calibrated_body()
        self._start_level()

    # -- levels ---------------------------------------------------------------------------
    def _start_level(self) -> None:
        item = self.run.current
        ctx = ExerciseContext(
            level_id=item.spec.id,
            affected_side=self.run.side,
            frame_size=self.app.frame_size,
            limits=self.run.limits,
            rng=np.random.default_rng(self.app.settings.seed + self.run.index),
            set_index=item.set_index,
            neglect_side=self.run.neglect_side,
            overrides=self.run.overrides(),
            body=self._body,
        )
        self.exercise: Exercise = item.spec.kind.exercise(item.spec.params, ctx)
        self._request_parts(item.spec.kind.parts)
        self.app.play("level")

    def _request_parts(self, parts: frozenset[str]) -> None:
        """Ask the tracker for what this level needs (hands, face): the models run only then."""
        if isinstance(self.app.source, PartsSelectable):
            self.app.source.request_parts(parts)

    def exit(self) -> None:
        self._request_parts(BODY_ONLY)  # menus and results need the body only
        if not self._handoff:
            self.run.close(status="aborted")

    def resume(self, result: Any) -> Transition | None:
        waiting, self._waiting = self._waiting, None
        if waiting == "next-rest" and self.run.current.spec.id != self._prev_level:
            self._waiting = "pain"
            return Push(PainCheckScene(self.app, "during"))
        if waiting == "pain" and isinstance(result, int) and pain_stop(self.run.pain_before, result):
            return self._end("ended_pain")
        if waiting in ("next-rest", "pain"):
            self._start_level()
        return None

    # -- input ----------------------------------------------------------------------------
    def handle(self, action: Action) -> Transition | None:
        if action.act is Act.QUIT:
            return Quit()
        if action.act is Act.PAUSE:
            self.paused = not self.paused
        elif action.act is Act.SELECT:
            self.exercise.handle_select()
        elif action.act is Act.BACK:
            return self._finish_level(stopped=True)
        return None

    def autoplay(self, dt_s: float) -> list[Action]:
        """The demo confirms safety questions (e.g. "chair within reach?") after a moment."""
        if self.exercise.awaiting_confirm:
            self._auto_t_s += dt_s
            if self._auto_t_s >= self.CONFIRM_AUTOPLAY_S:
                self._auto_t_s = 0.0
                return [Action(Act.SELECT)]
        return []

    # -- update ---------------------------------------------------------------------------
    def update(self, dt_s: float) -> Transition | None:
        self._particles(dt_s)
        source = self.app.source
        self._take_pose()
        now = self.app.now_s()
        if self.pose is not None and now - self.pose.t_s > STALE_POSE_S:
            self.pose, self.display = None, None
        if self.paused:
            return None
        tracked = Tracked(now, self.pose, self.display, self.run.gain)
        if tracked.present:
            self.run.active_s += dt_s
        transition: Transition | None = None
        for ev in self.exercise.update(dt_s, tracked):
            transition = self._on_event(ev) or transition
        if isinstance(source, MotorSteerable):  # the simulated patient does what is asked
            source.set_goal(self.run.current.spec.kind.simulate(self.exercise.goal()))
        if self.exercise.done:
            return self._finish_level(stopped=False)
        return transition

    def _take_pose(self) -> None:
        """Poll the source once: record the raw pose, and prepare what is drawn. Called by
        update and again right before drawing, so a pose that arrived between fixed steps is
        on screen without waiting for the next step (landmark age at display)."""
        frame = self.app.source.poll(self.app.now_s())
        if frame is None:
            return
        self.run.record(frame)
        if frame.present:
            self.pose = frame
            self.display = display_pose(frame.image, self.run.side, self.app.frame_size, self.run.gain)
            # Smooth once, for what is drawn only; levels, scoring and recording stay raw.
            self.shown = self.smoother(frame).image
        else:
            self.pose, self.display, self.shown = None, None, None
            self.smoother.reset()

    def _on_event(self, ev: Event) -> Transition | None:
        if isinstance(ev, RepOutcome):
            self.run.save_rep(ev)
            if ev.success and np.all(np.isfinite(ev.target_xy_norm)):
                self._burst(self.vp.to_screen(np.array(ev.target_xy_norm)))
            why = self.run.fatigue_offer()
            if why is not None:
                self._waiting = "fatigue"
                return Push(RestScene(self.app, 30.0, f"{why} - rest a moment?"))
        elif isinstance(ev, Feedback):
            self.app.play(ev.kind)
        return None

    def _finish_level(self, *, stopped: bool) -> Transition:
        self.run.finish_level()
        self._prev_level = self.run.current.spec.id
        rest_s = self.run.current.rest_s
        if stopped or not self.run.advance():
            return self._end("completed" if not stopped else "aborted")
        if rest_s > 0:
            self._waiting = "next-rest"
            return Push(RestScene(self.app, rest_s))
        self._start_level()
        return None  # type: ignore[return-value]

    def _end(self, status: str) -> Transition:
        self._handoff = True
        return Replace(AfterCheckScene(self.app, self.run, status))

    # -- effects --------------------------------------------------------------------------
    def _burst(self, at: np.ndarray) -> None:
        rng = self.app.rng
        for k in range(26):
            a = 2 * math.pi * k / 26
            speed = rng.uniform(120, 320)
            color = (T.YELLOW, T.ORANGE, T.SKY)[k % 3]
            self.particles.append(
                Particle(float(at[0]), float(at[1]), speed * math.cos(a), speed * math.sin(a), BURST_S, color)
            )

    def _particles(self, dt_s: float) -> None:
        for p in self.particles:
            p.x += p.vx * dt_s
            p.y += p.vy * dt_s
            p.vy += 300 * dt_s
            p.ttl -= dt_s
        self.particles = [p for p in self.particles if p.ttl > 0]

    # -- drawing --------------------------------------------------------------------------
    def draw(self, surface: pygame.Surface) -> None:
        self._take_pose()
        T.gradient(surface, (24, 40, 60), (52, 70, 96))
        status = self.app.source.status()
        raw = self.shown if self.display is not None else None  # None once the pose is stale
        shown = None if raw is None else display_pose(raw, self.run.side, self.app.frame_size, self.run.gain)
        draw_mirror(
            surface, self.run.mirror_mode, self.app.source.picture(), raw, shown, self.run.side, self.vp
        )
        view = self.exercise.view()
        spec = self.run.current.spec
        run, picture = self.run, self.app.source.picture()
        ctx = DrawContext(
            self.vp, spec.icon, run.side, self.app.t_s, run.mirror_mode, picture, self.pose, run.gain
        )
        spec.kind.draw(surface, view, ctx)
        for p in self.particles:
            pygame.draw.circle(surface, p.color, (p.x, p.y), 7 * max(p.ttl / BURST_S, 0.2))
        hud = view.hud
        self._draw_hud(surface, hud)
        if hud.paused or self.paused:
            lost = status_message(status) if status is SourceStatus.DEVICE_LOST else None
            self._draw_pause(surface, lost or ("Step into view" if hud.paused else "Paused - press P"))
        else:
            draw_source_status(surface, status)
        if self.app.settings.demo:
            banner(surface, DEMO_BANNER)

    def _draw_hud(self, surface: pygame.Surface, hud: Hud) -> None:
        # The patient's text size (therapist setting) applies to everything read during play;
        # long words shrink to fit their panel instead of running off it.
        with T.text_scale(self.run.settings.text_scale):
            self._draw_hud_scaled(surface, hud)

    def _draw_hud_scaled(self, surface: pygame.Surface, hud: Hud) -> None:
        spec = self.run.current.spec
        top = 52 if self.app.settings.demo else 8
        panel(surface, (8, top, 1264, 76))
        draw_icon(surface, spec.icon, (50, top + 38), 56)
        fit_text(surface, spec.title, (90, top + 38), 46, 620, T.TEXT, "midleft", bold=True)
        draw_icon(surface, "target", (760, top + 38), 44)
        done, total = max(hud.reps_done, 0), hud.reps_total
        text(surface, f"{done} / {total}", (792, top + 38), 46, T.TEXT, "midleft", bold=True)
        if hud.time_left_s is not None:
            draw_icon(surface, "clock", (1010, top + 38), 44)
            text(surface, f"{math.ceil(hud.time_left_s)} s", (1040, top + 38), 46, T.TEXT, "midleft")
        panel(surface, (140, 636, 1000, 70))
        draw_icon(surface, "hand", (190, 671), 48)
        fit_text(surface, spec.instruction, (226, 671), 38, 900, T.TEXT, "midleft")
        for i, fb in enumerate(hud.feedback[-2:]):
            color = {"hit": T.YELLOW, "miss": T.SKY, "compensation": T.ORANGE}.get(fb.kind, T.TEXT)
            fit_text(surface, fb.text, (640, 200 + i * 80), 60, 1200, color, "center", bold=True)
        if hud.compensating:
            panel(surface, (880, 540, 390, 80), T.PANEL)
            draw_icon(surface, "person", (925, 580), 52)
            fit_text(surface, "Sit tall", (965, 580), 46, 290, T.ORANGE, "midleft", bold=True)

    def _draw_pause(self, surface: pygame.Surface, message: str) -> None:
        shade = pygame.Surface(surface.get_size(), pygame.SRCALPHA)
        shade.fill((0, 0, 0, 140))
        surface.blit(shade, (0, 0))
        draw_icon(surface, "person", (640, 300), 140)
        text(surface, message, (640, 420), 72, T.YELLOW, "center", bold=True)
