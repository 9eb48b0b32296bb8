"""Languages: choosing one, the catalogues being complete and compiled, and no words left
untranslatable on the screens (an ``ast`` scan of game/scenes and game/render)."""

from __future__ import annotations

import ast
from datetime import date
from pathlib import Path

import pytest

from game import i18n
from game.i18n import LANGUAGES, N_, Nn_, check_language, choose_language, system_language
from tools.i18n import extract, mo_bytes, po_path, problems, read

ROOT = Path(__file__).resolve().parents[1]
OTHER = [code for code in LANGUAGES if code != "en"]

TEXT_SINKS: dict[str, tuple[int, str | None]] = {
    "text": (1, "s"), "fit_text": (1, "s"), "banner": (1, "s"), "Button": (1, "label"), "Key": (1, "label"),
    "chart_frame": (2, "title"), "KeyboardScene": (1, "title"), "RestScene": (2, "reason"),
}  # fmt: skip
"""Functions that draw words → (position, keyword) of their words argument."""
MARKERS = {"_", "N_", "Nn_", "M_", "ngettext", "Msg"}
SCANNED = ("game/scenes/*.py", "game/render/*.py", "game/leveltypes/**/*.py")
"""Where words reach the screen: the scenes, the render code and the level types' drawers."""


def _wordy(node: ast.AST) -> bool:
    """A literal with words in it (an f-string counts by its literal parts)."""
    parts = node.values if isinstance(node, ast.JoinedStr) else [node]
    return any(isinstance(p, ast.Constant) and isinstance(p.value, str) and any(c.isalpha() for c in p.value)
               and len(p.value.strip()) > 1 for p in parts)  # fmt: skip


def _menu_item(node: ast.AST) -> bool:
    """A ``(key, label, icon)`` tuple whose key and icon are plain strings."""
    return (
        isinstance(node, ast.Tuple)
        and len(node.elts) == 3
        and all(
            isinstance(e, ast.Constant) and isinstance(e.value, str) for e in (node.elts[0], node.elts[2])
        )
    )


def _literals(node: ast.AST) -> list[ast.AST]:
    """String literals inside an expression, except inside a marker call or as a dict key or index."""
    if isinstance(node, ast.Call) and getattr(node.func, "id", None) in MARKERS:
        return []
    if isinstance(node, ast.Constant | ast.JoinedStr):
        return [node] if _wordy(node) else []
    if isinstance(node, ast.Subscript):
        return _literals(node.value)
    if isinstance(node, ast.Dict):
        return [lit for v in node.values for lit in _literals(v)]
    if isinstance(node, ast.Compare):
        return []
    return [lit for child in ast.iter_child_nodes(node) for lit in _literals(child)]


def untranslatable(source: str) -> list[int]:
    """Lines where words reach a text-drawing call (or a word table) without a marker."""
    found: list[int] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call):
            name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", "")
            args: list[ast.AST] = []
            if name in TEXT_SINKS:
                pos, kw = TEXT_SINKS[name]
                args += node.args[pos : pos + 1] + [k.value for k in node.keywords if k.arg == kw]
            args += [e.elts[1] for e in node.args if _menu_item(e)]  # (key, label, icon): the label
            args += [i.elts[1] for e in node.args if isinstance(e, ast.List) for i in e.elts if _menu_item(i)]
            if name in ("line_chart", "bar_chart"):
                args += [k.value for k in node.keywords if k.arg in ("empty", "labels")]
            found += [lit.lineno for a in args for lit in _literals(a)]  # type: ignore[attr-defined]
        elif isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id.isupper() for t in node.targets
        ):
            found += [lit.lineno for lit in _literals(node.value)  # type: ignore[attr-defined]
                      if isinstance(lit, ast.Constant) and " " in lit.value
                      and lit.value[:1].isupper()]  # word tables: sentences  # fmt: skip
    return sorted(set(found))


def test_the_scan_finds_bare_words_and_passes_marked_ones() -> None:
    bad = (
        'text(s, "Hello there", (0, 0))\n'
        'fit_text(s, f"Wait {n} s", (0, 0), 30, 100)\n'
        'column([("k", "Play", "play")], x=0, y=0, w=1)\n'
        'TITLES = {"a": "Sit tall please"}\n'
        'text(s, "Breathe in" if a else "out", (0, 0))\n'
    )
    assert untranslatable(bad) == [1, 2, 3, 4, 5]
    good = (
        'text(s, _("Hello there"), (0, 0))\n'
        'fit_text(s, _("Wait {n} s").format(n=n), (0, 0), 30, 100)\n'
        'column([("k", N_("Play"), "play")], x=0, y=0, w=1)\n'
        'TITLES = {"a": N_("Sit tall please")}\n'
        'ICON = {"alias": "pencil"}\n'
        'text(s, f"{done} / {total}", (0, 0))\n'
    )
    assert untranslatable(good) == []


