"""Users (salespeople, team members) -> ``res.users``."""

from __future__ import annotations

from ..core.errors import RowError
from ..core.record import Record
from ..core.rows import get
from ..core.text import norm_email, norm_text
from ._util import homes_of

TARGET = "user"
INACTIVE_WORDS = frozenset({"inactive", "disabled", "deactivated", "archived", "no", "false", "0", "suspended"})  # fmt: skip


def convert(row, tz="UTC"):
    """A user row -> the user, logging in with its email (else its name)."""
    ncol, name = get(row, ("Name", "Full Name", "User Name", "Team Member"))
    email_col, email = get(row, ("Email", "Email Address", "Login"))
    email = norm_email(email)
    if not name and not email:
        raise RowError(ncol or "Name", "", "a user needs a name or an email")
    status_col, status = get(row, ("Status", "Active", "State"))
    active = norm_text(status) not in INACTIVE_WORDS
    # where each value read lands (the cell check reads the user back)
    homes = {
        ncol: ("name", name),
        email_col: ("email", email),
        status_col: ("active", active if status else None),
    }
    return Record(
        "user",
        "res.users",
        {
            "name": name or email,
            "login": email or norm_text(name).replace(" ", "."),
            "email": email or None,
            "active": active,
        },
        homes=homes_of(homes),
    )
