"""The family progress screen: navigation by one key, drawn at the patient's text scale."""

from __future__ import annotations

from pathlib import Path

from game.actions import Act, Action
from tests.history import TODAY, make_history


def test_family_screen_goes_back_with_one_key(tmp_path: Path) -> None:
    from game.scenes.base import Pop
    from game.scenes.progress import FamilyProgressScene
    from tests.scenes.test_therapist_screens import make_app

    app, close = make_app(tmp_path)
    try:
        make_history(app.db)
        scene = FamilyProgressScene(app, app.db.get_patient("p1"), today=TODAY)
        scene.draw(app.window.surface)
        assert scene.handle(Action(Act.RIGHT)) is None
        assert isinstance(scene.handle(Action(Act.SELECT)), Pop)
        assert isinstance(scene.handle(Action(Act.BACK)), Pop)
    finally:
        close()


def test_family_screen_draws_at_the_patients_text_scale(tmp_path: Path, monkeypatch: object) -> None:
    from game.render import progress_view
    from game.render import theme as T
    from game.scenes import progress
    from tests.scenes.test_therapist_screens import make_app

    app, close = make_app(tmp_path)
    seen: list[float] = []
    real = progress_view.draw_progress
    try:
        make_history(app.db, weeks=1, text_scale=1.6)
        monkeypatch.setattr(progress_view, "draw_progress",  # type: ignore[attr-defined]
                            lambda *a, **k: (seen.append(T.get_text_scale()), real(*a, **k)))  # fmt: skip
        progress.FamilyProgressScene(app, app.db.get_patient("p1"), today=TODAY).draw(app.window.surface)
        assert seen == [1.6] and T.get_text_scale() == 1.0  # restored for the next screen
    finally:
        close()
