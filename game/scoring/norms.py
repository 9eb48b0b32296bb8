"""Published norms of the standard tests, and a result compared with its age band and sex.

Each table is restated with its source and evidence level in docs/sources.md (§6.4 functional
reach, §6.5 single-leg stance, §6.9 30-second chair stand, §6.10 five-times sit-to-stand):

- 30-second chair stand: CDC STEADI's table (Rikli & Jones 1999, community-dwelling adults
  60-94, n = 7,183): the 25th-75th percentile range by age band and sex; a score below the
  range is "below average", which STEADI reads as a risk for falls;
- five-times sit-to-stand: Bohannon 2006 (meta-analysis, 13 papers): times above 11.4 s
  (60-69 y), 12.6 s (70-79 y), 14.8 s (80-89 y) are worse than average; not by sex;
- single-leg stance, eyes open, best of 3 (cap 45 s): Springer et al. 2007 (n = 549, 18-99 y):
  the mean of each age band and sex (sex made no significant difference; with sex unknown the
  two means are averaged);
- functional reach: Duncan et al. 1990 (n = 128, 21-87 y): mean and SD by age band and sex;
  the typical range is mean +- 1 SD; 15.2 cm (6 in) or less marks a high fall risk.

A comparison is one of three categories: -1 worse than the norm (below the range, slower than
the limit, below the mean), 0 within it, +1 better than the range. Age is in whole years;
"female"/"male" as stored in the patient's settings.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

TESTS = ("chair_stand_30s", "five_sts", "one_leg_stance", "functional_reach")
SOURCES = {
    "chair_stand_30s": "CDC STEADI 30-Second Chair Stand (Rikli & Jones 1999), docs/sources.md §6.9",
    "five_sts": "Bohannon 2006 five-times sit-to-stand reference values, docs/sources.md §6.10",
    "one_leg_stance": "Springer et al. 2007 unipedal stance, eyes open, best of 3, docs/sources.md §6.5",
    "functional_reach": "Duncan et al. 1990 functional reach, docs/sources.md §6.4",
}
FRT_FALL_RISK_CM = 15.2
"""Functional reach of 6 in (15.2 cm) or less: high fall risk (docs/sources.md §6.4)."""


@dataclass(frozen=True)
class Band:
    """One row of a norm table: the typical range (or a limit) for an age band and sex."""

    test: str
    age_lo: int
    age_hi: int
    sex: str | None
    """"female", "male", or None when the norm is the same for both."""
    low: float
    """Lower end of typical (NaN where the table gives only an upper limit)."""
    high: float
    """Upper end of typical (NaN where the table gives only a lower limit or a mean)."""
    mean: float = math.nan

    def words(self, unit: str) -> str:
        """The typical value as a person would say it ("12 to 17 stands", "12.6 s or less")."""
        if math.isfinite(self.low) and math.isfinite(self.high):
            return f"{_num(self.low)} to {_num(self.high)} {unit}"
        if math.isfinite(self.high):
            return f"{_num(self.high)} {unit} or less"
        return f"about {_num(self.mean)} {unit} on average"

    def group(self) -> str:
        """Who the row describes ("women aged 60-64")."""
        who = {"female": "women", "male": "men"}.get(self.sex or "", "people")
        return f"{who} aged {self.age_lo}-{self.age_hi}"


def _num(x: float) -> str:
    return f"{x:.0f}" if float(x).is_integer() else f"{x:.1f}"


# Rikli & Jones 1999 via CDC STEADI: (age_lo, age_hi): ((women p25, p75), (men p25, p75))
_CHAIR: dict[tuple[int, int], tuple[tuple[int, int], tuple[int, int]]] = {
    (60, 64): ((12, 17), (14, 19)), (65, 69): ((11, 16), (12, 18)), (70, 74): ((10, 15), (12, 17)),
    (75, 79): ((10, 15), (11, 17)), (80, 84): ((9, 14), (10, 15)), (85, 89): ((8, 13), (8, 14)),
    (90, 94): ((4, 11), (7, 12)),
}  # fmt: skip
# Bohannon 2006: worse than average above these times, seconds
_FIVE_STS: dict[tuple[int, int], float] = {(60, 69): 11.4, (70, 79): 12.6, (80, 89): 14.8}
# Springer 2007, eyes open, best of 3, mean seconds: (women, men)
_SLS: dict[tuple[int, int], tuple[float, float]] = {
    (18, 39): (43.5, 43.2), (40, 49): (40.4, 40.1), (50, 59): (36.0, 38.1), (60, 69): (25.1, 28.7),
    (70, 79): (11.3, 18.3), (80, 99): (7.4, 5.6),
}  # fmt: skip
# Duncan 1990, cm (inches x 2.54): ((women mean, SD), (men mean, SD))
_FRT: dict[tuple[int, int], tuple[tuple[float, float], tuple[float, float]]] = {
    (20, 40): ((37.1, 5.6), (42.5, 4.8)), (41, 69): ((35.1, 5.6), (38.1, 5.6)),
    (70, 87): ((26.6, 8.9), (33.5, 4.1)),
}  # fmt: skip
_SEXES = ("female", "male")


AgeBand = tuple[int, int]


def _age_band(bands: list[AgeBand], age: int) -> AgeBand | None:
    return next(((lo, hi) for lo, hi in bands if lo <= age <= hi), None)


def band(test: str, age_years: float | None, sex: str | None) -> Band | None:
    """The norm row for an age and sex, or None (no age, an age outside the table, or a
    sex-specific table without the sex). ValueError for an unknown test."""
    if test not in TESTS:
        raise ValueError(f"unknown test {test!r} (known: {', '.join(TESTS)})")
    if age_years is None or not math.isfinite(age_years):
        return None
    age = int(age_years)
    s = sex if sex in _SEXES else None
    i = _SEXES.index(s) if s is not None else None
    if test == "five_sts":
        ab = _age_band(list(_FIVE_STS), age)
        return None if ab is None else Band(test, *ab, None, math.nan, _FIVE_STS[ab])
    if test == "one_leg_stance":
        ab = _age_band(list(_SLS), age)
        if ab is None:
            return None
        w, m = _SLS[ab]
        mean = (w, m)[i] if i is not None else 0.5 * (w + m)
        return Band(test, *ab, s, math.nan, math.nan, mean)
    if test == "chair_stand_30s":
        ab = _age_band(list(_CHAIR), age)
        if ab is None or i is None:
            return None
        lo, hi = _CHAIR[ab][i]
        return Band(test, *ab, s, float(lo), float(hi), 0.5 * (lo + hi))
    ab = _age_band(list(_FRT), age)
    if ab is None or i is None:
        return None
    mean, sd = _FRT[ab][i]
    return Band(test, *ab, s, round(mean - sd, 1), round(mean + sd, 1), mean)


def category(test: str, value: float, row: Band) -> int:
    """-1 worse than the norm, 0 within it, +1 better (see the module doc)."""
    if not math.isfinite(value):
        return 0
    if test == "five_sts":
        return -1 if value > row.high else 0
    if test == "one_leg_stance":
        return -1 if value < row.mean else 0
    if value < row.low:
        return -1
    return 1 if value > row.high else 0


@dataclass(frozen=True)
class Comparison:
    """A test result against its norm row."""

    test: str
    value: float
    band: Band
    category: int

    @property
    def source(self) -> str:
        return SOURCES[self.test]


def compare(test: str, value: float, age_years: float | None, sex: str | None) -> Comparison | None:
    """A result compared with the norm for the person's age and sex (None without a norm)."""
    row = band(test, age_years, sex)
    if row is None:
        return None
    return Comparison(test, float(value), row, category(test, float(value), row))


