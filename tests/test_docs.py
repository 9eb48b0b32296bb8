"""The repository documents itself: docs/metrics.md covers every stored metric, citations
point inside the repository, and every cited section exists.

Metric names are collected the way a user produces them: one shipped level of every level type
is played headless through the real loop by the simulated patient (tests/playing.py), and the
names written into its reps and level result are read back from the database; to those are
added the names score_reps returns, the names the grade uses (each level type's graded
table) and the names the FHIR and CSV exports add.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from game.export.csv_export import metric_rows
from game.export.data import LOCAL_SYSTEM, STANDARD_CODES, ExportData, metric_coding, unit_for_metric
from game.export.fhir import fhir_bundle
from game.levels import load_all
from game.leveltypes.registry import level_types
from game.scoring import score_reps
from game.scoring.synthetic import reaching_session
from game.session.scoring import FALL_METRICS
from game.tracking.simulated import MILD
from tests.playing import play

ROOT = Path(__file__).resolve().parents[1]
METRICS_MD = ROOT / "docs" / "metrics.md"
COMPANIONS = ("_valid_fraction", "_reliable")
"""Suffixes of the per-metric confidence companions, documented once as ``{name}<suffix>``."""
PLAY_S = 20.0
"""Simulated seconds per level: enough for three or more reps of most level types."""
PLAY_LONGER_S = {
    "position_match": 45.0, "stance": 40.0, "march": 30.0, "five_sts": 38.0, "chair_stand": 52.0,
    "reach_test": 60.0, "one_leg_test": 72.0,
}  # fmt: skip
"""Level types that need longer: position match writes its variable error only once every rep
of the level is done; stance holds last 5-10 s each; a march bout lasts 10 steps; the guided
tests run their whole protocol before their one rep."""


AGE_AND_SEX = {"age_years": 72, "sex": "female"}
"""The demo patient's optional age and sex, so the standard tests also write their norm fields."""


def base_name(key: str) -> str:
    for suffix in COMPANIONS:
        if key.endswith(suffix):
            return key[: -len(suffix)]
    return key


def documented() -> dict[str, str]:
    """Metric name -> the text of its entry (a ``### `name` `` heading and what follows)."""
    text = METRICS_MD.read_text(encoding="utf-8")
    parts = re.split(r"^### `([a-z0-9_]+)`\s*$", text, flags=re.MULTILINE)
    return {parts[i]: parts[i + 1].split("\n## ")[0] for i in range(1, len(parts), 2)}


def test_each_metric_has_one_entry():
    headings = re.findall(r"^### `([a-z0-9_]+)`\s*$", METRICS_MD.read_text(encoding="utf-8"), re.MULTILINE)
    twice = sorted({name for name in headings if headings.count(name) > 1})
    assert not twice, f"docs/metrics.md documents these twice: {twice}"


@pytest.fixture(scope="module")
def played(tmp_path_factory) -> dict[str, set[str]]:
    """Names each level type stores in its reps and level result, through the real game."""
    by_type: dict[str, list] = {}
    for spec in load_all().values():
        by_type.setdefault(spec.type, []).append(spec)
    out: dict[str, set[str]] = {}
    for level_type, specs in sorted(by_type.items()):
        # prefer a level that exercises optional measures (single-leg stance)
        spec = max(specs, key=lambda s: bool(getattr(s.params, "single_leg", False)))
        seconds = PLAY_LONGER_S.get(level_type, PLAY_S)
        result = play(
            MILD, tmp_path_factory.mktemp(level_type) / "p.db", seconds=seconds, level=spec.id,
            patient_settings=AGE_AND_SEX,
        )  # fmt: skip
        assert result.reps, f"{spec.id}: no rep was played"
        names = {k for r in result.reps for k in r.metrics}
        names |= {k for r in result.level_results for k in r.metrics}
        out[level_type] = {base_name(k) for k in names}
    return out


def scored_names() -> set[str]:
    s = reaching_session(2)
    keys = score_reps(
        s.t_s,
        s.world,
        s.image,
        side="right",
        cue_s=s.cue_s,
        end_s=s.end_s,
        targets_xy_norm=s.targets_xy_norm,
        target_radius_norm=0.03,
        arm_length_m=s.arm_length_m,
        aspect_w_over_h=s.aspect_w_over_h,
    )
    return {base_name(k) for k in keys}


def exported_names() -> set[str]:
    """Names the exports add to the stored ones (session observations, flags, stars)."""
    data = ExportData(
        patient_id="p1",
        alias="",
        affected_side="left",
        sessions=[
            {
                "id": 1,
                "started_at": "2026-01-01T10:00:00+00:00",
                "active_s": 600.0,
                "pain_before": 2,
                "pain_after": 3,
            }
        ],  # fmt: skip
        reps=[
            {
                "session_id": 1,
                "level_id": "x",
                "set_index": 0,
                "rep_index": 0,
                "t_cue_s": 1.0,
                "t_end_s": 2.0,
                "success": True,
                "compensated": False,
                "metrics": {},
            }
        ],  # fmt: skip
        level_results=[{"session_id": 1, "level_id": "x", "stars": 2, "metrics": {}, "reliable": {}}],
    )
    entries = fhir_bundle(data, include_reps=True)["entry"]
    codings = [
        e["resource"]["code"]["coding"][0] for e in entries if e["resource"]["resourceType"] == "Observation"
    ]
    names = {c["code"] for c in codings if c["system"] == LOCAL_SYSTEM}
    standard = {c["code"] for c in codings if c["system"] != LOCAL_SYSTEM}
    names |= {name for name, (_, code, _, _) in STANDARD_CODES.items() if code in standard}
    return names | {r.metric for r in metric_rows(data)}


