"""What the level types share: the chair check of balance levels, safety limits of targets."""

from __future__ import annotations

import math

import numpy as np

from game.leveltypes.base import Rest, SafetyLimits
from game.leveltypes.events import Feedback
from tests.leveltypes.driving import drive

STRICT = SafetyLimits(max_reach_fraction=0.5, max_shoulder_flexion_deg=70.0, max_shoulder_abduction_deg=60.0)


def test_balance_levels_wait_for_the_chair_check() -> None:
    for level in ("stand-steady", "boat-steer"):
        out = drive(level, 12.0, select_at_s=None)
        assert not out.reps and out.exercise.awaiting_confirm
        confirm = out.views[-1].confirm  # type: ignore[attr-defined]
        assert confirm.icon == "chair" and "Chair or rail" in str(confirm.text)
        assert isinstance(out.exercise.goal(), Rest)
        out = drive(level, 14.0, select_at_s=2.0)
        assert any(isinstance(e, Feedback) and e.kind == "info" for e in out.events)
        assert out.reps and all(o.chair_confirm_s is not None for o in out.reps)
        assert all(o.chair_confirm_s >= 2.0 for o in out.reps)


def _check_point(body, xy_norm, frame_size, limits) -> None:  # type: ignore[no-untyped-def]
    px = np.asarray(xy_norm) * np.asarray(frame_size)
    d = px - np.asarray(body.shoulder_px)
    assert np.hypot(*d) <= limits.max_reach_fraction * body.arm_px + 1e-6
    elev = math.degrees(math.atan2(abs(d[0]), d[1]))  # 0 = down, 90 = side
    assert elev <= min(limits.max_shoulder_abduction_deg, limits.max_shoulder_flexion_deg) + 1e-6


def test_targets_stay_inside_strict_limits() -> None:
    for level in ("trace-star-arc", "trace-figure8", "posture-sun", "match-moon"):
        out = drive(level, 25.0, limits=STRICT)
        views = out.views
        pts = [t.xy for v in views for t in getattr(v, "targets", ())]
        pts += [p for v in views for p in getattr(v, "path", ())]
        assert pts, level
        for p in pts:
            _check_point(out.exercise._body, p, (1280, 720), STRICT)  # type: ignore[attr-defined]


def test_bilateral_shelf_inside_strict_limits() -> None:
    out = drive("bilateral-tray-high", 6.0, limits=STRICT)
    ex = out.exercise
    assert ex._shelf  # type: ignore[attr-defined]
    sim_w, sim_h = 1280, 720
    aff = ex._shelf["aff"] / np.array([sim_w, sim_h])  # type: ignore[attr-defined]
    _check_point(ex._body, aff, (sim_w, sim_h), STRICT)  # type: ignore[attr-defined]
