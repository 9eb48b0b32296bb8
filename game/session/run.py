"""A therapy session being played: the state machine from the first level to the session's end.

Pure logic (no pygame): the play scene feeds it raw frames (:meth:`SessionRun.record`) and the
exercise's finished reps (:meth:`SessionRun.save_rep`). Each rep is scored from its recorded
frames by its level type (game/session/scoring.py) and written to storage at once (one
transaction), so killing the process mid-session loses at most the rep in progress. Times are
stored as seconds since the session started (game/session/clock.py).
"""

from __future__ import annotations

import logging
import math
from pathlib import Path
from typing import Any

import numpy as np

from game.calibration import body_from_calibration
from game.i18n import N_, Msg
from game.levels import LevelSpec
from game.leveltypes.base import DEFAULT_ARM_M, Body, SafetyLimits
from game.leveltypes.events import RepOutcome
from game.scoring.grades import grade_level
from game.session.clock import SessionClock, utc_now
from game.session.overrides import level_overrides, therapist_values
from game.session.plan import PlanItem, build_plan
from game.session.rules import FATIGUE_WINDOW, fatigue
from game.session.scoring import score_rep, stored_facts
from game.session.summary import level_summary, past_results, rom_comparison, shown_stars
from game.storage import LevelResult, Rep, RepWriter, StorageError
from game.storage.errors import is_transient
from game.therapist.adaptive_session import load_state, overrides_for_level, record_reps, save_state
from game.therapist.settings_schema import PatientSettings
from game.tracking.pose import PoseFrame, Side
from game.tracking.recorder import Recorder

log = logging.getLogger(__name__)
SAVING_WORDS: dict[str, Msg] = {
    m.msgid: m
    for m in (
        N_("Saving is waiting: another program is using the records"),
        N_("The disk is full: saving waits until there is room"),
        N_("Saving is waiting: the records cannot be written just now"),
        N_("Saving is waiting: the clinic's records server cannot be reached"),
    )
}
"""The rep writer's waiting words (game/storage/errors.py waiting_words), translatable."""


