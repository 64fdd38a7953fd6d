"""Long text in HTML fields: split_text_nodes keeps every character while no
text run reaches the limit an HTML parser cuts at."""

import doctest
import re

from engine import html as engine_html
from engine.html import split_text_nodes


def _runs(value):
    return [p for p in re.split(r"<[^>]*>", value) if p]


def test_doctests():
    assert doctest.testmod(engine_html).failed == 0


def test_a_long_line_is_split_after_whitespace_and_kept_whole():
    text = "Background story. " * 1000  # 18,000 characters, one line
    out = split_text_nodes(text, limit=1000)
    assert max(len(r) for r in _runs(out)) <= 1000
    assert "".join(_runs(out)) == text
    # every piece but the last ends after a space: no word is cut in two
    assert all(r.endswith(" ") for r in _runs(out)[:-1])


def test_text_without_whitespace_is_cut_anywhere_but_kept():
    blob = "A" * 2500
    out = split_text_nodes(blob, limit=1000)
    assert [len(r) for r in _runs(out)] == [1000, 1000, 500]
    assert "".join(_runs(out)) == blob


def test_html_keeps_its_tags_and_short_runs():
    value = "<p>" + "x" * 30 + "<br>" + "word " * 10 + "</p>"
    out = split_text_nodes(value, limit=20)
    assert out.startswith("<p><span>")
    assert "<br>" in out
    assert "".join(_runs(out)) == "".join(_runs(value))
    assert max(len(r) for r in _runs(out)) <= 20


def test_character_references_are_never_cut():
    text = "a&amp;" * 400
    out = split_text_nodes(text, limit=100)
    assert "".join(_runs(out)) == text
    for run in _runs(out):
        assert run.count("&") == run.count(";"), run


def test_short_values_are_unchanged():
    assert split_text_nodes("short", limit=10) == "short"
    assert split_text_nodes(None) == ""
