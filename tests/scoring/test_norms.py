"""The standard tests' norms (game.scoring.norms): a known age, sex and result gives the
published category, and docs/sources.md restates every number the code compares with."""

from __future__ import annotations

import math
import re
from pathlib import Path

import pytest

from game.scoring.norms import FRT_FALL_RISK_CM, SOURCES, TESTS, band, compare

SOURCES_MD = Path(__file__).resolve().parents[2] / "docs" / "sources.md"


@pytest.mark.parametrize(
    ("age", "sex", "stands", "category", "words"),
    [
        (62, "female", 11, -1, "12 to 17 stands"),  # the example: below average (STEADI)
        (62, "female", 12, 0, "12 to 17 stands"),
        (62, "male", 13, -1, "14 to 19 stands"),
        (72, "male", 12, 0, "12 to 17 stands"),
        (77, "female", 16, 1, "10 to 15 stands"),
        (91, "female", 12, 1, "4 to 11 stands"),
        (85, "male", 7, -1, "8 to 14 stands"),
    ],
)
def test_chair_stand_categories_follow_steadi(
    age: int, sex: str, stands: int, category: int, words: str
) -> None:
    c = compare("chair_stand_30s", stands, age, sex)
    assert c is not None and c.category == category and c.band.words("stands") == words
    assert "STEADI" in c.source and "§6.9" in c.source


def test_five_times_sit_to_stand_follows_bohannon_2006() -> None:
    assert compare("five_sts", 11.4, 65, None).category == 0  # not above the limit
    assert compare("five_sts", 11.5, 65, "male").category == -1
    assert compare("five_sts", 12.6, 79, "female").category == 0
    assert compare("five_sts", 12.7, 70, None).category == -1
    assert compare("five_sts", 14.0, 85, None).category == 0
    assert compare("five_sts", 15.0, 85, None).band.words("s") == "14.8 s or less"
    assert compare("five_sts", 9.0, 55, None) is None  # no published row below 60


def test_single_leg_stance_and_functional_reach() -> None:
    assert compare("one_leg_stance", 10.0, 72, "female").category == -1  # under the 11.3 s mean
    assert compare("one_leg_stance", 20.0, 72, "male").category == 0  # at or over 18.3 s
    assert band("one_leg_stance", 65, None).mean == pytest.approx((25.1 + 28.7) / 2)  # sex unknown
    assert band("one_leg_stance", 95, "male").mean == 5.6
    frt = compare("functional_reach", 15.0, 75, "male")
    assert frt.category == -1 and frt.band.words("cm") == "29.4 to 37.6 cm" and 15.0 <= FRT_FALL_RISK_CM
    assert compare("functional_reach", 43.0, 30, "female").category == 1  # over 37.1 + 5.6
    assert compare("functional_reach", 30.0, 30, None) is None  # the table is by sex


def test_no_norm_without_age_or_outside_the_tables() -> None:
    assert band("chair_stand_30s", None, "female") is None
    assert band("chair_stand_30s", 59, "female") is None and band("chair_stand_30s", 95, "male") is None
    assert band("chair_stand_30s", 70, None) is None  # sex-specific table
    assert band("chair_stand_30s", math.nan, "male") is None
    with pytest.raises(ValueError, match="unknown test"):
        band("timed_up_and_go", 70, "male")


def _table(section: str) -> list[list[str]]:
    text = SOURCES_MD.read_text(encoding="utf-8")
    body = text.split(f"### {section}", 1)[1].split("\n### ", 1)[0]
    rows = [line for line in body.splitlines() if line.startswith("| ") and "---" not in line]
    return [[c.strip() for c in r.strip("|").split("|")] for r in rows[1:]]


def _ages(cell: str) -> tuple[int, int]:
    lo, hi = re.findall(r"\d+", cell)[:2] if "+" not in cell else (re.findall(r"\d+", cell)[0], "99")
    return int(lo), int(hi)


def test_docs_restate_every_number_the_code_compares_with() -> None:
    for ages, women, men in _table("§6.9"):
        lo, hi = _ages(ages)
        for sex, cell in (("female", women), ("male", men)):
            a, b = (float(x) for x in re.findall(r"\d+", cell))
            for age in (lo, hi):
                row = band("chair_stand_30s", age, sex)
                assert (row.low, row.high) == (a, b), (ages, sex)
    for ages, limit in _table("§6.10"):
        for age in _ages(ages):
            assert band("five_sts", age, None).high == float(limit.rstrip(" s"))
    for ages, women, men in _table("§6.5")[:6]:  # the eyes-open table comes first
        lo, hi = _ages(ages)
        for sex, cell in (("female", women), ("male", men)):
            assert band("one_leg_stance", lo, sex).mean == float(cell.rstrip(" s"))
            assert band("one_leg_stance", hi, sex).mean == float(cell.rstrip(" s"))
    for ages, men, women in _table("§6.4"):
        lo, hi = _ages(ages)
        for sex, cell in (("female", women), ("male", men)):
            mean = float(re.search(r"\(([\d.]+) cm\)", cell).group(1))
            sd_cm = 2.54 * float(re.search(r"± ([\d.]+) in", cell).group(1))
            row = band("functional_reach", lo, sex)
            assert row.mean == mean and row.high - row.mean == pytest.approx(sd_cm, abs=0.06)
    assert set(SOURCES) == set(TESTS) and all("docs/sources.md §6." in s for s in SOURCES.values())
