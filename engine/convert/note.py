"""Notes -> ``mail.message`` with the note subtype, dated as in the source."""

from __future__ import annotations

from .engagements import engagement_record

TARGET = "note"


def convert(row, tz="UTC"):
    """A notes-export row -> the chatter note (or logged message) it is."""
    return engagement_record(row, tz, default_type="note", target="note")
