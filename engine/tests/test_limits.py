"""Bounds on the work one bad shape can cost the engine (the fuzzer's slow
shapes): asserted by what is done and said, never by time."""

from __future__ import annotations

from engine.propose import hints
from engine.propose.headers import _as_cols
from engine.tests.test_propose import column

COUNTRIES = ["Brazil", "Germany", "France", "Spain"]


def test_value_hints_never_normalise_a_long_cell(monkeypatch):
    """A 3 MB note among countries is not normalised by a country, status or
    state hint (it was, once per hint and target: 13 s for one cell); it
    counts as a value that is no country."""
    seen = []
    real = hints.country_code

    def spy(value):
        seen.append(len(value))
        return real(value)

    monkeypatch.setattr(hints, "country_code", spy)
    big = "Brazil " * 500_000
    (col,) = _as_cols([column("Origem", [*COUNTRIES, big])])
    found = hints._value_hints("lead", col)
    assert sorted(seen) == [5, 6, 6, 7]
    # four countries of five values: 0.8, the hint's threshold
    assert found["country_id"] == (0.7, "values look like country names or codes")
    (col,) = _as_cols([column("Origem", [*COUNTRIES[:3], big, big + "x"])])
    assert "country_id" not in hints._value_hints("lead", col)


def test_a_value_at_the_bound_is_still_read():
    name = "Brazil" + " " * (hints.HINT_CHARS - 6)
    assert len(name) == hints.HINT_CHARS
    assert hints._share([name], lambda v: v.strip() == "Brazil") == 1.0
    assert hints._share([name + " "], lambda v: v.strip() == "Brazil") == 0.0
