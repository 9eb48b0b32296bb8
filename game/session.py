"""A therapy session: the recording of raw landmarks, and saving each rep as it completes.

Pure logic (no pygame): the play scene feeds it frames and the exercise's events. Each rep is
scored from the unmirrored anatomical landmarks recorded between its cue and its end and
written to storage at once (one transaction), so killing the process mid-session loses at
most the rep in progress.
"""

from __future__ import annotations

from collections.abc import Callable
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


def rep_metrics(
    outcome: RepOutcome,
    rec: Recording,
    side: Side,
    arm_m: float,
    frame_size: tuple[int, int],
    radius_norm: float,
    dwell_s: float,
    reach: bool = True,
) -> dict[str, float]:
    """Score one rep from its unmirrored world and image landmarks.

    ``side`` is the arm that really moved (in the mirror, the unaffected arm drives the
    display). The target was shown on the affected side, so for that arm it is reflected
    across the body midline at cue time (game.mirror.reflect_point_norm). Reach reps get the
    full per-rep metrics of game.scoring.score_reps (with valid fractions and reliable flags)
    plus the live summary of quick_rep_score, for the driving arm under plain names and for
    the affected arm's own attempt under ``affected_*`` names (reliable values only: that arm
    may barely move). Other level types store the measures they computed themselves
    (``outcome.extra``) and the trunk displacement.
    """
    from game.exercises.base import smooth_poses, trunk_shift_mm
    from game.mirror import reflect_point_norm

    out: dict[str, float] = {}
    t, image, world = rec.window(outcome.t_cue_s - REP_MARGIN_S, outcome.t_end_s + REP_MARGIN_S)
    target = np.asarray(outcome.target_xy_norm, dtype=np.float64)
    if reach and len(t) >= 8 and np.all(np.isfinite(target)):
        k = int(np.searchsorted(t, outcome.t_cue_s))
        reached = reflect_point_norm(target, image[min(k, len(t) - 1)], frame_size)
        live = slice(k, int(np.searchsorted(t, outcome.t_end_s, "right")))
        arm = _ArmScorer(t, world, image, outcome, live, frame_size, radius_norm, arm_m, dwell_s)
        out.update(arm.score(side, reached))
        # Trunk compensation from the picture (world landmarks swing when the hips are hidden).
        fs_hz = 1.0 / float(np.median(np.diff(t)))
        smooth = smooth_poses(image, fs_hz)
        shift = trunk_shift_mm(smooth[min(k, len(t) - 1)], smooth[live], frame_size)
        out["trunk_displacement_world_mm"] = out.get("trunk_displacement_mm", float("nan"))
        out["trunk_displacement_mm"] = float(np.nanmax(shift)) if np.any(np.isfinite(shift)) else float("nan")
        affected: Side = "left" if side == "right" else "right"
        own = arm.score(affected, target)
        out.update(
            {
                f"affected_{name}": own[name]
                for name in AFFECTED_METRICS
                if name in own and own.get(f"{name}_reliable", 1.0)
            }
        )
    elif len(t) >= 2:
        # Every arm task reports trunk compensation (clinical_metrics.md §3, Alt Murphy 2011),
        # from the picture (see game.exercises.base.trunk_shift_mm).
        smooth = smooth_poses(image, 1.0 / float(np.median(np.diff(t))))
        shift = trunk_shift_mm(smooth[0], smooth, frame_size)
        out["trunk_displacement_mm"] = float(np.nanmax(shift)) if np.any(np.isfinite(shift)) else float("nan")
    out.update({k: float(v) for k, v in outcome.extra.items()})
    out["success"] = float(outcome.success)  # the game's verdict is the record of success
    return out


AFFECTED_METRICS = (
    "sparc",
    "reach_pct_arm",
    "peak_shoulder_abduction_deg",
    "reach_fraction",
    "peak_shoulder_flexion_deg",
)
"""What is stored of the affected arm's own attempt at each reach."""


