"""Attachment lists -> ``ir.attachment`` (a URL, or a file path to copy)."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from urllib.parse import urlsplit

from ..core.errors import RowError
from ..core.record import Record
from ..core.rows import get
from ..core.text import norm_email
from ..transform import TransformError, to_date
from ._util import read
from .defaults import DATE_ORDER
from .engagements import A_OBJECT, A_OBJECT_ID

TARGET = "attachment"
MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024  # larger files are flagged (chunked transfer)
A_NAME = ("File Name", "Filename", "File", "Name", "Document", "Document Name")
A_SIZE = ("File Size", "Size", "Bytes", "File Size (bytes)")
A_UPLOADED = ("Uploaded", "Upload Date", "Date Uploaded", "Date", "Added", "Created")
A_URL = ("URL", "Link", "Download URL", "File URL", "Download Link")
A_PATH = ("Path", "File Path", "Local Path", "Folder")
A_CONTACT_REF = ("Contact ID", "Contact Id", "Contact #", "Contact Number", "Record ID", "Client ID")  # fmt: skip
# the deal the file is on (by its source id)
A_LEAD_REF = ("Deal ID", "Deal Id", "Opportunity ID", "Lead ID")
A_EMAIL = ("Email", "Contact Email", "E-mail", "Email Address", "Primary Email")

_SIZE_RE = re.compile(r"^\s*([\d.,]+)\s*([kmgt]?i?b|bytes?)?\s*$", re.I)
_SIZE_UNITS = {
    "": 1, "b": 1, "byte": 1, "bytes": 1, "kb": 1024, "kib": 1024, "mb": 1024**2,
    "mib": 1024**2, "gb": 1024**3, "gib": 1024**3, "tb": 1024**4,
}  # fmt: skip


def parse_size(value) -> int | None:
    """``"850 KB"``, ``"12.5 MB"``, ``"10485760"`` -> bytes; None when blank;
    ``TransformError`` when unreadable."""
    text = "" if value is None else str(value).strip()
    if not text:
        return None
    m = _SIZE_RE.match(text)
    if not m:
        raise TransformError(f"{text!r} is not a file size")
    number = float(m.group(1).replace(",", ""))
    unit = (m.group(2) or "").lower()
    return int(number * _SIZE_UNITS.get(unit, 1))


def split_location(url: str, path: str) -> tuple[str, str]:
    """``(url, path)``: a "URL" that is not http(s) is a path."""
    if url and not re.match(r"^https?://", url, re.I):
        return "", path or url
    return url, path


def file_name(name: str, url: str, path: str) -> str:
    """The given name, else the last part of the URL or path."""
    return name or (Path(urlsplit(url).path).name if url else Path(path).name)


def convert(row, tz="UTC"):
    """An attachments-list row -> the attachment; RowError without URL or path."""
    _c, url = get(row, A_URL)
    _c, path = get(row, A_PATH)
    url, path = split_location(url, path)
    if not url and not path:
        raise RowError("URL", "", "neither a URL nor a path: nothing to attach")
    size = read(row, A_SIZE, parse_size)
    uploaded = read(row, A_UPLOADED, lambda v: to_date(v, order=DATE_ORDER))
    _c, name = get(row, A_NAME)
    _c, contact_ref = get(row, A_CONTACT_REF)
    _c, email = get(row, A_EMAIL)
    record = attachment_record(
        file_name(name, url, path), url, path, size, uploaded,
        contact_ref or None, norm_email(email) or None,
    )  # fmt: skip
    lead_col, lead_ref = get(row, A_LEAD_REF)
    if lead_ref:
        record.lead_ref = str(lead_ref).strip()
        record.columns["lead_ref"] = lead_col
    # the row of a custom object (a membership) the file belongs to
    obj_col, obj = get(row, A_OBJECT)
    _c, obj_id = get(row, A_OBJECT_ID)
    if obj and obj_id:
        record.object_ref = (obj, obj_id)
        record.columns["object_ref"] = obj_col
    return record


def attachment_record(name, url, path, size, uploaded, contact_ref, email):
    """The Record of one attachment (a large file is flagged for chunked copy)."""
    return Record(
        "attachment",
        "ir.attachment",
        {
            "name": name,
            "url": url or None,
            "path": path or None,
            "size": size,
            "large": bool(size and size > MAX_ATTACHMENT_BYTES),
        },
        contact_ref=contact_ref,
        contact_email=email,
        created=dt.datetime.combine(uploaded, dt.time(12)) if uploaded else None,
    )
