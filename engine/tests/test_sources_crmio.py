"""CRM.io's spec: its export files are recognised by name or, unnamed, by headers."""

from __future__ import annotations

import pytest

from engine.readers import open_tables
from engine.sources.base import get_source


def _table(name, text):
    return open_tables(name, text.encode("utf-8"))[0]


@pytest.mark.parametrize(
    ("name", "text", "hint"),
    [
        ("Documents.csv", "File Name,Related To\nq.pdf,Acme deal\n", "attachment"),
        # an export saved under a browser's name: the headers say what it is
        ("export (3).csv", "File Name,File Type,File Size,Related To\nq.pdf,pdf,2 MB,Acme\n",
         "attachment"),
        ("download.csv", "Subject,Activity Type,Due Date,Related To\nCall,Call,05/02/2024,Acme\n",
         "activity"),
        ("Notes.csv", "Note,Related To,Created\nhello,Acme,05/02/2024\n", "note"),
    ],
)  # fmt: skip
def test_file_kinds(name, text, hint):
    assert get_source("crmio").object_hint(_table(name, text)) == hint


def test_the_generic_source_cannot_tell_an_unnamed_documents_list():
    table = _table(
        "export (3).csv",
        "File Name,File Type,File Size,Related To\nq.pdf,pdf,2 MB,Acme\n",
    )
    assert get_source("generic").object_hint(table) != "attachment"


def test_companies_and_people_are_left_to_the_proposer():
    table = _table(
        "Accounts.csv", "Account Name,Industry,Website\nAcme,Retail,acme.example\n"
    )
    assert get_source("crmio").object_hint(table) == "company"


# ---------------------------------------------------------------- the spec's rules
from engine.convert.stage_order import infer_stages  # noqa: E402
from engine.core.links import rules_for  # noqa: E402
from engine.sources import crmio  # noqa: E402


def _deal(pipeline, stage, probability, status):
    return {"pipeline": pipeline, "stage": stage, "probability": probability,
            "status": status}  # fmt: skip


def test_stages_inferred_per_pipeline_by_probability_won_after_open_lost_last():
    stages = infer_stages(
        [
            _deal("Sales", "Negotiation", 80, "open"),
            _deal("Sales", "Closed Won", 100, "won"),
            _deal("Partners", "Signed", 100, "won"),
            _deal("Sales", "Qualification", 20, "open"),
            _deal("Sales", "Qualification", 30, "open"),
            # lost in an open stage: the stage stays open, its 0% is not counted
            _deal("Sales", "Negotiation", 0, "lost"),
            _deal("Sales", "Dropped", 0, "lost"),
            _deal("Partners", "Review", None, "open"),
            _deal("sales", "qualification", 10, "open"),  # same stage, any case
            _deal("Sales", "", 50, "open"),  # no stage: nothing inferred
        ]
    )
    got = [(s.pipeline, s.name, s.sequence, s.status, s.probability) for s in stages]
    assert got == [
        ("Sales", "Qualification", 1, "open", 20.0),
        ("Sales", "Negotiation", 2, "open", 80.0),
        ("Sales", "Closed Won", 3, "won", None),
        ("Sales", "Dropped", 4, "lost", None),
        ("Partners", "Review", 1, "open", None),
        ("Partners", "Signed", 2, "won", None),
    ]
    assert [(s.is_won, s.fold) for s in stages if s.pipeline == "Sales"] == [
        (False, False), (False, False), (True, True), (False, True),
    ]  # fmt: skip


def test_a_stage_holding_more_won_than_open_deals_is_won():
    stages = infer_stages(
        [
            _deal("P", "Signed", 100, "won"),
            _deal("P", "Signed", 100, "won"),
            _deal("P", "Signed", 90, "open"),
        ]  # fmt: skip
    )
    assert [(s.name, s.status) for s in stages] == [("Signed", "won")]


def test_links_and_identities_declared_by_the_spec():
    source = get_source("crmio")
    assert source.infer_stages is True
    assert [(r.parent, r.key) for r in rules_for(source.links, "lead")] == [
        ("contact", "email"), ("company", "account name"),
    ]  # fmt: skip
    assert [(r.parent, r.key) for r in rules_for(source.links, "attachment")] == [
        ("lead", "deal name"), ("contact", "email"),
    ]  # fmt: skip
    row = {"Contact Email": "ANN@X.COM", "Date": "2026-10-14T15:30:00Z",
           "Subject": "Discovery call", "Activity Type": "Call"}  # fmt: skip
    again = dict(row, **{"Contact Email": "ann@x.com", "Date": "2026-10-14T18:00Z"})
    assert source.identity_key("activity", row) == source.identity_key(
        "activity", again
    )
    assert source.identity_key("company", {"Account Name": "Globex Corp"}) != (
        source.identity_key("company", {"Account Name": "Globex Corporation"})
    )
    assert get_source("generic").identity_key("activity", row) is None


