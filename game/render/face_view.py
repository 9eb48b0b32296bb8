"""Drawing the face in face levels: the half-face mirror in the camera picture, the patient's own
face with a midline guide (jaw levels), or a drawn face as the alternative (and for sources
without pixels, like the simulated patient).

The face fills the stage: a crop of the camera picture around the face (its box smoothed from
frame to frame so the picture does not jitter), flipped for display like every mirror
(game/render/camera_view.py). Mirror modes (the therapist's ``mirror_mode``): "video" shows the
half-face mirror (game.mirror.face), "avatar" the drawn face whose weak half is the reflection
of the healthy half, "shared" the plain picture. A face level whose view says
``half_face=False`` shows the own face in every mode.

The drawn face (:func:`draw_face`) is built from Face Mesh contours (game/tracking/face_mesh.py):
the face oval, brows, eyes with irises, nose and lips, in calm skin tones; the midline is drawn
thin so the patient can see where the mirror joins.
"""

from __future__ import annotations

import cv2
import numpy as np
import pygame

from game.i18n import _
from game.mirror.face import HalfFace, Midline, face_midline_px, half_face_mirror, mirror_face_landmarks
from game.render import theme as T
from game.render.face_icons import icon_face
from game.render.widgets import panel, text
from game.tracking.face import CHIN, LEFT_IRIS_CENTRE, RIGHT_IRIS_CENTRE
from game.tracking.face_mesh import (
    FACE_OVAL,
    LEFT_EYE,
    LEFT_EYEBROW,
    LIPS,
    NOSE,
    RIGHT_EYE,
    RIGHT_EYEBROW,
)
from game.tracking.pose import MISSING_FACE, Picture, Side

STAGE = (250, 92, 780, 540)
"""Where the face is drawn on the 1280 × 720 screen (x, y, w, h)."""
CROP_HEIGHTS = 1.55
"""The crop is this many face heights (forehead to chin) tall."""
FACE_AT = 0.56
"""The face's centre sits this far down the stage (feedback words appear above the eyes)."""
SMOOTH = 0.25
"""Share of the new crop box taken each frame (the rest is the previous box)."""
SKIN = (232, 196, 166)
SKIN_EDGE = (170, 120, 95)
BROW = (92, 64, 48)
LIP = (200, 96, 100)
MOUTH = (70, 28, 36)
IRIS = (86, 120, 150)


class FaceStage:
    """Draws the face of each frame into :data:`STAGE`; keeps the smoothed crop box."""

    def __init__(self, stage: tuple[int, int, int, int] = STAGE) -> None:
        self.stage = stage
        self._box: np.ndarray | None = None
        """(cx, cy, h) of the crop in raw pixels."""
        self._buffer: np.ndarray | None = None
        self.last: HalfFace | None = None

    def draw(
        self,
        surface: pygame.Surface,
        mode: str,
        picture: Picture | None,
        face: np.ndarray | None,
        frame_size: tuple[int, int],
        weak_side: Side,
        half_face: bool,
    ) -> None:
        """Draw the face (see the module doc); nothing but the stage when no face is found."""
        panel(surface, self.stage, T.PANEL, alpha=160, radius=24)
        found = face is not None and face is not MISSING_FACE and bool(np.isfinite(face[:, :2]).all())
        size = (picture.bgr.shape[1], picture.bgr.shape[0]) if picture is not None else frame_size
        if not found:
            self.last = None
            icon_face(surface, (self.stage[0] + self.stage[2] / 2, self.stage[1] + self.stage[3] / 2), 100)
            return
        assert face is not None
        px = face[:, :2].astype(np.float64) * np.array(size, dtype=np.float64)
        box = self._follow(px)
        midline = face_midline_px(px)
        if picture is not None and mode != "avatar":
            self._draw_picture(surface, picture.bgr, face, box, weak_side, half_face and mode == "video")
        else:
            self.last = None
            shown = px
            if half_face and midline is not None:
                shown = mirror_face_landmarks(px, weak_side, midline)
            draw_face(surface, self.to_screen(shown, box), self.stage)
        if not half_face and midline is not None:
            self._draw_guide(surface, px, box, midline)

    def _follow(self, px: np.ndarray) -> np.ndarray:
        oval = px[list(FACE_OVAL[0])]
        lo, hi = oval.min(axis=0), oval.max(axis=0)
        new = np.array([(lo[0] + hi[0]) / 2, (lo[1] + hi[1]) / 2, (hi[1] - lo[1]) * CROP_HEIGHTS])
        self._box = new if self._box is None else self._box + SMOOTH * (new - self._box)
        return self._box

    def crop_rect(self, box: np.ndarray) -> tuple[float, float, float, float]:
        """(x, y, w, h) in raw pixels of the crop with the stage's aspect ratio."""
        cx, cy, h = (float(v) for v in box)
        w = h * self.stage[2] / self.stage[3]
        return cx - w / 2, cy - FACE_AT * h, w, h

    def to_screen(self, px: np.ndarray, box: np.ndarray) -> np.ndarray:
        """Raw pixels ``(..., 2)`` → screen pixels, mirrored (the display is a mirror)."""
        x0, y0, w, h = self.crop_rect(box)
        sx, sy, sw, sh = self.stage
        p = np.asarray(px, dtype=np.float64)
        return np.stack([sx + (1.0 - (p[..., 0] - x0) / w) * sw, sy + (p[..., 1] - y0) / h * sh], axis=-1)

    def _draw_picture(
        self,
        surface: pygame.Surface,
        bgr: np.ndarray,
        face: np.ndarray,
        box: np.ndarray,
        weak: Side,
        mirror: bool,
    ) -> None:
        if mirror:
            if self._buffer is None or self._buffer.shape != bgr.shape:
                self._buffer = np.empty_like(bgr)
            self.last = half_face_mirror(bgr, face, weak, out=self._buffer)
            bgr = self.last.bgr
        else:
            self.last = None
        x0, y0, w, h = self.crop_rect(box)
        sx, sy, sw, sh = self.stage
        # One affine warp does crop, scale and the mirror flip (pixels outside the picture black).
        m = np.array([[-sw / w, 0.0, sw + x0 * sw / w], [0.0, sh / h, -y0 * sh / h]])
        frame = cv2.warpAffine(bgr, m, (sw, sh), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT)
        surface.blit(pygame.image.frombuffer(frame.data, (sw, sh), "BGR"), (sx, sy))

    def _draw_guide(self, surface: pygame.Surface, px: np.ndarray, box: np.ndarray, midline: Midline) -> None:
        """The midline through the face and the chin's dot (jaw levels: keep it on the line)."""
        span = np.linalg.norm(px[CHIN] - px[10]) * 0.62
        ends = np.stack([midline.point - midline.direction * span, midline.point + midline.direction * span])
        a, b = self.to_screen(ends, box)
        clip = surface.get_clip()
        surface.set_clip(pygame.Rect(self.stage))
        pygame.draw.line(surface, T.YELLOW, a, b, 4)
        chin = self.to_screen(px[CHIN], box)
        pygame.draw.circle(surface, T.YELLOW, chin, 12, 4)
        surface.set_clip(clip)