@dataclass(frozen=True)
class _ArmScorer:
    """Scores one arm over one rep's window (shared by the driving and the affected arm)."""

    t: np.ndarray
    world: np.ndarray
    image: np.ndarray
    outcome: RepOutcome
    live: slice
    frame_size: tuple[int, int]
    radius_norm: float
    arm_m: float
    dwell_s: float

    def score(self, side: Side, target: np.ndarray) -> dict[str, float]:
        from game.scoring import quick_rep_score, score_reps

        aspect = self.frame_size[0] / self.frame_size[1]
        common: dict[str, Any] = dict(
            side=side, target_radius_norm=self.radius_norm, arm_length_m=self.arm_m, aspect_w_over_h=aspect
        )
        full = score_reps(
            self.t,
            self.world,
            self.image,
            cue_s=np.array([self.outcome.t_cue_s]),
            end_s=np.array([self.outcome.t_end_s]),
            targets_xy_norm=target[None, :],
            dwell_s=self.dwell_s,
            **common,
        )
        out = {name: float(v[0]) for name, v in full.items()}
        if self.live.stop - self.live.start >= 2:
            lv = self.live
            quick = quick_rep_score(
                self.t[lv],
                self.world[lv],
                self.image[lv],
                target_xy_norm=(float(target[0]), float(target[1])),
                dwell_s=0.0,
                **common,
            )
            out["time_to_target_s"] = float(quick.time_to_target_s)
            out["reach_fraction"] = float(quick.reach_frac_arm)
            out["peak_shoulder_flexion_deg"] = float(quick.peak_shoulder_flexion_deg)
        return out


@dataclass(frozen=True)
class PlanItem:
    """One set of one level in a session."""

    spec: Any
    set_index: int = 0
    reps: int | None = None
    """Reps in this set (None: the level file's own number)."""
    rest_s: float = 0.0
    """Rest after this set."""


DEFAULT_REST_S = 15.0
"""Rest between levels of the default plan when the therapist set none."""
PAIN_RISE_STOP = 2
"""A rise of this many points on the 0–10 pain scale over the session's start ends the session
kindly. Two points (about 30 %) is the clinically important change on the 0–10 numeric pain
rating scale (Farrar et al. 2001, Pain 94:149–158) [M: not in clinical_metrics.md]."""
FATIGUE_WINDOW = 3
FATIGUE_DROP = 0.25
"""Fatigue rule (design choice): over the last ``FATIGUE_WINDOW`` reps, median peak speed or
reach falls by more than ``FATIGUE_DROP`` (25 %) below the median of the level's first reps, or
movement units double. Slowing and fragmenting of movement with fatigue is the pattern the
smoothness and speed measures of clinical_metrics.md §2–3 pick up; the threshold is ours."""


SUCCESS_GOAL = 0.75
"""Success-rate goal: the middle of the 70–80 % band that keeps practice challenging but
achievable (Levitt 1971 staircases; clinical_metrics.md §8)."""


def default_goals(level_type: str) -> dict[str, float]:
    """Goals a level is graded against when the therapist set none (design choices, in the
    units of game.scoring.grades.LEVEL_METRICS)."""
    return {
        "reach": {"success_rate": SUCCESS_GOAL},
        "trace": {"completion_frac": SUCCESS_GOAL},
        "bilateral": {"xcorr_r": 0.8},
        "weight_shift": {"time_in_zone_frac": 0.6},
        "stance": {"single_leg_stance_s": 10.0},  # BBS item 14: > 10 s scores 4 (§6.6)
        "position_match": {"absolute_error_deg": 10.0},
        "posture": {"time_in_zone_frac": SUCCESS_GOAL},
    }.get(level_type, {"success_rate": SUCCESS_GOAL})


def past_results(db: Any, patient_id: str) -> dict[str, list[dict[str, float]]]:
    """Each level's earlier summaries for one patient (reliable values only), oldest first."""
    out: dict[str, list[dict[str, float]]] = {}
    for session in db.sessions(patient_id):
        for r in db.level_results(session.id):
            rel = r.reliable
            out.setdefault(r.level_id, []).append(
                {k: float(v) for k, v in r.metrics.items() if rel.get(k, True)}
            )
    return out


