"""Plain words for the leg levels' events and the standard tests, for the therapist review and
the family screen (no pygame).

A standard test's level result holds its result metric (``n_chair_stands``, ``five_sts_time_s``,
``one_leg_stance_best_s``, ``functional_reach_cm``); it is compared with the published norm for
the patient's age and sex as set now (game/scoring/norms.py; the norm the test was compared
with at the time is stored beside it). A fall in a standing level is stored as a record with
``fall_detected`` = 1 (game/leveltypes/safety.py).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

from game.scoring.norms import (
    SOURCES,
    TITLES,
    UNITS,
    category_words,
    compare,
    family_sentence,
    result_words,
    therapist_line,
    verdict,
)
from game.storage.records import LevelResult
from game.therapist.settings_schema import PatientSettings

TEST_METRICS = {
    "n_chair_stands": "chair_stand_30s",
    "five_sts_time_s": "five_sts",
    "one_leg_stance_best_s": "one_leg_stance",
    "functional_reach_cm": "functional_reach",
}
"""A standard test's result metric → its norm table (game.scoring.norms.TESTS)."""
STORED_NORMS = {
    "chair_stand_30s": ("n_chair_stands_norm_low", "n_chair_stands_norm_high"),
    "five_sts": ("five_sts_norm_s",),
    "one_leg_stance": ("one_leg_stance_norm_s",),
    "functional_reach": ("functional_reach_norm_cm",),
}
"""The norm row stored beside a test's result when it was taken (range ends, or one limit)."""


def standard_test_result(metrics: Mapping[str, float]) -> tuple[str, float] | None:
    """(norm test id, value) when these level metrics are a standard test's, else None."""
    for name, test in TEST_METRICS.items():
        value = float(metrics.get(name, math.nan))
        if math.isfinite(value):
            return test, value
    return None


def norm_line(metrics: Mapping[str, float], settings: PatientSettings) -> str | None:
    """The review's line for a standard test: result, category against the norm, source."""
    found = standard_test_result(metrics)
    if found is None:
        return None
    test, value = found
    return therapist_line(test, value, compare(test, value, settings.age_years, settings.sex))


def norm_lines(metrics: Mapping[str, float], settings: PatientSettings) -> tuple[str, str] | None:
    """The review's two lines for a standard test: the result with its verdict against the norm
    row ("11 stands in 30 seconds - average for women aged 70-74 (10 to 15 stands)"), and the
    norm's source; None for other levels."""
    found = standard_test_result(metrics)
    if found is None:
        return None
    test, value = found
    c = compare(test, value, settings.age_years, settings.sex)
    if c is None:
        return f"{result_words(test, value)} - no norm: add age and sex in the settings", ""
    said = f"{verdict(test, value, c)} for {c.band.group()} ({c.band.words(UNITS[test])})"
    return f"{result_words(test, value)} - {said}", f"Norm: {c.source}"


def fall_levels(levels: Sequence[LevelResult]) -> list[str]:
    """Ids of the levels of a session in which a fall was detected."""
    return [r.level_id for r in levels if float(r.metrics.get("fall_detected", 0.0)) > 0.0]


def latest_test_sentence(
    levels_by_session: Sequence[Sequence[LevelResult]], settings: PatientSettings
) -> str | None:
    """The family screen's sentence for the newest standard test ("You stood up 11 times in 30
    seconds: typical for your age is 12 to 17."), or None when no test was done."""
    for levels in reversed(levels_by_session):
        for r in reversed(list(levels)):
            found = standard_test_result(r.metrics)
            if found is not None:
                test, value = found
                return family_sentence(test, value, compare(test, value, settings.age_years, settings.sex))
    return None


def stored_test_lines(results: Sequence[Mapping[str, Any]]) -> list[str]:
    """For the report: the newest result of each standard test among the level results (dicts
    with ``metrics``, oldest first), with the norm and category stored when it was taken
    ("30-second chair stand: 11 stands in 30 seconds - below average (STEADI: a risk for
    falls); norm 12-17 (CDC STEADI ...)"). A test taken without age and sex says so."""
    newest: dict[str, str] = {}
    for r in results:
        metrics = r.get("metrics") or {}
        found = standard_test_result(metrics)
        if found is None:
            continue
        test, value = found
        head = f"{TITLES[test]}: {result_words(test, value)}"
        norm = [float(metrics.get(k, math.nan)) for k in STORED_NORMS[test]]
        cat = float(metrics.get("norm_category", math.nan))
        if not (math.isfinite(cat) and all(math.isfinite(v) for v in norm)):
            newest[test] = f"{head} (no norm: age and sex were not set)"
            continue
        row = "-".join(f"{v:g}" for v in norm)
        newest[test] = f"{head} - {category_words(test, value, int(cat))}; norm {row} ({SOURCES[test]})"
    return list(newest.values())
