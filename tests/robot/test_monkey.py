"""The monkey in the suite: thousands of random keys, clicks, resting pointers and hand poses
on every screen, while playing every level type too, with the promises of
tests/robot/monkey.py checked after every step (seeded: the same run every time).

The default run is short (``MONKEY_EXAMPLES`` x ``MONKEY_STEPS``, a few seconds of CPU) so the
suite stays fast. ``-m soak`` runs ``FOUND_EXAMPLES`` x ``FOUND_STEPS``, the size that found
issue 11's Esc crash (item 1), the ghost dwell (item 5) and the repeating dwell (item 6) on the
code before the fixes (benchmarks/monkey.py runs it in a mode that lists what it finds), and a
longer soak still.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.robot.monkey import monkey_machine

MONKEY_EXAMPLES, MONKEY_STEPS = 6, 25
"""150 random events in the default suite."""
FOUND_EXAMPLES, FOUND_STEPS = 60, 50
"""3000 random events: about 70 s of CPU here; found items 1, 5 and 6 before their fixes."""
SOAK_EXAMPLES, SOAK_STEPS = 400, 80


def test_monkey(world: Path, tmp_path: Path) -> None:
    machine = monkey_machine(world, tmp_path, examples=MONKEY_EXAMPLES, steps=MONKEY_STEPS)
    machine.TestCase("runTest").runTest()


@pytest.mark.soak
def test_monkey_sized_to_find_items_1_5_6(world: Path, tmp_path: Path) -> None:
    machine = monkey_machine(world, tmp_path, examples=FOUND_EXAMPLES, steps=FOUND_STEPS)
    machine.TestCase("runTest").runTest()


@pytest.mark.soak
def test_monkey_soak(world: Path, tmp_path: Path) -> None:
    machine = monkey_machine(world, tmp_path, examples=SOAK_EXAMPLES, steps=SOAK_STEPS)
    machine.TestCase("runTest").runTest()
