"""A therapy session: the recording of raw landmarks, and saving each rep as it completes.

Pure logic (no pygame): the play scene feeds it frames and the exercise's events. Each rep is
scored from the unmirrored anatomical landmarks recorded between its cue and its end and
written to storage at once (one transaction), so killing the process mid-session loses at
most the rep in progress.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Protocol

import numpy as np

from game.exercises.base import RepOutcome
from game.tracking.pose import PoseFrame, Side

REP_MARGIN_S = 0.3
"""Frames kept before the cue and after the end of a rep, so onset and offset can be found."""


def utc_now() -> str:
    """ISO-8601 UTC timestamp for storage rows."""
    return datetime.now(UTC).isoformat(timespec="seconds")


class RepSink(Protocol):
    """Where reps go (the storage Database satisfies it)."""

    def add_rep(self, session_id: int, rep: Any) -> int: ...


@dataclass
class Recording:
    """Growing buffer of raw pose frames: t_s (T,), image (T, 33, 4), world (T, 33, 4)."""

    _t: list[float] = field(default_factory=list)
    _image: list[np.ndarray] = field(default_factory=list)
    _world: list[np.ndarray] = field(default_factory=list)

    def append(self, frame: PoseFrame) -> None:
        if self._t and frame.t_s <= self._t[-1]:
            return  # the same frame polled twice, or a clock step backwards: keep time monotonic
        self._t.append(frame.t_s)
        self._image.append(frame.image)
        self._world.append(frame.world)

    def __len__(self) -> int:
        return len(self._t)

    def window(self, t0_s: float, t1_s: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Frames with t0_s <= t <= t1_s as arrays."""
        t = np.asarray(self._t, dtype=np.float64)
        lo, hi = np.searchsorted(t, t0_s, "left"), np.searchsorted(t, t1_s, "right")
        if hi <= lo:
            empty = np.zeros((0, 33, 4), np.float32)
            return t[:0], empty, empty.copy()
        return t[lo:hi], np.stack(self._image[lo:hi]), np.stack(self._world[lo:hi])

    def arrays(self, start: int = 0) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """All frames from index ``start``."""
        t = np.asarray(self._t[start:], dtype=np.float64)
        if not len(t):
            empty = np.zeros((0, 33, 4), np.float32)
            return t, empty, empty.copy()
        return t, np.stack(self._image[start:]), np.stack(self._world[start:])


def rep_metrics(outcome: RepOutcome, rec: Recording, side: Side, arm_m: float) -> dict[str, float]:
    """First score of a rep from its raw world landmarks (game.scoring.quick_rep_score)."""
    from game.scoring import quick_rep_score

    t, _image, world = rec.window(outcome.t_cue_s - REP_MARGIN_S, outcome.t_end_s + REP_MARGIN_S)
    metrics = quick_rep_score(
        t, world, side=side, arm_length_m=arm_m, cue_t_s=outcome.t_cue_s,
        end_t_s=outcome.t_end_s, success=outcome.success,
    )
    out = {k: float(v) for k, v in metrics.items()}
    out.update(outcome.extra)
    return out


@dataclass(frozen=True)
class PlanItem:
    """One level to play in a session (a set of a plan entry)."""

    spec: Any
    set_index: int = 0
    rest_s: float = 0.0


def default_plan(levels: dict[str, Any], only: str | None = None) -> list[PlanItem]:
    """The plan: one chosen level, or every shipped level in progression order."""
    if only is not None:
        return [PlanItem(levels[only])]
    return [PlanItem(spec) for spec in levels.values()]


def level_summary(reps: list[dict[str, float]]) -> dict[str, float]:
    """Per-level aggregate of rep metrics: medians (robust to one odd rep; Alt Murphy 2021
    recommends medians over >= 3 reps, clinical_metrics.md §1) and the success rate."""
    if not reps:
        return {"success_rate": float("nan"), "reps": 0.0}
    keys = sorted({k for r in reps for k in r})
    out = {k: float(np.nanmedian([r.get(k, np.nan) for r in reps])) if any(
        np.isfinite(r.get(k, np.nan)) for r in reps) else float("nan") for k in keys}
    out["success_rate"] = float(np.mean([bool(r.get("success", 0.0)) for r in reps]))
    out["reps"] = float(len(reps))
    return out


