"""Every shipped language is drawn without missing-glyph boxes, in a legible typeface.

Two independent checks of each catalogue message (and each level's words): the font the theme
picks has the characters in its character map (read with fontTools, not with pygame), and the
rendered glyph differs from the font's missing-glyph box."""

from __future__ import annotations

from collections.abc import Iterator

import pygame
import pytest
from fontTools.ttLib import TTFont

from game.i18n import LANGUAGES
from game.render import theme as T
from tools.i18n import read

OTHER = [code for code in LANGUAGES if code != "en"]


@pytest.fixture(scope="module", autouse=True)
def fonts() -> Iterator[None]:
    pygame.font.init()
    T.clear_font_cache()
    yield
    T.clear_font_cache()


def cmap(name: str, bold: bool = False) -> set[int]:
    return set(TTFont(str(T.FONT_DIR / T.FONTS[name][int(bold)])).getBestCmap())


def messages(language: str) -> list[str]:
    out = []
    for m in read(language):
        if m.id:
            out += list(m.string) if isinstance(m.string, tuple) else [m.string]
            out += list(m.id) if isinstance(m.id, tuple) else [m.id]
    return out


def test_fonts_ship_with_their_licences() -> None:
    for regular, bold in T.FONTS.values():
        assert (T.FONT_DIR / regular).is_file() and (T.FONT_DIR / bold).is_file()
    licences = sorted(p.name for p in T.FONT_DIR.glob("*OFL.txt"))
    assert licences == ["AtkinsonHyperlegible-OFL.txt", "NotoSans-OFL.txt"]
    assert all("SIL Open Font License" in (T.FONT_DIR / n).read_text(encoding="utf-8") for n in licences)


def test_latin_text_uses_the_low_vision_font_and_cyrillic_the_fallback() -> None:
    assert T.font_name_for("Ça va, Müller? ñ ã") == T.PRIMARY
    assert T.font_name_for("Играть") == T.FALLBACK
    assert ord("Ж") not in cmap(T.PRIMARY)  # the reason for the fallback


@pytest.mark.parametrize("language", OTHER)
def test_every_message_is_covered_by_the_font_drawing_it(language: str) -> None:
    maps = {(name, bold): cmap(name, bold) for name in T.FONTS for bold in (False, True)}
    missing = set()
    for words in messages(language):
        name = T.font_name_for(words)
        for bold in (False, True):
            missing |= {(ch, name) for ch in words if not ch.isspace() and ord(ch) not in maps[(name, bold)]}
    assert not missing


@pytest.mark.parametrize("language", OTHER)
def test_no_glyph_renders_as_the_missing_glyph_box(language: str) -> None:
    chars = sorted({ch for words in messages(language) for ch in words if not ch.isspace()})
    boxes = []
    for ch in chars:
        f = T.font(40, False, ch)
        box = pygame.image.tobytes(f.render("\ue000", False, (255, 255, 255), (0, 0, 0)), "RGB")
        img = f.render(ch, False, (255, 255, 255), (0, 0, 0))
        if pygame.image.tobytes(img, "RGB") == box:
            boxes.append(ch)
    assert not boxes


def test_the_box_check_can_fail() -> None:
    """Guards the guard: a Cyrillic letter in the Latin-only font is the box."""
    f = T._font_px(T.PRIMARY, 27, False)
    box = pygame.image.tobytes(f.render("\ue000", False, (255, 255, 255), (0, 0, 0)), "RGB")
    assert pygame.image.tobytes(f.render("Ж", False, (255, 255, 255), (0, 0, 0)), "RGB") == box
    assert not T.has_glyph(T.PRIMARY, "Ж") and T.has_glyph(T.FALLBACK, "Ж")
