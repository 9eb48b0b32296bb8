"""When the live loop shows its frames: the timing rules of game/app.py's 60 Hz schedule.

Pure functions of times in seconds (``time.perf_counter``) and their thresholds; the loop
(:class:`game.app.App`) keeps the state (frames shown per pose, the grid's anchor) and applies
them. README, "Hands and a 60 fps source", has the measurements behind each threshold.
"""

from __future__ import annotations

import math
import time

SLOW_PICTURES_FRAMES = math.inf
"""Pictures further apart than this many display frames are shown as they arrive, before their
pose (see App._show_new_picture_early); infinite: never (the picture wake is off). At 1.5 (a
30 fps camera at 60 Hz) the schedule alone gave 3 ms less landmark-age p95 with a hands-speed
tracker (benchmarks/frame_schedule.py), but the whole pipeline, side by side on the shared
machine at load 2.6-7.2, gave body+face a higher p95 in 4 of 4 pairs and body+hands no
measurable gain. On a quiet machine it gained body+hands about 2 ms, where drawing the frame
after a pose's first showing ahead (App._draw_next_ahead) gained 10; it stays off (README,
"Hands and a 60 fps source")."""
FAST_POSES_FRAMES = 1.5
"""Poses shown fewer frames than this each, on average, come about once a frame."""
FIRST_REPEAT_GRACE_FRAMES = 0.35
"""How long, in frames, a frame waits past its due time for a pose that comes about once a
frame before it shows the last pose again (:func:`repeat_grace_s`)."""
POSE_RATE_WEIGHT = 0.1
"""Weight of the newest pose in the average of frames per pose (about the last 10 poses)."""


def next_frame_s(frame_at_s: float, dt_s: float, now_s: float) -> float:
    """When the next frame is due: one period after the last one was due (an absolute
    schedule, so sleep overshoot does not pile up into a lower frame rate), or now when the
    loop fell more than a frame behind (a hitch is dropped, not caught up)."""
    due_s = frame_at_s + dt_s
    return due_s if due_s > now_s - dt_s else now_s


def repeat_grace_s(repeats: int, frames_per_pose: float, dt_s: float) -> float:
    """How long past its due time a frame waits for a new pose, seconds.

    ``repeats``: frames the pose on screen was already shown again; ``frames_per_pose``: how
    many frames each pose is shown, on average. A pose shown twice already waits up to half a
    frame for its successor rather than be shown a third time. With poses about once a frame
    (a 60 fps camera whose tracker keeps up: ``frames_per_pose`` below
    :data:`FAST_POSES_FRAMES`) the next pose is due about when the frame is, and arrives just
    after it half of the time; showing the last pose again then puts a landmark age of one
    frame more on screen (p95 31 ms against 15 ms p50, benchmarks/pipeline.py --source-fps
    60), so the frame waits up to :data:`FIRST_REPEAT_GRACE_FRAMES` of a frame for it. With
    30 Hz poses the next one is a whole frame away and the frame does not wait."""
    if repeats >= 1:
        return 0.5 * dt_s
    if frames_per_pose < FAST_POSES_FRAMES:
        return FIRST_REPEAT_GRACE_FRAMES * dt_s
    return 0.0


def slow_pictures(picture_gap_s: float, dt_s: float) -> bool:
    """Does the camera deliver pictures more than :data:`SLOW_PICTURES_FRAMES` display
    frames apart (``picture_gap_s``, seconds; ``dt_s`` the display frame)?"""
    return picture_gap_s > SLOW_PICTURES_FRAMES * dt_s


def sleep_until(deadline: float) -> None:
    """Give the rest of the frame to other threads (the tracker) instead of spinning."""
    remaining = deadline - time.perf_counter()
    if remaining > 0:
        time.sleep(remaining)
