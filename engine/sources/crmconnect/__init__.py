"""crmConnect source: the multi-file CSV exports of a white-label CRM with no public API.

crmConnect exports one CSV per object from its UI: contacts ("First Name", "Last Name",
"Email", "Phone" in E.164, "Company Name", "Tags", "Created" as mm/dd/yyyy, custom columns
at the end), companies, pipelines and stages, opportunities (status open / won / lost /
abandoned), appointments, engagements (emails, calls, meetings, notes, SMS), tasks, a
custom object (memberships / course enrollments), products and invoices. Beyond the
documented contact headers the spellings are not public, so nothing here depends on one
spelling: every column is looked up through a list of aliases compared after
:func:`engine.propose.normalize_header`, and file kinds are recognised from the file name
and, failing that, from the headers.

Pure functions the Odoo layer calls (no Odoo import; see ``engine/README.md``):

* :func:`file_kind` / :func:`object_hint`: which export a table is and which object it
  loads (``contact``, ``company``, ``team``, ``stage``, ``lead``, ``event``, ``activity``,
  ``note``, ``membership``, ``product``, ``invoice``);
* :func:`file_order`: the tables in dependency order (:mod:`engine.plan`);
* :func:`pipeline_stages`: one ``crm.team`` per pipeline with its ``crm.stage`` list
  (order, win probability, won and folded flags);
* :func:`opportunity_status`: open / won / lost / abandoned (abandoned -> lost with the
  reason "Abandoned");
* :func:`engagement_kind`: chatter message (subtype) or activity (type, done), with the
  original timestamp in UTC;
* :func:`appointment_event`: ``calendar.event`` values (UTC naive start/stop, attendees);
* :func:`custom_properties`: the non-standard columns with an inferred type and an ``x_``
  name;
* :func:`dedupe_across_files`: people and companies that appear in several files.

Problems never raise here (except an unknown opportunity status, like every transform):
they come back as ``issues`` (``{"kind", "line", "column", "value", "reason"}``) that the
Odoo layer turns into review items with the file name.
"""

from __future__ import annotations

from ...convert.appointments import (  # noqa: F401 (crmConnect's rules are the generic ones)
    A_APPT_ALLDAY,
    A_APPT_ATTENDEES,
    A_APPT_CALENDAR,
    A_APPT_CONTACT,
    A_APPT_DESCRIPTION,
    A_APPT_END,
    A_APPT_LOCATION,
    A_APPT_ORGANIZER,
    A_APPT_START,
    A_APPT_STATUS,
    A_APPT_TITLE,
    A_APPT_TZ,
    CANCELLED_WORDS,
    DEFAULT_DURATION,
    _emails,
    appointment_event,
)
from ...convert.defaults import DATE_ORDER  # noqa: E402,F401 crmConnect writes mm/dd/yyyy
from ...convert.engagements import (  # noqa: F401 (crmConnect's rules are the generic ones)
    A_AUTHOR,
    A_BODY,
    A_COMPLETED,
    A_COMPLETED_FLAG,
    A_DATE,
    A_DIRECTION,
    A_DUE,
    A_DURATION,
    A_STATUS,
    A_SUBJECT,
    A_TYPE,
    ACTIVITY_TYPES,
    ENGAGEMENT_TYPES,
    MESSAGE_SUBTYPES,
    Engagement,
    _date_cols,
    _source_type,
    _when,
    engagement_kind,
)
from ...convert.engagement_status import DONE_WORDS, OPEN_WORDS  # noqa: E402,F401
from ...convert.pipelines import (  # noqa: F401 (crmConnect's rules are the generic ones)
    _ABANDONED_WORDS,
    A_PIPELINE_ID,
    A_PIPELINE_NAME,
    A_STAGE_FOLD,
    A_STAGE_ID,
    A_STAGE_NAME,
    A_STAGE_ORDER,
    A_STAGE_PIPELINE_ID,
    A_STAGE_PIPELINE_NAME,
    A_STAGE_PROBABILITY,
    A_STAGE_WON,
    ABANDONED,
    OpportunityStatus,
    _probability,
    _stage_status,
    opportunity_status,
    pipeline_stages,
)
from ...core.rows import OWN_NOUNS  # noqa: F401
from ...core.rows import norm as _norm  # noqa: F401
from .files import (  # noqa: F401
    EXTRA_DEPENDS,
    KINDS,
    KIND_ORDER,
    KIND_TABLE,
    SIGNATURE_MIN,
    _STANDARD,
    _header_kind,
    _name_kind,
    file_kind,
    file_order,
    object_hint,
)
from .custom import custom_properties  # noqa: F401
from .dedupe import (  # noqa: F401
    A_COMPANY_RECORD,
    A_COMPANY_REF,
    A_PERSON_RECORD,
    A_PERSON_REF,
    DEDUPE_COLUMNS,
    MAX_MEMBERS,
    STATUS_RANK,
    dedupe_across_files,
)
from .source import CrmConnectSource  # noqa: F401