def _poly(points: np.ndarray, chain: tuple[int, ...]) -> list[tuple[float, float]]:
    return [(float(points[i, 0]), float(points[i, 1])) for i in chain]


def draw_face(surface: pygame.Surface, pts: np.ndarray, stage: tuple[int, int, int, int]) -> None:
    """A friendly drawn face from screen points of all 478 landmarks (module doc)."""
    clip = surface.get_clip()
    surface.set_clip(pygame.Rect(stage))
    oval = _poly(pts, FACE_OVAL[0])
    pygame.draw.polygon(surface, SKIN, oval)
    pygame.draw.polygon(surface, SKIN_EDGE, oval, 3)
    for upper, lower in (RIGHT_EYEBROW, LEFT_EYEBROW):
        pygame.draw.polygon(surface, BROW, _poly(pts, upper) + _poly(pts, lower)[::-1])
    for loop, centre in ((RIGHT_EYE[0], RIGHT_IRIS_CENTRE), (LEFT_EYE[0], LEFT_IRIS_CENTRE)):
        _eye(surface, pts, loop, centre)
    for chain in NOSE:
        pygame.draw.lines(surface, SKIN_EDGE, False, _poly(pts, chain), 3)
    outer, inner = LIPS
    pygame.draw.polygon(surface, LIP, _poly(pts, outer))
    gap = float(np.linalg.norm(pts[13] - pts[14]))
    pygame.draw.polygon(surface, MOUTH if gap > 2.0 else LIP, _poly(pts, inner))
    pygame.draw.lines(surface, (150, 60, 70), True, _poly(pts, inner), 2)
    top, bottom = pts[10], pts[CHIN]
    pygame.draw.line(surface, T.TEXT_DIM, tuple(top), tuple(bottom), 1)
    surface.set_clip(clip)


def _eye(surface: pygame.Surface, pts: np.ndarray, loop: tuple[int, ...], centre: int) -> None:
    """An eye: white, the iris (only as much as the lids let show), the lid line."""
    contour = _poly(pts, loop)
    ys = [p[1] for p in contour]
    xs = [p[0] for p in contour]
    width, opening = max(xs) - min(xs), max(ys) - min(ys)
    iris_r = 0.22 * width
    if opening > 0.25 * iris_r:
        pygame.draw.polygon(surface, T.WHITE, contour)
        r = min(iris_r, 0.55 * opening)
        pygame.draw.circle(surface, IRIS, (float(pts[centre, 0]), float(pts[centre, 1])), r)
        pygame.draw.circle(surface, T.BLACK, (float(pts[centre, 0]), float(pts[centre, 1])), r * 0.45)
    pygame.draw.lines(surface, BROW, True, contour, 3)


def draw_face_hint(surface: pygame.Surface, turned: bool) -> None:
    """ "Face the camera" under the face while the head is turned too far for the mirror."""
    if not turned:
        return
    x, y, w, h = STAGE
    panel(surface, (x + 90, y + h - 86, w - 180, 70), T.PANEL)
    icon_face(surface, (x + 140, y + h - 51), 25)
    text(surface, _("Face the camera"), (x + 180, y + h - 51), 44, T.YELLOW, "midleft", bold=True)
