"""The layout proof: a level type for a new movement (shoulder shrugs) is one folder and one
level file (tests/leveltypes/extra/), found by discovery, played to the end headless with the
simulated patient through the real App loop, and its reps scored and stored."""

from __future__ import annotations

from pathlib import Path

import pytest

from game.levels import icon_names, load_all
from game.leveltypes.registry import discover, level_types
from game.render.icons import ICONS
from game.tracking.simulated import MILD
from tests.playing import play

EXTRA = "tests.leveltypes.extra"
"""The package whose subpackages are the test-only level types."""
LEVELS = Path(__file__).parent / "extra" / "levels"


def test_the_new_type_is_discovered_beside_the_shipped_ones() -> None:
    shipped, types = level_types(), level_types(EXTRA)
    assert set(types) == set(shipped) | {"shrug"}
    assert all(types[name] is kind for name, kind in shipped.items())
    assert "shrug" in icon_names(types) and "shrug" in ICONS  # its icon, registered by discovery
    with pytest.raises(ValueError, match="already taken"):
        level_types(EXTRA, EXTRA)


def test_a_folder_without_a_level_type_is_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "more_types" / "juggle").mkdir(parents=True)
    (tmp_path / "more_types" / "__init__.py").write_text("", encoding="utf-8")
    (tmp_path / "more_types" / "juggle" / "__init__.py").write_text("LEVEL_TYPE = None\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    with pytest.raises(TypeError, match=r"more_types\.juggle: needs LEVEL_TYPE = LevelType\(name='juggle'"):
        discover("more_types")


def test_shrugs_play_to_the_end_and_are_scored(tmp_path: Path) -> None:
    levels = load_all(LEVELS, level_types(EXTRA))
    spec = levels["shrug-shoulders"]
    out = play(MILD, tmp_path / "shrug.db", seconds=30.0, level="shrug-shoulders", seed=4, levels=levels)
    assert out.sessions[0].status == "completed"
    assert len(out.reps) == spec.params.reps and all(r.success for r in out.reps)
    asked_mm = 1000.0 * spec.params.lift_m
    for rep in out.reps:  # each shoulder rose at least as far as asked, evenly
        m = rep.metrics
        assert m["shrug_left_mm"] >= asked_mm and m["shrug_right_mm"] >= asked_mm
        assert m["abs_symmetry_index_pct"] < 20.0 and m["lift_asked_mm"] == pytest.approx(asked_mm)
        assert 0.0 < rep.t_cue_s < rep.t_end_s <= 30.0
    result = out.level_results[0]
    assert result.level_id == "shrug-shoulders" and result.stars == 3  # goal met, every rep a hit
    assert result.metrics["shrug_mm"] >= asked_mm and result.reliable["shrug_mm"]
