"""TEMPORARY: words of files being rewritten elsewhere, kept in the catalogues until they are marked
where they are drawn (then delete this file and run ``uv run tools/i18n.py update``).

Each line is the exact message the wrapped code must use, so the translations already made
match: play and results screens, the check-in and rest screens, the level drawers, the level
types' feedback and the session's rest offer. Never imported by the game.
"""

from game.i18n import N_, Nn_

# game/scenes/play.py
N_("Step into view")
N_("Paused - press P")
N_("Sit tall")
N_("{why} - rest a moment?")
N_("{n} s")
# game/scenes/results.py
N_("Keep practising - every rep counts!")
N_("Good work today!")
N_("Great effort!")
N_("Brilliant session!")
N_("Home")
N_("Again")
N_("Let's stop here for today - rest well.")
N_("{hits} of {reps} reached")
Nn_("{n} rep", "{n} reps", 2)
# game/scenes/checkin.py
N_("No hurt")
N_("A little")
N_("A bit more")
N_("Even more")
N_("A lot")
N_("Worst")
N_("How does your arm feel?")
N_("How does your arm feel now?")
N_("Arrows and Enter, a click, or hold your hand on a face")
N_("Time for a rest")
N_("Go on")
N_("Breathe in")
N_("Breathe out")
# game/render/level_views.py and the level types' drawers (game/leveltypes/*/draw.py)
N_("Press Enter or hold your hand on YES")
N_("YES")
N_("Level it")
N_("Arm hidden")
N_("{n}\u00b0 away")
N_("{held} / {target} s")
# the level types (game/leveltypes/common.py and */exercise.py): feedback and cues
N_("Nearly! Next one.")
N_("Good try!")
N_("Keep going!")
N_("Well tried!")
N_("Great!")
N_("Got it!")
N_("Lovely!")
N_("Well done!")
N_("Chair or rail within reach?")
N_("Chair ready - thank you")
N_("Lift the tray!")
N_("Lift both hands together")
N_("Find the place again")
N_("Remember this place")
N_("Eyes on the curtain - arm down")
N_("Shoulders down")
N_("Sit tall - move just the arm")
N_("Stand tall and steady")
N_("Lift one foot")
N_("Hold steady")
N_("Rest - hold the chair if you like")
N_("Follow it!")
N_("Lean to steer the boat")
# game/session/rules.py (fatigue): whole sentences, so each language can inflect them
N_("Movements are getting slower")
N_("Movements are getting shorter")
N_("Movements are getting shakier")
# issue 11 (h9): the pause box, the honest results line, the chair question, the marble's cue
N_("Stop here?")
N_("Paused")
N_("The level waits for you.")
N_("The reps you did are kept.")
N_("Go on when you are ready.")
N_("No tries this time")
N_("Press Enter, click YES, or hold your hand on it")
N_("Lean gently toward the ring")
