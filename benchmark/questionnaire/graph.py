"""Cycles of show_if references, found in linear time (pure).

Each question names at most one other in `show_if`, so the references form a
functional graph: one walk from each unvisited node finds every cycle. (Walking the
whole chain again from every question, as the validator once did, made long chains of
forward references cubic: 3,000 questions took over a minute.)
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from typing import TypeVar

Node = TypeVar("Node")


def cycles(nodes: Sequence[Node], follows: Callable[[Node], Node | None],
           key: Callable[[Node], Hashable]) -> dict[Hashable, list[Node]]:
    """Key of each node on a cycle → that cycle (one list shared by its members), in
    reference order; a node naming itself is not a cycle here."""
    on_cycle: dict[Hashable, list[Node]] = {}
    done: set[Hashable] = set()
    for start in nodes:
        if key(start) in done:
            continue
        walk: list[Node] = []
        position: dict[Hashable, int] = {}
        current: Node | None = start
        while current is not None and key(current) not in done and key(current) not in position:
            position[key(current)] = len(walk)
            walk.append(current)
            current = follows(current)
        if current is not None and key(current) in position:
            cycle = walk[position[key(current)]:]
            if len(cycle) > 1:
                for member in cycle:
                    on_cycle[key(member)] = cycle
        done.update(position)
    return on_cycle


def path_around(cycle: list[Node], start: Node, key: Callable[[Node], Hashable]) -> list[Node]:
    """The members of `cycle` from `start` around and back to it."""
    first = next(i for i, member in enumerate(cycle) if key(member) == key(start))
    around = cycle[first:] + cycle[:first]
    return [*around, around[0]]
