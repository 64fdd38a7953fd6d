from engine.readers import Table
from engine.sources.base import get_source


def _table(name, headers):
    row = dict.fromkeys(headers, "x")
    return Table.from_records(name, lambda: [row], headers)


def test_recipient_tables_are_leads_and_the_rest_generic():
    xmpie = get_source("xmpie")
    recipients = _table("export.csv", ["RecipientID", "FirstName", "LastName", "Email"])
    assert xmpie.object_hint(recipients) == "lead"
    proposal = xmpie.object_proposal(recipients)
    assert (proposal.target, proposal.confidence) == ("lead", 0.9)
    assert xmpie.object_hint(_table("Recipients Q1.csv", ["Name", "Email"])) == "lead"
    products = _table("products.csv", ["ProductCode", "ProductName", "Price"])
    assert xmpie.object_hint(products) == "product"
    users = _table("users.csv", ["Name", "Email", "Role"])
    assert xmpie.object_hint(users) == "user"
