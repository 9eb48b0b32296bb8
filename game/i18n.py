"""Languages: the gettext catalogues (compiled with Babel) and dates and numbers in the reader's
language.

English is the source language: every word on screen is written in English in the code (or in
a level file's ``title`` and ``instruction``) and looked up in ``game/locale/<code>/LC_MESSAGES/
mirrorplay.mo`` for the other :data:`LANGUAGES`. ``tools/i18n.py`` extracts the words (from the
Python sources and the level and plan TOML files), merges them into the ``.po`` catalogues and
compiles the ``.mo`` files that are committed, so a clean clone runs without a build step.

Marking words:

- ``_("Play")`` translates now, into the active language;
- ``N_("Play")`` (a :class:`Msg`) translates later, each time it is turned into ``str``; use it
  for words stored before they are drawn (button labels, messages, tables of words), so a
  screen built in one language and drawn in another still reads right;
- ``ngettext``/``Nn_`` for counts (``"{n} day"``/``"{n} days"``; Russian has three forms);
- placeholders are named (``"{done} of {total}"``) and filled with ``str.format``, so a
  translation may reorder them.

Which language is active: the app activates, before each frame, the language of the screen on
top (:func:`choose_language`: the ``--language`` override, else the patient's language on
patient screens and the clinic's on therapist screens). Pygame scenes draw through the
module-level ``_``, so switching is explicit: :func:`activate`, or :func:`using` for a block.
Dates and numbers (:meth:`Translator.date`, :meth:`Translator.number`, ...) follow the same
language through Babel.
"""

from __future__ import annotations

import gettext
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from types import MappingProxyType
from typing import Any

from babel import Locale
from babel.dates import format_date, format_skeleton, get_day_names
from babel.numbers import format_decimal, format_percent

SOURCE_LANGUAGE = "en"
DOMAIN = "mirrorplay"
LOCALE_DIR = Path(__file__).resolve().parent / "locale"
"""``<code>/LC_MESSAGES/mirrorplay.po`` and ``.mo`` for every shipped language but English."""
LANGUAGES: Mapping[str, str] = MappingProxyType(
    {
        "en": "English",
        "es": "Español",
        "fr": "Français",
        "de": "Deutsch",
        "pt": "Português",
        "ru": "Русский",
    }
)
"""Shipped languages: code → the language's own name (shown in the language choosers).
``pt`` is Brazilian Portuguese (Unicode CLDR's ``pt``)."""
APP_LANGUAGE_KEY = "app_language"
"""Meta key (game.storage MetaStore) of the clinic's language: the therapist screens' language
and the patients' default."""


class LanguageError(ValueError):
    """A language code that MirrorPlay does not ship."""

    def __init__(self, code: object) -> None:
        self.code = code
        super().__init__(f"unknown language {code!r} (choose one of {', '.join(LANGUAGES)})")


def check_language(code: str) -> str:
    """`code` if it is a shipped language (case-insensitive, ``pt-BR`` → ``pt``), else raise
    :class:`LanguageError` naming the shipped ones (for ``--language`` and the settings)."""
    found = shipped(code)
    if found is None:
        raise LanguageError(code)
    return found


def shipped(code: object) -> str | None:
    """The shipped language a code or locale name means (``"de_DE.UTF-8"`` → ``"de"``), or None."""
    if not isinstance(code, str):
        return None
    base = code.strip().split(".")[0].replace("-", "_").lower()
    if base in LANGUAGES:
        return base
    base = base.split("_")[0]
    return base if base in LANGUAGES else None


def system_language(env: Mapping[str, str]) -> str | None:
    """The first shipped language named by the POSIX locale variables of `env` (the order
    gettext reads them: ``LANGUAGE`` (a ``:`` list), ``LC_ALL``, ``LC_MESSAGES``, ``LANG``)."""
    for var in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        for name in env.get(var, "").split(":"):
            found = shipped(name)
            if found is not None:
                return found
    return None


def choose_language(
    *,
    override: str | None,
    therapist_screen: bool,
    patient: str | None,
    clinic: str | None,
    system: str | None = None,
) -> str:
    """The language of one screen.

    ``override`` (``--language``, this run only) wins; a therapist screen is in the clinic's
    language; a patient screen in the patient's own language, else the clinic's. Without a
    clinic language the operating system's (`system`, if shipped) is used, else English.
    Unknown codes are skipped (a stored value from a newer version, say).
    """
    base = shipped(clinic) or shipped(system) or SOURCE_LANGUAGE
    if shipped(override):
        return str(shipped(override))
    if therapist_screen:
        return base
    return shipped(patient) or base


