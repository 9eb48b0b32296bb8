"""The catalogue of every measure MirrorPlay stores: name, display name, UCUM unit, code, kind.

Pure data, read by the exports (CSV, FHIR, PDF), the therapist review and the portal, so a
measure has one name, one unit and one display name everywhere. Conventions:

- ``unit`` is a UCUM code (https://ucum.org): ``%`` for percentages, ``1`` only for true
  dimensionless ratios (a fraction 0-1, a correlation, a length over a length), ``{count}``
  for counts, ``m2`` for areas; flags have no unit (``""``).
- ``kind``: ``metric`` (a measured quantity), ``flag`` (yes/no outcome of a rep),
  ``parameter`` (what the level asked for, stored beside the result for context) or
  ``timing`` (a time stamp in seconds since the session started, not an outcome).
- ``code``: a LOINC code where one exists, else ``None`` and the exports use the local code
  system :data:`LOCAL_SYSTEM` with the metric name as code. Only two standard codes fit what
  MirrorPlay measures: LOINC 55411-3 "Exercise duration" (the HL7 Physical Activity IG's
  exercise minutes) and LOINC 72514-3, the 0-10 pain numeric rating scale. The PACIO functional
  status codes are scored assessment items (self-care and mobility scales), not kinematic
  measures, so none of them is used for a kinematic metric.
- ``limb``: which arm (in the leg mirror: which leg) a measure is of. In the mirror the
  *unaffected* arm drives the game, so plain reach measures are of the ``driving`` arm;
  ``affected_*`` measures are of the ``affected`` arm's own attempt; ``both`` for bilateral
  measures; ``None`` for the trunk, balance and whole-session values.

A measure the scoring stores with ``{name}_reliable`` / ``{name}_valid_fraction`` keeps those as
qualities of the measure (:func:`quality_of`), never as measures of their own.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Literal

Kind = Literal["metric", "flag", "parameter", "timing"]
Limb = Literal["driving", "affected", "both"]

LOINC = "http://loinc.org"
LOCAL_SYSTEM = "https://mirrorplay.invalid/fhir/CodeSystem/metrics"
"""Local code system for MirrorPlay measures that have no LOINC code (code = metric name)."""
QUALITY_SUFFIXES = ("_reliable", "_valid_fraction")
"""Suffixes of the per-rep quality values stored beside a measure (game/scoring/reps.py)."""
AFFECTED_PREFIX = "affected_"


@dataclass(frozen=True)
class MetricInfo:
    """One catalogued measure (see the module docstring for the meaning of each field)."""

    name: str
    display: str
    unit: str
    kind: Kind = "metric"
    code: tuple[str, str, str] | None = None
    """(system, code, display) of a standard code, or None for the local code system."""
    limb: Limb | None = None


_M = MetricInfo
_PAIN = (LOINC, "72514-3", "Pain severity - 0-10 verbal numeric rating [Score] - Reported")

_ARM: tuple[MetricInfo, ...] = (
    # One reach of the driving arm (game/scoring/reps.py score_reps and the live summary).
    _M("reaction_time_s", "Reaction time", "s", limb="driving"),
    _M("movement_time_s", "Movement time", "s", limb="driving"),
    _M("time_to_peak_s", "Time to peak hand speed", "s", limb="driving"),
    _M("time_to_target_s", "Time to target", "s", limb="driving"),
    _M("peak_speed_m_s", "Peak hand speed", "m/s", limb="driving"),
    _M("path_length_ratio", "Path-length ratio (path / straight line)", "1", limb="driving"),
    _M("endpoint_error_m", "Endpoint error", "m", limb="driving"),
    _M("reach_pct_arm", "Reach, % of arm length", "%", limb="driving"),
    _M("reach_fraction", "Reach, arm lengths", "1", limb="driving"),
    _M("peak_shoulder_flexion_deg", "Peak shoulder flexion", "deg", limb="driving"),
    _M("peak_shoulder_abduction_deg", "Peak shoulder abduction", "deg", limb="driving"),
    _M("peak_shoulder_elevation_deg", "Peak shoulder elevation (ISB globe)", "deg", limb="driving"),
    _M("plane_of_elevation_deg", "Plane of elevation at the peak", "deg", limb="driving"),
    _M("elbow_min_flexion_deg", "Elbow flexion at fullest extension", "deg", limb="driving"),
    _M("interjoint_r", "Shoulder-elbow coordination (r)", "1", limb="driving"),
    _M("sparc", "Smoothness (SPARC)", "1", limb="driving"),
    _M("ldlj", "Smoothness (LDLJ)", "1", limb="driving"),
    _M("nmu", "Number of movement units", "{count}", limb="driving"),
    _M("onset_s", "Movement onset (session clock)", "s", "timing", limb="driving"),
    _M("offset_s", "Movement end (session clock)", "s", "timing", limb="driving"),
    _M("started_before_cue", "Moving before the cue", "", "flag", limb="driving"),
)
_TRUNK: tuple[MetricInfo, ...] = (
    _M("trunk_displacement_mm", "Trunk displacement", "mm"),
    _M("shoulder_hiking_mm", "Shoulder hiking", "mm"),
)
_AFFECTED_ROM: tuple[MetricInfo, ...] = (
    # game/session/summary.py: the affected arm's shoulder-elevation envelope over a level and
    # the plane it was reached in (ISB; abduction is undefined outside the frontal plane).
    _M("affected_elevation_max_deg", "Affected arm: shoulder elevation, highest", "deg", limb="affected"),
    _M("affected_elevation_plane_deg", "Affected arm: plane of elevation at the highest", "deg",
       limb="affected"),
    _M("affected_elevation_pct_norm", "Affected arm: shoulder elevation, % of age norm", "%",
       limb="affected"),
    _M("affected_elevation_pct_unaffected", "Affected arm: shoulder elevation, % of other arm", "%",
       limb="affected"),
)  # fmt: skip
_LEVELS: tuple[MetricInfo, ...] = (
    # trace
    _M("trace_error_m", "Tracing error", "m", limb="driving"),
    _M("completion_frac", "Path followed, fraction", "1", limb="driving"),
    _M("path_length_arm", "Path length, arm lengths", "1", limb="driving"),
    # bilateral
    _M("xcorr_r", "Arm-to-arm cross-correlation (r)", "1", limb="both"),
    _M("lag_s", "Lag between the arms", "s", limb="both"),
    _M("abs_lag_s", "Lag between the arms, absolute", "s", limb="both"),
    _M("amplitude_ratio", "Amplitude ratio, affected / other arm", "1", limb="both"),
    _M("symmetry_index_pct", "Symmetry index", "%", limb="both"),
    _M("abs_symmetry_index_pct", "Symmetry index, absolute", "%", limb="both"),
    _M("tilt_cued", "Tray tilt cue shown", "", "flag", limb="both"),
    # weight shift, stance, posture
    _M("time_in_zone_frac", "Time in the balance zone, fraction", "1"),
    _M("los_excursion_pct", "Excursion, % of the limits of stability", "%"),
    _M("trunk_lean_excursion_pct", "Seated trunk-lean excursion, % of 8 degrees", "%"),
    _M("target_pct", "Lean asked for, % of the limits of stability", "%", "parameter"),
    _M("los_deg", "Limits of stability used", "deg", "parameter"),
    _M("hold_s", "Balance hold time", "s"),
    _M("hold_target_s", "Hold time asked for", "s", "parameter"),
    _M("single_leg_stance_s", "Single-leg stance time", "s"),
    _M("sway_rms_m", "Sway, root mean square", "m"),
    _M("sway_mean_velocity_m_s", "Sway mean velocity", "m/s"),
    _M("ellipse95_area_m2", "Sway 95 % ellipse area", "m2"),
    _M("chair_confirmed", "Chair or rail confirmed", "", "flag"),
    _M("chair_confirm_s", "Time to confirm the chair or rail", "s"),
    _M("trunk_lean_deg", "Trunk lean", "deg"),
    _M("shoulder_tilt_deg", "Shoulder-line tilt", "deg"),
    _M("lean_threshold_deg", "Trunk-lean limit", "deg", "parameter"),
    _M("tilt_threshold_deg", "Shoulder-tilt limit", "deg", "parameter"),
    # position match (the affected arm repositions itself)
    _M("absolute_error_deg", "Reposition error, absolute", "deg", limb="affected"),
    _M("signed_error_deg", "Reposition error, signed", "deg", limb="affected"),
    _M("constant_error_deg", "Reposition error, constant", "deg", limb="affected"),
    _M("variable_error_deg", "Reposition error, variable", "deg", limb="affected"),
    _M("target_deg", "Arm elevation shown", "deg", "parameter", limb="affected"),
    _M("reproduced_deg", "Arm elevation reproduced", "deg", limb="affected"),
)
_LEGS: tuple[MetricInfo, ...] = (
    # sit-to-stand, squat, marching (game/leveltypes/sit_to_stand, squat, march; docs/metrics.md)
    _M("stand_time_s", "Time per stand (seat-off to seated)", "s"),
    _M("rise_time_s", "Rise time (seat-off to standing)", "s"),
    _M("trunk_flexion_deg", "Forward trunk tilt, largest", "deg"),
    _M("arms_used", "Arms used to push off", "", "flag"),
    _M("lateral_shift_cm", "Sideways shift of the shoulders over the feet", "cm"),
    _M("side_view", "Filmed from the side", "", "flag"),
    _M("peak_knee_flexion_deg", "Peak knee flexion (squat depth)", "deg"),
    _M("knee_valgus_deg", "Knee valgus (frontal-plane projection angle)", "deg"),
    _M("heel_rise_cm", "Heel rise", "cm"),
    _M("depth_target_deg", "Squat depth asked for", "deg", "parameter"),
    _M("n_steps", "Number of steps", "{count}"),
    _M("cadence_spm", "Step cadence", "/min"),
    _M("left_knee_lift_cm", "Knee lift, left leg", "cm"),
    _M("right_knee_lift_cm", "Knee lift, right leg", "cm"),
    _M("knee_lift_cm", "Knee lift, mean of both legs", "cm"),
    _M("knee_lift_asymmetry_pct", "Knee-lift asymmetry", "%"),
    # leg mirror: the good leg drives, the affected leg's own attempt beside it
    _M("min_knee_flexion_deg", "Good leg: knee flexion at fullest extension", "deg", limb="driving"),
    _M("affected_min_knee_flexion_deg", "Affected leg: knee flexion at fullest extension", "deg",
       limb="affected"),
    _M("ankle_range_deg", "Good leg: ankle movement range", "deg", limb="driving"),
    _M("affected_ankle_range_deg", "Affected leg: ankle movement range", "deg", limb="affected"),
    # the standard tests (game/leveltypes/chair_stand, five_sts, one_leg_test, reach_test) and
    # the published norm each result is compared with (game/scoring/norms.py)
    _M("n_chair_stands", "30-second chair stands", "{count}"),
    _M("n_chair_stands_norm_low", "30-second chair stands, norm range low end", "{count}", "parameter"),
    _M("n_chair_stands_norm_high", "30-second chair stands, norm range high end", "{count}",
       "parameter"),
    _M("norm_category", "Result against the norm (-1 worse, 0 within, +1 better)", "{category}"),
    _M("five_sts_time_s", "Five-times sit-to-stand time", "s"),
    _M("five_sts_norm_s", "Five-times sit-to-stand, norm limit", "s", "parameter"),
    _M("one_leg_stance_best_s", "Single-leg stance test, best trial", "s"),
    _M("n_trials", "Test trials", "{count}"),
    _M("one_leg_stance_norm_s", "Single-leg stance test, norm mean", "s", "parameter"),
    _M("functional_reach_cm", "Functional reach", "cm"),
    _M("functional_reach_norm_cm", "Functional reach, norm mean", "cm", "parameter"),
    # a fall recognised during a standing level (game/leveltypes/safety.py)
    _M("fall_detected", "Fall recognised (level stopped)", "", "flag"),
    _M("fall_drop_shanks", "Fall: hip drop in shank lengths", "1"),
    _M("fall_tilt_deg", "Fall: trunk tilt from vertical", "deg"),
)  # fmt: skip
_FACE: tuple[MetricInfo, ...] = (
    # face levels (game/scoring/face.py; "left"/"right" are the person's own sides)
    _M("peak_mouth_opening_mm", "Mouth opening, widest", "mm"),
    _M("opening_error_mm", "Mouth opening, distance from the target while holding", "mm"),
    _M("opening_past_limit_mm", "Mouth opening past the therapist's limit", "mm"),
    _M("opening_target_mm", "Mouth opening asked for", "mm", "parameter"),
    _M("opening_limit_mm", "Mouth-opening limit", "mm", "parameter"),
    _M("jaw_deviation_mm", "Jaw deviation while opening (+ to the left)", "mm"),
    _M("abs_jaw_deviation_mm", "Jaw deviation while opening, absolute", "mm"),
    _M("jaw_deflection_mm", "Jaw deflection at the widest opening (+ to the left)", "mm"),
    _M("face_weak_left", "Weak side of the face is the left (1 = yes)", "1", "parameter"),
    _M("smile_left_mm", "Smile: left mouth corner movement", "mm"),
    _M("smile_right_mm", "Smile: right mouth corner movement", "mm"),
    _M("smile_symmetry_pct", "Smile symmetry", "%"),
    _M("brow_left_mm", "Brow raise: left brow rise", "mm"),
    _M("brow_right_mm", "Brow raise: right brow rise", "mm"),
    _M("brow_symmetry_pct", "Brow raise symmetry", "%"),
    _M("eye_closure_left_pct", "Eye closure: left eye", "%"),
    _M("eye_closure_right_pct", "Eye closure: right eye", "%"),
    _M("eye_closure_symmetry_pct", "Eye closure symmetry", "%"),
    _M("eyelid_left_mm", "Eye closure: left upper lid travel", "mm"),
    _M("eyelid_right_mm", "Eye closure: right upper lid travel", "mm"),
    _M("pucker_left_mm", "Lip pucker: left mouth corner travel inwards", "mm"),
    _M("pucker_right_mm", "Lip pucker: right mouth corner travel inwards", "mm"),
    _M("pucker_symmetry_pct", "Lip pucker symmetry", "%"),
)
_HANDS: tuple[MetricInfo, ...] = (
    # hand levels (game/leveltypes/<grasp|finger_tapping|thumb_opposition|finger_individuation|
    # pinch_place>/metrics.py): the good hand drives the mirror; affected_* is the own hand
    _M("peak_aperture_norm", "Hand aperture, widest", "1", limb="driving"),
    _M("min_aperture_norm", "Hand aperture, tightest", "1", limb="driving"),
    _M("hand_active_range_deg", "Finger active range, mean of four fingers", "deg", limb="driving"),
    _M("thumb_active_range_deg", "Thumb active range", "deg", limb="driving"),
    _M("index_active_range_deg", "Index finger active range", "deg", limb="driving"),
    _M("middle_active_range_deg", "Middle finger active range", "deg", limb="driving"),
    _M("ring_active_range_deg", "Ring finger active range", "deg", limb="driving"),
    _M("pinky_active_range_deg", "Little finger active range", "deg", limb="driving"),
    _M("fist_mcp_flexion_deg", "Knuckle (MCP) flexion in the fist", "deg", limb="driving"),
    _M("fist_pip_flexion_deg", "Middle finger joint (PIP) flexion in the fist", "deg", limb="driving"),
    _M("fist_dip_flexion_deg", "End finger joint (DIP) flexion in the fist", "deg", limb="driving"),
    _M("closure_asked_frac", "Hand closing asked, fraction of a fist", "1", "parameter"),
    _M("tap_count", "Finger taps", "{count}", limb="driving"),
    _M("tap_rate_hz", "Finger tapping rate", "Hz", limb="driving"),
    _M("tap_amplitude_norm", "Finger tap amplitude, palm lengths", "1", limb="driving"),
    _M("tap_amplitude_decrement_pct", "Finger tap amplitude decrement", "%", limb="driving"),
    _M("tap_speed_decrement_pct", "Finger tap speed decrement", "%", limb="driving"),
    _M("tap_interval_cv_pct", "Finger tapping rhythm (interval CV)", "%", limb="driving"),
    _M("tap_hesitations", "Finger tapping hesitations", "{count}", limb="driving"),
    _M("taps_asked", "Finger taps asked", "{count}", "parameter"),
    _M("opposition_touches", "Thumb opposition: fingertips touched", "{count}", limb="driving"),
    _M("opposition_time_s", "Thumb opposition: time per fingertip", "s", limb="driving"),
    _M("touch_distance_norm", "Thumb touch distance asked, palm lengths", "1", "parameter"),
    _M("individuation_index", "Finger individuation index", "1", limb="driving"),
    _M("instructed_range_deg", "Pressing finger's active range", "deg", limb="driving"),
    _M("other_fingers_range_deg", "Other fingers' largest movement", "deg", limb="driving"),
    _M("press_asked_deg", "Finger press asked", "deg", "parameter"),
    _M("pick_time_s", "Pinch: time to pick up", "s", limb="driving"),
    _M("carry_time_s", "Pinch: time to carry to the basket", "s", limb="driving"),
    _M("drops", "Pinch: objects dropped", "{count}", limb="driving"),
    _M("min_pinch_aperture_norm", "Pinch gap, tightest, palm lengths", "1", limb="driving"),
    _M("target_radius_norm", "Target size asked, frame widths", "1", "parameter"),
)
HAND_AFFECTED_OF: tuple[str, ...] = (
    "peak_aperture_norm", "min_aperture_norm", "hand_active_range_deg", "tap_count", "tap_rate_hz",
    "tap_amplitude_norm", "tap_amplitude_decrement_pct", "tap_speed_decrement_pct",
    "tap_interval_cv_pct", "tap_hesitations", "opposition_touches", "opposition_time_s",
    "individuation_index", "instructed_range_deg", "other_fingers_range_deg", "min_pinch_aperture_norm",
)  # fmt: skip
"""Hand measures also stored for the affected hand's own attempt as ``affected_<name>``."""
_OUTCOMES: tuple[MetricInfo, ...] = (
    _M("success", "Success", "", "flag"),
    _M("compensated", "Compensation seen", "", "flag"),
    # one level (set): game/session/summary.py and the grade
    _M("success_rate", "Success rate, fraction", "1"),
    _M("reps", "Repetitions in the set", "{count}"),
    _M("stars", "Stars (0-3)", "{star}"),
    # one session
    _M("active_min", "Exercise duration", "min", code=(LOINC, "55411-3", "Exercise duration")),
    _M("pain_before", "Pain before the session (0-10)", "{score}", code=_PAIN),
    _M("pain_after", "Pain after the session (0-10)", "{score}", code=_PAIN),
    _M("reps_done", "Repetitions in the session", "{count}"),
)