TITLES = {
    "chair_stand_30s": "30-second chair stand",
    "five_sts": "Five-times sit-to-stand",
    "one_leg_stance": "Single-leg stance (eyes open)",
    "functional_reach": "Functional reach",
}
UNITS = {
    "chair_stand_30s": "stands",
    "five_sts": "seconds",
    "one_leg_stance": "seconds",
    "functional_reach": "cm",
}
_VERDICT = {
    "chair_stand_30s": ("below average (STEADI: a risk for falls)", "average", "above average"),
    "five_sts": ("slower than average", "not slower than average", "not slower than average"),
    "one_leg_stance": ("below the average", "at or above the average", "at or above the average"),
    "functional_reach": ("below typical", "typical", "above typical"),
}


def result_words(test: str, value: float) -> str:
    """The result as a person says it ("11 stands in 30 seconds")."""
    v = _num(value) if math.isfinite(value) else "-"
    return {
        "chair_stand_30s": f"{v} stands in 30 seconds",
        "five_sts": f"5 stands in {v} seconds",
        "one_leg_stance": f"{v} seconds on one leg (best of 3)",
        "functional_reach": f"{v} cm forward reach",
    }[test]


def family_sentence(test: str, value: float, comparison: Comparison | None) -> str:
    """What the family screen says ("You stood up 11 times in 30 seconds: typical for your age
    is 12 to 17.")."""
    v = _num(value) if math.isfinite(value) else "-"
    said = {
        "chair_stand_30s": f"You stood up {v} times in 30 seconds",
        "five_sts": f"You stood up 5 times in {v} seconds",
        "one_leg_stance": f"You stood on one leg for {v} seconds",
        "functional_reach": f"You reached {v} cm forward",
    }[test]
    if comparison is None:
        return said + "."
    b = comparison.band
    if test == "one_leg_stance":
        return f"{said}: the average for your age is {_num(b.mean)} seconds."
    typical = b.words(UNITS[test]).replace(" stands", "")
    return f"{said}: typical for your age is {typical}."


def verdict(test: str, value: float, comparison: Comparison) -> str:
    """The category in words ("below average (STEADI: a risk for falls)")."""
    return category_words(test, value, comparison.category)


def category_words(test: str, value: float, category: int) -> str:
    """A category (-1 worse, 0 within, +1 better, as stored in ``norm_category``) in words."""
    said = _VERDICT[test][int(category) + 1]
    if test == "functional_reach" and value <= FRT_FALL_RISK_CM:
        said += ", high fall risk (6 in or less)"
    return said


def comparison_words(test: str, value: float, comparison: Comparison | None) -> str:
    """The norm row and the verdict, for the test's result card."""
    if comparison is None:
        return "No norm to compare with: add the patient's age (and sex) in the settings"
    b = comparison.band
    return f"Typical for {b.group()}: {b.words(UNITS[test])} - {verdict(test, value, comparison)}"


def therapist_line(test: str, value: float, comparison: Comparison | None) -> str:
    """One review line: the test, the result, the category against the norm row, the source."""
    head = f"{TITLES[test]}: {result_words(test, value)}"
    if comparison is None:
        return f"{head} (no norm: add age and sex, or no published row for this age)"
    b = comparison.band
    cite = comparison.source.split(",")[0]
    return f"{head} - {verdict(test, value, comparison)} for {b.group()} ({b.words(UNITS[test])}; {cite})"
