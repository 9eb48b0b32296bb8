"""Spoken prompts with the operating system's own offline voices, on a worker thread.

A :class:`Speaker` takes words and returns at once; a worker thread turns them into a WAV with
the system's speech synthesiser and plays it through pygame's mixer on a channel kept for
speech, so:

- the game never waits for speech (``say`` only stores the request and wakes the worker);
- never two prompts at once: the newest request replaces one not yet spoken, a prompt that
  became stale while it was being synthesised is dropped, and a new prompt stops the one
  playing; the same words again within ``REPEAT_GAP_S`` are not repeated;
- volume is exact (the mixer's), and what is played can be measured (tests/render/test_voice.py
  synthesises every shipped language and checks the audio's length and loudness).

Synthesisers, each a command that writes 16-bit PCM WAV (no Python dependency):

- Linux: eSpeak NG (``espeak-ng --stdout``), the voice pyttsx3 would use there;
- macOS: ``say`` (NSSpeechSynthesizer, the system voices pyttsx3 uses through PyObjC);
- Windows: System.Speech (SAPI 5) through PowerShell.

pyttsx3 was not used: on macOS it pulls in PyObjC (over 160 packages), its event loop cannot be
driven from a worker thread reliably, and on Linux it plays through eSpeak's own audio output,
past the mixer, where a new prompt cannot stop the old one and nothing can be measured. When no
synthesiser or no mixer is available the :class:`SilentSpeaker` stands in.
"""

from __future__ import annotations

import io
import logging
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import wave
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import numpy as np
import pygame

log = logging.getLogger(__name__)

NORMAL_WPM = 175
"""Words per minute of eSpeak NG's (and roughly every system voice's) normal speed."""
REPEAT_GAP_S = 4.0
"""The same words are not spoken again within this many seconds (a cue shown every second)."""
SYNTH_TIMEOUT_S = 10.0
ESPEAK_VOICES = {"en": "en-gb", "es": "es", "fr": "fr-fr", "de": "de", "pt": "pt-br", "ru": "ru"}
"""eSpeak NG voice of each shipped language (``pt`` is Brazilian Portuguese, as game.i18n)."""
CULTURES = {"en": "en-GB", "es": "es-ES", "fr": "fr-FR", "de": "de-DE", "pt": "pt-BR", "ru": "ru-RU"}
"""The locale whose system voice speaks each language (macOS ``say``, Windows SAPI)."""


@dataclass(frozen=True)
class Voice:
    """How to speak one prompt: the language (game.i18n code), speed × normal, volume 0-1."""

    language: str
    rate: float = 1.0
    volume: float = 1.0


class Speaker(Protocol):
    """Speaks prompts without making the caller wait."""

    def say(self, words: str, voice: Voice) -> None:
        """Speak `words` (replacing any prompt not yet finished); returns at once."""
        ...

    def close(self) -> None:
        """Stop speaking and end the worker."""
        ...


class SilentSpeaker:
    """The speaker when there is no voice or no sound: says nothing."""

    def say(self, words: str, voice: Voice) -> None:
        return None

    def close(self) -> None:
        return None


Synthesise = Callable[[str, Voice], bytes]
"""Words and a voice → a WAV file's bytes (16-bit PCM)."""
Play = Callable[[np.ndarray, int, float], None]
"""Samples ``(N,) int16`` mono, their rate in hertz and the volume 0-1 → start playing them."""


def espeak_command(words: str, voice: Voice) -> list[str]:
    """eSpeak NG writing the WAV to standard output."""
    wpm = int(round(NORMAL_WPM * voice.rate))
    return ["espeak-ng", "-v", ESPEAK_VOICES.get(voice.language, "en-gb"), "-s", str(wpm), "--stdout", words]


