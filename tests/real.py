"""Real servers and browsers in tests: skip with one line where absent, fail in CI.

CI (.ci/run) sets ``MIRRORPLAY_REQUIRE_REAL=1``: a test that needs a real part the machine lacks
then fails with the same line instead of skipping, so CI never passes by skipping.
"""

from __future__ import annotations

import os

import pytest

REQUIRE_ENV = "MIRRORPLAY_REQUIRE_REAL"


def require_real(available: bool, install: str) -> None:
    """Skip (or, with MIRRORPLAY_REQUIRE_REAL=1, fail) with `install` unless `available`."""
    if available:
        return
    if os.environ.get(REQUIRE_ENV) == "1":
        pytest.fail(install)
    pytest.skip(install)