AFFECTED_OF: tuple[str, ...] = (
    "sparc", "reach_pct_arm", "reach_fraction", "peak_shoulder_elevation_deg", "plane_of_elevation_deg",
    "peak_shoulder_abduction_deg", "peak_shoulder_flexion_deg",
)  # fmt: skip
"""Arm measures also stored for the affected arm's own attempt as ``affected_<name>``
(game/leveltypes/reach/metrics.py AFFECTED_METRICS)."""


def _affected(base: MetricInfo, limb: str = "arm") -> MetricInfo:
    display = f"Affected {limb}: {base.display[0].lower()}{base.display[1:]}"
    return MetricInfo(AFFECTED_PREFIX + base.name, display, base.unit, base.kind, base.code, "affected")


def _build() -> Mapping[str, MetricInfo]:
    entries = _ARM + _TRUNK + _AFFECTED_ROM + _LEVELS + _LEGS + _FACE + _HANDS + _OUTCOMES
    by_name = {m.name: m for m in entries}
    by_name.update({f"{AFFECTED_PREFIX}{n}": _affected(by_name[n]) for n in AFFECTED_OF})
    by_name.update({f"{AFFECTED_PREFIX}{n}": _affected(by_name[n], "hand") for n in HAND_AFFECTED_OF})
    if len(by_name) != len(entries) + len(AFFECTED_OF) + len(HAND_AFFECTED_OF):
        raise RuntimeError("the metric catalogue names a measure twice")
    return MappingProxyType(dict(sorted(by_name.items())))


CATALOG: Mapping[str, MetricInfo] = _build()
"""Every measure by name, sorted by name."""


def quality_of(name: str) -> tuple[str, str] | None:
    """``(measure, quality)`` for a stored quality value such as ``sparc_reliable``, else None.

    ``quality`` is ``"reliable"`` or ``"valid_fraction"``.
    """
    for suffix in QUALITY_SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix):
            return name[: -len(suffix)], suffix[1:]
    return None


def info(name: str) -> MetricInfo | None:
    """The catalogue entry of `name`, or None for a measure the catalogue does not know."""
    return CATALOG.get(name)


def markdown_table() -> str:
    """The catalogue as a Markdown table (docs/exports.md holds it; a test keeps them in step)."""
    rows = [
        "| name | display name | UCUM unit | kind | code | arm |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for m in CATALOG.values():
        code = f"LOINC {m.code[1]}" if m.code else "local"
        unit = f"`{m.unit}`" if m.unit else "(none)"
        rows.append(f"| `{m.name}` | {m.display} | {unit} | {m.kind} | {code} | {m.limb or '-'} |")
    return "\n".join(rows) + "\n"
