"""One registry of targets (engine.core.targets, issue 13): the proposer's field
catalogue, the converted objects' table and the planner read their models,
labels and order from it instead of tables of their own."""

from __future__ import annotations

from engine import plan, propose, records
from engine.core import targets


def test_the_field_catalogue_takes_model_and_label_from_the_registry():
    assert tuple(propose.TARGETS) == targets.mapped() == ("company", "contact", "lead")
    for key, spec in propose.TARGETS.items():
        assert (spec["model"], spec["label"]) == (
            targets.TARGETS[key].model,
            targets.TARGETS[key].label,
        )


def test_converted_objects_are_the_registry_targets_with_values():
    assert records.CONVERTED == targets.converted()
    for key in records.CONVERTED:
        assert records.FIELDS[key] == (
            targets.TARGETS[key].model,
            targets.TARGETS[key].values,
        )
        assert records.LABELS[key] == targets.TARGETS[key].label


def test_the_planner_orders_by_the_registry_dependencies():
    order = plan.order(list(targets.TARGETS))
    for key, target in targets.TARGETS.items():
        for dep in target.depends:
            assert order.index(dep) < order.index(key), (dep, key)
