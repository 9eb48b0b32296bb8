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
from game.exercises import make_exercise
from game.exercises.base import ExerciseContext, Feedback, RepOutcome, SafetyLimits, Tracked
from game.mirror import display_pose
from game.render import theme as T
from game.render.avatar import draw_avatar
from game.render.icons import draw_icon
from game.render.viewport import Viewport
from game.render.level_views import DrawContext, draw_level
from game.render.widgets import banner, panel, text
from game.scenes.base import Pop, Quit, Replace, Scene, Transition
from game.scenes.menus import DEMO_BANNER
from game.session import SessionRun
from game.tracking.pose import PoseFrame, Steerable

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


def start_play(app: Any) -> PlayScene:
    """The play scene for the current patient, running the plan or the one chosen level."""
    run = SessionRun.begin(app)
    return PlayScene(app, run)


class PlayScene(Scene):
    autoplay_after_s = None

    def __init__(self, app: Any, run: SessionRun) -> None:
        super().__init__(app)
        self.run = run
        self.vp = Viewport(app.frame_size, (0, 0, 1280, 720))
        self.pose: PoseFrame | None = None
        self.display: np.ndarray | None = None
        self.particles: list[Particle] = []
        self.paused = False
        self._start_level()

    # -- levels ---------------------------------------------------------------------------
    def _start_level(self) -> None:
        item = self.run.current
        ctx = ExerciseContext(
            level_id=item.spec.id, affected_side=self.run.side, frame_size=self.app.frame_size,
            limits=self.run.limits, rng=np.random.default_rng(self.app.settings.seed + self.run.index),
            set_index=item.set_index, neglect_side=self.run.neglect_side,
        )
        self.exercise = make_exercise(item.spec, ctx)
        self.app.play("level")

    def exit(self) -> None:
        self.run.close(completed=False)

    # -- input ----------------------------------------------------------------------------
    def handle(self, action: Action) -> Transition | None:
        if action.act is Act.QUIT:
            return Quit()
        if action.act is Act.PAUSE:
            self.paused = not self.paused
        elif action.act is Act.BACK:
            return self._finish_level(stopped=True)
        return None

    # -- update ---------------------------------------------------------------------------
    def update(self, dt_s: float) -> Transition | None:
        self._particles(dt_s)
        source = self.app.source
        frame = source.poll(self.app.now_s())
        if frame is not None:
            self.run.record(frame)
            if frame.present:
                self.pose = frame
                self.display = display_pose(frame.image, self.run.side, self.app.frame_size,
                                            self.run.gain)
            else:
                self.pose, self.display = None, None
        now = self.app.now_s()
        if self.pose is not None and now - self.pose.t_s > STALE_POSE_S:
            self.pose, self.display = None, None
        if self.paused:
            return None
        tracked = Tracked(now, self.pose, self.display)
        for ev in self.exercise.update(dt_s, tracked):
            self._on_event(ev)
        if isinstance(source, Steerable):
            source.set_goal(self.exercise.goal())
        if self.exercise.done:
            return self._finish_level(stopped=False)
        return None

    def _on_event(self, ev: Any) -> None:
        if isinstance(ev, RepOutcome):
            self.run.save_rep(ev)
            if ev.success:
                self._burst(self.vp.to_screen(np.array(ev.target_xy_norm)))
        elif isinstance(ev, Feedback):
            self.app.play(ev.kind)

    def _finish_level(self, *, stopped: bool) -> Transition:
        from game.scenes.results import ResultsScene

        self.run.finish_level(stopped=stopped)
        if not stopped and self.run.advance():
            self._start_level()
            return None  # type: ignore[return-value]
        self.run.close(completed=not stopped)
        if self.app.settings.level is not None and self.app.settings.headless and not self.app.settings.demo:
            return Pop()
        return Replace(ResultsScene(self.app, self.run))

    # -- effects --------------------------------------------------------------------------
    def _burst(self, at: np.ndarray) -> None:
        rng = self.app.rng
        for k in range(26):
            a = 2 * math.pi * k / 26
            speed = rng.uniform(120, 320)
            color = (T.YELLOW, T.ORANGE, T.SKY)[k % 3]
            self.particles.append(Particle(float(at[0]), float(at[1]), speed * math.cos(a),
                                           speed * math.sin(a), BURST_S, color))

    def _particles(self, dt_s: float) -> None:
        for p in self.particles:
            p.x += p.vx * dt_s
            p.y += p.vy * dt_s
            p.vy += 300 * dt_s
            p.ttl -= dt_s
        self.particles = [p for p in self.particles if p.ttl > 0]

    # -- drawing --------------------------------------------------------------------------
    def draw(self, surface: pygame.Surface) -> None:
        T.gradient(surface, (24, 40, 60), (52, 70, 96))
        picture = self.app.source.picture()
        if picture is not None:
            from game.render.camera_view import draw_picture

            draw_picture(surface, picture, self.vp)
        view = self.exercise.view()
        if self.display is not None:
            draw_avatar(surface, self.display, self.vp, self.run.side)
        spec = self.run.current.spec
        draw_level(surface, spec.type, view,
                   DrawContext(self.vp, spec.icon, self.run.side, self.app.t_s))
        for p in self.particles:
            pygame.draw.circle(surface, p.color, (p.x, p.y), 7 * max(p.ttl / BURST_S, 0.2))
        self._draw_hud(surface, view)
        if view["paused"] or self.paused:
            self._draw_pause(surface, "Step into view" if view["paused"] else "Paused - press P")
        if self.app.settings.demo:
            banner(surface, DEMO_BANNER)

    def _draw_hud(self, surface: pygame.Surface, view: dict[str, Any]) -> None:
        spec = self.run.current.spec
        top = 52 if self.app.settings.demo else 8
        panel(surface, (8, top, 1264, 76))
        draw_icon(surface, spec.icon, (50, top + 38), 56)
        text(surface, spec.title, (90, top + 38), 46, T.TEXT, "midleft", bold=True)
        draw_icon(surface, "target", (760, top + 38), 44)
        done, total = max(view["reps_done"], 0), view["reps_total"]
        text(surface, f"{done} / {total}", (792, top + 38), 46, T.TEXT, "midleft", bold=True)
        if view.get("time_left_s") is not None:
            draw_icon(surface, "sun", (1010, top + 38), 40)
            text(surface, f"{math.ceil(view['time_left_s'])} s", (1040, top + 38), 46, T.TEXT, "midleft")
        panel(surface, (140, 636, 1000, 70))
        draw_icon(surface, "hand", (190, 671), 48)
        text(surface, spec.instruction, (226, 671), 38, T.TEXT, "midleft")
        for i, fb in enumerate(view["feedback"][-2:]):
            color = {"hit": T.YELLOW, "miss": T.SKY, "compensation": T.ORANGE}.get(fb.kind, T.TEXT)
            text(surface, fb.text, (640, 200 + i * 60), 60, color, "center", bold=True)
        if view.get("compensating"):
            panel(surface, (880, 540, 390, 80), T.PANEL)
            draw_icon(surface, "person", (925, 580), 52)
            text(surface, "Sit tall", (965, 580), 46, T.ORANGE, "midleft", bold=True)

    def _draw_pause(self, surface: pygame.Surface, message: str) -> None:
        shade = pygame.Surface(surface.get_size(), pygame.SRCALPHA)
        shade.fill((0, 0, 0, 140))
        surface.blit(shade, (0, 0))
        draw_icon(surface, "person", (640, 300), 140)
        text(surface, message, (640, 420), 72, T.YELLOW, "center", bold=True)
