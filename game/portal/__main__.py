"""``python -m game.portal``: start the web portal (see game/portal/cli.py)."""

import sys

from game.portal.cli import run

sys.exit(run(sys.argv[1:]))