def build_plan(levels: dict[str, Any], entries: Any, only: str | None = None) -> list[PlanItem]:
    """Expand a plan (``[{level, sets, reps, rest_s}, ...]``) into one item per set.

    ``only`` plays one level once (``--level``). An empty plan plays the shipped default plan
    (levels/plans/default.toml); if that names none of these levels, every level once in
    progression order. Unknown levels in a stored plan are skipped (a level file may have been
    removed since the therapist made the plan).
    """
    from game.levels import DEFAULT_PLAN, LevelError, load_plan

    if only is not None:
        return [PlanItem(levels[only])]
    if not entries:
        try:
            entries = load_plan(DEFAULT_PLAN, levels)
        except LevelError:  # a reduced level set (tests, a removed level): play what there is
            entries = []
    items: list[PlanItem] = []
    for entry in entries or ():
        spec = levels.get(entry.get("level"))
        if spec is None:
            continue
        sets = int(entry.get("sets", 1))
        for k in range(sets):
            items.append(PlanItem(spec, k, entry.get("reps"), float(entry.get("rest_s", DEFAULT_REST_S))))
    if not items:
        items = [PlanItem(spec, 0, None, DEFAULT_REST_S) for spec in levels.values()]
    return items


MIN_RELIABLE_REPS = 3
"""A kinematic level metric is reliable when at least this many of its reps were (Alt Murphy
et al. 2021: the mean of 3 trials gives good-to-excellent reliability; clinical_metrics.md §1)."""


def level_summary(reps: list[dict[str, float]]) -> tuple[dict[str, float], dict[str, bool]]:
    """Per-level metrics and their reliable flags from the reps' metrics.

    A metric the scoring module flagged per rep (``{name}_reliable``) is the median of its
    reliable reps and is reliable with at least MIN_RELIABLE_REPS of them; unreliable reps are
    never averaged in silently. Measures the level took itself (hold time, reposition error…)
    are the median of their finite values, reliable when every rep of a short level (or
    MIN_RELIABLE_REPS) has one. ``success_rate`` is the game's verdict over all reps.
    """
    metrics: dict[str, float] = {}
    flags: dict[str, bool] = {}
    if not reps:
        return {"success_rate": float("nan"), "reps": 0.0}, {"success_rate": False, "reps": True}
    names = sorted({k for r in reps for k in r if not k.endswith(("_reliable", "_valid_fraction"))})
    need_plain = min(MIN_RELIABLE_REPS, len(reps))
    for name in names:
        values = np.array([r.get(name, np.nan) for r in reps], dtype=np.float64)
        if any(f"{name}_reliable" in r for r in reps):
            ok = np.array([bool(r.get(f"{name}_reliable", 0.0)) for r in reps]) & np.isfinite(values)
            need = MIN_RELIABLE_REPS
        else:
            ok, need = np.isfinite(values), need_plain
        metrics[name] = float(np.median(values[ok])) if ok.any() else float("nan")
        flags[name] = int(ok.sum()) >= need
    metrics["success_rate"] = float(np.mean([bool(r.get("success", 0.0)) for r in reps]))
    flags["success_rate"] = True
    metrics["reps"], flags["reps"] = float(len(reps)), True
    return metrics, flags


DEFAULT_AGE_YEARS = 70.0
"""Age used for the range-of-motion norm when none is recorded: the 65–85 y norms (Walker et
al., Norkin & White Table A.1; clinical_metrics.md §4.1) suit most stroke survivors better than
the AAOS 180° (Gill et al. 2020)."""


