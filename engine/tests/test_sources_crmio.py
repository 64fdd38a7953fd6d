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
