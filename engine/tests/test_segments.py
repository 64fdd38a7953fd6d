import pytest

from engine.convert import convert
from engine.segments import matches, parse_rule


@pytest.mark.parametrize(
    "text, column, value",
    [
        ("Region = 'West'", "Region", "West"),
        ("[Tier] equals Gold", "Tier", "Gold"),
        ('Status == "Active Customer"', "Status", "Active Customer"),
        ('{"field": "Tier", "operator": "equals", "value": "Gold"}', "Tier", "Gold"),
        ('{"conditions": [{"field": "Tier", "value": "Gold"}]}', "Tier", "Gold"),
        ("City = 'Portland AND Salem'", "City", "Portland AND Salem"),
    ],
)
def test_simple_rules(text, column, value):
    rule = parse_rule(text)
    assert (rule.simple, rule.column, rule.value) == (True, column, value)


@pytest.mark.parametrize(
    "text",
    [
        "Tier = 'Gold' AND Region = 'West'",
        "LoyaltyPoints > 1000",
        "Region != 'West'",
        "Email contains '@acme'",
        '{"all": [{"field": "Tier", "value": "Gold"}, {"field": "Region", "value": "W"}]}',
        '{"field": "Points", "operator": "greater than", "value": 10}',
        "",
    ],
)
def test_compound_rules_are_never_applied(text):
    rule = parse_rule(text)
    assert rule.compound and not rule.simple
    assert not matches(rule, {"Tier": "Gold", "Region": "West"})


def test_matches_compares_headers_and_values_normalised():
    rule = parse_rule("Region = 'West'")
    assert matches(rule, {" region ": "  WEST "})
    assert matches(parse_rule("CustomerTier = Gold"), {"Customer Tier": "gold"})
    assert not matches(rule, {"Region": "East"})
    assert not matches(rule, {"Area": "West"})


def test_rule_json_keeps_the_source_rule():
    compound = parse_rule("Tier = 'Gold' AND Region = 'West'")
    assert compound.as_json() == "{\"rule\": \"Tier = 'Gold' AND Region = 'West'\"}"
    simple = parse_rule("Region = West")
    assert (
        simple.as_json() == '{"field": "Region", "operator": "equals", "value": "West"}'
    )


def test_segment_and_product_link_converters():
    seg = convert("segment", {"Segment Name": "Gold", "Rule": "Tier = Gold"})
    assert seg.model == "crm.tag"
    assert (seg.values["column"], seg.values["value"], seg.values["compound"]) == (
        "Tier",
        "Gold",
        False,
    )
    link = convert("product_link", {"Recipient ID": "R1", "Product Code": "BRO"})
    assert (link.model, link.lead_ref, link.values["product_code"]) == (
        "crm.lead",
        "R1",
        "BRO",
    )
