"""The prepared network (NetworkIndex) gives exactly what a walk over every city gives."""

from __future__ import annotations

import math
import random

import pytest

from benchmark.scoring import CityResult
from benchmark.scoring.network import NetworkIndex, compare, peers_to_learn_from


def _reference_compare(city: CityResult, network: list[CityResult], k: int) -> dict:
    """The comparison as the contract states it, walking every city (the old implementation)."""
    others = [r for r in network if r.city != city.city]
    peers = [r for r in others if r.peer_group == city.peer_group] if city.peer_group else None

    def row(dim: str | None) -> tuple:
        own = city.index(dim)
        values = [v for r in network if (v := r.index(dim)) is not None]
        if peers is None:
            peer = (None, 0, None)
        else:
            present = [v for v in [own, *(r.index(dim) for r in peers)] if v is not None]
            peer = ((None, len(present), "k_anonymity") if len(present) < k
                    else (math.fsum(present) / len(present), len(present), None))
        population = [v for v in [own, *(r.index(dim) for r in others)] if v is not None]
        percentile = None if own is None else 100.0 * (
            sum(v < own for v in population) + 0.5 * sum(v == own for v in population)
        ) / len(population)
        return (own, math.fsum(values) / len(values) if values else None, len(values),
                *peer, percentile)

    return {"overall": row(None), **{d: row(d) for d in city.dimensions}}


def _as_dict(comparison) -> dict:  # type: ignore[no-untyped-def]
    def t(r):  # type: ignore[no-untyped-def]
        return (r.index, r.network_average, r.network_n, r.peer_average, r.peer_n,
                r.withheld_reason, r.percentile)
    return {"overall": t(comparison.overall), **{r.id: t(r) for r in comparison.dimensions}}


def _reorder(ref: dict) -> dict:
    return {key: (v[0], v[1], v[2], v[3], v[4], v[5], v[6]) for key, v in ref.items()}


def _network(rng: random.Random, n: int) -> list[CityResult]:
    dims = ["a", "b", "c"]
    out = []
    for i in range(n):
        values = {d: (None if rng.random() < 0.1 else rng.choice([rng.random() * 100, 50.0, 12.5]))
                  for d in dims}
        out.append(CityResult(f"c{i:03d}", rng.choice(["g1", "g2", "g3", None]),
                              rng.random() * 100, values, named=rng.random() < 0.6,
                              city_name=f"City {i}"))
    return out


@pytest.mark.parametrize("seed", range(8))
def test_the_index_compares_exactly_as_a_walk_over_every_city(seed: int) -> None:
    rng = random.Random(seed)
    network = _network(rng, rng.choice([0, 1, 4, 30, 200]))
    index = NetworkIndex(network)
    candidates = [*network[:10], *_network(random.Random(seed + 100), 5)]
    for city in candidates:
        # the city itself (a validated round in the network) and a draft of it or of a newcomer
        draft = CityResult(city.city, city.peer_group, 40.0, {"a": 12.5, "b": None, "c": 50.0})
        for subject in (city, draft):
            for k in (1, 5):
                expected = _reorder(_reference_compare(subject, network, k))
                assert _as_dict(index.compare(subject, k)) == expected
                assert _as_dict(compare(subject, network, k)) == expected


@pytest.mark.parametrize("seed", range(4))
def test_peers_to_learn_from_rank_named_cities_same_group_first(seed: int) -> None:
    rng = random.Random(seed)
    network = _network(rng, 120)
    index = NetworkIndex(network)
    for dim in (None, "a", "c"):
        for better_than in (None, 30.0, 90.0):
            for group in ("g1", None):
                candidates = [r for r in network if r.named and r.city != "c000"
                              and (v := r.index(dim)) is not None
                              and (better_than is None or v > better_than)]
                expected = sorted(candidates, key=lambda r: (
                    not (group is not None and r.peer_group == group), -(r.index(dim) or 0.0),
                    r.city))[:3]
                found = index.peers_to_learn_from(dim, peer_group=group, exclude_city="c000",
                                                  better_than=better_than)
                assert found == expected
                assert peers_to_learn_from(network, dim, peer_group=group, exclude_city="c000",
                                           better_than=better_than) == expected
