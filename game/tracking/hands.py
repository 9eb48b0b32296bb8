"""Hands: MediaPipe Hands landmark indices and which detected hand is the person's left or right.

MediaPipe labels handedness "as if the picture were mirrored" (a selfie view). On MirrorPlay's
raw, unflipped camera frame its label "Left" therefore names the person's right hand. That
label comes from a classifier that looks at one hand alone and errs on fists, the back of the
hand and blurred hands, and it cannot tell two detections of the same hand apart. The pose
model sees the whole body, so the side of a hand is decided from the pose's wrists first:

1. duplicates (two detections of one hand, which MediaPipe returns when a hand enters the
   picture) are merged, keeping the higher score;
2. the pose speaks only if it is a plausible owner of the hands (both shoulders visible and
   not tiny next to the hands, :func:`body_fits_hands`); then, with both pose wrists visible
   (visibility >= :data:`~game.tracking.pose.VISIBLE`), each hand goes to the pose wrist its
   own wrist is nearest to, in pixels (with two hands, the pairing with the smaller total
   distance); with one pose wrist visible, only a hand right at it (within
   :data:`NEAR_RADIUS` hand sizes) takes its side;
3. when the pose wrists cannot decide (none visible, a near tie within :data:`TIE_MARGIN`
   hand sizes, or the paired hand farther than :data:`MATCH_RADIUS` from its wrist),
   MediaPipe's label decides, swapped back to the person's side (:func:`anatomical_side`).

Checked on real footage and its horizontally flipped copy (tests/tracking/test_hands_real.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import permutations

import numpy as np

from game.tracking.pose import L_SHOULDER, L_WRIST, R_SHOULDER, R_WRIST, VISIBLE, Side, other_side

SIDES: tuple[Side, Side] = ("left", "right")
WRIST = 0
THUMB_CMC, THUMB_MCP, THUMB_IP, THUMB_TIP = 1, 2, 3, 4
INDEX_MCP, INDEX_PIP, INDEX_DIP, INDEX_TIP = 5, 6, 7, 8
MIDDLE_MCP, MIDDLE_PIP, MIDDLE_DIP, MIDDLE_TIP = 9, 10, 11, 12
RING_MCP, RING_PIP, RING_DIP, RING_TIP = 13, 14, 15, 16
PINKY_MCP, PINKY_PIP, PINKY_DIP, PINKY_TIP = 17, 18, 19, 20

FINGERS: dict[str, tuple[int, int, int, int]] = {
    "thumb": (THUMB_CMC, THUMB_MCP, THUMB_IP, THUMB_TIP),
    "index": (INDEX_MCP, INDEX_PIP, INDEX_DIP, INDEX_TIP),
    "middle": (MIDDLE_MCP, MIDDLE_PIP, MIDDLE_DIP, MIDDLE_TIP),
    "ring": (RING_MCP, RING_PIP, RING_DIP, RING_TIP),
    "pinky": (PINKY_MCP, PINKY_PIP, PINKY_DIP, PINKY_TIP),
}
"""Each finger's landmarks from its base (MCP; CMC for the thumb) to its tip."""

MATCH_RADIUS = 1.5
"""With both pose wrists visible, the farthest a hand may lie from the pose wrist it is paired
with, in hand sizes; farther means the pose and the hand disagree, so the wrists abstain."""
NEAR_RADIUS = 0.5
"""With one pose wrist visible, how close (in hand sizes) a hand must be to take its side."""
TIE_MARGIN = 0.35
"""Pairings whose total distances differ by less than this many hand sizes are a tie."""
MIN_SHOULDERS_PER_HAND = 0.75
"""Shoulder width, in sizes of the largest hand, below which the pose is not a body that
could own these hands. An adult's shoulders are about 2-4 hand sizes apart (about 0.38 m
against an 0.1-0.2 m hand bounding box); a hand pushed towards the lens measured 1.6 on the
thumbs-up clip."""
DUPLICATE_OVERLAP = 0.5
"""Two detections whose bounding boxes share more than this fraction of the smaller box are
the same hand seen twice (two hands of one person rarely overlap that much in the picture;
when they do, e.g. clasped, only the more confident one is kept)."""


