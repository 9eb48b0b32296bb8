"""The PDF report read back with pypdf: TrueType fonts, metadata, pain, the plan played, and axes
that do not magnify noise."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from game.export.data import ExportData
from game.export.dose import plan_reps
from game.export.noise import measured_floor
from game.export.report import NO_CHANGE, report_figure, write_report
from game.export.writer import export_data
from game.levels import DEFAULT_PLAN, load_all, load_plan
from game.storage import Rep, Store, open_database
from tests.history import make_history

SHIPPED_PLAN_REPS = 49
"""The shipped 8-step plan: 2 x 6 apples, 4 flowers, 3 fish, 4 trays, 3 leaves, 2 x 8 bubbles,
4 boat turns, 3 stands (levels/plans/default.toml and the level files; the issue counts 49)."""


def _default_plan_items() -> list[dict[str, Any]]:
    """The plan as the game stores it with a session: one item per set."""
    steps = load_plan(DEFAULT_PLAN, load_all())
    return [{"level": s["level"], "set": k, "reps": s.get("reps"), "rest_s": s.get("rest_s", 0.0)}
            for s in steps for k in range(int(s.get("sets", 1)))]  # fmt: skip


def _history(path: Path) -> ExportData:
    """Two weeks of history, then one session on the shipped plan that ended for pain."""
    with open_database(path) as db:
        make_history(db, weeks=2, balance=False)
        sid = db.start_session("p1", started_at="2026-03-20T10:00:00Z", source="camera",
                               plan={"items": _default_plan_items()}, pain_before=3)  # fmt: skip
        db.add_rep(sid, Rep("reach-apples", 0, 0, 4.0, 7.5, True, False, {"sparc": -2.0}),
                   created_at="2026-03-20T10:00:08Z")  # fmt: skip
        db.finish_session(
            sid, status="ended_pain", ended_at="2026-03-20T10:03:00Z", pain_after=6, active_s=60.0
        )
        patient = db.get_patient("p1")
        assert patient is not None
        return export_data(db, patient)


@pytest.fixture(scope="module")
def pdf(tmp_path_factory: pytest.TempPathFactory) -> PdfReader:
    folder = tmp_path_factory.mktemp("report")
    path = write_report(_history(folder / "h.db"), folder / "r.pdf")
    return PdfReader(path)


def _fonts(reader: PdfReader) -> list[Any]:
    out = []
    for page in reader.pages:
        fonts = page["/Resources"]["/Font"]
        out += [fonts[name].get_object() for name in fonts]
    return out


def test_fonts_are_embedded_truetype_not_type3(pdf: PdfReader) -> None:
    """Before, matplotlib's default Type 3 fonts: glyph drawings that readers cannot search."""
    fonts = _fonts(pdf)
    assert fonts and all(f["/Subtype"] != "/Type3" for f in fonts)
    for font in fonts:
        if font["/Subtype"] == "/Type0":
            font = font["/DescendantFonts"][0].get_object()
            assert font["/Subtype"] == "/CIDFontType2"
        else:
            assert font["/Subtype"] == "/TrueType"
        assert "/FontFile2" in font["/FontDescriptor"].get_object()  # the TrueType program is embedded


def test_title_and_author(pdf: PdfReader) -> None:
    meta = pdf.metadata
    assert meta is not None
    assert meta.title == "MirrorPlay progress report: Margaret" and meta.author == "MirrorPlay"


def test_pain_and_the_plan_actually_played(pdf: PdfReader) -> None:
    """Before: no pain, no session ended for pain, and 'plan 16 reps/day, 20 min' from the
    settings' default sets x reps while the patient played the shipped plan."""
    text = " ".join(page.extract_text() for page in pdf.pages)
    assert "Pain 0-10 (median): before" in text
    assert "sessions ended for pain: 1 of" in text and "1 ended for pain" in text
    assert f"{SHIPPED_PLAN_REPS} repetitions in 10 sets" in text
    assert "16 reps" not in text


def test_plan_reps_of_the_shipped_plan(tmp_path: Path, played: Store) -> None:
    data = _history(tmp_path / "h.db")
    assert plan_reps({"items": _default_plan_items()}, data.level_reps) == SHIPPED_PLAN_REPS
    patient = played.get_patient("demo")
    assert patient is not None
    assert export_data(played, patient).planned_reps_per_day == 14.0  # the patient's own plan


def _panel(fig: Any, start: str) -> Any:
    return next(ax for ax in fig.axes if ax.get_title(loc="left").startswith(start))


def test_axes_never_zoom_into_noise(tmp_path: Path) -> None:
    """Before, a reach moving 0.9875-0.9910 arm lengths filled its whole panel."""
    sessions = [
        {"id": k, "started_at": f"2026-03-0{k}T10:00:00Z", "status": "completed"} for k in range(1, 6)
    ]
    values = [0.9875, 0.9890, 0.9910, 0.9881, 0.9902]
    reps = [{"session_id": k, "level_id": "reach-apples", "set_index": 0, "rep_index": j, "t_cue_s": j,
             "t_end_s": j + 1.0, "success": True, "compensated": False,
             "metrics": {"affected_reach_fraction": v, "sparc": -2.0 + 0.3 * k}}
            for k, v in zip(range(1, 6), values, strict=True) for j in range(3)]  # fmt: skip
    data = ExportData("p", "Ann", "left", sessions, reps, [])
    fig = report_figure(data)
    reach, smooth = _panel(fig, "Reach"), _panel(fig, "Smoothness")
    floor = measured_floor("affected_reach_fraction")
    assert floor is not None and floor > max(values) - min(values)
    low, high = reach.get_ylim()
    assert high - low >= floor
    assert NO_CHANGE in [t.get_text() for t in reach.texts]
    assert NO_CHANGE not in [t.get_text() for t in smooth.texts]  # SPARC rose 1.2: measurable
    text = " ".join(p.extract_text() for p in PdfReader(write_report(data, tmp_path / "r.pdf")).pages)
    assert NO_CHANGE in text


def test_the_shoulder_panel_is_elevation_never_flexion_or_abduction(pdf: PdfReader) -> None:
    """Before: no shoulder panel; flexion or abduction would be blank for sideways reaches."""
    text = " ".join(page.extract_text() for page in pdf.pages)
    assert "Peak shoulder elevation, deg (affected arm)" in text
    assert "flexion" not in text.lower() and "abduction" not in text.lower()
