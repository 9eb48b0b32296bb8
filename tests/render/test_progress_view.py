"""The family progress picture drawn offscreen (``main.py progress --png``) and text scaling."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from game.render.progress_view import save_progress_png
from game.storage import open_database
from game.therapist.review import progress_summary
from game.therapist.settings_schema import PatientSettings
from tests.history import TODAY, make_history


def render_png(db: object, patient_id: str, path: Path) -> Path:
    """The picture of `patient_id` as the command line draws it."""
    return save_progress_png(progress_summary(db, db.get_patient(patient_id), TODAY), path)  # type: ignore[arg-type, attr-defined]


def test_progress_png_renders_and_shows_content(tmp_path: Path) -> None:
    import pygame

    with open_database(tmp_path / "h.db") as db:
        make_history(db)
        out = render_png(db, "p1", tmp_path / "fam.png")
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    pygame.init()
    img = pygame.image.load(str(out))
    assert img.get_size() == (1280, 720)
    # The charts drew their lines: the reach colour (orange) appears in the reach panel.
    px = pygame.surfarray.array3d(img)
    orange = np.all(px[648:1260, 320:700] == (230, 159, 0), axis=-1)
    assert orange.sum() > 50
    pygame.quit()


def test_reach_not_measured_without_affected_arm_keys(tmp_path: Path) -> None:
    import pygame

    with open_database(tmp_path / "h.db") as db:
        make_history(db, weeks=1, affected=False)
        p = progress_summary(db, db.get_patient("p1"), TODAY)
        out = render_png(db, "p1", tmp_path / "fam.png")
    assert p.reach[0] and all(v != v for v in p.reach[0])  # the mirrored arm's reach is not used
    pygame.init()
    px = pygame.surfarray.array3d(pygame.image.load(str(out)))
    pygame.quit()
    assert not np.all(px[648:1260, 320:440] == (230, 159, 0), axis=-1).any()  # no reach line drawn


def test_text_scale_range_fonts_and_fitting() -> None:
    import pygame

    from game.render import theme as T
    from game.render import widgets
    from game.therapist.settings_schema import SPEC_BY_NAME

    spec = SPEC_BY_NAME["text_scale"]
    assert (spec.min, spec.max) == (T.TEXT_SCALE_MIN, T.TEXT_SCALE_MAX)
    assert spec.min <= PatientSettings().text_scale <= spec.max
    pygame.font.init()
    T.clear_font_cache()
    with T.text_scale(1.5):
        big = T.font(20)
        assert T.get_text_scale() == 1.5
        with T.text_scale(9.0):
            assert T.get_text_scale() == T.TEXT_SCALE_MAX  # clamped, as the setting is
        words = "How far the left arm reaches"
        size = widgets.fit_size(words, 32, 300.0, bold=True)
        assert T.font(size, True).size(words)[0] <= 300 < T.font(size + 2, True).size(words)[0]
    assert T.get_text_scale() == 1.0
    assert T.font(30) is big  # cached by pixel size: no stale fonts after a scale change
    T.clear_font_cache()
