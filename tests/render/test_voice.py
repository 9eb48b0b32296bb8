"""The voice: real eSpeak NG speech measured for every shipped language, newest prompt wins,
the caller never waits; and what is said for each game event (game/prompts.py)."""

from __future__ import annotations

import shutil
import threading
from collections.abc import Iterator

import numpy as np
import pygame
import pytest

from game import i18n
from game.i18n import LANGUAGES, N_
from game.prompts import Cue, LevelStarted, Paused, RepDone, RestStarted, speech_for
from game.render.voice import (
    REPEAT_GAP_S,
    MixerPlayer,
    ThreadedSpeaker,
    Voice,
    command_synthesiser,
    espeak_command,
    rms,
    sapi_command,
    wav_samples,
)

SILENCE_RMS = 200.0
"""int16 RMS below which a clip counts as silent (speech from eSpeak NG is above 2000)."""


class Recorder:
    """A player that keeps what it was given (samples, rate, volume)."""

    def __init__(self) -> None:
        self.played: list[tuple[np.ndarray, int, float]] = []

    def __call__(self, samples: np.ndarray, rate_hz: int, volume: float) -> None:
        self.played.append((samples, rate_hz, volume))


@pytest.fixture
def espeak():  # type: ignore[no-untyped-def]
    synth = command_synthesiser("linux")
    assert synth is not None and shutil.which("espeak-ng"), "eSpeak NG is needed (apt install espeak-ng)"
    return synth


@pytest.mark.parametrize("language", list(LANGUAGES))
def test_every_language_is_spoken_aloud(espeak, language: str) -> None:  # type: ignore[no-untyped-def]
    """The level instruction, translated, through the speaker's own path: audible, seconds long."""
    with i18n.using(language):
        words = str(
            speech_for([LevelStarted("Apple picking", "Reach for the apple and hold your hand on it.")])
        )
    player = Recorder()
    speaker = ThreadedSpeaker(espeak, player)
    try:
        speaker.say(words, Voice(language, rate=0.85, volume=0.8))
        assert speaker.idle(20.0)
    finally:
        speaker.close()
    assert speaker.spoken == [(words, language)]
    samples, rate_hz, volume = player.played[0]
    duration_s = samples.size / rate_hz
    assert 1.0 < duration_s < 15.0 and volume == 0.8
    assert rms(samples) > 10 * SILENCE_RMS
    assert rms(np.zeros(1000, np.int16)) < SILENCE_RMS  # the threshold separates silence


def test_slower_rate_speaks_longer(espeak) -> None:  # type: ignore[no-untyped-def]
    fast = wav_samples(espeak("Keep going, well done", Voice("en", rate=1.3)))
    slow = wav_samples(espeak("Keep going, well done", Voice("en", rate=0.6)))
    assert slow[0].size > 1.5 * fast[0].size
    assert espeak_command("x", Voice("pt"))[2] == "pt-br" and espeak_command("x", Voice("ru", 0.5))[4] == "88"


def test_windows_command_reads_words_from_stdin_and_picks_the_culture(tmp_path) -> None:  # type: ignore[no-untyped-def]
    cmd = sapi_command(Voice("de", rate=0.5), tmp_path / "x.wav")
    assert cmd[0] == "powershell" and "'de-DE'" in cmd[-1] and "$s.Rate = -5" in cmd[-1]
    assert "ReadToEnd" in cmd[-1]


def _blocking_synth(release: threading.Event, started: threading.Event):  # type: ignore[no-untyped-def]
    def synth(words: str, voice: Voice) -> bytes:
        started.set()
        release.wait(10.0)
        tone = (3000 * np.sin(np.arange(2205) / 5.0)).astype("<i2")
        import io
        import wave

        out = io.BytesIO()
        with wave.open(out, "wb") as w:
            w.setnchannels(1), w.setsampwidth(2), w.setframerate(22050)
            w.writeframes(tone.tobytes())
        return out.getvalue()

    return synth


def test_newest_prompt_wins_and_the_caller_never_waits() -> None:
    release, started = threading.Event(), threading.Event()
    player = Recorder()
    speaker = ThreadedSpeaker(_blocking_synth(release, started), player)
    try:
        speaker.say("one", Voice("en"))
        assert started.wait(5.0)
        # the synthesiser is blocked: these calls return anyway (nothing waits for speech)
        speaker.say("two", Voice("en"))
        speaker.say("three", Voice("en"))
        release.set()
        assert speaker.idle(10.0)
    finally:
        speaker.close()
    assert [w for w, _ in speaker.spoken] == ["three"]
    assert speaker.dropped == ["two", "one"]  # "two" replaced unspoken, "one" stale after synthesis
    assert len(player.played) == 1


def test_the_same_words_are_not_repeated_at_once() -> None:
    release, started = threading.Event(), threading.Event()
    release.set()
    now = [100.0]
    speaker = ThreadedSpeaker(_blocking_synth(release, started), Recorder(), clock=lambda: now[0])
    try:
        for t in (100.0, 101.0, 100.0 + REPEAT_GAP_S + 0.5):
            now[0] = t
            speaker.say("Follow it!", Voice("en"))
            assert speaker.idle(5.0)
    finally:
        speaker.close()
    assert len(speaker.spoken) == 2 and speaker.dropped == ["Follow it!"]


def test_mixer_player_plays_on_the_speech_channel_and_a_new_prompt_stops_the_old() -> None:
    pygame.mixer.init(frequency=22050, size=-16, channels=1)
    try:
        player = MixerPlayer()
        long = (2000 * np.sin(np.arange(44100 * 2) / 7.0)).astype(np.int16)
        player(long, 16000, 0.5)  # resampled to the mixer's 22050 Hz
        assert player.channel.get_busy()
        first = player.channel.get_sound()
        player(long, 22050, 0.5)
        assert player.channel.get_sound() is not first
        assert first is not None and first.get_length() == pytest.approx(2 * 44100 / 16000, rel=0.01)
    finally:
        pygame.mixer.quit()


# -- what is said ------------------------------------------------------------------------------


@pytest.fixture
def english() -> Iterator[None]:
    with i18n.using("en"):
        yield


def test_level_start_says_title_and_instruction(english: None) -> None:
    said = speech_for(
        [RepDone(1, 6, True), LevelStarted("Apple picking", "Reach for the apple and hold your hand on it.")]
    )
    assert str(said) == "Apple picking. Reach for the apple and hold your hand on it."
    with i18n.using("es"):
        assert str(said) == "Recoger manzanas. Alcance la manzana y mantenga la mano encima."


def test_a_count_and_its_praise_are_one_prompt(english: None) -> None:
    said = speech_for([RepDone(3, 6, True), Cue("hit", N_("Great!"))])
    assert str(said) == "Great! 3 of 6."
    with i18n.using("ru"):
        assert str(said) == "Отлично! 3 из 6."
    assert str(speech_for([RepDone(2, 6, False)])) == "2 of 6."


def test_cues_pauses_and_rests(english: None) -> None:
    assert str(speech_for([RepDone(3, 6, True), Cue("compensation", "Sit tall - move just the arm")])) == (
        "Sit tall - move just the arm"
    )
    assert str(speech_for([Paused(N_("Step into view")), Cue("hit", "Great!")])) == "Step into view"
    assert str(speech_for([RestStarted(20.0)])) == "Rest a moment."
    assert speech_for([]) is None