@dataclass(frozen=True)
class DetectedHand:
    """One hand as MediaPipe Hands returned it, before it is given a side.

    Attributes
    ----------
    image : (21, 4) float32
        Image landmarks (x, y normalised to the raw frame, z, score).
    world : (21, 4) float32
        Landmarks in metres about the hand's centre, 4th column the score.
    label : {"left", "right"}
        MediaPipe's handedness label as returned (mirrored-picture convention), lower case.
    score : float
        MediaPipe's handedness confidence in [0.5, 1].
    """

    image: np.ndarray
    world: np.ndarray
    label: Side
    score: float


def anatomical_side(mediapipe_label: str) -> Side:
    """The person's own side for a MediaPipe handedness label on a raw, unflipped frame.

    MediaPipe assumes a mirrored (selfie) picture, so its "Left" is the person's right.
    """
    label = mediapipe_label.strip().lower()
    if label not in ("left", "right"):
        raise ValueError(f"handedness label must be 'Left' or 'Right', got {mediapipe_label!r}")
    return other_side(label)  # type: ignore[arg-type]


def hand_size_px(image: np.ndarray, frame_size_px: tuple[int, int]) -> float:
    """Diagonal of the hand's landmark bounding box in pixels (``image`` ``(21, >=2)``)."""
    xy = to_px(image, frame_size_px)
    return float(np.linalg.norm(np.nanmax(xy, axis=0) - np.nanmin(xy, axis=0)))


def to_px(landmarks: np.ndarray, frame_size_px: tuple[int, int]) -> np.ndarray:
    """``(N, 2) float64`` pixel positions of normalised landmarks ``(N, >=2)``."""
    w, h = frame_size_px
    return np.asarray(landmarks[:, :2], dtype=np.float64) * np.array([w, h], dtype=np.float64)


def box_overlap(a: np.ndarray, b: np.ndarray) -> float:
    """Intersection of two landmark sets' bounding boxes over the smaller box's area, in [0, 1].

    ``a``, ``b``: ``(N, >=2)`` landmarks in any one coordinate system (pixels for hands).
    """
    lo = np.maximum(np.nanmin(a[:, :2], axis=0), np.nanmin(b[:, :2], axis=0))
    hi = np.minimum(np.nanmax(a[:, :2], axis=0), np.nanmax(b[:, :2], axis=0))
    inter = float(np.prod(np.clip(hi - lo, 0.0, None)))
    areas = [float(np.prod(np.nanmax(p[:, :2], axis=0) - np.nanmin(p[:, :2], axis=0))) for p in (a, b)]
    smaller = min(areas)
    return inter / smaller if smaller > 0 else 0.0


def merge_duplicates(hands: list[DetectedHand], frame_size_px: tuple[int, int]) -> list[DetectedHand]:
    """Drop a detection whose box lies mostly inside a higher-scoring one's (one hand, seen
    twice with two different fits: the thumbs-up clip has three such frames)."""
    kept: list[DetectedHand] = []
    for hand in sorted(hands, key=lambda h: -h.score):
        xy = to_px(hand.image, frame_size_px)
        if all(box_overlap(xy, to_px(k.image, frame_size_px)) < DUPLICATE_OVERLAP for k in kept):
            kept.append(hand)
    return kept


def assign_sides(
    hands: list[DetectedHand], pose_image: np.ndarray, frame_size_px: tuple[int, int]
) -> dict[Side, DetectedHand]:
    """Give each detected hand the person's own side (module docstring, steps 1-3).

    Parameters
    ----------
    hands : list of DetectedHand
        What MediaPipe Hands found in the frame (0, 1 or 2; more are cut to the two best).
    pose_image : (33, 4) float32
        The body's image landmarks of the same frame (NaN when no pose).
    frame_size_px : (width, height)
        Size of the frame, so that distances are measured in pixels, not stretched units.

    Returns
    -------
    dict mapping "left" / "right" to the hand on that side (a side may be absent).
    """
    hands = merge_duplicates(hands, frame_size_px)[:2]
    if not hands:
        return {}
    sides = _sides_from_wrists(hands, pose_image, frame_size_px)
    if sides is None:
        sides = _sides_from_labels(hands)
    return dict(zip(sides, hands, strict=True))


