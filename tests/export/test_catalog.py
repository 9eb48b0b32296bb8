"""The metric catalogue against the world: a UCUM parser, the names' unit suffixes, and every
measure the real game stores when each level type is played."""

from __future__ import annotations

from pathlib import Path

import pytest
from ucumvert import PintUcumRegistry, get_ucum_parser

from game.export.data import DISPLAY, metric_coding, unit_for_metric
from game.scoring.catalog import (
    AFFECTED_OF,
    CATALOG,
    LOCAL_SYSTEM,
    QUALITY_SUFFIXES,
    info,
    markdown_table,
    quality_of,
)
from game.storage import Store

SUFFIX_DIMENSION = {
    "_s": "[time]", "_min": "[time]", "_ms": "[time]", "_m_s": "[length] / [time]", "_m2": "[length] ** 2",
    "_mm": "[length]", "_m": "[length]",
}  # fmt: skip
"""What a unit suffix of a metric name promises (house style: units in names), as a pint
dimensionality: the independent oracle the catalogue's UCUM codes are checked against."""


@pytest.fixture(scope="module")
def ucum() -> PintUcumRegistry:
    return PintUcumRegistry()


def _suffix(name: str) -> str | None:
    return next((s for s in sorted(SUFFIX_DIMENSION, key=len, reverse=True) if name.endswith(s)), None)


def test_every_unit_is_valid_ucum_and_matches_the_name_suffix(ucum: PintUcumRegistry) -> None:
    parser = get_ucum_parser()
    checked = 0
    for name, m in CATALOG.items():
        if m.kind == "flag":
            assert m.unit == "", f"{name}: a yes/no flag has no unit"
            continue
        parser.parse(m.unit)  # raises on anything that is not UCUM
        suffix = _suffix(name)
        if suffix is not None:
            dim = str(ucum.from_ucum(m.unit).dimensionality)
            assert dim == SUFFIX_DIMENSION[suffix], f"{name}: {m.unit} is {dim}"
            checked += 1
        if name.endswith("_deg"):
            assert m.unit == "deg", name
        if name.endswith("_pct") or "_pct_" in name:
            assert m.unit == "%", f"{name} is a percentage: UCUM '%', not {m.unit!r}"
        if name.endswith(("_frac", "_fraction", "_ratio", "_r")):
            assert m.unit == "1", f"{name} is a true ratio"
    assert checked >= 20  # the suffix check really ran


@pytest.mark.parametrize(
    ("name", "unit"),
    [("reach_pct_arm", "%"), ("affected_reach_pct_arm", "%"), ("affected_elevation_pct_norm", "%"),
     ("ellipse95_area_m2", "m2"), ("nmu", "{count}"), ("reps", "{count}"), ("reps_done", "{count}"),
     ("sway_mean_velocity_m_s", "m/s"), ("sparc", "1"), ("stars", "{star}"), ("active_min", "min"),
     ("success", ""), ("symmetry_index_pct", "%")],
)  # fmt: skip
def test_units_the_issue_found_wrong(name: str, unit: str) -> None:
    """reach_pct_arm (about 98.5) and the abduction % were tagged '1', the sway area '1', the
    movement-unit count '1': each now has its own unit."""
    assert unit_for_metric(name) == unit


def test_display_names_are_in_step_with_the_names() -> None:
    """Each display name is written out (no 'Nmu', 'Xcorr r', 'Endpoint error m'), unique, and an
    affected-arm measure reads as its plain measure of the affected arm."""
    displays = [m.display for m in CATALOG.values()]
    assert len(set(displays)) == len(displays)
    assert DISPLAY["nmu"] == "Number of movement units"
    assert DISPLAY["endpoint_error_m"] == "Endpoint error"
    assert "cross-correlation" in DISPLAY["xcorr_r"]
    for name, m in CATALOG.items():
        guessed = name.replace("_", " ").capitalize()
        assert "_" not in name or m.display != guessed, f"{name}: display guessed from the name"
        last = m.display.split()[-1]
        assert last not in ("m", "s", "mm", "deg", "pct", "frac", "r"), f"{name}: {m.display!r}"
    for base in AFFECTED_OF:
        plain, affected = CATALOG[base], CATALOG[f"affected_{base}"]
        assert affected.display.lower() == f"affected arm: {plain.display.lower()}"
        assert (affected.unit, affected.limb, plain.limb) == (plain.unit, "affected", "driving")


def test_standard_codes_and_the_local_system() -> None:
    assert metric_coding("active_min") == {"system": "http://loinc.org", "code": "55411-3",
                                           "display": "Exercise duration"}  # fmt: skip
    assert metric_coding("pain_before")["code"] == metric_coding("pain_after")["code"] == "72514-3"
    assert metric_coding("sparc") == {
        "system": LOCAL_SYSTEM,
        "code": "sparc",
        "display": "Smoothness (SPARC)",
    }
    assert unit_for_metric("not_a_metric_m") == "" and info("not_a_metric_m") is None  # never guessed


def test_quality_values_belong_to_their_measure() -> None:
    assert quality_of("sparc_reliable") == ("sparc", "reliable")
    assert quality_of("endpoint_error_m_valid_fraction") == ("endpoint_error_m", "valid_fraction")
    assert quality_of("success_rate") is None and quality_of("_reliable") is None
    assert not any(name.endswith(QUALITY_SUFFIXES) for name in CATALOG)


def test_every_measure_the_game_stores_is_catalogued(played: Store) -> None:
    """Each level type played through the real loop: every stored rep and level-result key is a
    catalogued measure or a quality of one."""
    [session] = played.sessions("demo")
    reps, results = played.reps(session.id), played.level_results(session.id)
    assert {r.level_id for r in results} >= {"reach-apples", "trace-fish", "stance-flamingo", "match-leaf"}
    stored = {k for r in reps for k in r.metrics} | {k for r in results for k in r.metrics}
    measures = {(quality_of(k) or (k, ""))[0] for k in stored}
    unknown = sorted(k for k in measures if info(k) is None)
    assert not unknown, f"not in game/scoring/catalog.py: {unknown}"
    assert {"reach_pct_arm", "nmu", "ellipse95_area_m2", "xcorr_r", "absolute_error_deg"} <= stored


def test_the_docs_list_the_catalogue() -> None:
    docs = (Path(__file__).resolve().parents[2] / "docs" / "exports.md").read_text(encoding="utf-8")
    assert markdown_table() in docs, "docs/exports.md is out of step: paste catalog.markdown_table() in again"
