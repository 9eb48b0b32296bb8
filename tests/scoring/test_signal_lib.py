"""scipy.signal is loaded after the first frame, not before (start-up time, issue 16), and a rep
scored while the warm-up thread is still importing it waits for the whole module."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run(code: str) -> str:
    env = {"PYGAME_HIDE_SUPPORT_PROMPT": "1", "PATH": ""}
    done = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], cwd=ROOT, capture_output=True,
                          text=True, timeout=120, env=env)  # fmt: skip
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def test_starting_the_game_does_not_import_scipy_signal() -> None:
    out = run("""
        import sys
        import main, game.launch, game.cli_tools, game.app, game.session.run
        print("scipy.signal" in sys.modules)
    """)
    assert out == "False"


def test_a_rep_scored_during_the_warm_up_gets_the_whole_module() -> None:
    out = run("""
        import numpy as np
        from game.scoring.preprocess import lowpass
        from game.scoring.signal_lib import warm_up
        import sys, time
        thread = warm_up()
        while "scipy.signal" not in sys.modules:  # the half-made module is in sys.modules now
            time.sleep(0.0005)
        y = lowpass(np.sin(np.linspace(0, 20, 300))[:, None], 30.0)  # while the thread imports
        thread.join()
        print(thread is not None, y.shape, bool(np.isfinite(y).all()), warm_up() is None)
    """)
    assert out == "True (300, 1) True True"