def test_every_word_on_the_screens_is_translatable() -> None:
    files = sorted(path for pattern in SCANNED for path in ROOT.glob(pattern))
    assert len(files) > 40
    found = []
    for path in files:
        rel = path.relative_to(ROOT).as_posix()
        found += [f"{rel}:{line}" for line in untranslatable(path.read_text(encoding="utf-8"))]
    assert not found, "words drawn without _() / N_() (not translatable):\n" + "\n".join(found)


@pytest.fixture(scope="module")
def template():  # type: ignore[no-untyped-def]
    return extract()


def test_the_extraction_finds_code_and_level_words(template) -> None:  # type: ignore[no-untyped-def]
    ids = {m.id for m in template}
    assert {
        "Play",
        "Who is playing?",
        "Apple picking",
        "Reach for the apple and hold your hand on it.",
    } <= ids
    assert ("{n} day", "{n} days") in ids
    assert len(ids) > 300


@pytest.mark.parametrize("language", OTHER)
def test_catalogue_is_complete_not_fuzzy_and_compiled(template, language: str) -> None:  # type: ignore[no-untyped-def]
    assert problems(template, language) == []


def test_a_missing_or_stale_catalogue_entry_is_reported(template, tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Guards the guard: drop one translation and mark one fuzzy; both are named."""
    catalog = read("de")
    catalog.delete("Play")
    catalog["Quit"].flags.add("fuzzy")
    from babel.messages.pofile import write_po

    fake = tmp_path / "de" / "LC_MESSAGES" / "mirrorplay.po"
    fake.parent.mkdir(parents=True)
    with fake.open("wb") as fp:
        write_po(fp, catalog)
    fake.with_suffix(".mo").write_bytes(mo_bytes(read("de")))  # compiled before the edit: stale
    monkeypatch.setattr("tools.i18n.po_path", lambda lang: fake)
    found = problems(template, "de")
    assert "de: missing 'Play'" in found and "de: fuzzy 'Quit'" in found
    assert any("stale" in line for line in found)
    assert po_path("de").exists()


@pytest.mark.parametrize("language", OTHER)
def test_translations_keep_their_placeholders(language: str) -> None:
    """A translation may reorder {name} placeholders but never lose or add one (format would fail)."""
    import re

    bad = []
    for m in read(language):
        if not m.id or isinstance(m.id, tuple):
            continue
        if sorted(re.findall(r"\{(\w*)\}", m.id)) != sorted(re.findall(r"\{(\w*)\}", m.string)):
            bad.append(m.id)
    assert not bad


def test_language_choice_order() -> None:
    kw = {"clinic": "de", "system": "fr"}
    assert choose_language(override=None, therapist_screen=False, patient="ru", **kw) == "ru"
    assert choose_language(override=None, therapist_screen=True, patient="ru", **kw) == "de"
    assert choose_language(override="es", therapist_screen=True, patient="ru", **kw) == "es"
    assert choose_language(override=None, therapist_screen=False, patient=None, **kw) == "de"
    assert (
        choose_language(override=None, therapist_screen=False, patient=None, clinic=None, system="fr") == "fr"
    )
    assert choose_language(override=None, therapist_screen=False, patient="xx", clinic=None) == "en"


def test_system_language_and_codes() -> None:
    assert system_language({"LANG": "de_DE.UTF-8"}) == "de"
    assert system_language({"LANGUAGE": "nl:pt_BR", "LANG": "C.UTF-8"}) == "pt"
    assert system_language({"LANG": "C.UTF-8"}) is None
    assert check_language("RU") == "ru" and check_language("pt-BR") == "pt"
    with pytest.raises(i18n.LanguageError, match="choose one of en, es, fr, de, pt, ru"):
        check_language("klingon")


def test_switching_is_explicit_and_restored() -> None:
    label = N_("Play")
    before = i18n.active().language
    with i18n.using("fr"):
        assert str(label) == "Jouer" and i18n._("Back") == "Retour"
        with i18n.using("ru"):
            assert str(label) == "Играть"
        assert str(label) == "Jouer"
    assert i18n.active().language == before
    i18n.activate("es")
    try:
        assert str(label) == "Jugar"
    finally:
        i18n.activate(before)


def test_plurals_follow_each_language() -> None:
    days = [Nn_("{n} day", "{n} days", n) for n in (1, 3, 5)]
    with i18n.using("ru"):
        assert [str(d) for d in days] == ["1 день", "3 дня", "5 дней"]
    with i18n.using("en"):
        assert [str(d) for d in days] == ["1 day", "3 days", "5 days"]


def test_dates_and_numbers_in_the_reader_language() -> None:
    day = date(2026, 11, 30)
    with i18n.using("en") as t:
        assert t.date(day) == "Monday, November 30, 2026" and t.number(1234.5, 1) == "1,234.5"
    with i18n.using("de") as t:
        assert t.date(day) == "Montag, 30. November 2026" and t.number(1234.5, 1) == "1.234,5"
        assert t.day_letters()[0] == "Mo."
    with i18n.using("fr") as t:
        assert t.percent(0.75).replace("\u202f", " ").replace("\xa0", " ") == "75 %"
    with i18n.using("ru") as t:
        assert t.date(day).startswith("понедельник, 30 ноября 2026")
