import pytest

from engine.core.errors import RowError
from engine.lookup import LookupIndex
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


def test_each_export_is_its_kind_by_headers_before_its_name():
    xmpie = get_source("xmpie")
    links = _table(
        "recipient_products.csv", ["RecipientID", "ProductCode", "OrderedOn"]
    )
    assert xmpie.object_hint(links) == "product_link"
    assets = _table("proofs.csv", ["AssetID", "RecipientID", "AssetName", "URL"])
    assert xmpie.object_hint(assets) == "attachment"
    segments = _table("audience.csv", ["SegmentName", "Rule"])
    assert xmpie.object_hint(segments) == "segment"
    campaigns = _table("c.csv", ["CampaignID", "CampaignName", "StartDate", "Team"])
    assert xmpie.object_hint(campaigns) == "team"
    workflows = _table("workflows.csv", ["WorkflowName", "Trigger", "Action"])
    assert xmpie.object_hint(workflows) == "workflow"  # not loaded: inventory


def test_xmpie_converters_campaign_team_product_and_asset():
    xmpie = get_source("xmpie")
    team = xmpie.convert("team", {"CampaignName": "Spring", "Team": "Direct Mail"})
    assert team.values["name"] == "Direct Mail"
    with pytest.raises(RowError) as exc:
        xmpie.convert("team", {"CampaignName": "Fair", "Team": ""})
    assert exc.value.column == "Team" and "a campaign names no team" in exc.value.reason
    # every campaign of a file without a team column: one reason, one column
    # and one value, so the review queue groups them into one item
    errors = []
    for name in ("Fair", "Spring"):
        with pytest.raises(RowError) as exc:
            xmpie.convert("team", {"CampaignID": name, "CampaignName": name})
        errors.append((exc.value.column, exc.value.value, exc.value.reason))
    assert errors[0] == errors[1]
    assert errors[0][2].startswith("the campaigns file has no team column")
    product = xmpie.convert(
        "product",
        {"ProductID": "P-1", "ProductCode": "BRO", "ProductName": "Brochure",
         "ListPrice": "1.250,00", "Cost": "610,50", "VariableData": "FirstName; PURL"},
    )  # fmt: skip
    assert product.values["default_code"] == "BRO"
    assert (product.values["list_price"], product.values["standard_price"]) == (
        1250.0,
        610.5,
    )
    assert product.values["attributes"] == "FirstName; PURL"
    asset = xmpie.convert(
        "attachment",
        {"RecipientID": "R1", "AssetName": "p.pdf", "URL": "https://x.example/p.pdf"},
    )
    assert (asset.lead_ref, asset.values["url"]) == ("R1", "https://x.example/p.pdf")


def test_xmpie_declares_its_shared_rules():
    xmpie = get_source("xmpie")
    assert "lead" in xmpie.dedupe_by_email and xmpie.lead_company_partner
    assert [f for f, _why in xmpie.flag_missing["lead"]] == ["email_from"]
    (campaign,) = xmpie.lookups
    index = LookupIndex(
        campaign,
        [
            {"CampaignID": "C1", "CampaignName": "Spring", "StartDate": "03/01/2024",
             "Team": "Direct Mail", "Owner": "alice@example.com"},
        ],
    )  # fmt: skip
    _col, ref, found = index.find({"CampaignID": "c1"})
    assert ref == "c1" and found["Team"] == "Direct Mail"
    assert index.values(found) == {
        "campaign_id": ("CampaignName", "Spring"),
        "x_campaign_start": ("StartDate", "03/01/2024"),
        "team_id": ("Team", "Direct Mail"),
        "user_id": ("Owner", "alice@example.com"),
    }
    assert index.find({"CampaignName": "Spring"})[2] is found
    assert index.find({"CampaignID": "C9"})[2] is None


def test_sample_generator_files_are_each_recognised(tmp_path):
    import importlib.util
    from pathlib import Path

    path = Path(__file__).resolve().parents[2] / "samples" / "gen_xmpie.py"
    spec = importlib.util.spec_from_file_location("gen_xmpie", path)
    gen = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(gen)
    summary = gen.generate(tmp_path)
    xmpie = get_source("xmpie")
    hints = {t.name: xmpie.object_hint(t) for t in xmpie.tables(tmp_path)}
    assert hints == {
        "assets.csv": "attachment",
        "campaigns.csv": "team",
        "products.csv": "product",
        "recipient_products.csv": "product_link",
        "recipients.csv": "lead",
        "segments.json": "segment",
        "workflows.json": "workflow",
    }
    assert len(summary["defects"]) == 13


def test_asset_url_or_metadata_waiting_for_upload():
    xmpie = get_source("xmpie")
    linked = xmpie.convert(
        "attachment",
        {"RecipientID": "R2", "AssetName": "p.pdf",
         "PreviewLink": "https://assets.example/p.pdf"},
    )  # fmt: skip
    assert (linked.values["url"], linked.values["pending"]) == (
        "https://assets.example/p.pdf",
        False,
    )
    on_server = xmpie.convert(
        "attachment", {"AssetName": "t.indd", "Path": "\\\\uprod\\assets\\t.indd"}
    )
    assert on_server.values["pending"] and on_server.lead_ref is None
    assert on_server.values["name"] == "t.indd"


def test_a_segments_csv_is_segments_as_the_json_plan_is():
    from engine.readers import open_tables
    from engine.records import convert

    (table,) = open_tables(
        "audience_segments.csv",
        b"SegmentName;Rule\r\nWest Region;Region = 'West'\r\n"
        b"Gold in the West;Tier = 'Gold' AND Region = 'West'\r\n",
    )
    assert get_source("xmpie").object_hint(table) == "segment"
    simple, compound = (convert("segment", row) for _line, row in table.rows())
    assert (simple.values["name"], simple.values["column"], simple.values["value"]) == (
        "West Region", "Region", "West",
    )  # fmt: skip
    assert (compound.values["name"], compound.values["compound"]) == (
        "Gold in the West", True,
    )  # fmt: skip
