import pytest

from engine.plan import DEPENDS, SEQUENCE, PlanError, canonical, order


def test_full_order():
    shuffled = [
        "attachment",
        "note",
        "activity",
        "event",
        "order",
        "lead",
        "product",
        "contact",
        "company",
        "tag",
        "stage",
        "team",
        "user",
    ]
    assert order(shuffled) == [
        "user",
        "team",
        "stage",
        "tag",
        "company",
        "contact",
        "product",
        "lead",
        "order",
        "event",
        "activity",
        "note",
        "attachment",
    ]
    assert set(DEPENDS) == set(SEQUENCE)


def test_every_dependency_comes_first():
    result = order(list(DEPENDS))
    for obj, deps in DEPENDS.items():
        for dep in deps:
            assert result.index(dep) < result.index(obj)


def test_subset_and_unknown_objects_last_stable():
    assert order(["note", "zeta", "contact", "alpha", "company"]) == [
        "company",
        "contact",
        "note",
        "zeta",
        "alpha",
    ]
    assert order([]) == []
    assert order(["x", "y", "x"]) == ["x", "y"]


def test_aliases_and_plurals_keep_given_names():
    assert order(["notes", "quotes", "Deals", "companies", "contacts"]) == [
        "companies",
        "contacts",
        "Deals",
        "quotes",
        "notes",
    ]
    assert canonical("opportunities") == "lead"
    assert canonical("whatever") == "whatever"


def test_custom_depends_and_cycle():
    assert order(["b", "a", "c"], depends={"a": ["b"], "b": ["c"]}) == ["c", "b", "a"]
    with pytest.raises(PlanError) as info:
        order(["a", "b"], depends={"a": ["b"], "b": ["c"], "c": ["a"]})
    assert str(info.value) == "dependency cycle: a -> b -> c -> a"
    assert isinstance(info.value, ValueError)


def test_transitive_dependency_through_absent_object():
    # x needs y (absent), y needs z: z still comes before x
    assert order(["x", "z"], depends={"x": ["y"], "y": ["z"]}) == ["z", "x"]
