"""The application: services, the fixed-step loop and the scene stack.

Loop (Fiedler's "fix your timestep", Arcade's ``_dispatch_updates``): read input → run as many
fixed ``1/fps`` updates as the elapsed time allows (at most ``MAX_STEPS_PER_FRAME``, the guard
against the spiral of death) → draw → flip. In headless runs game time advances exactly one
step per frame and ``--seconds`` counts game time, so a run is deterministic.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from game import i18n
from game.actions import RESTING, Act, Action, route
from game.frame_timing import (
    FAST_POSES_FRAMES,
    POSE_RATE_WEIGHT,
    next_frame_s,
    repeat_grace_s,
    slow_pictures,
)
from game.frame_timing import sleep_until as _sleep_until
from game.levels import LevelSpec, load_all
from game.pointer import PointerFeed
from game.render.cursor import draw_pointer
from game.render.sound import Sounds
from game.render.viewport import Viewport
from game.render.voice import SilentSpeaker, Speaker, Voice, make_speaker
from game.render.window import Window
from game.scenes.base import Scene, SceneStack
from game.scoring.signal_lib import warm_up as warm_up_scoring
from game.settings import Settings
from game.storage.protocol import Store
from game.storage.records import Patient
from game.therapist.settings_schema import settings_of
from game.tracking.pose import (
    BODY_ONLY,
    Parts,
    PictureWaitable,
    PoseSource,
    SourceStatus,
    WaitableSource,
    forward_parts,
    parts_of,
    wall_clocked,
)

MAX_STEPS_PER_FRAME = 5
"""Most fixed updates run for one rendered frame (lag spikes are dropped, not caught up)."""
log = logging.getLogger(__name__)


@dataclass
class App:
    """Services shared by every scene (passed in, never global); scenes see them as
    :class:`game.scenes.services.AppServices`."""

    settings: Settings
    window: Window
    db: Store
    source: PoseSource
    frame_size: tuple[int, int]
    levels: dict[str, LevelSpec] = field(default_factory=load_all)
    sounds: Sounds | None = None
    rng: np.random.Generator = field(default_factory=lambda: np.random.default_rng(0))
    patient: Patient | None = None
    """Who is playing: set at launch, then changed only by the scene stack
    (:class:`game.scenes.base.ChoosePatient`)."""
    t_s: float = 0.0
    """Game time in seconds since start (advances by fixed steps)."""
    notice: str | None = None
    """One friendly line shown on the title screen (e.g. why the demo started)."""
    frames: int = 0
    _repeats: int = 0
    """Frames shown since the last new pose (for _show_new_pose_early)."""
    _frames_per_pose: float = 2.0
    """Frames each pose was shown, averaged (exponentially, over about 10 poses): about 1 when
    the tracker keeps up with a 60 fps camera, 2 with a 30 fps one."""
    _picture_t_s: float | None = None
    """Capture time of the newest camera picture when the last frame was drawn."""
    _picture_gap_s: float = 0.0
    """Time between the last two camera pictures drawn (the camera's frame interval)."""
    parts: Parts = BODY_ONLY
    """What the scenes last asked the tracker to run (:meth:`request_parts`)."""
    _present_s: float | None = None
    """When the frame being drawn is to be shown (:meth:`_draw_next_ahead`); None: at once."""
    _picture_early: bool = False
    """The last frame showed a new camera picture before its pose (_show_new_picture_early)."""
    stack: SceneStack | None = None
    _acc_s: float = 0.0
    _last_s: float = 0.0
    _frame_at_s: float = 0.0
    _pointer_at: tuple[int, int] | None = None
    """Where the mouse or the hand pointer last was (screen pixels), None before any."""
    _told: object = None
    """The screen that was last told where the pointer is."""
    stop: threading.Event = field(default_factory=threading.Event)
    """Set (by a signal handler, game/launch.py) to end the run as the Quit key would."""
    pointer: PointerFeed = field(init=False)
    """The raised tracked hand as a pointer on menu screens (dwell select, hands-free)."""
    speaker: Speaker | None = None
    """The patient's voice (game/render/voice.py); None: the system's voice when there is sound
    and a window, else silent (headless runs and ``--mute`` never speak)."""
    system_language: str | None = field(default_factory=lambda: i18n.system_language(os.environ))
    """The operating system's language if shipped: the clinic's default (game/i18n.py)."""
    _language_scene: Scene | None = field(default=None, init=False, repr=False)

    def __post_init__(self) -> None:
        self.pointer = PointerFeed(Viewport(self.frame_size, (0, 0, *self.window.surface.get_size())))
        if self.speaker is None:
            quiet = self.settings.headless or self.settings.mute or self.sounds is None
            self.speaker = SilentSpeaker() if quiet else make_speaker()

    def language_for(self, scene: Scene) -> str:
        """The language `scene` is drawn (and spoken) in: ``--language``, else the clinic's on
        therapist screens and the reading patient's on patient screens (game.i18n)."""
        reader = scene.reader()
        return i18n.choose_language(
            override=self.settings.language,
            therapist_screen=scene.therapist_screen,
            patient=settings_of(reader).language if reader is not None else None,
            clinic=self.db.get_meta(i18n.APP_LANGUAGE_KEY),
            system=self.system_language,
        )

    def _sync_language(self, scene: Scene) -> None:
        """Activate the top scene's language (looked up again only when the top or the
        patient changes)."""
        if scene is not self._language_scene:
            self._language_scene = scene
            i18n.activate(self.language_for(scene))

    def say(self, words: i18n.Text) -> None:
        """Speak `words` to the patient (see AppServices.say): in the language of the screen on
        top (a scene speaking as it enters is already on top), at the reading patient's voice
        settings; therapist screens never speak."""
        scene = self.stack.top if self.stack is not None else None
        if scene is None or scene.therapist_screen or self.speaker is None:
            return
        reader = scene.reader()
        s = settings_of(reader) if reader is not None else None
        if s is not None and not s.voice:
            return
        language = self.language_for(scene)
        with i18n.using(language):
            spoken = str(words)
        self.speaker.say(spoken, Voice(language, s.voice_rate, s.voice_volume) if s else Voice(language))

    @property
    def dt_s(self) -> float:
        return 1.0 / self.settings.fps

    def now_s(self) -> float:
        """The time pose sources are polled with: game time for simulated and replayed
        sources (deterministic), the sources' own capture clock (``time.perf_counter``) for
        live ones (``uses_wall_clock``), so landmark age is ``now_s - pose.t_s``."""
        if wall_clocked(self.source):
            return time.perf_counter()
        return self.t_s

    def play(self, name: str) -> None:
        if self.sounds is not None:
            self.sounds.play(name)

    def request_parts(self, parts: frozenset[str]) -> None:
        """Have the tracker run the models for ``parts`` from its next picture (a source that
        cannot choose tracks the body), and remember them (:meth:`_draw_next_ahead`)."""
        self.parts = parts_of(parts)
        forward_parts(self.source, self.parts)

    def choose_patient(self, patient: Patient) -> None:
        """The scene stack's hook for :class:`game.scenes.base.ChoosePatient`."""
        self.patient = patient
        self._language_scene = None  # the new patient may read another language

    def run(self, first_scene: Scene) -> int:
        """Run until the stack is empty, the user quits, or ``--seconds`` of game time pass."""
        self.start(first_scene)
        try:
            while self.frame():
                pass
        finally:
            self._finish()
        return 0

    def start(self, first_scene: Scene) -> SceneStack:
        """Make the scene stack with `first_scene` and start the frame clock (:meth:`frame`
        then runs one frame at a time; :meth:`run` does both and cleans up)."""
        self.stack = SceneStack(first_scene, choose_patient=self.choose_patient)
        self._told = first_scene
        self._acc_s, self._last_s = 0.0, time.perf_counter()
        self._frame_at_s = self._last_s  # when the current frame was due (the 60 Hz schedule's anchor)
        return self.stack

    def frame(self) -> bool:
        """One frame of the loop: input, fixed updates, draw, flip (and, in a window, wait for
        the next frame). Returns False when the run is over."""
        stack = self.stack
        assert stack is not None, "start() first"
        if stack.quit or self.stop.is_set():
            return False
        dt = self.dt_s
        # A frame drawn ahead is timed (its game steps) at when it will be shown.
        now = time.perf_counter() if self._present_s is None else self._present_s
        frame_s = dt if self.settings.headless else min(now - self._last_s, 0.25)
        self._last_s = now
        self._sync_language(stack.top)
        for action in self.window.events():
            self._deliver(action)
            if stack.quit:
                return False
        pointed = self.pointer.step(self.source, self.now_s(), stack.top)
        if pointed is not None:
            self._deliver(pointed)
        self._acc_s += frame_s
        steps = 0
        while self._acc_s >= dt - 1e-9 and steps < MAX_STEPS_PER_FRAME and not stack.quit:
            if self.settings.autoplay:
                for action in stack.top.autoplay(dt):
                    stack.apply(stack.top.handle(action))
                    if stack.quit:
                        break
            if stack.quit:
                break
            self._sync_language(stack.top)
            stack.apply(stack.top.update(dt))
            self._tell_pointer()
            self.t_s += dt
            self._acc_s -= dt
            steps += 1
        self._acc_s = min(self._acc_s, dt)
        if stack.quit:
            return False
        self._sync_language(stack.top)
        stack.top.draw(self.window.surface)
        self._note_picture()
        if self.pointer.pos is not None and stack.top.hand_pointer:
            draw_pointer(self.window.surface, self.pointer.pos)
        if self._present_s is not None:  # drawn ahead: shown a frame after the last one
            _sleep_until(self._present_s)
            self._present_s = None
            self._check_ahead()
        self.window.flip()
        self.frames += 1
        if self.frames == 1:  # the game answers now; load the scoring's scipy meanwhile
            warm_up_scoring()
        limit = self.settings.seconds
        if limit is not None and self.t_s >= limit - 1e-9:
            return False
        if self.settings.headless and self.source.status() is SourceStatus.ENDED:
            return False  # a video or replay ran out: the headless run is over
        if not self.settings.headless:
            flipped_s = time.perf_counter()
            self._frame_at_s = next_frame_s(self._frame_at_s, dt, flipped_s)
            if self._draw_next_ahead():
                self._present_s = self._frame_at_s = flipped_s + dt
            elif self._show_new_pose_early(flipped_s, self._frame_at_s, dt):
                self._frame_at_s = time.perf_counter()  # re-anchor the 60 Hz grid on the pose
        return True

    def _deliver(self, action: Action) -> None:
        """Route one input action to the screen on top, remembering where the pointer is."""
        assert self.stack is not None
        if action.act in (Act.POINT, Act.CLICK) and action.pos is not None:
            self._pointer_at = action.pos
        self.stack.apply(route(self.stack.top, action))
        self._tell_pointer()

    def _tell_pointer(self) -> None:
        """A screen that has just come on top learns where the pointer already rests, so a
        button under a resting pointer or hand is not chosen by it (game.render.dwell.Dwell)."""
        stack = self.stack
        assert stack is not None
        if stack.quit or not stack.scenes or stack.top is self._told:
            return
        self._told = stack.top
        if self._pointer_at is not None:
            stack.apply(route(stack.top, Action(Act.POINT, self._pointer_at, key=RESTING)))

    def _note_picture(self) -> None:
        """Remember the newest camera picture as drawn, and the camera's frame interval."""
        if not isinstance(self.source, PictureWaitable):
            return
        picture = self.source.picture()
        if picture is None or picture.t_s == self._picture_t_s:
            return
        if self._picture_t_s is not None:
            self._picture_gap_s = picture.t_s - self._picture_t_s
        self._picture_t_s = picture.t_s

    def _show_new_pose_early(self, flipped_s: float, due_s: float, dt: float) -> bool:
        """Wait for the next frame, but wake as soon as a new pose arrives (no sooner than
        half a frame after the last flip), so landmarks are shown right after inference
        instead of waiting for the schedule. A pose already shown twice may wait up to half a
        frame more for its successor rather than be shown a third time (30 Hz poses, 60 Hz
        frames); when poses come about once a frame (a 60 fps camera), a pose about to be shown
        a second time waits a little for its successor too (:func:`repeat_grace_s`). After a
        frame that showed a new picture early, the wait for its pose starts at once (that pose
        is new content, not a frame drawn twice). Returns True when the grid
        should re-anchor on now. Sources without ``wait_new`` (simulation, replay) just sleep."""
        if not isinstance(self.source, WaitableSource):
            _sleep_until(due_s)
            return False
        if self._picture_early:  # that picture's pose comes next: show it as soon as it is there
            self._picture_early = False
        else:
            _sleep_until(min(flipped_s + 0.5 * dt, due_s))
        if self._repeats == 0 and self._show_new_picture_early(due_s, dt):
            self._repeats, self._picture_early = 1, True
            return False  # the grid stays anchored on the pose
        grace_s = repeat_grace_s(self._repeats, self._frames_per_pose, dt)
        woke = bool(self.source.wait_new(due_s + grace_s - time.perf_counter()))
        if woke:
            self._frames_per_pose += POSE_RATE_WEIGHT * (self._repeats + 1 - self._frames_per_pose)
        self._repeats = 0 if woke else self._repeats + 1
        return woke or grace_s > 0

    def _draw_next_ahead(self) -> bool:
        """Draw the next frame at once, to be shown one frame after the one just flipped?

        With poses at about half the frame rate (a 30 fps camera at 60 Hz:
        ``_frames_per_pose`` of :data:`FAST_POSES_FRAMES` or more), the frame after a pose's
        first showing can only show that pose again. While the tracker runs hands or face
        beside the pose, its inference keeps both cores of a 2-core machine busy, and that
        frame, drawn when due, fell on the next picture's inference: it was flipped 22 ms after
        the first instead of 16.7 (landmark-age p95 52 ms with hands) and slowed that inference
        from 12 ms to 17. Drawn right after the first frame, while the cores are idle, and
        shown on time, neither waits for the other (p95 42 ms; README "Hands and a 60 fps
        source"). The price is that this frame shows the pose's own picture, not the camera's
        next one: the picture on screen is a few milliseconds older (p50 27 ms against 21),
        and always the one its landmarks were found in. The body alone leaves a core free, so
        there it would only cost picture age, and the loop draws when due as before.

        Not when a new pose is already there (it is shown at once, as usual), nor with the
        picture wake switched on (``game.frame_timing.SLOW_PICTURES_FRAMES``), which shows that frame a new
        picture instead. Counts the frame as the pose's second showing."""
        if self._repeats != 0 or self._frames_per_pose < FAST_POSES_FRAMES or self.parts == BODY_ONLY:
            return False
        source = self.source
        if not isinstance(source, WaitableSource) or source.wait_new(0.0):
            return False
        if slow_pictures(self._picture_gap_s, self.dt_s):
            return False
        self._repeats = 1
        return True

    def _check_ahead(self) -> None:
        """A new pose already there when a frame drawn ahead is shown came within a frame of
        the last one (a 60 fps camera; the loop starts out assuming 30 Hz poses): the next
        wake counts it so (one frame per pose), and the loop soon stops drawing ahead."""
        source = self.source
        if isinstance(source, WaitableSource) and source.wait_new(0.0):
            self._repeats = 0

    @property
    def picture_shown_t_s(self) -> float | None:
        """Capture time of the camera picture in the frame last drawn (None before any)."""
        return self._picture_t_s

    def _show_new_picture_early(self, due_s: float, dt: float) -> bool:
        """The frame between two poses of a slow tracker: wake for the camera's next picture
        instead of the schedule. With a 30 fps camera and a tracker slower than a frame (hands,
        face: ~17-20 ms), that picture arrives before the frame is due, and its pose cannot
        come before the frame after; showing it at once makes both the picture and the
        landmarks on screen younger (the landmarks by the tracker's time beyond one frame).
        Only for cameras slower than :data:`SLOW_PICTURES_FRAMES` frames: at 60 fps the pose
        follows its picture within the frame, and the loop waits for it instead. True when a
        new picture is there to draw."""
        drawn_s = self._picture_t_s
        if drawn_s is None or not slow_pictures(self._picture_gap_s, dt):
            return False
        source = self.source
        if not isinstance(source, WaitableSource) or source.wait_new(0.0):
            return False  # a new pose is already there: show it, as usual
        if not isinstance(source, PictureWaitable):
            return False
        return source.wait_picture(drawn_s, due_s - time.perf_counter()) is not None

    def _finish(self) -> None:
        """Close the session (scenes), then the voice and the source (a recording is finalised),
        then save the screenshot of the last frame: a failing screenshot must not leave the
        others undone."""
        try:
            if self.stack is not None:
                self.stack.close()
        finally:
            try:
                if self.speaker is not None:
                    self.speaker.close()
                self.source.close()
            finally:
                if self.settings.screenshot is not None:
                    self.window.screenshot(Path(self.settings.screenshot), overwrite=self.settings.force)
