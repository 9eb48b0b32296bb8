"""Exceptions raised when a pose source cannot start. Messages are one line for the user."""

from __future__ import annotations


class SourceUnavailable(RuntimeError):
    """A pose source could not be started (missing device, unreadable file)."""


class CameraUnavailable(SourceUnavailable):
    """The camera could not be opened at start; the app then offers the demo."""


class VideoUnavailable(SourceUnavailable):
    """A video file could not be opened or has no frames."""


class RecordingError(SourceUnavailable, ValueError):
    """A landmark recording (.npz) is missing, unreadable or malformed."""


class ModelUnavailable(SourceUnavailable):
    """The pose model could not be started (missing or damaged model file): the machine's
    problem, not the user's input."""
