"""The play screen: the mirror, the targets, feedback and the HUD; runs the session's levels.

What the patient sees: their body as a mirror (camera picture or avatar) whose affected arm is
the reflection of the good arm, the level's targets, a progress ring while dwelling, a burst
and a gentle sound on each hit, kind words on a miss, and a cue when the trunk compensates.

Controls: P, the on-screen Pause button (click, rest the mouse on it, or hold the raised hand
on it for 3 s: game/scenes/hand_hold.py) or Esc pause and ask "Go on or Stop?"; Esc again (or
Stop) ends the session, its completed reps kept; Enter, P or Go on carries on. While paused the
raised hand points and dwells like on a menu. A
balance level's "Chair or rail within reach? YES" is answered by Enter, a click on YES, the
mouse resting on it, or the displayed hand held on it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pygame

from game.actions import RESTING, Act, Action
from game.i18n import N_, Msg, Text
from game.leveltypes.base import Exercise, ExerciseContext, Tracked
from game.leveltypes.events import Event, Feedback, RepOutcome
from game.leveltypes.facial import FaceLevelView
from game.leveltypes.views import Hud
from game.mirror import display_pose
from game.prompts import Cue, GameEvent, LevelStarted, Paused, RepDone, speech_for
from game.render import theme as T
from game.render.avatar import avatar_box
from game.render.camera_view import draw_mirror, draw_source_status, status_message
from game.render.dwell import Dwell
from game.render.face_view import FaceStage
from game.render.level_views import DrawContext
from game.render.viewport import Viewport
from game.render.widgets import banner, fit_text
from game.scenes.base import Pop, Push, Quit, Replace, Scene, Target, Transition
from game.scenes.calibration import CalibrationScene
from game.scenes.calibration_hand import HandCalibrationScene, needs_hand_calibration, session_plan
from game.scenes.checkin import PainCheckScene, RestScene, session_region
from game.scenes.hand_hold import HandHold
from game.scenes.kit import DEMO_BANNER, menu_focus, menu_targets
from game.scenes.play_view import (
    Burst,
    draw_header,
    draw_hud_words,
    draw_instruction,
    draw_pause,
    header_top,
    pause_button,
    pause_dialog,
    stage_for,
)
from game.scenes.results import ResultsScene
from game.session.plan import PlanItem
from game.session.rules import pain_stop
from game.session.run import SessionRun
from game.tracking.motor import MotorSteerable
from game.tracking.pose import BODY_ONLY, PoseFrame, SourceStatus
from game.tracking.smoothing import PoseSmoother

STALE_POSE_S = 0.5
"""A pose older than this no longer counts: the level pauses with "step into view"."""


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


def plan_region(plan: Sequence[PlanItem]) -> str:
    """What a session's levels exercise, as the pain check-in names it."""
    return session_region(item.spec.kind.region for item in plan)


class SessionStart(Scene):
    """Runs the steps before play in order; never drawn for long (each step is its own scene)."""

    autoplay_after_s = None
    hand_pointer = False
    transient = True

    def __init__(self, app: Any) -> None:
        super().__init__(app)
        self.pain: int | None = None
        self.step = "pain"

    def update(self, dt_s: float) -> Transition | None:
        if self.step == "pain":
            self.step = "waiting-pain"
            plan = [] if self.app.patient is None else session_plan(self.app, self.app.patient)
            return Push(PainCheckScene(self.app, "before", region=plan_region(plan)))
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

        super().__init__(app, "after", on_answer=done, region=plan_region(run.items))
        self.run, self.status = run, status

    def exit(self) -> None:
        self.run.close(status=self.status)  # no answer (app closed): keep the status, no pain value


