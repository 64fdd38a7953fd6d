import json

import pytest

from engine.inventory import (
    INVENTORY_FORMAT,
    NOT_MIGRATED,
    grade,
    inventory,
    inventory_text,
    not_migrated,
)

SYSTEMS = {"generic", "allclients", "crmconnect", "crmio", "ploomes", "xmpie"}


def _objects(system):
    return " | ".join(item["object"].lower() for item in NOT_MIGRATED[system])


def test_catalogue_covers_every_system_with_complete_entries():
    assert set(NOT_MIGRATED) == SYSTEMS
    for system, items in NOT_MIGRATED.items():
        assert items, system
        for item in items:
            assert set(item) == {"object", "why", "rebuild_in_odoo"}, system
            assert all(isinstance(v, str) and v.strip() for v in item.values())
        names = [item["object"] for item in items]
        assert len(names) == len(set(names)), system


def test_catalogue_names_what_each_source_cannot_export():
    assert "landing pages" in _objects("allclients")
    assert "workflows" in _objects("allclients")
    assert "forecasting" in _objects("crmio")
    assert "email templates" in _objects("crmio")
    assert "workflow automations" in _objects("ploomes")
    assert "workflow and automation logic" in _objects("xmpie")
    assert "segment rules" in _objects("xmpie")
    assert "landing page" in _objects("crmconnect")
    assert "email sequences" in _objects("crmconnect")


def test_not_migrated_falls_back_to_generic_and_returns_copies():
    assert not_migrated("nosuchsystem") == NOT_MIGRATED["generic"]
    assert not_migrated(None) == NOT_MIGRATED["generic"]
    items = not_migrated("xmpie")
    items[0]["object"] = "changed"
    assert NOT_MIGRATED["xmpie"][0]["object"] != "changed"


@pytest.mark.parametrize(
    ("args", "kwargs", "letter"),
    [
        ((3, 3), {}, "A"),
        ((3, 2), {"new_fields": 1}, "B"),
        ((4, 2), {}, "B"),
        ((3, 1), {}, "C"),
        ((3, 2), {"unmapped_objects": 1}, "C"),
        ((3, 3), {"dropped_columns": 2, "unmapped_objects": 1}, "C"),
        ((3, 0), {}, "D"),
        ((3, 3), {"rows": 100, "open_reviews": 30}, "C"),
        ((3, 3), {"rows": 100, "open_reviews": 10}, "B"),
        ((3, 3), {"rows": 100, "open_reviews": 5}, "A"),
        ((3, 3), {"rows": 2_000_000}, "B"),
        ((0, 0), {}, "D"),
    ],
)
def test_grade_letters(args, kwargs, letter):
    assert grade(*args, **kwargs).letter == letter


def test_grade_gives_reasons_a_person_can_read():
    simple = grade(3, 3)
    assert simple.label == "Simple"
    assert simple.reasons == ["All 3 objects map 1:1 to Odoo fields."]
    hard = grade(
        5,
        1,
        new_fields=2,
        dropped_columns=1,
        unmapped_objects=1,
        rows=1_000,
        open_reviews=300,
    )
    assert (hard.letter, hard.label) == ("D", "Hard")
    text = "\n".join(hard.reasons)
    assert "1 of 5 objects map 1:1" in text
    assert "2 new custom fields (x_)" in text
    assert "1 source object not migrated" in text
    assert "1 non-empty column set to 'Do not migrate'" in text
    assert "300 open review items for 1000 rows (30%)" in text
    assert grade(0, 0).reasons == ["No source object is staged yet."]
    letter, label, points, reasons = grade(2, 1)
    assert (letter, label, points) == ("B", "Standard", 1)


def test_inventory_is_json_and_readable():
    data = inventory(
        "allclients",
        project="Acme",
        unmapped=[
            {"object": "notes", "file": "notes.csv", "rows": 12, "columns": ["Body"]}
        ],
        dropped_columns=[{"object": "contacts", "column": "Fax", "fill_rate": 0.25}],
    )
    assert json.loads(json.dumps(data)) == data
    assert data["format"] == INVENTORY_FORMAT
    assert data["system"] == "allclients"
    assert data["not_migrated_sources"][0]["object"] == "notes"
    assert data["not_migrated_sources"][0]["rows"] == 12
    assert data["dropped_columns"] == [
        {"object": "contacts", "column": "Fax", "fill_rate": 0.25}
    ]
    assert data["never_migrated"] == NOT_MIGRATED["allclients"]
    text = inventory_text(data)
    assert text.startswith("# What does not migrate: Acme")
    assert "- notes (notes.csv, 12 rows)" in text
    assert "- contacts / Fax: 25% of the rows have a value" in text
    assert "Landing pages and popup forms" in text
    empty = inventory_text(inventory("generic"))
    assert "None: every staged object has a target." in empty
