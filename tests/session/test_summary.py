"""Level summaries: medians of reliable reps, success rate, the range-of-motion comparison."""

from __future__ import annotations

import math

import pytest

from game.session.summary import level_summary, rom_comparison


def test_level_summary_uses_medians_and_success_rate() -> None:
    reps = [
        {"hold_s": 4.0, "success": 1.0},
        {"hold_s": 8.0, "success": 0.0},
        {"hold_s": math.nan, "success": 1.0},
        {"hold_s": 6.0, "success": 1.0},
    ]
    out, ok = level_summary(reps)
    assert out["hold_s"] == pytest.approx(6.0) and ok["hold_s"]
    assert out["success_rate"] == pytest.approx(0.75)
    assert out["reps"] == 4
    assert math.isnan(level_summary([])[0]["success_rate"])


def test_unreliable_reps_are_never_averaged_in() -> None:
    reps = [
        {"sparc": -1.4, "sparc_reliable": 1.0},
        {"sparc": -9.0, "sparc_reliable": 0.0},
        {"sparc": -1.6, "sparc_reliable": 1.0},
        {"sparc": -1.5, "sparc_reliable": 1.0},
    ]
    out, ok = level_summary(reps)
    assert out["sparc"] == pytest.approx(-1.5) and ok["sparc"]
    out, ok = level_summary(reps[:2])  # one reliable rep is not enough to report (§1)
    assert out["sparc"] == pytest.approx(-1.4) and not ok["sparc"]
    assert "sparc_reliable" not in out


def test_rom_is_compared_with_the_unaffected_side_and_age_norm() -> None:
    # Sideways reaches (ISB plane near 0 deg): the abduction norm and the calibrated "out" range.
    reps = [
        {"affected_peak_shoulder_elevation_deg": v, "affected_plane_of_elevation_deg": p}
        for v, p in ((40.0, 10.0), (66.0, 15.0), (math.nan, math.nan), (55.0, 5.0))
    ]
    out = rom_comparison(reps, {"range_out_deg": 132.0, "range_forward_deg": 100.0}, age_years=70.0)
    assert out["affected_elevation_max_deg"] == pytest.approx(66.0)
    assert out["affected_elevation_plane_deg"] == pytest.approx(15.0)
    assert out["affected_elevation_pct_unaffected"] == pytest.approx(50.0)
    assert out["affected_elevation_pct_norm"] == pytest.approx(100 * 66.0 / 165.0)  # Walker 65-85 y
    assert math.isnan(rom_comparison(reps, None)["affected_elevation_pct_unaffected"])


def test_rom_of_a_forward_reach_uses_the_flexion_references() -> None:
    # Formerly the envelope was of peak abduction, which an arm raised forward does not have
    # (it read 180 deg before the ISB angles, blank after): a forward reach is compared with
    # flexion (the calibrated "forward" range; Boone & Azen 167 deg below 55 y).
    reps = [{"affected_peak_shoulder_elevation_deg": 80.0, "affected_plane_of_elevation_deg": 85.0}]
    out = rom_comparison(reps, {"range_out_deg": 132.0, "range_forward_deg": 100.0}, age_years=40.0)
    assert out["affected_elevation_pct_unaffected"] == pytest.approx(80.0)
    assert out["affected_elevation_pct_norm"] == pytest.approx(100 * 80.0 / 167.0)
