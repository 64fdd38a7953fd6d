"""A note, call or task may name the row of a custom object it belongs to (a
membership, an enrolment): the record carries it as ``object_ref`` for the
loader, which posts it in that record's chatter."""

from engine.convert.engagements import engagement_record

NOTE = {
    "Type": "Note",
    "Body": "Asked to pause the portal",
    "Date": "03/05/2023 10:00 AM",
    "Contact Email": "Mia.Chen@example.com",
}


def test_a_note_names_the_custom_object_row_it_belongs_to():
    row = dict(NOTE, **{"Related Object": "Membership", "Related Object ID": "m-2"})
    rec = engagement_record(row, "UTC", default_type="note", target="note")
    assert rec.object_ref == ("Membership", "m-2")
    assert rec.columns["object_ref"] == "Related Object"
    # the contact stays named too (the note's fallback)
    assert rec.contact_email == "mia.chen@example.com"


def test_other_spellings_of_the_object_columns():
    row = dict(NOTE, **{"Object Type": "Enrollment", "Object ID": " e-9 "})
    rec = engagement_record(row, "UTC", default_type="note", target="note")
    assert rec.object_ref == ("Enrollment", "e-9")


def test_an_object_without_its_id_names_nothing():
    for extra in ({}, {"Related Object": "Membership"}, {"Related Object ID": "m-2"}):
        rec = engagement_record(
            dict(NOTE, **extra), "UTC", default_type="note", target="note"
        )
        assert rec.object_ref is None
