"""Family progress: the numbers behind it, the screen's navigation, and the offscreen picture."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import numpy as np

from game.actions import Act, Action
from game.storage import LevelResult, Patient, Rep, open_database
from game.therapist.settings_schema import PatientSettings

TODAY = date(2026, 3, 19)  # a Thursday


def make_history(
    db: object,
    patient_id: str = "p1",
    *,
    alias: str = "Margaret",
    weeks: int = 4,
    seed: int = 0,
    today: date = TODAY,
    balance: bool = True,
    affected: bool = True,
    **extra: object,
) -> None:
    """Write a patient with `weeks` of realistic, slowly improving sessions (5 days a week)."""
    rng = np.random.default_rng(seed)
    settings = PatientSettings(
        alias=alias,
        affected_side="left",
        session_minutes=20.0,
        plan=(
            {"level": "reach-apples", "sets": 2, "reps": 6, "rest_s": 30.0},
            {"level": "reach-bubbles", "sets": 1, "reps": 6, "rest_s": 30.0},
        ),
        **extra,  # type: ignore[arg-type]
    )
    db.add_patient(
        Patient(
            patient_id,
            alias,
            "left",
            "2026-01-01T09:00:00Z",  # type: ignore[attr-defined]
            settings.to_mapping(),
        )
    )
    start = today - timedelta(days=7 * weeks - 1)
    days = [start + timedelta(days=k) for k in range(7 * weeks)]
    played = [d for d in days if d.weekday() < 5 and rng.random() < 0.85 or d == today]
    for n, d in enumerate(played):
        progress = n / max(len(played) - 1, 1)
        stamp = f"{d.isoformat()}T10:{n % 50:02d}:00Z"
        sid = db.start_session(
            patient_id,
            started_at=stamp,
            source="camera",  # type: ignore[attr-defined]
            plan={},
            pain_before=int(rng.integers(0, 3)),
        )
        levels = ["reach-apples", "reach-bubbles"] + (["stand-steady"] if balance else [])
        t = 5.0
        for level in levels:
            reps = []
            for k in range(6):
                reach = 0.45 + 0.15 * progress + rng.normal(0, 0.03)
                ok = bool(rng.random() < 0.6 + 0.3 * progress)
                m = {
                    "reach_fraction": reach,
                    "time_to_target_s": 3.0 - 1.2 * progress + rng.normal(0, 0.3),
                    "sparc": -2.6 + 0.5 * progress + rng.normal(0, 0.08),
                    "trunk_displacement_mm": 45.0 - 15.0 * progress + rng.normal(0, 5.0),
                    "peak_shoulder_flexion_deg": 70.0 + 25.0 * progress + rng.normal(0, 4.0),
                    "affected_reach_fraction": 0.25 + 0.2 * progress + rng.normal(0, 0.03),
                    "affected_peak_shoulder_flexion_deg": 40.0 + 20.0 * progress + rng.normal(0, 4.0),
                    "affected_sparc": -3.2 + 0.8 * progress + rng.normal(0, 0.1),
                }
                if not affected:
                    m = {k: v for k, v in m.items() if not k.startswith("affected_")}
                if level.startswith("stand"):
                    m = {"hold_s": 8.0 + 10.0 * progress + rng.normal(0, 1.0),
                         "time_in_zone_frac": 0.5 + 0.3 * progress + rng.normal(0, 0.05)}  # fmt: skip
                if k == 2 and n % 4 == 0 and "affected_sparc" in m:
                    m["affected_sparc"] = float("nan")  # a mistracked rep
                rep = Rep(level, 0, k, t, t + 4.0, ok, bool(rng.random() < 0.25 - 0.15 * progress), m)
                db.add_rep(sid, rep, created_at=stamp)  # type: ignore[attr-defined]
                reps.append(m)
                t += 6.0
            keys = sorted({key for m in reps for key in m})
            summary = {
                key: float(np.median([m[key] for m in reps if key in m and np.isfinite(m[key])]))
                for key in keys
            }
            stars = int(min(3, 1 + round(2 * progress + rng.normal(0, 0.3))))
            db.add_level_result(
                LevelResult(
                    sid,
                    level,
                    max(stars, 0),
                    summary,  # type: ignore[attr-defined]
                    {key: True for key in keys},
                )
            )
        active_s = 60.0 * (14.0 + 6.0 * progress + rng.normal(0, 1.5))
        db.finish_session(
            sid,
            status="completed",
            ended_at=f"{d.isoformat()}T10:59:00Z",  # type: ignore[attr-defined]
            pain_after=int(rng.integers(0, 3)),
            active_s=max(active_s, 0.0),
        )


def test_summary_counts_this_week_streak_and_stars(tmp_path: Path) -> None:
    from game.scenes.therapist_data import progress_summary, session_stats

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
    from game.scenes.therapist_data import change_word

    ok = [True] * 8
    assert change_word([1, 1, 1, 1, 2, 2, 2, 2], ok) == 1
    assert change_word([2, 2, 2, 2, 1, 1, 1, 1], ok) == -1
    assert change_word([1.0, 1.01, 0.99, 1, 1, 1.02, 1.0, 0.98], ok) == 0
    assert change_word([1, 1, 1, 2, 2, 2], [True, True, False, True, True, True]) == 0  # too few


def test_progress_png_renders_and_shows_content(tmp_path: Path) -> None:
    import pygame

    from game.scenes.progress import render_png

    with open_database(tmp_path / "h.db") as db:
        make_history(db)
        out = render_png(db, db.get_patient("p1"), tmp_path / "fam.png", TODAY)
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    pygame.init()
    img = pygame.image.load(str(out))
    assert img.get_size() == (1280, 720)
    # The charts drew their lines: the reach colour (orange) appears in the reach panel.
    px = pygame.surfarray.array3d(img)
    orange = np.all(px[648:1260, 320:700] == (230, 159, 0), axis=-1)
    assert orange.sum() > 50
    pygame.quit()


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


def _session_medians(db: object, key: str) -> list[float]:
    """Per-session median of a rep metric, computed here independently of therapist_data."""
    out = []
    for s in db.sessions("p1"):  # type: ignore[attr-defined]
        vals = [r.metrics[key] for r in db.reps(s.id) if key in r.metrics]  # type: ignore[attr-defined]
        out.append(float(np.median(vals)) if vals else float("nan"))
    return out


def test_family_reach_is_the_affected_arm_and_balance_uses_level_metrics(tmp_path: Path) -> None:
    from game.scenes.therapist_data import progress_summary

    with open_database(tmp_path / "h.db") as db:
        make_history(db)
        p = progress_summary(db, db.get_patient("p1"), TODAY)
        affected = _session_medians(db, "affected_reach_fraction")
        mirrored = _session_medians(db, "reach_fraction")
        hold = _session_medians(db, "hold_s")
    assert np.allclose(p.reach[0], affected) and not np.allclose(p.reach[0], mirrored)
    assert p.balance_key == "hold_s" and np.allclose(p.balance[0], hold)


def test_reach_not_measured_without_affected_arm_keys(tmp_path: Path) -> None:
    import pygame

    from game.scenes.progress import render_png
    from game.scenes.therapist_data import progress_summary

    with open_database(tmp_path / "h.db") as db:
        make_history(db, weeks=1, affected=False)
        p = progress_summary(db, db.get_patient("p1"), TODAY)
        out = render_png(db, db.get_patient("p1"), tmp_path / "fam.png", TODAY)
    assert p.reach[0] and all(v != v for v in p.reach[0])  # the mirrored arm's reach is not used
    pygame.init()
    px = pygame.surfarray.array3d(pygame.image.load(str(out)))
    pygame.quit()
    assert not np.all(px[648:1260, 320:440] == (230, 159, 0), axis=-1).any()  # no reach line drawn


def test_balance_key_prefers_the_metric_measured_most() -> None:
    from game.scenes.therapist_data import SessionStat, balance_key

    def stat(**medians: float) -> SessionStat:
        return SessionStat(1, TODAY, "", "completed", 1.0, 1, 1, 0, 0, None, None,
                           {k: (v, True) for k, v in medians.items()}, [])  # fmt: skip

    assert balance_key([stat(time_in_zone_frac=0.5), stat(time_in_zone_frac=0.6, hold_s=3.0)]) == (
        "time_in_zone_frac"
    )
    assert balance_key([stat(hold_s=3.0, time_in_zone_frac=0.5)]) == "hold_s"  # tie: seconds held
    assert balance_key([stat(single_leg_stance_s=4.0)]) == "single_leg_stance_s"


def test_plan_uses_sessions_per_week(tmp_path: Path) -> None:
    from game.scenes.therapist_data import progress_summary

    with open_database(tmp_path / "h.db") as db:
        make_history(db, weeks=1, sessions_per_week=3)
        p = progress_summary(db, db.get_patient("p1"), TODAY)
    assert p.plan_sessions == 3 and p.plan_minutes == 3 * 20.0


def test_family_screen_draws_at_the_patients_text_scale(tmp_path: Path, monkeypatch: object) -> None:
    from game.render import theme as T
    from game.scenes import progress
    from tests.scenes.test_therapist_screens import make_app

    app, close = make_app(tmp_path)
    seen: list[float] = []
    real = progress.draw_progress
    try:
        make_history(app.db, weeks=1, text_scale=1.6)
        monkeypatch.setattr(progress, "draw_progress",  # type: ignore[attr-defined]
                            lambda *a, **k: (seen.append(T.get_text_scale()), real(*a, **k)))  # fmt: skip
        progress.FamilyProgressScene(app, app.db.get_patient("p1"), today=TODAY).draw(app.window.surface)
        assert seen == [1.6] and T.get_text_scale() == 1.0  # restored for the next screen
    finally:
        close()


def test_text_scale_range_fonts_and_fitting() -> None:
    import pygame

    from game.render import charts
    from game.render import theme as T
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
        size = charts.fit_size(words, 32, 300.0, bold=True)
        assert T.font(size, True).size(words)[0] <= 300 < T.font(size + 2, True).size(words)[0]
    assert T.get_text_scale() == 1.0
    assert T.font(30) is big  # cached by pixel size: no stale fonts after a scale change
    T.clear_font_cache()
