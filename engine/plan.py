"""Dependency order of the objects of a migration.

An object is loaded after everything it links to: users, teams, stages and tags first,
then companies, contacts, products, leads, orders (quotes), events, activities, notes and
attachments. :func:`order` sorts any subset (also with objects it does not know, which come
last in the order given) and raises :class:`PlanError` on a dependency cycle.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Mapping

from .core import targets as _targets

# object -> objects it links to (and that must therefore exist first); the one
# registry of targets (engine.core.targets) holds them
DEPENDS: dict[str, tuple[str, ...]] = {
    key: t.depends for key, t in _targets.TARGETS.items()
}
# the order between objects that do not depend on each other
SEQUENCE = _targets.SEQUENCE
ALIASES = dict(_targets.ALIASES)


class PlanError(ValueError):
    """The objects cannot be ordered (a dependency cycle)."""


canonical = _targets.canonical


def order(
    objects: Iterable[str], depends: Mapping[str, Iterable[str]] | None = None
) -> list[str]:
    """``objects`` (names as given, duplicates dropped) in loading order.

    ``depends`` replaces :data:`DEPENDS` (same shape). Dependencies are followed through
    objects that are not in the subset (a note waits for contacts even when leads are not
    migrated). Known objects follow :data:`SEQUENCE` where dependencies allow; unknown
    objects come last, in the order given.
    """
    graph = {k: tuple(v) for k, v in (DEPENDS if depends is None else depends).items()}
    names = list(dict.fromkeys(objects))
    canon = {n: canonical(n) if depends is None else n for n in names}
    present_order = list(dict.fromkeys(canon[n] for n in names))
    present = set(present_order)

    closure: dict[str, frozenset[str]] = {}

    def reach(node: str, path: tuple[str, ...]) -> frozenset[str]:
        """Every object ``node`` depends on, directly or not (depth-first, cycle check)."""
        if node in closure:
            return closure[node]
        out: set[str] = set()
        for dep in graph.get(node, ()):
            if dep in path:
                cycle = " -> ".join((*path[path.index(dep) :], dep))
                raise PlanError(f"dependency cycle: {cycle}")
            out.add(dep)
            out |= reach(dep, (*path, dep))
        closure[node] = frozenset(out)
        return closure[node]

    needs = {c: (reach(c, (c,)) & present) - {c} for c in present_order}
    rank = {obj: i for i, obj in enumerate(SEQUENCE)}
    first_seen: dict[str, int] = {}
    for i, n in enumerate(names):
        first_seen.setdefault(canon[n], i)

    def priority(obj: str) -> tuple[int, int]:
        return (rank.get(obj, len(SEQUENCE)), first_seen[obj])

    waiting = {c: set(d) for c, d in needs.items()}
    ready = [(priority(c), c) for c, d in waiting.items() if not d]
    heapq.heapify(ready)
    done: list[str] = []
    while ready:
        _p, obj = heapq.heappop(ready)
        done.append(obj)
        for other, deps in waiting.items():
            if obj in deps:
                deps.discard(obj)
                if not deps:
                    heapq.heappush(ready, (priority(other), other))
    if len(done) < len(waiting):  # pragma: no cover - reach() raises first
        raise PlanError(
            "dependency cycle among: " + ", ".join(sorted(set(waiting) - set(done)))
        )
    by_canon: dict[str, list[str]] = {}
    for n in names:
        by_canon.setdefault(canon[n], []).append(n)
    return [n for c in done for n in by_canon[c]]
