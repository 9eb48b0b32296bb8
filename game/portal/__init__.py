"""The MirrorPlay web portal: therapists review patients, edit plans and settings, download
exports; family members follow one patient's progress from a phone.

Server-rendered pages (Starlette and Jinja2, no JavaScript, no video anywhere) over the game's
own database through the storage Protocols. Start it with ``python -m game.portal --db PATH``
(game/portal/cli.py); see docs/portal.md.
"""

import os

# The family page reuses the family screen's words from game/render, which imports pygame.
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