def rom_comparison(
    reps: list[dict[str, float]], calibration: dict[str, float] | None, age_years: float = DEFAULT_AGE_YEARS
) -> dict[str, float]:
    """The affected arm's session envelope of shoulder abduction, as a % of the calibrated
    unaffected side's comfortable range ("out") and of the age norm (clinical_metrics.md §4.1,
    §10 item 6: normalise to the unaffected side and to age norms)."""
    from game.scoring import age_norm_deg, percent_of_reference, rom_envelope_deg

    values = [r.get("affected_peak_shoulder_abduction_deg", np.nan) for r in reps]
    env = rom_envelope_deg(np.asarray(values, dtype=np.float64))
    top = np.asarray(env["max_deg"], dtype=np.float64)
    out = {
        "affected_abduction_max_deg": float(top),
        "affected_abduction_pct_norm": float(
            percent_of_reference(top, np.asarray(age_norm_deg("shoulder_abduction", age_years)))
        ),
    }
    ref = (calibration or {}).get("range_out_deg", np.nan)
    out["affected_abduction_pct_unaffected"] = float(percent_of_reference(top, np.asarray(ref)))
    return out


def fatigue(reps: list[dict[str, float]]) -> str | None:
    """Return why a rest should be offered (FATIGUE_DROP rule), or None."""
    n = FATIGUE_WINDOW
    if len(reps) < 2 * n:
        return None
    for key, word in (("peak_speed_m_s", "slower"), ("reach_fraction", "shorter")):
        first = np.array([r.get(key, np.nan) for r in reps[:n]], dtype=np.float64)
        last = np.array([r.get(key, np.nan) for r in reps[-n:]], dtype=np.float64)
        if np.isfinite(first).sum() >= 2 and np.isfinite(last).sum() >= 2:
            a, b = np.nanmedian(first), np.nanmedian(last)
            if a > 0 and b < (1.0 - FATIGUE_DROP) * a:
                return f"Movements are getting {word}"
    first_u = np.array([r.get("n_movement_units", np.nan) for r in reps[:n]], dtype=np.float64)
    last_u = np.array([r.get("n_movement_units", np.nan) for r in reps[-n:]], dtype=np.float64)
    if np.isfinite(first_u).sum() >= 2 and np.isfinite(last_u).sum() >= 2:
        if float(np.nanmedian(last_u)) >= 2.0 * max(float(np.nanmedian(first_u)), 1.0):
            return "Movements are getting shakier"
    return None


def pain_stop(pain_before: int | None, pain_now: int | None) -> bool:
    """True when pain rose sharply (PAIN_RISE_STOP points or more) since the session began."""
    if pain_before is None or pain_now is None:
        return False
    return pain_now - pain_before >= PAIN_RISE_STOP