def test_activity_keeps_call_duration_and_outcome_in_values():
    row = {
        "Activity Type": "Call", "Subject": "Discovery call",
        "Date": "2026-10-14T15:30:00Z", "Status": "Completed",
        "Contact Email": "ann@x.com", "Duration (mins)": "25",
        "Call Outcome": "Interested", "Assigned To": "Alice Seller",
    }  # fmt: skip
    record = get_source("crmio").convert("activity", row)
    assert (record.values["duration"], record.values["outcome"]) == (25.0, "Interested")
    assert record.contact_email == "ann@x.com"
    seconds = dict(row, **{"Duration (mins)": ""}, **{"Duration (sec)": "90"})
    assert crmio.call_minutes(seconds) == 1.5
    bad = dict(row, **{"Duration (mins)": "long"})
    record = get_source("crmio").convert("activity", bad)
    assert record.values["duration"] is None
    assert ("Duration (mins)", "long", "call duration is not a number") in record.issues


def test_documents_url_or_metadata_only():
    source = get_source("crmio")
    url = source.convert(
        "attachment",
        {"File Name": "q.pdf", "File URL": "https://files.crm.io/d/q.pdf",
         "Related To": "Acme deal", "Size (KB)": "2", "Uploaded On": "10/21/2026"},
    )  # fmt: skip
    assert (url.values["url"], url.values["pending"], url.values["size"]) == (
        "https://files.crm.io/d/q.pdf", False, 2048,
    )  # fmt: skip
    meta = source.convert("attachment", {"File Name": "eula.docx", "Related To": "X"})
    assert (meta.values["name"], meta.values["url"], meta.values["pending"]) == (
        "eula.docx", None, True,
    )  # fmt: skip
    with pytest.raises(Exception, match="file name or a URL"):
        source.convert("attachment", {"Related To": "X"})


def test_a_leads_status_is_proposed_as_a_field_of_its_own():
    from engine.propose import propose_fields

    source = get_source("crmio")
    names = source.canonical_headers(["Lead Status", "Status", "Email"], "lead")
    assert names == {"Lead Status": "Lead Qualification", "Status": "Status",
                     "Email": "Email"}  # fmt: skip
    assert source.canonical_headers(["Lead Status"], "contact") == {
        "Lead Status": "Lead Status"
    }
    # a lead that is a person: its "Title" is the job title
    people = source.canonical_headers(["First Name", "Last Name", "Title"], "lead")
    assert people["Title"] == "Job Title"
    assert source.canonical_headers(["Title", "Amount"], "lead") == {
        "Title": "Title", "Amount": "Amount",
    }  # fmt: skip
    cols = [{"name": people[h], "type": "text", "non_null": 9, "distinct": 9}
            for h in ("First Name", "Last Name", "Title")]  # fmt: skip
    assert [p.field for p in propose_fields("lead", cols)] == [
        "first_name", "last_name", "function",
    ]  # fmt: skip
    column = {"name": names["Lead Status"], "type": "text", "non_null": 9}
    (proposal,) = propose_fields("lead", [column])
    assert proposal.field is None and proposal.new_field["type"] == "char"


def test_deal_facts_and_the_stage_preview():
    from engine.convert.stage_order import deal_facts, describe

    columns = {"team_id": "Pipeline", "stage_id": "Stage", "probability": "Prob",
               "status": None}  # fmt: skip
    row = {"Pipeline": "Sales", "Stage": "Proposal", "Prob": "60%"}
    assert deal_facts(row, columns) == {
        "pipeline": "Sales", "stage": "Proposal", "probability": 60.0, "status": "open",
    }  # fmt: skip
    assert deal_facts(dict(row, Prob="n/a"), columns)["probability"] is None
    assert deal_facts(dict(row, Prob=""), columns)["probability"] is None
    won = deal_facts({"Stage": "Signed", "State": "Won"}, dict(columns, status="State"))
    assert (won["status"], won["pipeline"]) == ("won", "")
    stages = infer_stages(
        [deal_facts(row, columns), deal_facts({"Pipeline": "Sales", "Stage": "Won It",
                                               "St": "won"}, dict(columns, status="St"))]
    )  # fmt: skip
    assert describe(stages) == "Sales: 1 Proposal (60%), 2 Won It (won)"


def test_an_email_templates_file_is_templates_their_merge_fields_kept_inert():
    from engine.convert import template

    table = _table(
        "email_templates.csv",
        "Template Name,Subject,Body\n"
        'Welcome,"Welcome aboard, {{contact.first_name}}!","<p>Hi {{ contact.first_name }},'
        ' {user_name} and %account_name% wish you well {color:red}</p>"\n',
    )
    assert get_source("crmio").object_hint(table) == "template"
    ((_line, row),) = table.rows()
    record = template.convert(row)
    # Odoo evaluates {{ }} in a template's subject: another product's merge
    # field would fail every send; it is kept as text, visibly not merged
    assert record.values["subject"] == "Welcome aboard, [contact.first_name]!"
    assert record.values["merge_fields"] == {
        "subject": ["{{contact.first_name}}"],
        "body": ["{{ contact.first_name }}", "{user_name}", "%account_name%"],
    }
    # the review names the columns they are in
    assert record.columns["subject"] == "Subject"
    assert record.columns["body"] == "Body"
    assert "{{ contact.first_name }}" in record.values["body_html"]
