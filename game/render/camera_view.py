"""The three mirror modes on screen: video mirror, avatar mirror and shared control.

Left/right conventions (pose.py): landmarks stay in *raw* camera coordinates; the picture is
flipped for display only, at the very end, and :class:`Viewport` does the same flip for
landmarks, so picture and drawings agree.

- ``"video"``: the camera picture as a mirror, with the affected side replaced by the
  reflection of the unaffected side across the tracked body midline
  (:func:`game.mirror.picture.mirror_picture` makes that picture; this module only shows it).
- ``"avatar"``: a drawn body; its affected arm is the reflected unaffected arm.
- ``"shared"``: the plain mirrored picture under an avatar whose affected arm is the blend,
  gain 0..1, of the reflected healthy arm and the patient's own arm (display_pose's gain).

Sources without pixels (simulated patient, replay) always show the avatar.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Literal

import cv2
import numpy as np
import pygame

from game.i18n import N_, Msg
from game.mirror.picture import mirror_picture
from game.render import theme as T
from game.render.avatar import draw_avatar
from game.render.viewport import Viewport
from game.render.widgets import panel, text
from game.tracking.pose import Picture, Side, SourceStatus

MirrorMode = Literal["video", "avatar", "shared"]
MIRROR_MODES: tuple[str, ...] = ("video", "avatar", "shared")

STATUS_MESSAGES: dict[SourceStatus, Msg] = {
    SourceStatus.DEVICE_LOST: N_("Camera lost \u2013 reconnecting\u2026"),
    SourceStatus.STARTING: N_("Starting the camera\u2026"),
    SourceStatus.NO_PERSON: N_("Step into view"),
}
"""What the play screen says about a source that is not OK (ENDED says nothing)."""


def draw_picture(surface: pygame.Surface, picture: Picture | np.ndarray, vp: Viewport) -> None:
    """Flip, fit and blit a raw BGR picture (cv2 flip/resize are the cheap path,
    docs/performance-notes.md §1.4)."""
    bgr = picture.bgr if isinstance(picture, Picture) else picture
    x, y, w, h = vp.rect
    # Into reused buffers: a fresh 2 MB array per frame costs page faults on every frame. Fit
    # first, then flip the fitted picture: a 1080p source then needs no full-size flip buffer
    # (6 MB less held, and the flip touches 2.8 MB instead of 6.2 MB; both orders give the same
    # picture, the resampling grid being symmetric).
    frame = fit_picture(bgr, vp, "fit")
    frame = cv2.flip(frame, 1, dst=_scratch("flip", frame.shape))
    img = pygame.image.frombuffer(frame.data, (w, h), "BGR")
    surface.blit(img, (x, y))  # the blit copies: the buffers are free again after it


def fit_picture(bgr: np.ndarray, vp: Viewport, role: str) -> np.ndarray:
    """The raw picture ``(H, W, 3) uint8`` resized to the size it has on screen (``vp.rect``),
    into the reused buffer ``role``; ``bgr`` itself when it already has that size. Unflipped."""
    _, _, w, h = vp.rect
    if bgr.shape[1] == w and bgr.shape[0] == h:
        return bgr
    return cv2.resize(bgr, (w, h), dst=_scratch(role, (h, w, 3)), interpolation=cv2.INTER_LINEAR)


def _smaller(bgr: np.ndarray, vp: Viewport) -> np.ndarray:
    """The raw picture fitted to the screen when that makes it smaller (a 1080p camera),
    else as it is (mirroring costs per pixel)."""
    _, _, w, h = vp.rect
    return fit_picture(bgr, vp, "mirror-in") if w * h < bgr.shape[0] * bgr.shape[1] else bgr


@lru_cache(maxsize=8)
def _scratch(role: str, shape: tuple[int, ...]) -> np.ndarray:
    """A ``uint8`` work buffer of ``shape`` for one step (``role``) of :func:`draw_picture`,
    reused frame after frame (the render loop is the only caller)."""
    return np.empty(shape, dtype=np.uint8)


def draw_mirror(
    surface: pygame.Surface,
    mode: str,
    picture: Picture | None,
    raw_image: np.ndarray | None,
    display_image: np.ndarray | None,
    affected_side: Side,
    vp: Viewport,
    mirrored: tuple[str, ...] = ("arm",),
) -> None:
    """Draw the mirror the patient sees, in one of :data:`MIRROR_MODES`.

    Parameters
    ----------
    mode : {"video", "avatar", "shared"}
        Unknown values fall back to "video" (the therapist setting is validated elsewhere).
    picture : Picture or None
        Newest raw camera picture; None for sources without pixels.
    raw_image : (33, 4) float or None
        Raw landmarks of the patient (used to find the midline for the video mirror).
    display_image : (33, 4) float or None
        The displayed pose (mirrored, or shared-control blend; see display_pose).
    """
    if picture is not None and mode != "avatar":
        if mode == "shared" or raw_image is None:
            draw_picture(surface, picture, vp)
        else:
            # Composited at the smaller of the camera's size and the size it is shown: from a
            # 1080p source every full-size buffer of the mirror (its copy of the picture, the
            # reflected half, the seam) was 6.2 MB, at screen size 2.8 MB at most (about 13 MB
            # less resident, docs/performance-notes.md "Memory"); a 640x480 camera is mirrored
            # at its own size, 2.25 times fewer pixels than 960x720 (0.8 ms a frame). The
            # landmarks are normalised, so the midline is the same line; the feather is a
            # fraction of the shoulder width, so it scales too.
            draw_picture(surface, mirror_picture(_smaller(picture.bgr, vp), raw_image, affected_side), vp)
            return
    if display_image is not None:
        draw_avatar(surface, display_image, vp, affected_side, mirrored=mirrored)


def status_message(status: SourceStatus) -> str | None:
    """The words shown for a source status (in the active language), or None when all is well."""
    message = STATUS_MESSAGES.get(status)
    return None if message is None else str(message)


def draw_source_status(surface: pygame.Surface, status: SourceStatus) -> None:
    """A strip near the bottom when the camera is lost or starting (the pause overlay says
    "Step into view" itself)."""
    if status not in (SourceStatus.DEVICE_LOST, SourceStatus.STARTING):
        return
    message = STATUS_MESSAGES[status]
    panel(surface, (290, 560, 700, 64), T.PANEL)
    color = T.VERMILLION if status is SourceStatus.DEVICE_LOST else T.TEXT
    text(surface, message, (640, 592), 44, color, "center", bold=True)
