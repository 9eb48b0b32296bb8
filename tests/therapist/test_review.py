"""The numbers behind the therapist review and the family screen, from a realistic history."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import numpy as np

from game.storage import open_database
from tests.history import TODAY, make_history


def test_summary_counts_this_week_streak_and_stars(tmp_path: Path) -> None:
    from game.therapist.review import progress_summary, session_stats

    with open_database(tmp_path / "h.db") as db:
        make_history(db)
        stats = session_stats(db, "p1")
        p = progress_summary(db, db.get_patient("p1"), TODAY)
    monday = TODAY - timedelta(days=TODAY.weekday())
    week = [s for s in stats if s.day is not None and monday <= s.day <= TODAY]
    assert p.week_sessions == len(week) and 1 <= p.week_sessions <= 4
    assert p.week_minutes == sum(s.active_min for s in week)
    assert p.plan_minutes == 20.0 * 5
    assert p.week_stars == sum(s.stars for s in week)
    # streak: walk back by hand
    days = {s.day for s in stats}
    n, d = 0, TODAY
    while d in days:
        n, d = n + 1, d - timedelta(days=1)
    assert p.streak == n >= 1
    assert len(p.reach[0]) == len(stats)
    assert sum(p.week_minutes_by_day) == p.week_minutes


def test_change_word_says_better_same_worse() -> None:
    from game.therapist.review import change_word

    ok = [True] * 8
    assert change_word([1, 1, 1, 1, 2, 2, 2, 2], ok) == 1
    assert change_word([2, 2, 2, 2, 1, 1, 1, 1], ok) == -1
    assert change_word([1.0, 1.01, 0.99, 1, 1, 1.02, 1.0, 0.98], ok) == 0
    assert change_word([1, 1, 1, 2, 2, 2], [True, True, False, True, True, True]) == 0  # too few


def _session_medians(db: object, key: str) -> list[float]:
    """Per-session median of a rep metric, computed here independently of the review module."""
    out = []
    for s in db.sessions("p1"):  # type: ignore[attr-defined]
        vals = [r.metrics[key] for r in db.reps(s.id) if key in r.metrics]  # type: ignore[attr-defined]
        out.append(float(np.median(vals)) if vals else float("nan"))
    return out


def test_family_reach_is_the_affected_arm_and_balance_uses_level_metrics(tmp_path: Path) -> None:
    from game.therapist.review import progress_summary

    with open_database(tmp_path / "h.db") as db:
        make_history(db)
        p = progress_summary(db, db.get_patient("p1"), TODAY)
        affected = _session_medians(db, "affected_reach_fraction")
        mirrored = _session_medians(db, "reach_fraction")
        hold = _session_medians(db, "hold_s")
    assert np.allclose(p.reach[0], affected) and not np.allclose(p.reach[0], mirrored)
    assert p.balance_key == "hold_s" and np.allclose(p.balance[0], hold)


def test_balance_key_prefers_the_metric_measured_most() -> None:
    from game.therapist.review import SessionStat, balance_key

    def stat(**medians: float) -> SessionStat:
        return SessionStat(1, TODAY, "", "completed", 1.0, 1, 1, 0, 0, None, None,
                           {k: (v, True) for k, v in medians.items()}, [])  # fmt: skip

    assert balance_key([stat(time_in_zone_frac=0.5), stat(time_in_zone_frac=0.6, hold_s=3.0)]) == (
        "time_in_zone_frac"
    )
    assert balance_key([stat(hold_s=3.0, time_in_zone_frac=0.5)]) == "hold_s"  # tie: seconds held
    assert balance_key([stat(single_leg_stance_s=4.0)]) == "single_leg_stance_s"


def test_plan_uses_sessions_per_week(tmp_path: Path) -> None:
    from game.therapist.review import progress_summary

    with open_database(tmp_path / "h.db") as db:
        make_history(db, weeks=1, sessions_per_week=3)
        p = progress_summary(db, db.get_patient("p1"), TODAY)
    assert p.plan_sessions == 3 and p.plan_minutes == 3 * 20.0


def test_a_change_inside_the_noise_is_no_measurable_change() -> None:
    # Trunk displacement 40 -> 45 mm is 12 % (a "trend" by the former 5 % rule) but inside its
    # MDC95 of 21 mm on real footage: no measurable change. Reach of the affected arm 0.50 ->
    # 0.52 arm lengths is inside 2.9 % of the arm; 0.50 -> 0.62 is a real change.
    from game.therapist.review import change_caption, change_word

    ok = [True] * 6
    trunk = [40.0, 40.0, 40.0, 45.0, 45.0, 45.0]
    assert change_word(trunk, ok, metric="trunk_displacement_mm") == 0
    assert change_caption(trunk, ok, "trunk_displacement_mm") == "first vs last 3: no measurable change"
    small = [0.50] * 3 + [0.52] * 3
    assert change_word(small, ok, metric="affected_reach_fraction") == 0
    big = [0.50] * 3 + [0.62] * 3
    assert change_word(big, ok, metric="affected_reach_fraction") == 1
    assert change_caption(big, ok, "affected_reach_fraction") == "first vs last 3: +0.12"
    assert change_caption(trunk[:4], ok[:4], "trunk_displacement_mm") == "too few sessions to compare"
    assert change_caption(trunk, ok, "hold_s") == "noise not measured"


def test_review_trends_say_no_measurable_change_and_point_to_validation(tmp_path: Path, monkeypatch) -> None:
    # The real review screen, drawn headless over a realistic history: every trend caption is
    # the noise-floor verdict, and the page says in plain words where the numbers are explained.
    import game.scenes.therapist_review as review
    from game.scenes.therapist_review import SessionReviewScene
    from tests.scenes.test_therapist_screens import make_app

    app, close = make_app(tmp_path)
    try:
        make_history(app.db, "p9")
        scene = SessionReviewScene(app, app.db.get_patient("p9"), today=TODAY)
        scene.page = "trends"
        drawn: list[str] = []
        real_text = review.text

        def recording_text(surface, words, *args, **kwargs):  # type: ignore[no-untyped-def]
            drawn.append(str(words))
            return real_text(surface, words, *args, **kwargs)

        monkeypatch.setattr(review, "text", recording_text)
        scene.draw(app.window.surface)
    finally:
        close()
    captions = [w for w in drawn if "first vs last" in w]
    # the history's trunk displacement falls 45 -> 30 mm: a trend by the former 5 % rule, but
    # inside its MDC95 (21 mm); smoothness (about +0.5, MDC95 0.15) and the affected arm's
    # reach (about +0.2 arm lengths) really changed
    assert len(captions) == 3, drawn
    assert captions[0].startswith("affected arm: first vs last 3: +0.1")
    assert captions[1].startswith("first vs last 3: +0.4")
    assert captions[2] == "first vs last 3: no measurable change"
    assert any("docs/validation.md" in w and "no measurable change" in w for w in drawn)
