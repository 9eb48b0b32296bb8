"""Independent per-frame oracle of the finger measures (game/scoring/hand.py), in plain Python.

Written from the published definitions (docs/sources.md §12), one frame and one joint at a
time with Python floats and ``math``; it never imports ``game.scoring``. Joint flexion is
180 deg minus the included angle at the joint (law of cosines through ``math.acos``: a
different formula from the scorer's atan2 of cross and dot products); MediaPipe hand indices
are written out here again.
"""

from __future__ import annotations

import math
import statistics

NAN = float("nan")
FINGER = {
    "thumb": (1, 2, 3, 4),
    "index": (5, 6, 7, 8),
    "middle": (9, 10, 11, 12),
    "ring": (13, 14, 15, 16),
    "pinky": (17, 18, 19, 20),
}
WRIST = 0


def _dist(a, b) -> float:
    return math.sqrt(sum((float(x) - float(y)) ** 2 for x, y in zip(a[:3], b[:3], strict=True)))


def joint_flexion(prox, joint, dist) -> float:
    """180 - the included angle prox-joint-dist (law of cosines), degrees."""
    a, b, c = _dist(prox, joint), _dist(joint, dist), _dist(prox, dist)
    if a == 0 or b == 0 or any(math.isnan(v) for v in (a, b, c)):
        return NAN
    cos_inc = max(-1.0, min(1.0, (a * a + b * b - c * c) / (2 * a * b)))
    return 180.0 - math.degrees(math.acos(cos_inc))


def flexions(hand) -> dict[str, float]:
    """Every joint of one frame's hand ((21, >=3) rows)."""
    out = {}
    for name in ("index", "middle", "ring", "pinky"):
        mcp, pip, dip, tip = FINGER[name]
        out[f"{name}_mcp"] = joint_flexion(hand[WRIST], hand[mcp], hand[pip])
        out[f"{name}_pip"] = joint_flexion(hand[mcp], hand[pip], hand[dip])
        out[f"{name}_dip"] = joint_flexion(hand[pip], hand[dip], hand[tip])
    cmc, mcp, ip, tip = FINGER["thumb"]
    out["thumb_mcp"] = joint_flexion(hand[cmc], hand[mcp], hand[ip])
    out["thumb_ip"] = joint_flexion(hand[mcp], hand[ip], hand[tip])
    return out


def aperture(hand) -> float:
    """Mean fingertip distance from the palm centre (wrist + 4 MCPs) / palm length."""
    palm_pts = [hand[i] for i in (0, 5, 9, 13, 17)]
    centre = [sum(float(p[k]) for p in palm_pts) / 5 for k in range(3)]
    tips = [_dist(hand[FINGER[f][3]], centre) for f in FINGER]
    return (sum(tips) / 5) / _dist(hand[0], hand[9])


def pinch(hand, finger: str = "index") -> float:
    return _dist(hand[4], hand[FINGER[finger][3]]) / _dist(hand[0], hand[9])


def slope(xs: list[float], ys: list[float]) -> float:
    """Least-squares slope of ys on xs."""
    mx, my = statistics.fmean(xs), statistics.fmean(ys)
    sxx = sum((x - mx) ** 2 for x in xs)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / sxx


def individuation(rows: list[list[float]], instructed: int) -> float:
    """Schieber's index: 1 - sum over the others of |slope on the instructed| / (n - 1)."""
    lead = [r[instructed] for r in rows]
    n = len(rows[0])
    coact = [abs(slope(lead, [r[i] for r in rows])) for i in range(n) if i != instructed]
    return 1.0 - sum(coact) / (n - 1)


def decrement_pct(values: list[float]) -> float:
    """100 x (fitted first - fitted last) / fitted first, of a line over tap number."""
    k = list(range(len(values)))
    b = slope([float(i) for i in k], values)
    a = statistics.fmean(values) - b * statistics.fmean(k)
    return 100.0 * (a - (a + b * (len(values) - 1))) / a
