"""Short synthesized sound cues (generated with numpy at start-up; nothing shipped or downloaded).

Missing audio is not fatal (pygame-ce examples' rule): with no mixer every cue is silent.
"""

from __future__ import annotations

import logging

import numpy as np
import pygame

RATE_HZ = 22050
log = logging.getLogger(__name__)

CUES: dict[str, tuple[tuple[float, float], ...]] = {
    # name: ((frequency_hz, duration_s), ...) – gentle, short, never harsh
    "hit": ((660.0, 0.09), (880.0, 0.14)),
    "miss": ((440.0, 0.12), (494.0, 0.12)),
    "cue": ((587.0, 0.08),),
    "compensation": ((392.0, 0.18),),
    "select": ((523.0, 0.06), (784.0, 0.08)),
    "move": ((494.0, 0.04),),
    "level": ((523.0, 0.1), (659.0, 0.1), (784.0, 0.2)),
    "info": ((523.0, 0.08),),
    "alert": ((880.0, 0.18), (660.0, 0.18), (880.0, 0.18), (660.0, 0.18)),  # a fall: call for attention
}


def tone(notes: tuple[tuple[float, float], ...], volume: float = 0.25) -> np.ndarray:
    """Soft sine notes with a short fade in/out: (N,) int16."""
    parts = []
    for freq_hz, dur_s in notes:
        t = np.arange(int(RATE_HZ * dur_s)) / RATE_HZ
        env = np.minimum(1.0, np.minimum(t, dur_s - t) / 0.015)
        parts.append(np.sin(2 * np.pi * freq_hz * t) * env)
    wave = np.concatenate(parts) * volume
    return (wave * 32767).astype(np.int16)


class Sounds:
    """Plays named cues; silent when audio is unavailable or muted."""

    def __init__(self, enabled: bool = True) -> None:
        self._sounds: dict[str, pygame.mixer.Sound] = {}
        self.muted = not enabled
        if not enabled:
            return
        try:
            pygame.mixer.init(frequency=RATE_HZ, size=-16, channels=1)
            for name, notes in CUES.items():
                self._sounds[name] = pygame.mixer.Sound(buffer=tone(notes).tobytes())
        except pygame.error as err:
            log.info("sound disabled: %s", err)
            self._sounds = {}

    def play(self, name: str) -> None:
        if not self.muted and name in self._sounds:
            self._sounds[name].play()