class SessionRun:
    """One session being played: plan, recording, rep saving and level results."""

    def __init__(
        self,
        *,
        db: Any,
        patient: Any,
        settings: Any,
        plan: list[PlanItem],
        source_name: str,
        frame_size: tuple[int, int],
        pain_before: int | None = None,
        arm_m: float = 0.56,
    ) -> None:
        if not plan:
            raise ValueError("a session needs at least one level")
        from game.exercises.base import SafetyLimits

        self.db, self.patient, self.settings, self.items = db, patient, settings, plan
        self.side: Side = settings.affected_side
        self.limits = SafetyLimits(
            max_reach_fraction=settings.max_reach_fraction,
            max_shoulder_flexion_deg=settings.max_shoulder_flexion_deg,
            max_shoulder_abduction_deg=settings.max_shoulder_abduction_deg,
        )
        self.neglect_side = settings.neglect_side
        self.arm_m = arm_m
        self.frame_size = frame_size
        self.pain_before = pain_before
        self.index = 0
        self.recording = Recording()
        self.level_reps: list[dict[str, float]] = []
        self.level_records: list[Any] = []
        self._adapted_gain: float | None = None
        self._eff_for: str | None = None
        self._eff: Any = None
        self.results: list[tuple[Any, int, dict[str, float]]] = []
        self.total_reps = 0
        self.closed = False
        self.status = "aborted"
        self.fatigue_offered_at = -1
        self.history = past_results(db, patient.id)
        self.active_s = 0.0
        """Time spent in levels with the patient in view (the dose actually delivered)."""
        plan_json = [
            {"level": i.spec.id, "set": i.set_index, "reps": i.reps, "rest_s": i.rest_s} for i in plan
        ]
        self.session_id: int = db.start_session(
            patient.id,
            started_at=utc_now(),
            source=source_name,
            plan={"items": plan_json},
            pain_before=pain_before,
        )

    @classmethod
    def begin(cls, app: Any, pain_before: int | None = None) -> SessionRun:
        from game.therapist.settings_schema import PatientSettings

        patient = app.patient
        # The therapist edits the side in the settings; the patients row keeps the first value.
        settings = PatientSettings.from_mapping(
            {"affected_side": patient.affected_side, **dict(patient.settings)}
        )
        plan = build_plan(app.levels, settings.plan, app.settings.level)
        return cls(
            db=app.db,
            patient=patient,
            settings=settings,
            plan=plan,
            source_name=app.source.name,
            frame_size=app.frame_size,
            pain_before=pain_before,
        )

    @property
    def current(self) -> PlanItem:
        return self.items[self.index]

    def _effective(self) -> Any:
        """The current level's effective settings (validated once per level, not per frame)."""
        level_id = self.current.spec.id
        if self._eff_for != level_id:
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
        """Per-patient parameters for the current level.

        Only what the therapist actually set (for the patient or for this level) replaces the
        level file's value, so the levels keep their easy-to-hard progression otherwise. The
        therapist's target size is in screen heights; levels use frame widths.
        """
        import dataclasses

        spec = self.current.spec
        names = {f.name for f in dataclasses.fields(spec.params)}
        raw = dict(self.patient.settings)
        explicit = set(raw) | set(dict(raw.get("level_overrides", {})).get(spec.id, {}))
        eff = self.settings.effective_for_level(spec.id)
        w, h = self.frame_size
        mapping: dict[str, tuple[str, Callable[[Any], Any]]] = {
            "target_reach_fraction": ("reach_fraction", lambda v: v),
            "target_radius_norm": ("target_radius_norm", lambda v: v * h / w),
            "dwell_s": ("dwell_s", lambda v: v),
            "reps": ("reps", int),
            "balance_zone_fraction": ("excursion_pct", lambda v: 100.0 * v),
            "speed_scale": ("speed_arm_s", lambda v: getattr(spec.params, "speed_arm_s", 1.0) * v),
        }
        out: dict[str, Any] = {}
        for key, (param, convert) in mapping.items():
            if key in explicit and param in names:
                out[param] = convert(getattr(eff, key))
        out.update(self._adaptive_overrides(spec, names))
        if self.current.reps is not None:
            out["reps"] = int(self.current.reps)
        return out

    def _adaptive_overrides(self, spec: Any, names: set[str]) -> dict[str, Any]:
        """The adaptive staircases' values for this level, once it has been played before.

        The first play of a level uses the level file (and the therapist's explicit values);
        from then on its staircases (game.therapist.adaptive_session) move the difficulty
        toward 70–80 % success within the therapist's bounds (clinical_metrics.md §8).
        """
        from game.therapist.adaptive_session import load_state, overrides_for_level

        if not self.settings.adaptive:
            return {}
        state = load_state(self.db, self.patient.id)
        if spec.id not in state.levels:
            return {}
        w, h = self.frame_size
        ad = overrides_for_level(state, self.settings, spec.id, level_type=spec.type)
        out: dict[str, Any] = {}
        if "reach_fraction" in ad and "reach_fraction" in names:
            out["reach_fraction"] = ad["reach_fraction"]
        if "target_radius_norm" in ad and "target_radius_norm" in names:
            out["target_radius_norm"] = ad["target_radius_norm"] * h / w  # screen heights → widths
        if "dwell_s" in ad and "dwell_s" in names:
            out["dwell_s"] = ad["dwell_s"]
        if "speed_scale" in ad and "speed_arm_s" in names:
            out["speed_arm_s"] = spec.params.speed_arm_s * ad["speed_scale"]
        if "zone_fraction" in ad and "excursion_pct" in names:
            out["excursion_pct"] = 100.0 * ad["zone_fraction"]
        if "shared_gain" in ad:
            self._adapted_gain = float(ad["shared_gain"])
        return out

    def _adapt_after_level(self, spec: Any) -> None:
        """Advance the level's staircases with its reps and log what changed and why."""
        from game.therapist.adaptive_session import load_state, record_reps, save_state

        if not self.settings.adaptive or not self.level_records:
            return
        state = load_state(self.db, self.patient.id)
        state, changes = record_reps(state, self.settings, spec.id, self.level_records, level_type=spec.type)
        save_state(self.db, self.patient.id, state, changes, at=utc_now())

    def calibrated_body(self) -> Any:
        """The body measured by the patient's latest calibration, or None."""
        from game.calibration import body_from_calibration

        cal = self.db.latest_calibration(self.patient.id)
        if cal is None:
            return None
        try:
            return body_from_calibration(cal, self.side, self.frame_size)
        except ValueError:
            return None  # an incomplete calibration: measure at level start instead

    def record(self, frame: PoseFrame) -> None:
        self.recording.append(frame)

    def save_rep(self, outcome: RepOutcome) -> dict[str, float]:
        """Score one rep and write it at once (its own transaction); return its metrics."""
        from game.storage import Rep

        # In the mirror the unaffected arm drives the display: it does the reaching.
        driving: Side = "right" if self.side == "left" else "left"
        spec = self.current.spec
        radius = float(getattr(spec.params, "target_radius_norm", 0.05))
        dwell = float(getattr(spec.params, "dwell_s", 0.5))
        metrics = rep_metrics(
            outcome,
            self.recording,
            driving,
            self.arm_m,
            self.frame_size,
            radius,
            dwell,
            reach=spec.type == "reach",
        )
        rep = Rep(
            level_id=outcome.level_id,
            set_index=outcome.set_index,
            rep_index=outcome.rep_index,
            t_cue_s=outcome.t_cue_s,
            t_end_s=outcome.t_end_s,
            success=outcome.success,
            compensated=outcome.compensated,
            metrics=metrics,
        )
        self.db.add_rep(self.session_id, rep, created_at=utc_now())
        self.level_reps.append(dict(metrics, success=float(outcome.success)))
        self.level_records.append(rep)
        self.total_reps += 1
        return metrics

    def fatigue_offer(self) -> str | None:
        """Why to offer a rest now (once per FATIGUE_WINDOW reps at most), or None."""
        if self.total_reps - self.fatigue_offered_at < 2 * FATIGUE_WINDOW:
            return None
        why = fatigue(self.level_reps)
        if why is not None:
            self.fatigue_offered_at = self.total_reps
        return why

    def finish_level(self) -> int:
        """Grade the level that just ended; store its result; return its stars (0–3)."""
        from game.scoring import grade_level
        from game.storage import LevelResult

        spec = self.current.spec
        summary, reliable = level_summary(self.level_reps)
        if spec.type == "reach":
            cal = self.db.latest_calibration(self.patient.id)
            rom = rom_comparison(self.level_reps, dict(cal.values) if cal is not None else None)
            summary.update(rom)
            reliable.update({k: bool(np.isfinite(v)) for k, v in rom.items()})
        history = self.history.get(spec.id, [])
        goals = default_goals(spec.type)
        stars = (
            int(grade_level(spec.type, summary, goals, history, reliable=reliable)) if self.level_reps else 0
        )
        self.history.setdefault(spec.id, []).append({k: v for k, v in summary.items() if reliable.get(k)})
        self.db.add_level_result(LevelResult(self.session_id, spec.id, stars, summary, reliable))
        self.results.append((spec, stars, summary))
        self._adapt_after_level(spec)
        self.level_reps, self.level_records = [], []
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
        self.db.finish_session(
            self.session_id,
            status=status,
            ended_at=utc_now(),
            pain_after=pain_after,
            active_s=round(self.active_s, 3),
        )
