"""Offline analysis of recorded clips: ``uv run main.py analyze VIDEO --exercise ID``.

- :mod:`game.analysis.track`: MediaPipe pose on every frame of a file (no pixels kept);
- :mod:`game.analysis.exercises`: the exercise registry (``arm-raise``, ``elbow-flexion``;
  the hands, legs and face issues register theirs);
- :mod:`game.analysis.face`: the face exercises (``mouth-opening``, ``smile``) and face tracking;
- :mod:`game.analysis.core`: reps (start position -> movement -> back) and their metrics;
- :mod:`game.analysis.report`: the JSON other tools rely on, CSV, the one-screen summary;
- :mod:`game.analysis.cli`: the subcommand.

Frames are decoded by game.tracking's offline reader (game/tracking/video_file.py); the
measurement behind game/scoring/noise_floor.py is tools/noise_study.py.

Nothing here writes to a patient's history.
"""

from game.analysis import face as face  # noqa: E402,F401  (registers the face exercises)
from game.analysis import legs as _legs  # noqa: E402,F401  (registers squat and sit-to-stand)
