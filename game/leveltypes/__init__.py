"""Level types: one subpackage each (reach, trace, bilateral, weight_shift, stance,
position_match, posture), holding everything one ``type = "..."`` of a level file is.

Shared machinery: params.py (parameter declaration and validation), base.py (context, Body,
goals, the Exercise protocol), events.py (reps and feedback), views.py (typed views),
common.py (ExerciseBase, ChairCheck, target geometry), measure.py (what metrics modules
compute from), simulate.py (the shared hand goal for the simulated patient) and registry.py
(LevelType and discovery). See the README's "Adding a level type".
"""
