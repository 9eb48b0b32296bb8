"""What speech costs the game loop, and how soon a prompt is heard (eSpeak NG, Linux).

The loop only calls ``Speaker.say`` (store the words, wake the worker); synthesis and playback
run on the speech thread. Measured: the time of one ``say`` call while the worker is busy
synthesising (p50, p99, max over many calls), and the latency from ``say`` to the start of
playback for a short prompt in each shipped language (median of several).

    uv run benchmarks/voice.py

Prints one JSON object as its last line.
"""

from __future__ import annotations

import json
import statistics
import threading
import time

import numpy as np

from game.i18n import LANGUAGES
from game.render.voice import ThreadedSpeaker, Voice, command_synthesiser

CALLS = 2000
PROMPTS = {"en": "Great! 3 of 6.", "es": "¡Genial! 3 de 6.", "fr": "Super ! 3 sur 6.",
           "de": "Prima! 3 von 6.", "pt": "Ótimo! 3 de 6.", "ru": "Отлично! 3 из 6."}  # fmt: skip


def main() -> None:
    synth = command_synthesiser()
    if synth is None:
        raise SystemExit("no speech synthesiser (install espeak-ng)")
    started: list[float] = []
    heard = threading.Event()

    def play(samples: np.ndarray, rate_hz: int, volume: float) -> None:
        started.append(time.perf_counter())
        heard.set()

    speaker = ThreadedSpeaker(synth, play)
    call_us = []
    for i in range(CALLS):
        t = time.perf_counter()
        speaker.say(f"Keep going, number {i}", Voice("en"))
        call_us.append((time.perf_counter() - t) * 1e6)
    speaker.idle(30.0)
    latency_ms: dict[str, float] = {}
    for language in LANGUAGES:
        runs = []
        for k in range(5):
            heard.clear()
            t = time.perf_counter()
            speaker.say(f"{PROMPTS[language]} {k}", Voice(language))
            heard.wait(10.0)
            runs.append((started[-1] - t) * 1e3)
            speaker.idle(10.0)
        latency_ms[language] = round(statistics.median(runs), 1)
    speaker.close()
    call_us.sort()
    print(json.dumps({
        "benchmark": "voice", "say_calls": CALLS, "say_p50_us": round(call_us[CALLS // 2], 1),
        "say_p99_us": round(call_us[int(CALLS * 0.99)], 1), "say_max_us": round(call_us[-1], 1),
        "frame_budget_us": round(1e6 / 60), "say_to_playback_median_ms": latency_ms,
    }))  # fmt: skip


if __name__ == "__main__":
    main()
