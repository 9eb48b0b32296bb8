"""One benchmark station: the real game (``main.py`` play, headless demo) in real time, its rep
writes timed.

    python benchmarks/clinic_station.py REPORT.json -- --headless --demo --seconds 300 --db URL

Runs the game exactly as ``main.py`` does (the real loop, the simulated patient, the station's
real outbox and PostgreSQL writes), with two changes for the measurement:

- **Paced to the wall clock.** A headless game advances one fixed step per frame and never
  sleeps, so it runs as fast as the CPU allows; 20 of them on one machine would each get a
  tenth of a core, and every save would queue for the CPU. A clinic has one computer per
  station, each game running in real time: so each frame waits until the wall time since the
  first frame has caught up with the game time (:func:`_pace`). The game time still advances by
  the same fixed steps, so what the game does is unchanged; only the idle time between frames
  is real, as at a station.
- **Timed saves.** ``add_rep`` of the station's database (game/storage/outbox.py) is timed on the
  game thread and given a known unique id, and ``close`` writes REPORT.json: every rep id the game
  saved, the game-thread time of each save (ms), the time from the outbox to the server's commit
  of each save (``[queued at (epoch s), ms]``), the saves waiting when the game began to close,
  the process's CPU seconds, its wall seconds and how far the game time fell behind the wall
  clock (a game that falls behind had less CPU than a station's own computer gives it).
"""

from __future__ import annotations

import json
import resource
import sys
import time
import uuid
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

import main as game_main  # noqa: E402
from game.app import App  # noqa: E402
from game.storage.outbox import StationDatabase  # noqa: E402

_report: dict[str, Any] = {"uids": [], "add_rep_ms": [], "queued_at_s": []}
_clock: dict[str, float] = {"start_s": -1.0, "behind_max_s": 0.0, "game_s": 0.0}


def _pace() -> None:
    """Let no frame start before its game time on the wall clock (since the first frame)."""
    frame = App.frame

    def paced_frame(self: App) -> bool:
        now = time.perf_counter()
        if _clock["start_s"] < 0:
            _clock["start_s"] = now - self.t_s
        ahead_s = self.t_s - (now - _clock["start_s"])
        if ahead_s > 0:
            time.sleep(ahead_s)
        else:
            _clock["behind_max_s"] = max(_clock["behind_max_s"], -ahead_s)
        _clock["game_s"] = self.t_s
        return frame(self)

    App.frame = paced_frame  # type: ignore[method-assign]


def _cpu_s() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _instrument(report_path: Path) -> None:
    add_rep, close = StationDatabase.add_rep, StationDatabase.close

    def timed_add_rep(self: StationDatabase, session_id: int, rep: Any, **kw: Any) -> int:
        kw["uid"] = uid = uuid.uuid4().hex
        t0 = time.perf_counter()
        out = add_rep(self, session_id, rep, **kw)
        _report["add_rep_ms"].append((time.perf_counter() - t0) * 1000.0)
        _report["uids"].append(uid)
        _report["queued_at_s"].append(time.time())
        return out

    def reporting_close(self: StationDatabase) -> None:
        _report["pending_before_close"] = self.pending()
        close(self)
        _report["uploads"] = self.upload_ms
        _report["cpu_s"] = _cpu_s()
        _report["game_s"] = _clock["game_s"]
        _report["wall_s"] = time.perf_counter() - _clock["start_s"] if _clock["start_s"] >= 0 else 0.0
        _report["behind_max_s"] = _clock["behind_max_s"]
        report_path.write_text(json.dumps(_report))

    StationDatabase.add_rep = timed_add_rep  # type: ignore[method-assign]
    StationDatabase.close = reporting_close  # type: ignore[method-assign]


if __name__ == "__main__":
    report, sep, *argv = sys.argv[1:]
    _pace()
    _instrument(Path(report))
    sys.exit(game_main.main(argv))
