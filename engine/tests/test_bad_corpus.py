"""Every file of the bad-input corpus (tests/data/bad, and the big ones made
here) through the readers: read with exactly the expected rows, or refused with
a reason that names the file; never a crash, never a silent loss."""

import importlib.util
import os

import pytest

from engine import readers

BAD = os.path.join(
    os.path.dirname(__file__), os.pardir, os.pardir, "tests", "data", "bad"
)
_spec = importlib.util.spec_from_file_location(
    "bad_corpus", os.path.join(BAD, "corpus.py")
)
corpus = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(corpus)
SMALL = corpus.expectations()


def outcome(name, path):
    try:
        tables = readers.open_tables(name, path=path)
    except readers.ReadError as exc:
        return "refused", str(exc)
    return "read", {t.name: sum(1 for _row in t.rows()) for t in tables}


def check(name, path, expected):
    kind, got = outcome(name, path)
    assert kind == expected[0], (name, got)
    if kind == "read":
        assert got == expected[1]
    else:
        assert got.startswith(f"{name}") and expected[1] in got, got


def test_the_corpus_has_forty_files_and_they_are_committed():
    assert len(SMALL) + 6 >= 40
    on_disk = {n for n in os.listdir(BAD) if n != "corpus.py" and not n.startswith("_")}
    assert set(SMALL) <= on_disk


@pytest.mark.parametrize("name", sorted(SMALL))
def test_small_file(name):
    check(name, os.path.join(BAD, name), SMALL[name])


def test_big_files(tmp_path):
    expected = corpus.write_big(str(tmp_path))
    assert len(expected) == 6
    for name, expect in expected.items():
        check(name, str(tmp_path / name), expect)


def test_huge_cells_are_read_whole(tmp_path):
    corpus.write_big(str(tmp_path))
    (table,) = readers.open_tables(path=str(tmp_path / "cell-60mb.csv"))
    ((_line, row),) = list(table.rows())
    assert len(row["Note"]) == 60 * 1024 * 1024
