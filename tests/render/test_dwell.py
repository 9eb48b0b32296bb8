"""Dwell-to-select rules (game/render/dwell.py) with exact pointer paths and a fixed dt."""

from __future__ import annotations

from game.render import theme as T
from game.render.dwell import HAND, Dwell

DT_S = 1 / 60


def rest(dwell: Dwell, seconds: float) -> list[object]:
    """Tick `seconds` of fixed steps; what fired."""
    fired = [dwell.tick(DT_S) for _ in range(int(round(seconds / DT_S)))]
    return [f for f in fired if f is not None]


def test_a_resting_hand_that_wobbled_over_the_edge_still_arms_once_it_moves_on() -> None:
    """The patient's hand rested on Settings when the menu opened (it had chosen the button
    at the same spot on the screen before); it wobbles just over the button's top edge and
    back, then slides 40 px across the button: that is a deliberate move, so it chooses."""
    d = Dwell()
    d.resting("settings", (373, 137), pointer=HAND)
    assert rest(d, 3.0) == []  # resting where the screen opened: nothing chosen
    d.point(None, (349, 103), pointer=HAND)  # over the edge, 24 px ...
    d.point("settings", (335, 123), pointer=HAND)  # ... and back: it never left
    assert rest(d, T.DWELL_SELECT_S + 0.1) == ["settings"]


def test_a_wobble_back_near_the_resting_spot_still_chooses_nothing() -> None:
    d = Dwell()
    d.resting("settings", (373, 137), pointer=HAND)
    d.point(None, (373, 110), pointer=HAND)
    d.point("settings", (370, 125), pointer=HAND)  # 12 px from where it rested: a tremor
    assert rest(d, 3.0) == []


def test_after_a_click_a_wobble_does_not_re_arm() -> None:
    d = Dwell()
    d.resting("ok")  # clicked: waits until the pointer leaves and comes back
    d.point(None, (100, 100))
    d.point("ok", (120, 100))
    assert rest(d, 3.0) == []


def test_a_longer_dwell_takes_its_own_time() -> None:
    d = Dwell(3.0)
    d.point("pause", (1100, 40), pointer=HAND)
    assert rest(d, 2.9) == []
    assert d.fraction > 0.9
    assert rest(d, 0.2) == ["pause"]
