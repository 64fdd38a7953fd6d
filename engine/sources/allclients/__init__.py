"""AllClients source: the CSV exports (contacts, the separate notes export, users, tasks /
follow-ups, email templates, campaigns, groups, attachments) and the API pull.

AllClients has no bulk export API: a migration starts from the contacts export, a
separate notes export that must be joined back to the contacts (by email, the record id
as fallback), and whatever else the account owner can export; the form-post API
(``/api/2/<Method>.aspx``) can pull the same contacts and notes.

The package: ``headers`` (canonical spellings, what a file holds), ``rows`` (one cell,
one contact key), ``notes`` (the notes join), ``groups``, ``custom`` (custom fields),
``parts`` (tasks, templates, attachments), ``client`` (the API), ``converters`` (the rows
that need AllClients' own rule) and ``source`` (the spec). What the Odoo layer calls (all
pure functions, no Odoo), re-exported here:

* :class:`AllClientsSource` (``get_source("allclients")``): ``tables()`` reads files like
  the generic source and renames the headers to one canonical spelling per column
  (``contactid``, ``Contact Id``, ``ContactID`` -> ``"Contact ID"``; ``phone1`` ->
  ``"Phone 1"``; ``adddate`` -> ``"Add Date"``; ``custom3`` -> ``"Custom 3"``); the
  file's own spelling stays in ``Table.raw_headers``. ``object_hint(table)`` says what
  a file holds: one of :data:`KINDS` (``contact``, ``note``, ``activity``, ``user``,
  ``template``, ``campaign``, ``group``, ``attachment``), each with its Odoo model and
  its ``engine.plan`` object.
* :func:`rejoin_notes`, :func:`note_datetime`, :func:`note_parts`, :func:`group_tags`,
  :func:`custom_field_specs`, :func:`task_activity`, :func:`template_parts`
  (:func:`sanitize_html`), :func:`attachment_parts`, :func:`contact_key`.
* :class:`AllClientsClient`: the API pull (``get_contacts``, ``get_contact_notes``,
  ``get_users``, ``get_todos``), yielding rows with the same keys as the CSV exports,
  so the same maps apply to a file upload and to an API pull.

A bad value raises :class:`RowError` (an ``engine.transform.TransformError`` with
``.column`` and ``.value``): the caller turns it into a review item and goes on.

Times: AllClients writes dates as ``12/31/2014 12:46:50 PM`` (month first) and its API
documents note dates as US Central time; :data:`CENTRAL` (``America/Chicago``, with
daylight saving) is the default source zone.
"""

from __future__ import annotations

from ...core.errors import RowError
from ...html import sanitize_html
from .headers import (
    CENTRAL,
    DATE_ORDER,
    GROUP_PREFIX,
    KINDS,
    MAX_ATTACHMENT_BYTES,
    STANDARD_CONTACT,
    SYSTEM,
    TODO_CAP,
    canonical_header,
    canonical_row,
    detect_kind,
    header_key_spaced,
    normalize_headers,
)
from .rows import clean_id, contact_key
from .notes import (
    NoteLink,
    Orphan,
    RejoinResult,
    link_contact,
    note_datetime,
    note_parts,
    rejoin_notes,
)
from .groups import group_members, group_tags
from .custom import custom_field_specs
from .parts import (
    activity_type,
    attachment_parts,
    parse_size,
    task_activity,
    template_parts,
)
from .client import AllClientsClient
from .converters import (
    ACTIVITY_TYPE_XMLIDS,
    CONVERTERS,
    NOTE_IDENTITY,
    convert_attachment,
    convert_group,
    convert_note,
    convert_task,
    convert_template,
)
from .source import AllClientsSource

__all__ = [
    "ACTIVITY_TYPE_XMLIDS",
    "AllClientsClient",
    "AllClientsSource",
    "CENTRAL",
    "CONVERTERS",
    "DATE_ORDER",
    "GROUP_PREFIX",
    "KINDS",
    "MAX_ATTACHMENT_BYTES",
    "NOTE_IDENTITY",
    "NoteLink",
    "Orphan",
    "RejoinResult",
    "RowError",
    "STANDARD_CONTACT",
    "SYSTEM",
    "TODO_CAP",
    "activity_type",
    "attachment_parts",
    "canonical_header",
    "canonical_row",
    "clean_id",
    "contact_key",
    "convert_attachment",
    "convert_group",
    "convert_note",
    "convert_task",
    "convert_template",
    "custom_field_specs",
    "detect_kind",
    "group_members",
    "group_tags",
    "header_key_spaced",
    "link_contact",
    "normalize_headers",
    "note_datetime",
    "note_parts",
    "parse_size",
    "rejoin_notes",
    "sanitize_html",
    "task_activity",
    "template_parts",
]
