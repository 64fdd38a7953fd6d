"""Tasks and engagements -> ``mail.activity`` (open or done) or a logged message."""

from __future__ import annotations

from .engagements import engagement_record

TARGET = "activity"


def convert(row, tz="UTC"):
    """A task/engagement row -> an activity, or the chatter message it really is."""
    return engagement_record(row, tz)