def say_command(words: str, voice: Voice, out: Path) -> list[str]:
    """macOS ``say`` writing a WAV file (the first system voice of the language's locale is
    chosen by the system when ``-v`` names a language it has no voice for)."""
    wpm = int(round(NORMAL_WPM * voice.rate))
    return ["say", "-r", str(wpm), "--file-format=WAVE", "--data-format=LEI16@22050", "-o", str(out), words]


def sapi_command(voice: Voice, out: Path) -> list[str]:
    """Windows PowerShell with System.Speech (SAPI 5): reads the words from standard input and
    writes a WAV file with a voice of the language's culture."""
    sapi_rate = int(round(max(min((voice.rate - 1.0) * 10, 10), -10)))
    script = (
        "Add-Type -AssemblyName System.Speech;"
        "$s = New-Object System.Speech.Synthesis.SpeechSynthesizer;"
        f"try {{ $s.SelectVoiceByHints(0, 0, 0, [Globalization.CultureInfo]'{CULTURES[voice.language]}') }} "
        "catch {};"
        f"$s.Rate = {sapi_rate}; $s.SetOutputToWaveFile('{out}'); $s.Speak([Console]::In.ReadToEnd())"
    )
    return ["powershell", "-NoProfile", "-NonInteractive", "-Command", script]


def command_synthesiser(platform: str = sys.platform) -> Synthesise | None:
    """The system's synthesiser on `platform`, or None when its program is not installed."""
    if platform.startswith("linux") and shutil.which("espeak-ng"):
        return _espeak
    if platform == "darwin" and shutil.which("say"):
        return _macos_say
    if platform == "win32" and shutil.which("powershell"):
        return _sapi
    return None


def _espeak(words: str, voice: Voice) -> bytes:
    done = subprocess.run(
        espeak_command(words, voice), capture_output=True, timeout=SYNTH_TIMEOUT_S, check=True
    )
    return done.stdout


def _macos_say(words: str, voice: Voice) -> bytes:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "say.wav"
        subprocess.run(
            say_command(words, voice, out), capture_output=True, timeout=SYNTH_TIMEOUT_S, check=True
        )
        return out.read_bytes()


def _sapi(words: str, voice: Voice) -> bytes:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "sapi.wav"
        subprocess.run(sapi_command(voice, out), input=words.encode("utf-8"), capture_output=True,
                       timeout=SYNTH_TIMEOUT_S, check=True)  # fmt: skip
        return out.read_bytes()


