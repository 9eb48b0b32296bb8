"""Scoring: pure-numpy clinical metrics for MirrorPlay levels (docs/sources.md).

Entry points the game calls:

- :func:`score_reps`: every per-rep reaching metric of a level, each with its reliable flag
  computed over the part of the rep it depends on;
- :func:`quick_rep_score`: a cheap live summary of one rep;
- :func:`summarise_reps`: per-rep results -> level metrics (median of reliable reps);
- :func:`grade_level`: 0-3 stars against the patient's own goals and history.

Building blocks (arrays in, arrays out, units in names, NaN-aware, vectorised over leading
axes): preprocessing, kinematics, segmentation, smoothness (:func:`sparc`, :func:`ldlj`,
:func:`movement_units`), reach, compensation, coordination, balance, proprioception, ROM and
confidence, and the noise floor / minimal detectable change of every metric
(:mod:`game.scoring.noise_floor`). Conventions: shoulder angles on the ISB globe (plane of
elevation, elevation; 0 deg = arm at the side), 0 deg = straight elbow, "left"/"right" = the
patient's own side; SPARC and LDLJ are negative, closer to 0 is smoother. Definitions,
sources, measured noise floors and validation: docs/validation.md.
"""

from game.scoring.angles import angle_diff_deg, wrap_deg
from game.scoring.balance import (
    cog_lean_deg,
    com_proxy_m,
    com_sway,
    ellipse95_area_m2,
    los_excursion,
    los_pct,
    single_leg_stance_s,
    sway_cutoff_hz,
    sway_metrics,
    time_in_zone_s,
    trace_sway,
    whole_body_com_m,
)
from game.scoring.compensation import shoulder_hiking_mm, trunk_displacement_mm
from game.scoring.confidence import reliable, reliable_median, valid_fraction
from game.scoring.coordination import (
    amplitude_ratio,
    cross_correlation_peak,
    interjoint_coordination,
    symmetry_angle_pct,
    symmetry_index_pct,
)
from game.scoring.grades import grade_level, level_scores, summarise_reps
from game.scoring.kinematics import (
    arm_length_m,
    elbow_flexion_deg,
    hand_point,
    included_angle_deg,
    shoulder_angles_deg,
    trunk_frame,
    trunk_lean_deg,
)
from game.scoring.live import QuickRepScore, quick_rep_score
from game.scoring.preprocess import (
    Preprocessed,
    effective_cutoff_hz,
    fill_gaps,
    lowpass,
    mask_invisible,
    preprocess_landmarks,
    preprocess_signals,
    resample_uniform,
)
from game.scoring.proprioception import reposition_error_deg, reposition_summary_deg
from game.scoring.reach import dwell_success, path_length_m, path_length_ratio
from game.scoring.reps import METRIC_NAMES, METRIC_WINDOWS, score_reps
from game.scoring.rom import age_norm_deg, percent_of_reference, rom_envelope_deg
from game.scoring.segmentation import ONSET_FRACTION, onset_offset
from game.scoring.smoothness import ldlj, movement_units, sparc

__all__ = [
    "METRIC_NAMES",
    "METRIC_WINDOWS",
    "ONSET_FRACTION",
    "Preprocessed",
    "QuickRepScore",
    "age_norm_deg",
    "amplitude_ratio",
    "angle_diff_deg",
    "arm_length_m",
    "cog_lean_deg",
    "com_proxy_m",
    "com_sway",
    "cross_correlation_peak",
    "dwell_success",
    "effective_cutoff_hz",
    "elbow_flexion_deg",
    "ellipse95_area_m2",
    "fill_gaps",
    "grade_level",
    "hand_point",
    "included_angle_deg",
    "interjoint_coordination",
    "ldlj",
    "level_scores",
    "los_excursion",
    "los_pct",
    "lowpass",
    "mask_invisible",
    "movement_units",
    "onset_offset",
    "path_length_m",
    "path_length_ratio",
    "percent_of_reference",
    "preprocess_landmarks",
    "preprocess_signals",
    "quick_rep_score",
    "reliable",
    "reliable_median",
    "reposition_error_deg",
    "reposition_summary_deg",
    "resample_uniform",
    "rom_envelope_deg",
    "score_reps",
    "shoulder_angles_deg",
    "shoulder_hiking_mm",
    "single_leg_stance_s",
    "sparc",
    "summarise_reps",
    "sway_cutoff_hz",
    "sway_metrics",
    "symmetry_angle_pct",
    "symmetry_index_pct",
    "time_in_zone_s",
    "trace_sway",
    "trunk_displacement_mm",
    "trunk_frame",
    "trunk_lean_deg",
    "valid_fraction",
    "whole_body_com_m",
    "wrap_deg",
]
