"""Keep the translations in step with the code: extract, update, compile, check.

    uv run tools/i18n.py extract   # the words of the code and levels -> game/locale/mirrorplay.pot
    uv run tools/i18n.py update    # merge the template into every language's .po (new words: empty)
    uv run tools/i18n.py compile   # .po -> the .mo files the game loads (commit both)
    uv run tools/i18n.py check     # what a test checks: nothing missing, fuzzy or stale

The words come from the Python sources (``_``, ``N_``, ``ngettext``, ``Nn_``: see game/i18n.py)
and from the ``title`` and ``instruction`` of the level and plan TOML files (:func:`extract_toml`,
a Babel extractor), as babel.cfg maps them. A new word shows up in ``check`` until every
language has a translation; a translator fills the empty ``msgstr`` in each ``.po`` file.
"""

from __future__ import annotations

import sys
import tomllib
from collections.abc import Iterator, Mapping
from io import BytesIO
from pathlib import Path
from typing import IO, Any

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from game.i18n import DOMAIN, LANGUAGES, LOCALE_DIR, SOURCE_LANGUAGE  # noqa: E402

MAPPING = ROOT / "babel.cfg"
TEMPLATE = LOCALE_DIR / f"{DOMAIN}.pot"
KEYWORDS = {"_": None, "N_": None, "M_": None, "ngettext": (1, 2), "Nn_": (1, 2)}
"""Marker functions and the positions of their words (game/i18n.py)."""
TOML_KEYS = ("title", "instruction")
"""Keys of level and plan files whose text the patient reads or hears."""


def extract_toml(
    fileobj: IO[bytes], keywords: Any, comment_tags: Any, options: Mapping[str, Any]
) -> Iterator[tuple[int, None, str, list[str]]]:
    """Babel extractor: the ``title`` and ``instruction`` strings of a TOML file, at any depth,
    each with its line number and a comment naming its key (for the translator)."""
    raw = fileobj.read().decode("utf-8")
    keys = tuple(str(options.get("keys", ",".join(TOML_KEYS))).split(","))
    lines = raw.splitlines()
    for key, value in _strings(tomllib.loads(raw), keys):
        line = next(
            (i + 1 for i, text in enumerate(lines) if text.lstrip().startswith(key) and value in text), 0
        )
        yield line, None, value, [f"{key} in a level file: shown to the patient, and spoken"]


def _strings(data: Any, keys: tuple[str, ...]) -> Iterator[tuple[str, str]]:
    if isinstance(data, Mapping):
        for key, value in data.items():
            if key in keys and isinstance(value, str) and value.strip():
                yield key, value
            else:
                yield from _strings(value, keys)
    elif isinstance(data, list):
        for item in data:
            yield from _strings(item, keys)


def _method_map() -> tuple[list[tuple[str, Any]], dict[str, dict[str, str]]]:
    with MAPPING.open(encoding="utf-8") as fp:
        method_map, options_map = parse_mapping_cfg(fp)
    # babel.cfg names the TOML extractor "toml"; hand Babel the function itself.
    return [
        (pattern, extract_toml if method == "toml" else method) for pattern, method in method_map
    ], options_map


def extract() -> Catalog:
    """Every translatable word of the project, as a template catalogue (locations sorted)."""
    method_map, options_map = _method_map()
    catalog = Catalog(project="MirrorPlay", domain=DOMAIN, charset="utf-8", fuzzy=False)
    found = extract_from_dir(str(ROOT), method_map, options_map, keywords=KEYWORDS, comment_tags=("i18n:",),
                             strip_comment_tags=True)  # fmt: skip
    for filename, lineno, message, comments, context in found:
        path = Path(filename).as_posix()
        catalog.add(message, None, [(path, lineno)], auto_comments=comments, context=context)
    return catalog


def msgids(catalog: Catalog) -> set[str | tuple[str, ...]]:
    return {m.id for m in catalog if m.id}


def po_path(language: str) -> Path:
    return LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"


def read(language: str) -> Catalog:
    with po_path(language).open("rb") as fp:
        return read_po(fp, locale=language, domain=DOMAIN)


def mo_bytes(catalog: Catalog) -> bytes:
    """The compiled catalogue, byte for byte what :func:`compile_all` writes."""
    out = BytesIO()
    write_mo(out, catalog, use_fuzzy=False)
    return out.getvalue()


def problems(template: Catalog, language: str) -> list[str]:
    """What is wrong with one language's catalogue, one line each (empty: all good)."""
    po = read(language)
    out = []
    for message in template:
        if not message.id:
            continue
        have = po.get(message.id)
        label = message.id if isinstance(message.id, str) else message.id[0]
        if have is None:
            out.append(f"{language}: missing {label!r}")
        elif have.fuzzy:
            out.append(f"{language}: fuzzy {label!r}")
        elif not have.string or (isinstance(have.string, tuple) and not all(have.string)):
            out.append(f"{language}: untranslated {label!r}")
    mo = po_path(language).with_suffix(".mo")
    if not mo.exists() or mo.read_bytes() != mo_bytes(po):
        out.append(f"{language}: {mo.name} is stale (run tools/i18n.py compile)")
    return out


def write_template(catalog: Catalog) -> None:
    TEMPLATE.parent.mkdir(parents=True, exist_ok=True)
    with TEMPLATE.open("wb") as fp:
        write_po(fp, catalog, width=100, omit_header=False, sort_output=True)


def update_all(template: Catalog) -> None:
    """Merge the template into every language (new words empty, gone words dropped)."""
    for language in LANGUAGES:
        if language == SOURCE_LANGUAGE:
            continue
        path = po_path(language)
        if path.exists():
            po = read(language)
        else:
            po = Catalog(locale=language, domain=DOMAIN, project="MirrorPlay", fuzzy=False)
        po.update(template, no_fuzzy_matching=True)
        po.obsolete.clear()
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("wb") as fp:
            write_po(fp, po, width=100, sort_output=True, ignore_obsolete=True)


def compile_all() -> None:
    for language in LANGUAGES:
        if language != SOURCE_LANGUAGE:
            po_path(language).with_suffix(".mo").write_bytes(mo_bytes(read(language)))


def main(argv: list[str]) -> int:
    command = argv[0] if argv else "check"
    if command == "extract":
        write_template(extract())
    elif command == "update":
        update_all(extract())
    elif command == "compile":
        compile_all()
    elif command == "check":
        found = [p for lang in LANGUAGES if lang != SOURCE_LANGUAGE for p in problems(extract(), lang)]
        print("\n".join(found) or "all catalogues complete and compiled")
        return 1 if found else 0
    else:
        print(f"unknown command {command!r}: extract, update, compile or check", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