def wav_samples(data: bytes) -> tuple[np.ndarray, int]:
    """A 16-bit PCM WAV's samples as ``(N,) int16`` mono (channels averaged) and its rate in Hz.

    eSpeak NG streams its WAV with a placeholder length, so the frame count is taken from the
    bytes actually present, not from the header."""
    with wave.open(io.BytesIO(data)) as w:
        if w.getsampwidth() != 2:
            raise ValueError(f"expected 16-bit PCM speech, got {8 * w.getsampwidth()}-bit")
        channels, rate = w.getnchannels(), w.getframerate()
        raw = w.readframes(2**31 - 1)
    pcm = np.frombuffer(raw[: len(raw) // (2 * channels) * 2 * channels], dtype="<i2")
    if channels > 1:
        pcm = pcm.reshape(-1, channels).mean(axis=1).astype(np.int16)
    return pcm.astype(np.int16), rate


def resample(samples: np.ndarray, from_hz: int, to_hz: int) -> np.ndarray:
    """Linear-interpolation resampling of ``(N,) int16`` speech (plenty for a voice)."""
    if from_hz == to_hz or samples.size == 0:
        return samples
    n_out = int(round(samples.size * to_hz / from_hz))
    t = np.arange(n_out) * (from_hz / to_hz)
    return np.interp(t, np.arange(samples.size), samples.astype(np.float64)).astype(np.int16)


def rms(samples: np.ndarray) -> float:
    """Root-mean-square amplitude of int16 samples (full scale 32767)."""
    return float(np.sqrt(np.mean(samples.astype(np.float64) ** 2))) if samples.size else 0.0


class MixerPlayer:
    """Plays speech on pygame mixer channel 0, reserved for it (cues never take it); a new
    prompt stops the one playing."""

    def __init__(self) -> None:
        init = pygame.mixer.get_init()
        if not init:
            raise RuntimeError("the mixer is not initialised")
        self.rate_hz, _, self.channels = init
        pygame.mixer.set_reserved(1)
        self.channel = pygame.mixer.Channel(0)

    def __call__(self, samples: np.ndarray, rate_hz: int, volume: float) -> None:
        pcm = resample(samples, rate_hz, self.rate_hz)
        if self.channels > 1:
            pcm = np.repeat(pcm[:, None], self.channels, axis=1)
        sound = pygame.mixer.Sound(buffer=np.ascontiguousarray(pcm).tobytes())
        sound.set_volume(min(max(volume, 0.0), 1.0))
        self.channel.stop()
        self.channel.play(sound)


class ThreadedSpeaker:
    """A :class:`Speaker` whose worker synthesises and plays; ``say`` only hands over words.

    ``spoken`` lists what was played (words, language), ``dropped`` what was skipped as stale
    or repeated: for tests and the benchmark."""

    def __init__(
        self, synthesise: Synthesise, play: Play, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self._synthesise, self._play, self._clock = synthesise, play, clock
        self._wake = threading.Condition()
        self._pending: tuple[str, Voice] | None = None
        self._closed = False
        self._busy = False
        self._last: tuple[str, float] = ("", -REPEAT_GAP_S)
        self.spoken: list[tuple[str, str]] = []
        self.dropped: list[str] = []
        self._thread = threading.Thread(target=self._run, name="speech", daemon=True)
        self._thread.start()

    def say(self, words: str, voice: Voice) -> None:
        words = words.strip()
        if not words:
            return
        with self._wake:
            if self._pending is not None:
                self.dropped.append(self._pending[0])  # replaced before it was spoken
            self._pending = (words, voice)
            self._wake.notify()

    def idle(self, timeout_s: float = 5.0) -> bool:
        """Wait until nothing is pending (tests and the benchmark); True when idle in time."""
        end = time.monotonic() + timeout_s
        while time.monotonic() < end:
            with self._wake:
                if self._pending is None and not self._busy:
                    return True
            time.sleep(0.005)
        return False

    def close(self) -> None:
        with self._wake:
            self._closed = True
            self._wake.notify()
        self._thread.join(timeout=SYNTH_TIMEOUT_S)

    def _run(self) -> None:
        while True:
            with self._wake:
                while self._pending is None and not self._closed:
                    self._wake.wait()
                if self._closed:
                    return
                words, voice = self._pending  # type: ignore[misc]
                self._pending, self._busy = None, True
            try:
                self._speak(words, voice)
            except (OSError, subprocess.SubprocessError, ValueError, pygame.error) as err:
                log.info("speech failed (%s): %s", voice.language, err)
            finally:
                self._busy = False

    def _speak(self, words: str, voice: Voice) -> None:
        now = self._clock()
        if words == self._last[0] and now - self._last[1] < REPEAT_GAP_S:
            self.dropped.append(words)
            return
        samples, rate_hz = wav_samples(self._synthesise(words, voice))
        with self._wake:
            stale = self._pending is not None
        if stale:  # a newer prompt arrived while this one was synthesised: it wins
            self.dropped.append(words)
            return
        self._play(samples, rate_hz, voice.volume)
        self._last = (words, self._clock())
        self.spoken.append((words, voice.language))


def make_speaker(platform: str = sys.platform) -> Speaker:
    """The system's voice through the mixer, or the silent speaker when either is missing."""
    synthesise = command_synthesiser(platform)
    if synthesise is None or not pygame.mixer.get_init():
        log.info("no voice: %s", "no speech synthesiser found" if synthesise is None else "no sound")
        return SilentSpeaker()
    return ThreadedSpeaker(synthesise, MixerPlayer())
