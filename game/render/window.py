"""The window: SDL set-up (real or dummy drivers), events → actions, flip and screenshots."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pygame

from game.actions import Act, Action, actions_for_keydown
from game.files import write_atomic
from game.render import theme

SCREEN_SIZE = (1280, 720)
"""Logical screen size; the window scales it when resizable."""


class DisplayUnavailable(RuntimeError):
    """No display to open a window on."""


def use_dummy_drivers() -> None:
    """Headless: SDL's dummy video and audio drivers (set before pygame initialises)."""
    os.environ["SDL_VIDEODRIVER"] = "dummy"
    os.environ["SDL_AUDIODRIVER"] = "dummy"


def display_available() -> bool:
    """Whether a window can plausibly be opened (X11/Wayland on Linux; always elsewhere)."""
    if os.environ.get("SDL_VIDEODRIVER") == "dummy":
        return True
    if os.name == "posix" and not os.uname().sysname == "Darwin":
        return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
    return True


class Window:
    """Owns the pygame display. ``events()`` yields abstract actions."""

    def __init__(self, headless: bool, title: str = "MirrorPlay") -> None:
        if headless:
            use_dummy_drivers()
        elif not display_available():
            raise DisplayUnavailable("no display found")
        # SDL reads the driver variables when the display initialises (here), not on import.
        pygame.display.init()
        pygame.font.init()
        theme.clear_font_cache()  # fonts made before a previous pygame.quit() are dead
        theme._gradient.cache_clear()
        flags = 0 if headless else pygame.RESIZABLE | pygame.SCALED
        try:
            self.surface = pygame.display.set_mode(SCREEN_SIZE, flags, vsync=0)
        except pygame.error as err:
            raise DisplayUnavailable(str(err)) from None
        pygame.display.set_caption(title)
        self.headless = headless

    def events(self) -> list[Action]:
        """Drain pygame's queue and translate to Actions.

        A key press gives its navigation action (arrows, WASD, Enter, Space, Esc, ...) and,
        when it types a printable character, an ``Act.TEXT`` action too
        (:func:`game.actions.actions_for_keydown`; :func:`game.actions.route` delivers them).
        """
        out: list[Action] = []
        for ev in pygame.event.get():
            if ev.type == pygame.QUIT:
                out.append(Action(Act.QUIT))
            elif ev.type == pygame.KEYDOWN:
                out += actions_for_keydown(pygame.key.name(ev.key), str(getattr(ev, "unicode", "") or ""))
            elif ev.type == pygame.MOUSEMOTION:
                out.append(Action(Act.POINT, (int(ev.pos[0]), int(ev.pos[1]))))
            elif ev.type == pygame.MOUSEBUTTONDOWN and ev.button == 1:
                out.append(Action(Act.CLICK, (int(ev.pos[0]), int(ev.pos[1]))))
        return out

    def flip(self) -> None:
        pygame.display.flip()

    def screenshot(self, path: str | Path, *, overwrite: bool = True) -> None:
        """Save the current frame as a PNG, atomically (a full disk leaves no half file)."""
        write_atomic(Path(path), png_bytes(self.surface), overwrite=overwrite)

    def close(self) -> None:
        theme.clear_font_cache()  # the fonts die with pygame.quit(): never hand a dead one out
        pygame.quit()


def png_bytes(surface: pygame.Surface) -> bytes:
    """`surface` encoded as a PNG file, in memory."""
    buf = io.BytesIO()
    pygame.image.save(surface, buf, "png")
    return buf.getvalue()