class Translator:
    """One language: its catalogue and its Babel locale (dates, numbers, day names)."""

    def __init__(self, language: str, catalogue: gettext.NullTranslations) -> None:
        self.language = language
        self.locale = Locale.parse(language)
        self._catalogue = catalogue

    def gettext(self, msgid: str) -> str:
        return self._catalogue.gettext(msgid) if msgid else msgid

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return self._catalogue.ngettext(singular, plural, n)

    def date(self, day: date, form: str = "full") -> str:
        """`day` in words: ``form`` is "full" ("Monday 30 November 2026" in English, "lundi 30
        novembre 2026" in French), "long", "medium", "short", or a CLDR skeleton such as "dMMM"
        (day and short month, in the language's order)."""
        if form in ("full", "long", "medium", "short"):
            return format_date(day, form, locale=self.locale)
        return format_skeleton(form, day, locale=self.locale)

    def day_letters(self) -> tuple[str, ...]:
        """Short day names Monday → Sunday (``"Mon"``, ``"lun."``, ``"пн"``)."""
        names = get_day_names("abbreviated", locale=self.locale)
        return tuple(str(names[i]) for i in range(7))

    def number(self, value: float, decimals: int = 0) -> str:
        """`value` rounded to `decimals` places with the language's separators (3,5 in German)."""
        pattern = "#,##0" + ("." + "0" * decimals if decimals > 0 else "")
        return format_decimal(value, format=pattern, locale=self.locale)

    def decimal(self, value: float, significant: int = 3) -> str:
        """`value` to `significant` digits, no trailing zeros (``0,065`` and ``1,5`` in German)."""
        return format_decimal(float(f"{value:.{significant}g}"), locale=self.locale)

    def percent(self, fraction: float) -> str:
        """A fraction 0–1 as a whole percentage in the language's style (``76 %`` in French)."""
        return format_percent(fraction, locale=self.locale)


@cache
def translator(language: str) -> Translator:
    """The translator of a shipped language (loaded once). English needs no catalogue."""
    code = check_language(language)
    if code == SOURCE_LANGUAGE:
        return Translator(code, gettext.NullTranslations())
    path = LOCALE_DIR / code / "LC_MESSAGES" / f"{DOMAIN}.mo"
    with path.open("rb") as fp:  # a missing catalogue is a broken install: fail loudly
        return Translator(code, gettext.GNUTranslations(fp))


_active: list[Translator] = [translator(SOURCE_LANGUAGE)]
"""The language scenes draw in; changed only by :func:`activate` and :func:`using`."""


def activate(language: str) -> Translator:
    """Make `language` the active one (the app does this for the screen on top)."""
    _active[0] = translator(language)
    return _active[0]


def active() -> Translator:
    """The active language's translator (for dates and numbers)."""
    return _active[0]


@contextmanager
def using(language: str) -> Iterator[Translator]:
    """Translate into `language` inside the block, then restore the previous language."""
    before = _active[0]
    _active[0] = translator(language)
    try:
        yield _active[0]
    finally:
        _active[0] = before


def _(msgid: str) -> str:
    """`msgid` in the active language."""
    return _active[0].gettext(msgid)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The singular or (one of the) plural forms for `n` in the active language."""
    return _active[0].ngettext(singular, plural, n)


@dataclass(frozen=True)
class Msg:
    """Words translated when drawn: ``str(msg)`` looks them up in the active language and fills
    the named placeholders (a :class:`Msg` argument is translated too)."""

    msgid: str
    plural: str | None = None
    n: int = 1
    args: tuple[tuple[str, Any], ...] = ()

    def __str__(self) -> str:
        t = _active[0]
        words = t.gettext(self.msgid) if self.plural is None else t.ngettext(self.msgid, self.plural, self.n)
        if not self.args and self.plural is None:
            return words
        values = {"n": self.n, **{k: str(v) if isinstance(v, Msg) else v for k, v in self.args}}
        return words.format(**values)


Text = str | Msg
"""What a text-drawing function takes: plain words (a name, a number) or a :class:`Msg`."""


def M_(msgid: str) -> str:
    """Mark `msgid` for extraction only and return it unchanged: for tables of English words used
    as data too (the settings' labels); translate where drawn with ``_(word)`` or ``Msg(word)``."""
    return msgid


def N_(msgid: str, **args: Any) -> Msg:
    """Mark `msgid` for translation when it is drawn (placeholders filled from `args`)."""
    return Msg(msgid, args=tuple(args.items()))


def Nn_(singular: str, plural: str, n: int, **args: Any) -> Msg:
    """A count, translated when drawn: ``Nn_("{n} day", "{n} days", 3)``."""
    return Msg(singular, plural, int(n), tuple(args.items()))