class SessionRun:
    """One session being played: plan, recording, rep saving and level results."""

    def __init__(
        self,
        *,
        db: Any,
        patient: Any,
        settings: PatientSettings,
        plan: list[PlanItem],
        source_name: str,
        frame_size: tuple[int, int],
        pain_before: int | None = None,
        arm_m: float | None = None,
        clock: SessionClock | None = None,
    ) -> None:
        if not plan:
            raise ValueError("a session needs at least one level")
        self.db, self.patient, self.settings, self.items = db, patient, settings, plan
        self.side: Side = _side(settings.affected_side)
        self.limits = SafetyLimits(
            max_reach_fraction=settings.max_reach_fraction,
            max_shoulder_flexion_deg=settings.max_shoulder_flexion_deg,
            max_shoulder_abduction_deg=settings.max_shoulder_abduction_deg,
            max_knee_flexion_deg=settings.max_knee_flexion_deg,
            max_mouth_opening_mm=settings.max_mouth_opening_mm,
            max_hand_closure=settings.max_hand_closure,
        )
        self.neglect_side: Side | None = (
            _side(settings.neglect_side) if settings.neglect_side is not None else None
        )
        self.face_side: Side = _side(settings.face_weak_side or settings.affected_side)
        """The weak half of the face (face levels): the palsy's side, else the affected side."""
        self.frame_size = frame_size
        self.arm_m = self._calibrated_arm_m() if arm_m is None else arm_m
        """Arm length to the hand point that reach is normalised by (metres): the latest
        calibration's, else DEFAULT_ARM_M."""
        self.pain_before = pain_before
        self.clock = clock or SessionClock(0.0)
        """Pose-clock time → seconds since the session started, for everything stored."""
        self.index = 0
        self.recorder = Recorder()
        """The current level's raw frames (reps are scored from windows of it)."""
        self.level_reps: list[dict[str, float]] = []
        self.level_records: list[Rep] = []
        self._adapted_gain: float | None = None
        self._eff_for: str | None = None
        self._eff: PatientSettings | None = None
        self.results: list[tuple[LevelSpec, int, dict[str, float]]] = []
        """(level, stars, summary) of every level finished, in order."""
        self.planned: list[int] = []
        """The reps asked of each level in :attr:`results` (same order; 0 for a timed level): a
        level stopped before its last rep shows as such on the results screen."""
        self.total_reps = 0
        self.closed = False
        self.status = "aborted"
        self.fatigue_offered_at = -1
        self.history = past_results(db, patient.id)
        self.active_s = 0.0
        """Time spent in levels with the patient in view (the dose actually delivered)."""
        self.session_id: int = db.start_session(
            patient.id,
            started_at=utc_now(),
            source=source_name,
            plan={"items": [_plan_row(i) for i in plan]},
            pain_before=pain_before,
        )
        self.saver = RepWriter(db)
        """Every write of the session goes through it: a save the database refuses for now
        (another program holds its lock, the disk is full) is kept, retried and never lost."""
        self.unsaved_path: Path | None = None
        """After :meth:`close`: the recovery file holding saves still unwritten, else None."""

    @classmethod
    def begin(cls, app: Any, pain_before: int | None = None) -> SessionRun:
        """Start the current patient's session now (the session clock starts at ``app.now_s()``)."""
        patient = app.patient
        # The therapist edits the side in the settings; the patients row keeps the first value.
        settings = PatientSettings.from_mapping(
            {"affected_side": patient.affected_side, **dict(patient.settings)}
        )
        return cls(
            db=app.db,
            patient=patient,
            settings=settings,
            plan=build_plan(app.levels, settings.plan, app.settings.level, seated_only=settings.seated_only),
            source_name=app.source.name,
            frame_size=app.frame_size,
            pain_before=pain_before,
            clock=SessionClock(app.now_s()),
        )

    @property
    def current(self) -> PlanItem:
        return self.items[self.index]

    def _effective(self) -> PatientSettings:
        """The current level's effective settings (validated once per level, not per frame)."""
        level_id = self.current.spec.id
        if self._eff is None or self._eff_for != level_id:
            self._eff_for, self._eff = level_id, self.settings.effective_for_level(level_id)
        return self._eff

    @property
    def gain(self) -> float:
        """Shared-control gain of the displayed arm (0 = pure mirror)."""
        s = self._effective()
        if s.mirror_mode != "shared":
            return 0.0
        return self._adapted_gain if self._adapted_gain is not None else float(s.shared_gain)

    @property
    def mirror_mode(self) -> str:
        return str(self._effective().mirror_mode)

    def overrides(self) -> dict[str, Any]:
        """Per-patient parameters for the current level: what the therapist actually set (for
        the patient or for this level), then the adaptive staircases' values (both through the
        one table of game/session/overrides.py), then the plan's rep count."""
        spec = self.current.spec
        eff = self.settings.effective_for_level(spec.id)
        therapist = therapist_values(dict(self.patient.settings), eff, spec.id, spec.kind)
        out = level_overrides(therapist, spec.kind, spec.params, self.frame_size)
        out.update(level_overrides(self._adaptive_values(), spec.kind, spec.params, self.frame_size))
        if self.current.reps is not None:
            out["reps"] = int(self.current.reps)
        return out

    def _adaptive_values(self) -> dict[str, float]:
        """The adaptive staircases' setting values for this level, once it has been played.

        The first play of a level uses the level file (and the therapist's explicit values);
        from then on its staircases (game.therapist.adaptive_session) move the difficulty
        toward 70–80 % success within the therapist's bounds (docs/sources.md §8).
        """
        spec = self.current.spec
        if not self.settings.adaptive:
            return {}
        state = load_state(self.db, self.patient.id)
        if spec.id not in state.levels:
            return {}
        values = overrides_for_level(state, self.settings, spec.id, params=spec.kind.adaptive)
        gain = values.pop("shared_gain", None)
        if gain is not None:
            self._adapted_gain = float(gain)
        return values

    def _adapt_after_level(self, spec: LevelSpec) -> None:
        """Advance the level's staircases with its reps and log what changed and why."""
        if not self.settings.adaptive or not self.level_records:
            return
        state = load_state(self.db, self.patient.id)
        state, changes = record_reps(
            state, self.settings, spec.id, self.level_records, params=spec.kind.adaptive
        )
        try:
            save_state(self.db, self.patient.id, state, changes, at=utc_now())
        except StorageError as err:
            if not is_transient(err.__cause__ or err):
                raise
            # Only the next level's difficulty step is lost (the reps themselves wait in the
            # rep writer); the game must not stop because another program holds the lock.
            log.info("adaptive difficulty not saved this time: %s", err)

    def _calibrated_arm_m(self) -> float:
        cal = self.db.latest_calibration(self.patient.id)
        value = float(cal.values.get("arm_m", DEFAULT_ARM_M)) if cal is not None else DEFAULT_ARM_M
        return value if math.isfinite(value) and value > 0 else DEFAULT_ARM_M

    def calibrated_body(self) -> Body | None:
        """The body measured by the patient's latest calibration, or None."""
        cal = self.db.latest_calibration(self.patient.id)
        if cal is None:
            return None
        try:
            return body_from_calibration(cal, self.side, self.frame_size)
        except ValueError:
            return None  # an incomplete calibration: measure at level start instead

    def record(self, frame: PoseFrame) -> None:
        """Keep one raw frame of the current level (repeats are dropped by the recorder), and
        retry saves kept for later when due (cheap when none waits)."""
        self.recorder.append(frame)
        self.saver.tick()

    @property
    def saving_status(self) -> str | None:
        """Plain words for the screen while saves wait ("Saving is waiting: another program is
        using the records"), in the active language, else None."""
        words = self.saver.waiting or self.db.waiting  # the local file, or a clinic server's outbox
        return None if words is None else str(SAVING_WORDS.get(words, words))

    def save_rep(self, outcome: RepOutcome) -> dict[str, float]:
        """Score one rep and write it at once (its own transaction); return its metrics."""
        spec = self.current.spec
        metrics = score_rep(
            spec.kind,
            outcome,
            self.recorder.recording(),
            affected_side=self.side,
            frame_size=self.frame_size,
            arm_m=self.arm_m,
            gain=self.gain,
            earlier=self.level_reps,
        )
        metrics.update(stored_facts(outcome, self.clock))
        rep = Rep(
            level_id=outcome.level_id,
            set_index=outcome.set_index,
            rep_index=outcome.rep_index,
            t_cue_s=self.clock.since_start(outcome.t_cue_s),
            t_end_s=self.clock.since_start(outcome.t_end_s),
            success=outcome.success,
            compensated=outcome.compensated,
            metrics=metrics,
        )
        self.saver.save_rep(self.session_id, rep, created_at=utc_now(), active_s=round(self.active_s, 3))
        self.level_reps.append(metrics)
        self.level_records.append(rep)
        self.total_reps += 1
        return metrics

    def fatigue_offer(self) -> Msg | None:
        """Why to offer a rest now (once per FATIGUE_WINDOW reps at most), or None."""
        if self.total_reps - self.fatigue_offered_at < 2 * FATIGUE_WINDOW:
            return None
        why = fatigue(self.level_reps)
        if why is not None:
            self.fatigue_offered_at = self.total_reps
        return why

    def finish_level(self) -> int:
        """Grade the level that just ended; store its result; return its stars (0–3)."""
        spec = self.current.spec
        summary, reliable = level_summary(self.level_reps)
        if spec.kind.compares_rom:
            cal = self.db.latest_calibration(self.patient.id)
            rom = rom_comparison(self.level_reps, dict(cal.values) if cal is not None else None)
            summary.update(rom)
            reliable.update({k: bool(np.isfinite(v)) for k, v in rom.items()})
        history = self.history.get(spec.id, [])
        goals = spec.kind.goals_for(spec.params)
        graded = grade_level(spec.kind.graded, summary, goals, history, reliable=reliable)
        stars = shown_stars(int(graded), summary) if self.level_reps else 0
        self.history.setdefault(spec.id, []).append({k: v for k, v in summary.items() if reliable.get(k)})
        self.saver.save_level_result(LevelResult(self.session_id, spec.id, stars, summary, reliable))
        self.results.append((spec, stars, summary))
        self.planned.append(int(self.overrides().get("reps", getattr(spec.params, "reps", 0)) or 0))
        self._adapt_after_level(spec)
        self.level_reps, self.level_records = [], []
        self.recorder = Recorder()
        return stars

    def advance(self) -> bool:
        """Move to the next plan item; False when the plan is done."""
        if self.index + 1 >= len(self.items):
            return False
        self.index += 1
        return True

    def close(self, *, status: str = "aborted", pain_after: int | None = None) -> None:
        """Finish the session row once: completed, ended for pain, or aborted (reps kept)."""
        if self.closed:
            return
        if self.level_reps:  # a level cut short still gets its (partial) result
            self.finish_level()
        self.closed = True
        self.status = status
        self.saver.finish(
            self.session_id,
            status=status,
            ended_at=utc_now(),
            pain_after=pain_after,
            active_s=round(self.active_s, 3),
        )
        self.unsaved_path = self.saver.close()


def _plan_row(item: PlanItem) -> dict[str, Any]:
    """How one plan item is stored with the session."""
    return {"level": item.spec.id, "set": item.set_index, "reps": item.reps, "rest_s": item.rest_s}


def _side(value: str) -> Side:
    """A validated setting's side as the pose code's Side."""
    if value not in ("left", "right"):
        raise ValueError(f"side must be 'left' or 'right', got {value!r}")
    return "left" if value == "left" else "right"
