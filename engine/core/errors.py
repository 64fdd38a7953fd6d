"""The two errors every layer of the engine raises and catches."""

from __future__ import annotations

from typing import Any


class TransformError(ValueError):
    """A value that cannot be converted; ``str(e)`` is the reason for a person."""


class RowError(TransformError):
    """A value of a row cannot be used: ``.column`` and ``.value`` say which."""

    def __init__(self, column: str, value: Any, reason: str):
        self.column = column
        self.value = value
        self.reason = reason
        super().__init__(f"{column}: {reason}")


class SkippedRow(RowError):
    """A row the source itself says is not a record of its own (a quote review
    that a later review replaced, or a line of it): left out by that rule, its
    row skipped and its cells not migrated, with the reason in the run's log;
    nobody is asked to review it."""