def _pose_wrists_px(pose_image: np.ndarray, frame_size_px: tuple[int, int]) -> dict[Side, np.ndarray]:
    """Pixel positions of the pose wrists that are visible (NaN-free and confident)."""
    out: dict[Side, np.ndarray] = {}
    for side, idx in zip(SIDES, (L_WRIST, R_WRIST), strict=True):
        row = pose_image[idx : idx + 1]
        if row[0, 3] >= VISIBLE and np.isfinite(row[0, :2]).all():
            out[side] = to_px(row, frame_size_px)[0]
    return out


def body_fits_hands(
    pose_image: np.ndarray, hands: list[DetectedHand], frame_size_px: tuple[int, int]
) -> bool:
    """True when the pose is a plausible body for these hands: both shoulders visible and
    at least :data:`MIN_SHOULDERS_PER_HAND` of the largest hand's size apart.

    On a close-up of a lone forearm the pose model still reports a "person" with confident
    shoulders, but a tiny one (shoulders 10-100 px apart beside a 300-400 px hand on the
    hand clip); its left and right mean nothing.
    """
    shoulders = pose_image[[L_SHOULDER, R_SHOULDER]]
    if not (shoulders[:, 3] >= VISIBLE).all() or not np.isfinite(shoulders[:, :2]).all():
        return False
    left, right = to_px(shoulders, frame_size_px)
    largest = max(hand_size_px(h.image, frame_size_px) for h in hands)
    return float(np.linalg.norm(left - right)) >= MIN_SHOULDERS_PER_HAND * largest


def _sides_from_wrists(
    hands: list[DetectedHand], pose_image: np.ndarray, frame_size_px: tuple[int, int]
) -> tuple[Side, ...] | None:
    """The sides of ``hands`` from the pose wrists, or None when the wrists cannot decide."""
    if not body_fits_hands(pose_image, hands, frame_size_px):
        return None
    wrists = _pose_wrists_px(pose_image, frame_size_px)
    dist = [_wrist_distances(hand, wrists, frame_size_px) for hand in hands]
    if len(wrists) == 2:
        return _pair_by_distance(dist)
    if len(wrists) == 1:
        (side,) = wrists
        return _claim_one_wrist([d[side] for d in dist], side)
    return None


def _wrist_distances(
    hand: DetectedHand, wrists: dict[Side, np.ndarray], frame_size_px: tuple[int, int]
) -> dict[Side, float]:
    """Distance from the hand's wrist to each visible pose wrist, in hand sizes."""
    size = max(hand_size_px(hand.image, frame_size_px), 1.0)
    wrist_px = to_px(hand.image[WRIST : WRIST + 1], frame_size_px)[0]
    return {side: float(np.linalg.norm(wrist_px - px)) / size for side, px in wrists.items()}


def _pair_by_distance(dist: list[dict[Side, float]]) -> tuple[Side, ...] | None:
    """Both pose wrists visible: the pairing with the smaller total distance, unless it is a
    near tie or it puts a hand implausibly far from its pose wrist."""
    pairings: list[tuple[Side, ...]] = list(permutations(SIDES, len(dist)))
    totals = sorted((sum(d[s] for d, s in zip(dist, sides, strict=True)), sides) for sides in pairings)
    (best, sides), (runner_up, _) = totals[0], totals[1]
    if runner_up - best < TIE_MARGIN:
        return None
    if any(d[s] > MATCH_RADIUS for d, s in zip(dist, sides, strict=True)):
        return None
    return sides


def _claim_one_wrist(dist: list[float], side: Side) -> tuple[Side, ...] | None:
    """One pose wrist visible: the hand right at it takes its side (the other hand, if any,
    the other side); with no hand clearly at it the wrist cannot decide."""
    order = sorted(range(len(dist)), key=lambda i: dist[i])
    nearest = order[0]
    if dist[nearest] > NEAR_RADIUS:
        return None
    if len(dist) == 2 and dist[order[1]] - dist[nearest] < TIE_MARGIN:
        return None
    return tuple(side if i == nearest else other_side(side) for i in range(len(dist)))


def _sides_from_labels(hands: list[DetectedHand]) -> tuple[Side, ...]:
    """Sides from MediaPipe's labels (swapped to the person's side); a clash goes to the
    higher score, the other hand gets the other side."""
    if len(hands) == 1:
        return (anatomical_side(hands[0].label),)
    first, second = hands
    a, b = anatomical_side(first.label), anatomical_side(second.label)
    if a != b:
        return (a, b)
    if first.score >= second.score:
        return (a, other_side(a))
    return (other_side(b), b)
