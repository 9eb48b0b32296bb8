"""A lock-protected "latest value" slot: how threads in the tracking pipeline hand data over.

The camera thread writes pictures, the tracker worker writes poses, and readers take the
newest item only. Older items are overwritten, never queued, so latency stays constant
(docs/performance-notes.md §4.1: a 4-deep driver queue alone can add ~130 ms).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Generic, TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class Stamped(Generic[T]):
    """One item in a slot.

    Attributes
    ----------
    seq : int
        Sequence number, strictly increasing over the slot's life (1 for the first item).
    t_s : float
        Monotonic capture timestamp of the item in seconds.
    value : T
        The item itself.
    """

    seq: int
    t_s: float
    value: T


class LatestSlot(Generic[T]):
    """Holds only the newest item; readers ask for "anything newer than seq N".

    Writers never block on readers and readers never block on writers for longer than a
    pointer swap. :meth:`wait_newer` lets a worker sleep until new data arrives instead of
    spinning.
    """

    def __init__(self) -> None:
        self._cond = threading.Condition(threading.Lock())
        self._item: Stamped[T] | None = None
        self._seq = 0

    def put(self, value: T, t_s: float) -> int:
        """Store ``value`` as the newest item and return its sequence number."""
        with self._cond:
            self._seq += 1
            self._item = Stamped(self._seq, float(t_s), value)
            self._cond.notify_all()
            return self._seq

    def latest(self) -> Stamped[T] | None:
        """The newest item, or None if nothing was ever put."""
        with self._cond:
            return self._item

    def newer_than(self, seq: int) -> Stamped[T] | None:
        """The newest item if its sequence number is greater than ``seq``, else None."""
        with self._cond:
            item = self._item
            return item if item is not None and item.seq > seq else None

    def wait_newer(self, seq: int, timeout_s: float) -> Stamped[T] | None:
        """Block up to ``timeout_s`` seconds for an item newer than ``seq``."""
        with self._cond:
            self._cond.wait_for(lambda: self._item is not None and self._item.seq > seq, timeout=timeout_s)
            item = self._item
            return item if item is not None and item.seq > seq else None

    def wait_after(self, t_s: float, timeout_s: float) -> Stamped[T] | None:
        """Block up to ``timeout_s`` seconds for an item stamped later than ``t_s``."""
        with self._cond:
            self._cond.wait_for(lambda: self._item is not None and self._item.t_s > t_s, timeout=timeout_s)
            item = self._item
            return item if item is not None and item.t_s > t_s else None

    def wake(self) -> None:
        """Wake every waiter (used on shutdown so threads notice a stop flag)."""
        with self._cond:
            self._cond.notify_all()

    @property
    def seq(self) -> int:
        """Sequence number of the newest item (0 when empty)."""
        with self._cond:
            return self._seq
