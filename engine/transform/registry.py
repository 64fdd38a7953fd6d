"""The transforms by name (``TRANSFORMS``) and ``apply``, which passes each the options it takes."""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from typing import Any

from .contacts import to_email, to_phone, to_vat_br
from .dates import to_date, to_datetime
from .numbers import to_bool, to_float, to_int, to_money
from .status import to_lead_status
from .text import _blank, split_list, to_html, to_text

# ------------------------------------------------------------------------ registry

TRANSFORMS: dict[str, Callable[..., Any]] = {
    "text": to_text,
    "html": to_html,
    "date": to_date,
    "datetime": to_datetime,
    "float": to_float,
    "integer": to_int,
    "int": to_int,
    "money": to_money,
    "monetary": to_money,
    "boolean": to_bool,
    "bool": to_bool,
    "email": to_email,
    "phone": to_phone,
    "vat_br": to_vat_br,
    "list": split_list,
    "split_list": split_list,
    "lead_status": to_lead_status,
}
# the function names work too: apply("to_date", ...)
TRANSFORMS.update({fn.__name__: fn for fn in list(TRANSFORMS.values())})


def apply(name: str | None, value: Any, **options: Any) -> Any:
    """Run transform ``name`` (a key of :data:`TRANSFORMS`; None or ``""`` -> ``to_text``).

    Options a transform does not take are ignored, so a caller may pass one set of column
    options (``order``, ``tz``, ``region``, ``decimal``) to any transform. An unknown name
    raises ``KeyError`` (a configuration error, not a bad value).
    """
    fn = TRANSFORMS[name] if name else to_text
    if _blank(value):
        return None
    if options:
        accepted = _accepted_options(fn)
        options = {k: v for k, v in options.items() if k in accepted}
    return fn(value, **options)


def compiled(name: str | None, memo: int = 0, **options: Any) -> Callable[[Any], Any]:
    """``apply(name, value, **options)`` as a function of the value alone: the
    transform looked up and its options sorted out once, for a caller that
    applies one column's transform to every cell of the column.

    ``memo``: each distinct value transformed once (every transform is a pure
    function of the value and its options), its result or its error kept for
    the next cells that repeat it (a country, an owner, the phone of a
    company's contacts), up to ``memo`` values at a time (then forgotten and
    kept afresh: the memory of a column of a million distinct values stays
    bounded).

    >>> to_money = compiled("money", decimal=",", region="BR")
    >>> to_money("1.234,50"), to_money("  ")
    (1234.5, None)
    """
    fn = TRANSFORMS[name] if name else to_text
    accepted = _accepted_options(fn)
    bound = {k: v for k, v in options.items() if k in accepted}
    call = functools.partial(fn, **bound) if bound else fn

    def run(value: Any) -> Any:
        if _blank(value):
            return None
        return call(value)

    if fn in SHARED:
        run = _shared(run, fn, bound)
    return _memoized(run, memo) if memo else run


# the costly transforms (phonenumbers, date parsing, address and check-digit
# rules) whose results every compiled function of the process shares, per
# transform, options and value: a run's end checks each cell by transforming
# it again (models/migration_cell_check.py), and finds what the run's batches
# transformed; at most SHARED_SIZE values at a time (then forgotten and kept
# afresh), so memory stays bounded whatever the run's size
SHARED = frozenset({to_phone, to_date, to_datetime, to_email, to_vat_br})
SHARED_SIZE = 65_536
_SHARED: dict[tuple, tuple[Any, ValueError | None]] = {}
_MISS = object()


def _shared(
    run: Callable[[Any], Any], fn: Callable[..., Any], bound: dict
) -> Callable[[Any], Any]:
    """``run`` with its results (and errors) in the process's shared memo."""
    try:
        key = (fn, tuple(sorted(bound.items())))
        hash(key)
    except TypeError:  # an option that is no dict key (a tzinfo of its own)
        return run

    def shared(value: Any) -> Any:
        # the type too: 1, 1.0 and True are one dict key, not one cell
        slot = (key, type(value), value)
        try:
            hit = _SHARED.get(slot, _MISS)
        except TypeError:  # unhashable: not kept
            return run(value)
        if hit is _MISS:
            try:
                hit = run(value), None
            except ValueError as exc:
                hit = None, exc
            if len(_SHARED) >= SHARED_SIZE:
                _SHARED.clear()
            _SHARED[slot] = hit
        result, error = hit
        if error is not None:
            raise error.with_traceback(None)
        return result

    return shared


def _memoized(run: Callable[[Any], Any], size: int) -> Callable[[Any], Any]:
    """``run`` with its results (and errors) kept per value, ``size`` at most;
    a list result is given as a copy each time (the caller may change it).
    A column whose values do not repeat (ids, emails, timestamps) stops
    keeping them once ``size`` values brought fewer than 1 in 16 repeats."""
    memo: dict[Any, tuple[Any, ValueError | None, bool]] = {}
    seen = [0, 0]  # values looked up, values found

    def memoized(value: Any) -> Any:
        if memo is None:
            return run(value)
        seen[0] += 1
        try:
            result, error, is_list = memo[value]
        except TypeError:  # unhashable: not kept
            return run(value)
        except KeyError:
            try:
                result, error = run(value), None
            except ValueError as exc:
                result, error = None, exc
            is_list = isinstance(result, list)
            if len(memo) >= size:
                memo.clear()
                if seen[1] * 16 < seen[0]:
                    return _stop(result, error, is_list)
                seen[:] = [0, 0]
            memo[value] = (tuple(result) if is_list else result, error, is_list)
        else:
            seen[1] += 1
        if error is not None:
            raise error
        return list(result) if is_list else result

    def _stop(result, error, is_list):
        nonlocal memo
        memo = None
        if error is not None:
            raise error
        return result

    return memoized


_ACCEPTED: dict[Callable[..., Any], frozenset] = {}


def _accepted_options(fn: Callable[..., Any]) -> frozenset:
    if fn not in _ACCEPTED:
        _ACCEPTED[fn] = frozenset(list(inspect.signature(fn).parameters)[1:])
    return _ACCEPTED[fn]
