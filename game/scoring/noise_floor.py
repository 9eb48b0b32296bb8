"""Noise floor and minimal detectable change (MDC95) of every metric, measured (issue 10).

MDC95 = 1.96 x sqrt(2) x SEM: the smallest change between two measurements that exceeds
measurement error with 95 % confidence (Weir 2005, J Strength Cond Res 19:231; Haley &
Fragala-Pinkham 2006, Phys Ther 86:735). A difference smaller than it is "no measurable
change" and must be shown and exported as such, never as a trend
(:func:`no_measurable_change`, :func:`change_text`).

Every number below was measured with ``uv run python tools/noise_study.py --media
<the real clips> --seeds 10`` (2026-11-30: the real still footage on branch h5; the repeated
simulated reaches again on branch h12, after the simulated patient began to aim the hand
point and the reach offset to stop where the hand has arrived) and is explained, with each
source's value, in docs/validation.md. Sources:

- ``real still``: MediaPipe on real footage where nothing moves -- the astronaut photograph
  and frame 46 of the squat clip (a standing woman, whole body) as 30 fps still clips with
  camera-like jitter (0.3 px sub-pixel shifts, 2 grey-level sensor noise), and the still
  stretches of the face-expression and gesture clips; metrics computed over 2 s windows as
  the scoring computes them (5 s for sway). ``floor`` is the median value there (or, for
  angles, the SD of the filtered angle);
- ``repeats``: the simulated patient (MILD, 30 Hz, 2 mm landmark noise) reaching the same
  three frontal-plane targets, 2 reps x 10 seeds: the pooled within-target SD is the SEM.
- ``real hands held still`` (issue 14, ``uv run python tools/hand_noise.py``): MediaPipe
  Hands on the still stretches of the close-up and thumbs-up clips (a fist, a raised index,
  the fingertips on the thumb, a raised thumb; docs/validation.md §10).

The face metrics' entries were measured with ``uv run python tools/face_noise_study.py --media
<the real face clips>`` (2026-11-30, branch h14) on still stretches of the two real face clips;
the millimetre ones add the repeatability of the iris scale between 1 s windows of real
footage (7 % SD) at a healthy movement's size (docs/validation.md §11).

Where both exist the SEM is the larger (the simulator's white noise underestimates
MediaPipe's slow wander). Joint angles also get a between-session minimum: the smallest
detectable difference of 2-D pose shoulder ROM between sessions, 4.4-7.9 deg (van den Hoorn
et al., JSES Int 2025; docs/sources.md §4.3), because re-placing the camera changes
MediaPipe's 5-15 deg systematic error, which a still clip cannot show.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

MDC_FACTOR = 1.96 * math.sqrt(2.0)
"""MDC95 = MDC_FACTOR x SEM (two measurements, 95 % two-sided)."""
BETWEEN_SESSIONS_ANGLE_DEG = 7.9
"""Upper end of the 2-D pose smallest detectable difference for shoulder ROM (van den Hoorn
2025); used as the minimum change of a joint angle between sessions."""


def mdc95(sem: float) -> float:
    """Minimal detectable change at 95 % confidence from a standard error of measurement."""
    return MDC_FACTOR * sem


@dataclass(frozen=True)
class NoiseFloor:
    """Measured noise of one metric (units in the metric's name)."""

    metric: str
    floor: float
    """What the metric reads when nothing moves (angles: SD of the filtered angle); NaN
    where a still person gives no value (no movement, no reaction time)."""
    sem: float
    """Standard error of measurement, same unit."""
    how: str
    between_sessions: float = 0.0
    """Smallest change between sessions when larger than MDC95 (joint angles)."""

    @property
    def mdc95(self) -> float:
        return mdc95(self.sem)

    @property
    def threshold(self) -> float:
        """The change below which there is no measurable change."""
        return max(self.mdc95, self.between_sessions)


_NAN = float("nan")
_REP = "repeats (10 seeds x 6 simulated reaches)"
_STILL = "real still footage, 30 fps sources"
_ANG = BETWEEN_SESSIONS_ANGLE_DEG
_LEG_STILL = "real still footage: the squat clip standing and at the bottom, SD"
_LEG_REP = "repeats (5 seeds, the mild simulated patient's leg levels and tests)"
_FACE = "real still face stretches (2 clips)"


def _sides(name: str, unit: str, floor: float, sem: float, how: str) -> tuple[NoiseFloor, NoiseFloor]:
    """The same measured noise for ``{name}_left_{unit}`` and ``{name}_right_{unit}``."""
    return tuple(
        NoiseFloor(f"{name}_{side}_{unit}", floor, sem, f"{_FACE}: {how}") for side in ("left", "right")
    )  # type: ignore[return-value]


_HAND = "real hands held still (close-up and thumbs-up clips, 25 fps)"

NOISE_FLOORS: dict[str, NoiseFloor] = {
    f.metric: f
    for f in (
        # -- reaching (score_reps) ----------------------------------------------------------
        NoiseFloor("reaction_time_s", _NAN, 0.031, _REP),
        NoiseFloor("movement_time_s", _NAN, 0.041, _REP),
        NoiseFloor("peak_speed_m_s", 0.24, 0.123, f"{_STILL}: max filtered hand speed of a still hand"),
        NoiseFloor("time_to_peak_s", _NAN, 0.051, _REP),
        NoiseFloor("path_length_ratio", _NAN, 0.0011, _REP),
        NoiseFloor("endpoint_error_m", 0.014, 0.0046, f"{_STILL}: still hand travel; SEM its SD"),
        NoiseFloor("success", _NAN, 0.0, "binary per rep: any change counts"),
        NoiseFloor("time_to_target_s", _NAN, 0.012, _REP),
        NoiseFloor("reach_pct_arm", 2.3, 0.90, f"{_STILL}: still hand travel / 0.62 m arm; SEM {_REP}"),
        NoiseFloor("peak_shoulder_elevation_deg", 0.43, 0.59, f"SD on {_STILL}; SEM {_REP}", _ANG),
        NoiseFloor("plane_of_elevation_deg", _NAN, 0.73, _REP, _ANG),
        NoiseFloor("peak_shoulder_flexion_deg", 0.43, 0.66, _REP, _ANG),
        NoiseFloor("peak_shoulder_abduction_deg", 0.43, 0.59, _REP, _ANG),
        NoiseFloor("elbow_min_flexion_deg", 0.54, 1.03, f"SD on {_STILL}; SEM {_REP}", _ANG),
        NoiseFloor("interjoint_r", _NAN, 0.0003, "repeated analytic forward reaches, 5 mm noise"),
        NoiseFloor("trunk_displacement_mm", 13.7, 7.6, f"{_STILL} (p95 26.6 mm); SEM its SD"),
        NoiseFloor("shoulder_hiking_mm", 2.6, 5.1, f"{_STILL} (p95 13.5 mm); SEM its SD"),
        NoiseFloor("sparc", _NAN, 0.022, f"{_REP}; optimistic for real footage"),
        NoiseFloor("ldlj", _NAN, 0.26, f"{_REP}; optimistic for real footage"),
        NoiseFloor("nmu", _NAN, 0.13, f"{_REP}; optimistic for real footage"),
        # -- offline analysis -------------------------------------------------------------
        NoiseFloor("peak_elbow_flexion_deg", 0.54, 1.03, f"SD on {_STILL}; SEM {_REP}", _ANG),
        # -- legs (issue 15; tools/leg_noise.py --seeds 5, docs/validation.md §12.2) ---------
        # angles: SD of the filtered angle on the squat clip's still stretches (real, 5 fps)
        # when larger than the simulated SEM; counts and test times are not listed (a stand
        # or a frame is their resolution: any change counts)
        NoiseFloor("peak_knee_flexion_deg", 2.57, 2.57, _LEG_STILL, _ANG),
        NoiseFloor("min_knee_flexion_deg", 2.57, 2.57, f"{_LEG_STILL} (the knee angle)", _ANG),
        NoiseFloor("ankle_range_deg", _NAN, 2.57, f"knee {_LEG_STILL} as a lower bound; {_LEG_REP}", _ANG),
        NoiseFloor("trunk_flexion_deg", 2.46, 2.46, _LEG_STILL, _ANG),
        NoiseFloor("knee_valgus_deg", 3.59, 3.59, f"{_LEG_STILL} (picture FPPA, larger knee)", _ANG),
        NoiseFloor("stand_time_s", _NAN, 0.038, f"{_LEG_REP}; optimistic for real footage"),
        NoiseFloor("rise_time_s", _NAN, 0.038, f"{_LEG_REP}; optimistic for real footage"),
        NoiseFloor("lateral_shift_cm", _NAN, 0.70, _LEG_REP),
        NoiseFloor("heel_rise_cm", _NAN, 0.21, _LEG_REP),
        NoiseFloor("knee_lift_cm", _NAN, 0.088, _LEG_REP),
        NoiseFloor("left_knee_lift_cm", _NAN, 0.126, _LEG_REP),
        NoiseFloor("right_knee_lift_cm", _NAN, 0.116, _LEG_REP),
        NoiseFloor("knee_lift_asymmetry_pct", _NAN, 1.15, _LEG_REP),
        NoiseFloor("cadence_spm", _NAN, 0.123, _LEG_REP),
        NoiseFloor("one_leg_stance_best_s", _NAN, 0.015, _LEG_REP),
        NoiseFloor("functional_reach_cm", _NAN, 0.46, f"{_STILL}: still hand travel SD; {_LEG_REP} 0.25"),
        # -- balance ------------------------------------------------------------------------
        NoiseFloor("sway_mean_velocity_m_s", 0.0077, 0.0156, "real still: standing 7.7, seated 27 mm/s"),
        NoiseFloor("sway_rms_m", 0.0037, 0.0029, "real still: standing 3.7, seated 7.9 mm"),
        NoiseFloor("cog_lean_deg", 0.13, 0.13, "real still standing (SD of the CoG angle)"),
        NoiseFloor("los_excursion_pct", 1.6, 1.6, "cog_lean_deg / 8 deg x 100"),
        # -- hands (tools/hand_noise.py: real hands held still, 1 s windows) --------------------
        NoiseFloor("hand_active_range_deg", 9.9, 2.9, f"{_HAND} (p95 13.5 deg); SEM its SD"),
        NoiseFloor("peak_aperture_norm", _NAN, 0.008, f"SD of the aperture of {_HAND}"),
        NoiseFloor("min_aperture_norm", _NAN, 0.008, f"SD of the aperture of {_HAND}"),
        NoiseFloor("tap_amplitude_norm", _NAN, 0.015, f"SD of the thumb-index gap of {_HAND}"),
        NoiseFloor("amplitude_norm", _NAN, 0.015, f"SD of the thumb-index gap of {_HAND} (analyze)"),
        NoiseFloor("fist_pip_flexion_deg", 1.7, 1.7, f"SD of a joint's flexion, {_HAND} (p95 4.3 deg)"),
        # -- proprioception -----------------------------------------------------------------
        NoiseFloor("absolute_error_deg", 0.12, 0.12, "real still: SD of the 2-D arm angle", _ANG),
        # -- face (tools/face_noise_study.py; docs/validation.md §11) ----------------------------
        NoiseFloor("peak_mouth_opening_mm", 0.08, 2.1, f"{_FACE}: closed lips; SEM 7 % scale at 30 mm"),
        NoiseFloor("jaw_deviation_mm", 0.69, 0.33, f"{_FACE}: largest chin shift in 1 s; SEM sqrt 2 x SD"),
        NoiseFloor("jaw_deflection_mm", 0.69, 0.33, f"{_FACE}: as jaw_deviation_mm"),
        NoiseFloor("smile_symmetry_pct", _NAN, 7.4, f"{_FACE}: corner SD propagated at a 9.3 mm smile"),
        NoiseFloor("brow_symmetry_pct", _NAN, 6.8, f"{_FACE}: brow SD propagated at a 10.6 mm raise"),
        NoiseFloor("eye_closure_symmetry_pct", _NAN, 7.6, f"{_FACE}: lid SD propagated at 9.1 mm"),
        NoiseFloor("pucker_symmetry_pct", _NAN, 7.4, f"{_FACE}: corner SD propagated at 8 mm"),
        *_sides("smile", "mm", 0.34, 0.80, "corner from the nose base; SEM with 7 % scale at 9.3 mm"),
        *_sides("brow", "mm", 0.16, 0.90, "brow height; SEM with 7 % scale at 10.6 mm"),
        *_sides("eyelid", "mm", 0.14, 0.80, "lid gap; SEM with 7 % scale at 9.1 mm"),
        *_sides("pucker", "mm", 0.24, 0.70, "corner across; SEM with 7 % scale at 8 mm"),
        *_sides("eye_closure", "pct", 1.7, 5.2, "closure of a still eye; SEM lid SEM / 9.5 mm gap"),
    )
}
"""Metric -> measured noise (see the module doc and docs/validation.md)."""

COMPENSATION_CUE_MM = 60.0
"""Trunk displacement that cues "sit tall": the healthy drinking-task mean + 2 SD (26.7 +
2 x 16.8 = 60.3 mm, Alt Murphy 2011, docs/sources.md §1.1), 2.3 x the 95th percentile
(26.6 mm) and the median + 6 SEM of the trunk-displacement floor on real still footage, so
landmark noise never cues a still patient. It holds for score_reps' measure (world
mid-shoulder, 1.5 Hz low-pass, from the mean rest position)."""


SCALED_ALIASES: dict[str, tuple[str, float]] = {"reach_fraction": ("reach_pct_arm", 0.01)}
"""Stored names that are another measured metric times a factor (reach_fraction is
reach_pct_arm / 100)."""


def floor_for(metric: str) -> NoiseFloor | None:
    """The measured noise of a stored metric name, or None when none was measured.

    ``affected_<name>`` is ``<name>`` of the other arm (same measurement, same noise);
    :data:`SCALED_ALIASES` are scaled copies of a measured metric.
    """
    name = metric.removeprefix("affected_")
    if name in NOISE_FLOORS:
        return NOISE_FLOORS[name]
    if name in SCALED_ALIASES:
        base, k = SCALED_ALIASES[name]
        f = NOISE_FLOORS[base]
        return NoiseFloor(metric, f.floor * k, f.sem * k, f"{base} x {k:g}", f.between_sessions * k)
    return None


def no_measurable_change(metric: str, before: float, after: float) -> bool:
    """True when ``after - before`` is within the metric's noise (|change| < threshold).

    A missing value (NaN or None) cannot show a change: True. Metrics without a measured
    noise floor (:func:`floor_for`) raise.
    """
    floor = floor_for(metric)
    if floor is None:
        raise ValueError(f"no measured noise floor for {metric!r}")
    if before is None or after is None or not (math.isfinite(before) and math.isfinite(after)):
        return True
    return abs(after - before) < floor.threshold


UNIT_WORDS = {"_m_s": "m/s", "_mm": "mm", "_m": "m", "_s": "s", "_deg": "deg", "_pct": "%", "_hz": "Hz"}
"""Name suffix -> the unit written after a change (longest suffix first); none for others."""


def unit_word(metric: str) -> str:
    """The unit of a metric from its name's suffix ("" for dimensionless names)."""
    return next((w for suffix, w in UNIT_WORDS.items() if metric.endswith(suffix)), "")


def change_text(metric: str, before: float, after: float) -> str:
    """ "no measurable change", or the signed change with its unit for a real one."""
    if no_measurable_change(metric, before, after):
        return "no measurable change"
    return f"{after - before:+.3g} {unit_word(metric)}".strip()


def no_measurable_change_text(metric: str) -> str:
    """One line for summaries: the change below which a difference means nothing."""
    floor = floor_for(metric)
    if floor is None:
        return ""
    unit = unit_word(metric)
    return (
        f"Changes smaller than {floor.threshold:.3g} {unit} are no measurable change "
        "(MDC95, docs/validation.md)."
    )
