"""Draw the camera picture as a mirror (flipped for display only; landmarks stay raw)."""

from __future__ import annotations

import cv2
import pygame

from game.render.viewport import Viewport
from game.tracking.pose import Picture


def draw_picture(surface: pygame.Surface, picture: Picture, vp: Viewport) -> None:
    """Flip, fit and blit a BGR picture (cv2 flip/resize are the cheap path, perf §1.4)."""
    x, y, w, h = vp.rect
    frame = cv2.flip(picture.bgr, 1)
    if frame.shape[1] != w or frame.shape[0] != h:
        frame = cv2.resize(frame, (w, h), interpolation=cv2.INTER_LINEAR)
    img = pygame.image.frombuffer(frame.tobytes(), (w, h), "BGR")
    surface.blit(img, (x, y))