def all_names(played: dict[str, set[str]]) -> set[str]:
    names = set().union(*played.values()) | scored_names() | exported_names() | set(FALL_METRICS)
    return names | {m for kind in level_types().values() for m in kind.graded}


def test_every_stored_and_exported_metric_is_documented(played):
    missing = sorted(all_names(played) - set(documented()))
    assert not missing, f"docs/metrics.md has no entry for {missing}"
    text = METRICS_MD.read_text(encoding="utf-8")
    for suffix in COMPANIONS:
        assert f"`{{name}}{suffix}`" in text, f"docs/metrics.md does not explain {{name}}{suffix}"


def test_no_entry_describes_a_name_nothing_writes(played):
    stale = sorted(set(documented()) - all_names(played))
    assert not stale, f"docs/metrics.md documents names nothing stores or exports: {stale}"


def test_entries_state_the_export_label_and_unit():
    entries = documented()
    assert len(entries) > 50
    for name, body in entries.items():
        shown = re.search(r'\*\*Shown as:\*\*\s+"([^"]+)"', body)
        unit = re.search(r"\*\*export unit:\*\*\s+(?:`([^`]+)`|none)", body)
        assert shown and unit, f"{name}: entry lacks 'Shown as' or 'export unit'"
        assert shown.group(1) == metric_coding(name)["display"], name
        assert (unit.group(1) or "") == unit_for_metric(name), name


def test_every_level_type_and_its_graded_metrics_are_described(played):
    text = METRICS_MD.read_text(encoding="utf-8")
    for level_type in played:
        assert f"| {level_type} |" in text, f"the grade table lacks level type {level_type}"
    for level_type, spec in ((k, v.graded) for k, v in level_types().items()):
        row = next(line for line in text.splitlines() if line.startswith(f"| {level_type} |"))
        for name in spec:
            assert f"`{name}`" in row, f"{level_type}: {name} missing from its grade row"


# ------------------------------------------------------------------ citations
def tracked_text_files() -> dict[str, str]:
    files = subprocess.run(
        ["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.split()
    out = {}
    for name in files:
        try:
            out[name] = (ROOT / name).read_text(encoding="utf-8")
        except (UnicodeDecodeError, FileNotFoundError, IsADirectoryError):
            continue  # pictures, data, files deleted in the working tree
    return out


def hits(pattern: str) -> list[str]:
    rx = re.compile(pattern)
    return [
        f"{name}:{i}: {line.strip()}"
        for name, text in tracked_text_files().items()
        for i, line in enumerate(text.splitlines(), start=1)
        if rx.search(line)
    ]


def test_no_tracked_file_points_outside_the_repository():
    # The patterns are written so that this file does not match itself.
    found = hits(r"\.\./shar[e]d|/work/shar[e]d")
    assert not found, "paths outside the repository:\n" + "\n".join(found)


def test_citations_name_documents_that_exist_in_the_repository():
    found = hits(
        r"clinical_metrics\.md|performance_and_tech\.md|anchors_systems\.md|anchors_2026\.md"
        r"|code_style_anchors\.md|DESIGN\.md"
    )
    assert not found, "citations of documents outside the repository:\n" + "\n".join(found)


SECTION_CITATION = re.compile(r"\b(sources|performance-notes)(?:\.md)?\)?\s+§\s?(\d+(?:\.\d+)?)")


def sections(doc: str) -> set[str]:
    """Section labels of a docs/ file: ``## §N …`` headings and ``**§N.M …`` items."""
    text = (ROOT / "docs" / f"{doc}.md").read_text(encoding="utf-8")
    return set(re.findall(r"^(?:#+ |- \*\*)§(\d+(?:\.\d+)?)", text, flags=re.MULTILINE))


def test_every_cited_section_exists():
    known = {doc: sections(doc) for doc in ("sources", "performance-notes")}
    assert {"0", "1.1", "6.3", "9", "11"} <= known["sources"]
    assert {"0.1", "0.3", "1.5", "4.1", "7"} <= known["performance-notes"]
    texts = tracked_text_files()
    texts.update({f"docs/{p.name}": p.read_text(encoding="utf-8") for p in (ROOT / "docs").glob("*.md")})
    bad = [
        f"{name}: {doc} §{number}"
        for name, text in texts.items()
        for doc, number in SECTION_CITATION.findall(text)
        if number not in known[doc]
    ]
    assert not bad, "citations of sections that do not exist:\n" + "\n".join(bad)


def test_section_citation_pattern_reads_the_forms_in_use():
    sample = "docs/sources.md §6.3, (sources §4.3) and docs/performance-notes.md §0.1"
    assert SECTION_CITATION.findall(sample) == [
        ("sources", "6.3"),
        ("sources", "4.3"),
        ("performance-notes", "0.1"),
    ]