class SessionRun:
    """One session being played: plan, recording, rep saving and level results."""

    def __init__(self, *, db: Any, patient: Any, plan: list[PlanItem], source_name: str,
                 limits: Any, gain: float = 0.0, neglect_side: Side | None = None,
                 arm_m: float = 0.56) -> None:
        if not plan:
            raise ValueError("a session needs at least one level")
        from game.storage import Rep  # noqa: F401  (fail early if storage is broken)

        self.db, self.patient, self.items = db, patient, plan
        self.side: Side = patient.affected_side
        self.limits, self.gain, self.neglect_side, self.arm_m = limits, gain, neglect_side, arm_m
        self.index = 0
        self.recording = Recording()
        self.level_reps: list[dict[str, float]] = []
        self.results: list[tuple[Any, int, dict[str, float]]] = []
        self.total_reps = 0
        self.closed = False
        plan_json = [{"level": i.spec.id, "set": i.set_index} for i in plan]
        self.session_id: int = db.start_session(patient.id, started_at=utc_now(),
                                                 source=source_name, plan={"items": plan_json})

    @classmethod
    def begin(cls, app: Any) -> SessionRun:
        from game.exercises.base import SafetyLimits

        patient = app.patient
        plan = default_plan(app.levels, app.settings.level)
        return cls(db=app.db, patient=patient, plan=plan, source_name=app.source.name,
                   limits=SafetyLimits())

    @property
    def current(self) -> PlanItem:
        return self.items[self.index]

    def record(self, frame: PoseFrame) -> None:
        self.recording.append(frame)

    def save_rep(self, outcome: RepOutcome) -> None:
        """Score one rep and write it at once (its own transaction)."""
        from game.storage import Rep

        # In the mirror the unaffected arm drives the display: it does the reaching.
        driving: Side = "right" if self.side == "left" else "left"
        metrics = rep_metrics(outcome, self.recording, driving, self.arm_m)
        rep = Rep(level_id=outcome.level_id, set_index=outcome.set_index,
                  rep_index=outcome.rep_index, t_cue_s=outcome.t_cue_s, t_end_s=outcome.t_end_s,
                  success=outcome.success, compensated=outcome.compensated,
                  metrics={k: v for k, v in metrics.items()})
        self.db.add_rep(self.session_id, rep, created_at=utc_now())
        self.level_reps.append(dict(metrics, success=float(outcome.success)))
        self.total_reps += 1

    def finish_level(self, *, stopped: bool) -> int:
        """Grade the level that just ended; store its result; return its stars (0–3)."""
        from game.scoring import grade_level
        from game.storage import LevelResult

        spec = self.current.spec
        summary = level_summary(self.level_reps)
        history = [r for s, _, r in self.results if s.id == spec.id]
        stars = int(grade_level(spec.type, summary, {}, history)) if self.level_reps else 0
        finite = {k: v for k, v in summary.items()}
        reliable = {k: bool(np.isfinite(v)) for k, v in summary.items()}
        self.db.add_level_result(LevelResult(self.session_id, spec.id, stars, finite, reliable))
        self.results.append((spec, stars, summary))
        self.level_reps = []
        return stars

    def advance(self) -> bool:
        """Move to the next plan item; False when the plan is done."""
        if self.index + 1 >= len(self.items):
            return False
        self.index += 1
        return True

    def close(self, *, completed: bool) -> None:
        """Finish the session row (once): completed, or aborted with its reps kept."""
        if self.closed:
            return
        self.closed = True
        t, _, _ = self.recording.arrays()
        active_s = float(t[-1] - t[0]) if len(t) > 1 else 0.0
        self.db.finish_session(self.session_id, status="completed" if completed else "aborted",
                               ended_at=utc_now(), active_s=active_s)
