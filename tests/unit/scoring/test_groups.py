"""Comparison groups (network, size, diversity): average, n and rank against a reference."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from benchmark.scoring import CityResult, compare, rank_of
from benchmark.scoring.peers import groups_from

SMALL, BIG = "pop-0-100k", "pop-1m-plus"
LOW, HIGH = "fb-0-10", "fb-30-plus"


def city(slug: str, overall: float | None, size: str | None = SMALL,
         diversity: str | None = LOW, **dims: float | None) -> CityResult:
    peer = f"{size}.{diversity}" if size and diversity else None
    return CityResult(slug, peer, overall, dims or {"d": overall}, size_group=size,
                      diversity_group=diversity)


def reference(own: CityResult, network: list[CityResult], kind: str, k: int):
    """Average, n and rank of `own` computed plainly from the raw indices."""
    key = {"size": own.size_key, "diversity": own.diversity_key, "network": None}[kind]
    members = [r for r in network if r.city != own.city
               and (kind == "network" or getattr(r, f"{kind}_key") == key)]
    values = [r.overall for r in members if r.overall is not None] + [own.overall]
    n = len(values)
    if n < k:
        return None, n, None
    return math.fsum(values) / n, n, 1 + sum(1 for v in values if v > own.overall)


group_value = st.sampled_from([SMALL, BIG])
share_value = st.sampled_from([LOW, HIGH])
index_value = st.one_of(st.integers(0, 10).map(lambda v: v * 10.0), st.floats(0, 100), st.none())


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(index_value, group_value, share_value), max_size=30),
       st.floats(0, 100), group_value, share_value, st.integers(1, 6))
def test_group_average_n_and_rank_match_a_plain_reference(rows, own_index, size, share, k):
    network = [city(f"c{i}", v, s, d) for i, (v, s, d) in enumerate(rows)]
    own = city("me", own_index, size, share)

    row = compare(own, network, k).overall

    for kind in ("network", "size", "diversity"):
        got = row.group(kind)
        average, n, rank = reference(own, network, kind, k)
        assert got.n == n
        assert got.rank == rank
        assert got.average == (pytest.approx(average) if average is not None else None)
        assert got.withheld_reason == (None if average is not None else "k_anonymity")


def test_ties_share_the_best_rank_and_the_next_rank_skips():
    network = [city("a", 80), city("b", 70), city("c", 60)]

    ranks = [compare(city("me", v), network, k=1).overall.group("size").rank for v in (70, 65, 90)]

    assert ranks == [2, 3, 1]  # 80, 70, 70, 60 -> me tied second; 65 -> third; 90 -> first
    assert rank_of(70, [80, 70, 60]) == 2


def test_a_group_under_k_withholds_average_and_rank_but_says_n():
    network = [city("a", 50), city("b", 60), city("c", 70, size=BIG)]

    size = compare(city("me", 40), network, k=4).overall.group("size")

    assert (size.average, size.rank, size.n, size.withheld_reason) == (None, None, 3, "k_anonymity")


def test_size_and_diversity_groups_are_counted_separately():
    network = [city("a", 50, SMALL, HIGH), city("b", 60, BIG, LOW), city("c", 70, BIG, HIGH)]

    row = compare(city("me", 40, SMALL, LOW), network, k=1).overall

    assert (row.group("size").n, row.group("size").average) == (2, 45)
    assert (row.group("diversity").n, row.group("diversity").average) == (2, 50)
    assert (row.group("network").n, row.group("network").rank) == (4, 4)
    assert row.peer_n == 1  # the intersection holds the city alone


def test_a_city_without_a_share_has_a_size_group_but_no_diversity_group():
    row = compare(city("me", 40, SMALL, None), [city("a", 50)], k=1).overall

    assert row.group("size").rank == 2
    assert (row.group("diversity").key, row.group("diversity").withheld_reason) == (None, "no_group")


def test_groups_come_from_the_rounds_profile_then_the_city_record():
    assert groups_from({"population": 150_000}, 2_000_000, 12.5) == ("pop-100k-250k", "fb-10-20")
    assert groups_from({}, None, 40) == (None, "fb-30-plus")


def test_the_citys_own_validated_round_is_replaced_by_the_compared_values():
    network = [city("me", 90), city("a", 50)]

    group = compare(city("me", 40), network, k=1).overall.group("network")

    assert (group.n, group.rank, group.average) == (2, 2, 45)