class PlayScene(Scene):
    autoplay_after_s = None
    for_patient = True
    hand_holds = frozenset({"pause"})
    CONFIRM_AUTOPLAY_S = 1.5
    YES_PAD_PX = 12
    """The YES button's pointer target reaches this far past its drawn circle."""

    def __init__(self, app: Any, run: SessionRun) -> None:
        super().__init__(app)
        self.run = run
        self.vp = Viewport(app.frame_size, (0, 0, 1280, 720))
        self.pose: PoseFrame | None = None
        self.display: np.ndarray | None = None
        self.shown: np.ndarray | None = None  # smoothed raw image landmarks (mirror midline)
        self.smoother = PoseSmoother()
        self.burst = Burst()
        self.paused = False
        self.asking = False
        """Paused by Esc: the box asks "Stop here?" and Esc again stops."""
        top = header_top(bool(app.settings.demo))
        self.pause_menu = pause_button(top)
        self.dialog = pause_dialog()
        self.hand_pause = HandHold(app.frame_size)
        """The raised hand held on Pause (the hand-only patient's way out of a level)."""
        self.dwell = Dwell()
        """The mouse resting on YES (the chair question)."""
        self._pointer_fresh = False
        self._handoff = False
        self._waiting: str | None = None  # "rest" or "pain" while a pushed scene is on top
        self._body = run.calibrated_body()
        self.face_stage = FaceStage()
        self._speech: list[GameEvent] = []
        """What happened this step, for the voice (spoken once per update, game/prompts.py)."""
        self._was_paused = self._was_compensating = False
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
            face_weak_side=self.run.face_side,
            overrides=self.run.overrides(),
            body=self._body,
        )
        self.exercise: Exercise = item.spec.kind.exercise(item.spec.params, ctx)
        stage = stage_for(item.spec.kind.standing, bool(self.app.settings.demo))
        self.vp = Viewport(self.app.frame_size, stage)  # a standing body fits below the header
        self._request_parts(item.spec.kind.parts)
        self.hand_pause.restart()
        self.app.play("level")
        self._speech.append(LevelStarted(item.spec.title, item.spec.instruction))

    def _request_parts(self, parts: frozenset[str]) -> None:
        """Ask the tracker for what this level needs (hands, face): the models run only then."""
        self.app.request_parts(parts)

    def exit(self) -> None:
        self._request_parts(BODY_ONLY)  # menus and results need the body only
        if not self._handoff:
            self.run.close(status="aborted")

    def resume(self, result: Any) -> Transition | None:
        self.hand_pause.restart()
        waiting, self._waiting = self._waiting, None
        if waiting == "next-rest" and self.run.current.spec.id != self._prev_level:
            self._waiting = "pain"
            return Push(PainCheckScene(self.app, "during", region=plan_region(self.run.items)))
        if waiting == "pain" and isinstance(result, int) and pain_stop(self.run.pain_before, result):
            return self._end("ended_pain")
        if waiting in ("next-rest", "pain"):
            self._start_level()
        return None

    @property
    def hand_pointer(self) -> bool:  # type: ignore[override]
        """While paused the hand points at Go on / Stop; while playing it plays."""
        return self.paused

    def targets(self) -> list[Target]:
        if self.paused:
            return menu_targets(self.dialog)
        out = [Target(t.key, t.rect, keys=False) for t in menu_targets(self.pause_menu)]
        yes = self._yes_rect()
        return out + ([Target("yes", yes)] if yes is not None else [])

    def focused(self) -> str | None:
        if self.paused:
            return menu_focus(self.dialog)
        return "yes" if self.exercise.awaiting_confirm else None

    # -- input ----------------------------------------------------------------------------
    def handle(self, action: Action) -> Transition | None:
        if action.act is Act.QUIT:
            return Quit()
        if self.paused:
            return self._handle_paused(action)
        if action.act is Act.PAUSE:
            self._pause(asking=False)
        elif action.act is Act.BACK:
            self._pause(asking=True)
        elif action.act is Act.SELECT:
            self.exercise.handle_select()
        elif action.act in (Act.POINT, Act.CLICK):
            if self.pause_menu.handle(action) is not None:
                self._pause(asking=False)
            elif self.dwell.handle_pointer(action, self._on_yes) is not None:
                self.exercise.handle_select()
        return None

    def _handle_paused(self, action: Action) -> Transition | None:
        if action.act is Act.PAUSE:
            return self._choose_paused("resume")
        if action.act is Act.BACK:
            if self.asking:
                return self._choose_paused("stop")
            self.asking = True
            return None
        if action.act is Act.POINT and action.pos is not None and self._pointer_fresh:
            # the first pointer position after pausing is where a hand or mouse already was:
            # nothing under it is chosen until it moves on (a raised hand never picks "Stop")
            self._pointer_fresh = False
            action = Action(Act.POINT, action.pos, key=RESTING)
        chosen = self.dialog.handle(action)
        return self._choose_paused(chosen) if chosen is not None else None

    def _pause(self, *, asking: bool) -> None:
        self.paused, self.asking = True, asking
        self.dialog.focus = 0
        self.dialog.dwell.reset()
        self.pause_menu.dwell.reset()
        self._pointer_fresh = True

    def _choose_paused(self, key: str) -> Transition | None:
        if key == "stop":
            return self._finish_level(stopped=True)
        self.paused = self.asking = False
        self.dialog.dwell.reset()
        self.hand_pause.restart()
        return None

    def _yes_rect(self) -> tuple[int, int, int, int] | None:
        """Where the chair question's YES is on screen, while it waits."""
        confirm = getattr(self.exercise.view(), "confirm", None)
        if confirm is None or not self.exercise.awaiting_confirm:
            return None
        cx, cy = self.vp.to_screen(np.array(confirm.button_xy))
        r = self.vp.length_px(confirm.radius) + self.YES_PAD_PX
        return (int(cx - r), int(cy - r), int(2 * r), int(2 * r))

    def _on_pause(self, pos: tuple[int, int]) -> str | None:
        return "pause" if pygame.Rect(self.pause_menu.buttons[0].rect).collidepoint(pos) else None

    def _on_yes(self, pos: tuple[int, int]) -> str | None:
        rect = self._yes_rect()
        return "yes" if rect is not None and pygame.Rect(rect).collidepoint(pos) else None

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
        transition = self._update(dt_s)
        self._speak()
        return transition

    def _speak(self) -> None:
        """Say this step's events as one prompt (the app never waits, and keeps to the patient's
        voice settings); a pause or a "Sit tall" is said once, as it begins."""
        if not self.exercise.done:
            hud = self.exercise.view().hud
            status = self.app.source.status()
            lost = status_message(status) if status is SourceStatus.DEVICE_LOST else None
            paused = self.paused or hud.paused
            if paused and not self._was_paused:
                self._speech.append(Paused(N_("Paused") if self.paused else lost or N_("Step into view")))
            if hud.compensating and not self._was_compensating:
                self._speech.append(Cue("compensation", N_("Sit tall")))
            self._was_paused, self._was_compensating = paused, hud.compensating
        words = speech_for(self._speech)
        self._speech = []
        if words is not None:
            self.app.say(words)

    def _update(self, dt_s: float) -> Transition | None:
        self.burst.update(dt_s)
        if self.paused:  # the hand points at the pause box: the app's pointer reads the pose
            chosen = self.dialog.update(dt_s)
            return self._choose_paused(chosen) if chosen is not None else None
        if self.pause_menu.update(dt_s) is not None:
            self._pause(asking=False)
            return None
        if self.dwell.tick(dt_s) is not None:
            self.exercise.handle_select()
        source = self.app.source
        self._take_pose()
        if self.hand_pause.step(self.pose, dt_s, self._on_pause) is not None:
            self._pause(asking=False)
            return None
        now = self.app.now_s()
        if self.pose is not None and now - self.pose.t_s > STALE_POSE_S:
            self.pose, self.display = None, None
        tracked = Tracked(now, self.pose, self.display, self.run.gain)
        if tracked.present:
            self.run.active_s += dt_s
        transition: Transition | None = None
        for ev in self.exercise.update(dt_s, tracked):
            transition = self._on_event(ev) or transition
        if isinstance(source, MotorSteerable):  # the simulated patient does what is asked
            source.set_goal(self.run.current.spec.kind.simulate(self.exercise.goal()))
        if self.exercise.done:  # stopped: ended for safety (a fall), the session stops too
            return self._finish_level(stopped=self.exercise.stopped)
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
            self.display = self._display_pose(frame.image)
            # Smooth once, for what is drawn only; levels, scoring and recording stay raw.
            self.shown = self.smoother(frame).image
        else:
            self.pose, self.display, self.shown = None, None, None
            self.smoother.reset()

    def _display_pose(self, image: np.ndarray) -> np.ndarray:
        """What the patient sees of a pose: the level type's limbs mirrored (or shared control)."""
        parts = self.run.current.spec.kind.mirrors
        return display_pose(image, self.run.side, self.app.frame_size, self.run.gain, parts)

    def _on_event(self, ev: Event) -> Transition | None:
        if isinstance(ev, RepOutcome):
            hud = self.exercise.view().hud
            self._speech.append(RepDone(hud.reps_done, hud.reps_total, ev.success))
            self.run.save_rep(ev)
            if ev.success and np.all(np.isfinite(ev.target_xy_norm)):
                self.burst.start(self.vp.to_screen(np.array(ev.target_xy_norm)), self.app.rng)
            why = self.run.fatigue_offer()
            if why is not None:
                self._waiting = "fatigue"
                return Push(RestScene(self.app, 30.0, N_("{why} - rest a moment?", why=why)))
        elif isinstance(ev, Feedback):
            self.app.play(ev.kind)
            self._speech.append(Cue(ev.kind, ev.text))
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

    # -- drawing --------------------------------------------------------------------------
    def draw(self, surface: pygame.Surface) -> None:
        if not self.paused:
            self._take_pose()
        # The patient's text size (therapist setting) applies to everything read during play.
        with T.text_scale(self.run.settings.text_scale):
            self._draw(surface)
        if self.app.settings.demo:
            banner(surface, DEMO_BANNER)

    def _draw(self, surface: pygame.Surface) -> None:
        T.gradient(surface, (24, 40, 60), (52, 70, 96))
        status = self.app.source.status()
        raw = self.shown if self.display is not None else None  # None once the pose is stale
        shown = None if raw is None else self._display_pose(raw)
        view = self.exercise.view()
        if isinstance(view, FaceLevelView):  # face levels show the face, mirrored or not
            face = None if self.pose is None else self.pose.face
            self.face_stage.draw(
                surface, self.run.mirror_mode, self.app.source.picture(), face, self.app.frame_size,
                view.weak_side, view.half_face,
            )  # fmt: skip
        else:
            draw_mirror(
                surface, self.run.mirror_mode, self.app.source.picture(), raw, shown, self.run.side, self.vp,
                self.run.current.spec.kind.mirrors,
            )  # fmt: skip
        spec = self.run.current.spec
        run, picture = self.run, self.app.source.picture()
        ctx = DrawContext(
            self.vp, spec.icon, run.side, self.app.t_s, run.mirror_mode, picture, self.pose, run.gain
        )
        spec.kind.draw(surface, view, ctx)
        self.burst.draw(surface)
        hud = view.hud
        self._draw_hud(surface, hud, avatar_box(shown, self.vp))
        if self.paused:
            self._draw_pause(surface, N_("Stop here?") if self.asking else N_("Paused"))
        elif hud.paused:
            lost = status_message(status) if status is SourceStatus.DEVICE_LOST else None
            self._draw_pause(surface, lost or N_("Step into view"))
        else:
            draw_source_status(surface, status)

    def _draw_pause(self, surface: pygame.Surface, message: Text) -> None:
        """The pause box: the player's pause with Go on / Stop, or the level waiting for the
        patient (nobody in view, the camera lost)."""
        if not self.paused:
            draw_pause(surface, message, N_("The level waits for you."), None)
            return
        detail = N_("The reps you did are kept.") if self.asking else N_("Go on when you are ready.")
        draw_pause(surface, message, detail, self.dialog)

    def _draw_hud(self, surface: pygame.Surface, hud: Hud, avatar: pygame.Rect | None) -> None:
        spec = self.run.current.spec
        top = header_top(bool(self.app.settings.demo))
        draw_header(surface, Msg(spec.title), spec.icon, hud, top)
        self.pause_menu.draw(surface)
        self.hand_pause.draw(surface)
        draw_instruction(surface, Msg(spec.instruction))
        draw_hud_words(surface, hud, avatar, top)
        waiting = self.run.saving_status  # a save waits (game/storage/repwriter.py)
        if waiting is not None:
            fit_text(surface, waiting, (640, top + 110), 34, 1200, T.ORANGE, "center", bold=True)
