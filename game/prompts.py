"""What the voice says for what happens in a level: a pure function of the game's events.

The play screen turns each update's events into these small records and hands them to
:func:`speech_for`, which returns at most one prompt (or None): the speaker says one thing at a
time, so the events of one step are joined into one short sentence ("Great! 3 of 6."), and the
most useful one wins when they compete. The words are :class:`~game.i18n.Msg` (translated when
spoken, into the patient's language); a level's title and instruction are the level file's
English, which the catalogues translate like any other words.

Stroke rehabilitation guidance for aphasia asks for few words with pictures and speech: a prompt
is the instruction once at the start of a level, then only counts and short praise or cues.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from game.i18n import N_, Msg, Text


@dataclass(frozen=True)
class LevelStarted:
    """A level begins: its title and instruction (English, as in the level file)."""

    title: str
    instruction: str


@dataclass(frozen=True)
class RepDone:
    """A repetition ended: `done` of `total` (its praise or encouragement comes as a Cue)."""

    done: int
    total: int
    success: bool


@dataclass(frozen=True)
class Cue:
    """Words shown to the patient now: feedback ("Great!"), a cue ("Sit tall"), a safety
    question ("Chair or rail within reach?"). `kind` is the feedback kind (hit, miss, cue,
    compensation, info)."""

    kind: str
    words: Text


@dataclass(frozen=True)
class Paused:
    """Play paused with a reason on screen ("Step into view")."""

    reason: Text


@dataclass(frozen=True)
class RestStarted:
    """A rest between sets begins."""

    seconds: float


GameEvent = LevelStarted | RepDone | Cue | Paused | RestStarted
PRIORITY = {LevelStarted: 4, Paused: 3, Cue: 2, RepDone: 1, RestStarted: 1}
"""When events of one step compete, the higher one is spoken (a level start beats a count)."""
CUE_PRIORITY = {"compensation": 3, "cue": 2, "info": 2, "hit": 1, "miss": 1}


def speech_for(events: Sequence[GameEvent]) -> Msg | Text | None:
    """The one prompt to speak for the events of one update step, or None.

    A count and the feedback of the same repetition are joined ("Great! 3 of 6."); a level
    start says its title and instruction; a pause says its reason; a rest says "Rest a moment".
    """
    if not events:
        return None
    top = max(events, key=_rank)
    if isinstance(top, LevelStarted):
        return N_("{title}. {instruction}", title=Msg(top.title), instruction=Msg(top.instruction))
    if isinstance(top, Paused):
        return top.reason
    if isinstance(top, RestStarted):
        return N_("Rest a moment.")
    count = next((e for e in reversed(events) if isinstance(e, RepDone)), None)
    feedback = next((e for e in reversed(events) if isinstance(e, Cue) and e.kind in ("hit", "miss")), None)
    if isinstance(top, Cue) and top.kind not in ("hit", "miss"):
        return top.words
    if count is None:
        return feedback.words if feedback is not None else None
    numbers = N_("{done} of {total}.", done=count.done, total=count.total)
    if feedback is None:
        return numbers
    return N_("{feedback} {count}", feedback=feedback.words, count=numbers)


def _rank(event: GameEvent) -> int:
    if isinstance(event, Cue):
        return PRIORITY[Cue] * 10 + CUE_PRIORITY.get(event.kind, 0)
    return PRIORITY[type(event)] * 10
