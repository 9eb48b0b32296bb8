"""Latest-value slot semantics, and that importing the tracking package stays cheap."""

from __future__ import annotations

import subprocess
import sys
import threading
from pathlib import Path

from game.tracking.slots import LatestSlot


def test_slot_keeps_only_the_newest_item() -> None:
    slot: LatestSlot[str] = LatestSlot()
    assert slot.latest() is None and slot.seq == 0
    assert slot.put("a", 1.0) == 1
    assert slot.put("b", 2.0) == 2
    item = slot.latest()
    assert item is not None and (item.seq, item.t_s, item.value) == (2, 2.0, "b")
    assert slot.newer_than(1) == item
    assert slot.newer_than(2) is None


def test_wait_newer_times_out_and_wakes_on_put() -> None:
    slot: LatestSlot[int] = LatestSlot()
    assert slot.wait_newer(0, timeout_s=0.01) is None
    timer = threading.Timer(0.01, slot.put, args=(7, 3.0))
    timer.start()
    item = slot.wait_newer(0, timeout_s=5.0)
    timer.join()
    assert item is not None and item.value == 7


def test_importing_sources_does_not_import_mediapipe() -> None:
    code = (
        "import sys; import game.tracking.camera, game.tracking.video, "
        "game.tracking.replay, game.tracking.recorder, game.tracking.mediapipe_source; "
        "print('mediapipe' in sys.modules)"
    )
    root = Path(__file__).resolve().parents[2]
    out = subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_wait_after_waits_for_a_later_timestamp() -> None:
    slot: LatestSlot[str] = LatestSlot()
    slot.put("a", 1.0)
    assert slot.wait_after(0.5, timeout_s=0.0).value == "a"  # type: ignore[union-attr]
    assert slot.wait_after(1.0, timeout_s=0.01) is None  # the same capture time is not newer
    slot.put("b", 2.0)
    assert slot.wait_after(1.0, timeout_s=0.0).value == "b"  # type: ignore[union-attr]
