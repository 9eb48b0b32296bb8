"""Every shipped level loads; each kind of bad level file gives its specific error."""

from __future__ import annotations

from pathlib import Path

import pytest

from game.levels import LEVELS_DIR, LevelError, icon_names, load_all, load_level
from game.leveltypes.registry import level_types

GOOD = """
id = "t-reach"
type = "reach"
title = "Test"
icon = "apple"
instruction = "Reach."
[params]
reps = 3
"""


def _write(tmp_path: Path, text: str, name: str = "lvl.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_every_shipped_level_loads_with_a_known_type() -> None:
    specs = load_all()
    assert len(specs) >= 2
    assert {s.type for s in specs.values()} <= set(level_types())
    assert all(s.kind is level_types()[s.type] for s in specs.values())
    for spec in specs.values():
        assert spec.path.parent == LEVELS_DIR
        assert spec.title and spec.instruction and spec.icon


def test_good_file_loads(tmp_path: Path) -> None:
    spec = load_level(_write(tmp_path, GOOD))
    assert spec.id == "t-reach" and spec.params.reps == 3


@pytest.mark.parametrize(
    ("change", "key", "reason"),
    [
        (("reps = 3", "reps = 3\ncolour = 1"), "params.colour", "unknown key"),
        (("reps = 3", 'reps = "three"'), "params.reps", "expected an integer"),
        (("reps = 3", "reps = 3.5"), "params.reps", "expected an integer"),
        (("reps = 3", "reps = 0"), "params.reps", "below the allowed minimum 1"),
        (("reps = 3", "reach_fraction = 2.0"), "params.reach_fraction", "above the allowed maximum"),
        (("reps = 3", 'pattern = "zigzag"'), "params.pattern", "not one of"),
        (("reps = 3", "sector_deg = [50.0, 10.0]"), "params", "low <= high"),
        (('type = "reach"', 'type = "juggle"'), "type", "unknown level type"),
        (('icon = "apple"', 'icon = "unicorn"'), "icon", "unknown icon"),
        (('title = "Test"', 'title = "Test"\ndifficulty = 3'), "difficulty", "unknown key"),
        (('id = "t-reach"', ""), "id", "missing"),
        (('title = "Test"', "title = 5"), "title", "expected str"),
    ],
)
def test_bad_file_error_names_file_key_and_reason(
    tmp_path: Path, change: tuple[str, str], key: str, reason: str
) -> None:
    path = _write(tmp_path, GOOD.replace(*change), "bad-level.toml")
    with pytest.raises(LevelError) as info:
        load_level(path)
    err = info.value
    assert err.key == key
    assert reason in err.reason
    assert str(err).startswith("bad-level.toml: ")


def test_invalid_toml_and_missing_file(tmp_path: Path) -> None:
    with pytest.raises(LevelError, match="not valid TOML"):
        load_level(_write(tmp_path, "id = = 1"))
    with pytest.raises(LevelError, match="not found"):
        load_level(tmp_path / "nope.toml")


def test_duplicate_ids_rejected(tmp_path: Path) -> None:
    _write(tmp_path, GOOD, "a.toml")
    _write(tmp_path, GOOD, "b.toml")
    with pytest.raises(LevelError, match="duplicate level id"):
        load_all(tmp_path)


def test_every_level_icon_is_drawn_on_any_screen() -> None:
    """Icons level types bring are registered when the types are discovered, so every screen
    (not only the play screen) draws them."""
    import pygame

    from game.render.icons import ICONS, draw_icon

    pygame.init()
    surface = pygame.Surface((80, 80))
    names = icon_names(level_types())  # discovering the level types registers their icons
    assert "boat" in names and "chair" in names
    draw_icon(surface, "boat", (40, 40), 60)  # an icon a level type brings
    missing = [n for n in names if n not in ICONS]
    assert not missing, f"icons named in levels but never drawn: {missing}"
