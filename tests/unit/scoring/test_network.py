"""Network statistics, k-anonymous peer averages, percentiles and peers to learn from."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from benchmark.scoring import (
    CityResult,
    compare,
    distribution,
    group_average,
    network_statistics,
    peers_to_learn_from,
    percentile_rank,
    statistics_of,
)

PEERS = "pop-100k-250k.fb-10-20"
OTHERS = "pop-1m-plus.fb-30-plus"


def city(
    slug: str,
    overall: float | None,
    *,
    peer_group: str | None = PEERS,
    named: bool = False,
    **dimensions: float | None,
) -> CityResult:
    return CityResult(slug, peer_group, overall, dimensions or {"d": overall}, named, slug.title())


indices = st.floats(0, 100, allow_nan=False)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(indices, st.none()), max_size=40))
def test_distribution_matches_numpy_and_skips_missing_values(values):
    present = np.array([v for v in values if v is not None])

    d = distribution(values)

    assert d.n == present.size
    if present.size == 0:
        assert (d.mean, d.min, d.max, d.q1, d.median, d.q3, d.std) == (None,) * 7
        return
    q1, median, q3 = np.percentile(present, [25, 50, 75])
    assert (d.q1, d.median, d.q3) == pytest.approx((q1, median, q3))
    assert (d.min, d.max) == (present.min(), present.max())
    assert d.mean == pytest.approx(present.mean())
    if present.size == 1:
        assert d.std is None
    else:
        assert d.std == pytest.approx(present.std(ddof=1))


def test_quartiles_interpolate_linearly():
    d = distribution([10, 20, 30, 40])

    assert (d.q1, d.median, d.q3) == (17.5, 25.0, 32.5)
    assert d.std == pytest.approx(12.909944487358056)


def test_network_statistics_cover_overall_and_each_dimension_from_given_results_only():
    results = [
        city("a", 40, d=40, e=None),
        city("b", 60, d=80, e=10),
    ]

    stats = network_statistics(results)

    assert stats.overall.mean == 50
    assert list(stats.dimensions) == ["d", "e"]
    assert (stats.dimensions["d"].n, stats.dimensions["d"].mean) == (2, 60)
    assert (stats.dimensions["e"].n, stats.dimensions["e"].mean) == (1, 10)


def test_network_statistics_can_fix_the_dimensions_reported():
    stats = network_statistics([city("a", 40, d=40)], dimension_ids=["z", "d"])

    assert list(stats.dimensions) == ["z", "d"]
    assert stats.dimensions["z"].n == 0


def test_statistics_of_values_by_dimension_equal_those_of_the_same_city_results():
    # The database's recompute gathers each dimension's values itself (no city results).
    results = [city("a", 40, d=40, e=None), city("b", 60, d=80, e=10), city("c", None, d=5)]

    stats = statistics_of([40, 60, None], {"d": [40, 80, 5], "e": [None, 10]})

    assert stats == network_statistics(results, ["d", "e"])


@pytest.mark.parametrize(
    ("values", "k", "mean", "n", "reason"),
    [
        pytest.param([50, 60, 70, 80], 5, None, 4, "k_anonymity", id="4 < k=5 withheld"),
        pytest.param([50, 60, 70, 80, 90], 5, 70, 5, None, id="k cities shown"),
        pytest.param([50, None, 70], 2, 60, 2, None, id="missing values not counted"),
        pytest.param([], 1, None, 0, "k_anonymity", id="empty"),
    ],
)
def test_group_average_applies_k_anonymity(values, k, mean, n, reason):
    average = group_average(values, k)

    assert (average.mean, average.n, average.withheld_reason) == (mean, n, reason)


def test_group_average_refuses_k_below_one():
    with pytest.raises(ValueError):
        group_average([1.0], 0)


@pytest.mark.parametrize(
    ("value", "population", "expected"),
    [
        pytest.param(50, [10, 20, 50, 70], 62.5, id="below plus half of own tie"),
        pytest.param(50, [50, 50, 50, 50], 50.0, id="all tied"),
        pytest.param(90, [10, 90], 75.0, id="top of two"),
        pytest.param(10, [10, 90], 25.0, id="bottom of two"),
        pytest.param(42, [42], 50.0, id="alone"),
        pytest.param(50, [10, None, 50], 75.0, id="missing values skipped"),
        pytest.param(None, [10, 20], None, id="no index"),
        pytest.param(50, [], None, id="empty population"),
    ],
)
def test_percentile_rank(value, population, expected):
    assert percentile_rank(value, population) == expected


def test_a_peer_group_of_four_cities_with_k5_is_withheld():
    network = [city(s, 50) for s in ("b", "c", "d")] + [city("far", 10, peer_group=OTHERS)]

    row = compare(city("a", 70), network, k=5).overall

    assert (row.peer_average, row.peer_n, row.withheld_reason) == (None, 4, "k_anonymity")


def test_the_city_itself_is_counted_in_the_peer_group():
    network = [city(s, 50) for s in ("b", "c", "d", "e")]

    row = compare(city("a", 100), network, k=5).overall

    assert (row.peer_average, row.peer_n, row.withheld_reason) == (60, 5, None)


def test_a_validated_city_is_counted_once_in_its_peer_group():
    network = [city(s, 50) for s in ("a", "b", "c", "d", "e")]

    row = compare(city("a", 50), network, k=5).overall

    assert (row.peer_average, row.peer_n, row.network_n) == (50, 5, 5)


@settings(max_examples=100, deadline=None)
@given(st.lists(indices, min_size=1, max_size=12), indices, indices)
def test_the_citys_draft_never_changes_the_network_average(network_values, draft, other_draft):
    network = [city(f"c{i}", v) for i, v in enumerate(network_values)]

    first = compare(city("me", draft), network, k=5)
    second = compare(city("me", other_draft), network, k=5)

    assert first.overall.network_average == second.overall.network_average
    assert first.overall.network_average == pytest.approx(np.mean(network_values))
    assert first.overall.network_n == second.overall.network_n == len(network_values)
    assert first.dimensions[0].network_average == second.dimensions[0].network_average


def test_network_average_keeps_the_citys_validated_result_while_its_draft_is_compared():
    network = [city("me", 20), city("b", 40)]

    row = compare(city("me", 90), network, k=1).overall

    assert (row.network_average, row.network_n) == (30, 2)
    assert (row.peer_average, row.peer_n) == (65, 2)  # the draft stands in for its city
    assert row.percentile == 75.0  # ranked against b, not against its own earlier result


def test_a_city_without_peer_group_has_no_peer_average_and_no_reason():
    row = compare(city("a", 50, peer_group=None), [city("b", 50)], k=1).overall

    assert (row.peer_average, row.peer_n, row.withheld_reason) == (None, 0, None)


def test_comparison_lists_every_dimension_of_the_city():
    result = city("a", 50, d=40, e=None)

    comparison = compare(result, [city("b", 50, d=60, e=70)], k=1)

    assert [r.id for r in comparison.dimensions] == ["d", "e"]
    d, e = comparison.dimensions
    assert (d.index, d.network_average, d.percentile) == (40, 60, 25.0)
    assert (e.index, e.network_average, e.percentile, e.peer_n) == (None, 70, None, 1)
    assert comparison.overall.id == "overall"


def test_peers_to_learn_from_prefers_named_cities_of_the_same_group():
    results = [
        city("top-far", 99, peer_group=OTHERS, named=True),
        city("anonymous", 95),
        city("good", 80, named=True),
        city("better", 90, named=True),
        city("me", 100, named=True),
        city("no-index", None, named=True),
        city("mid-far", 70, peer_group=OTHERS, named=True),
    ]

    found = peers_to_learn_from(results, "d", peer_group=PEERS, exclude_city="me", limit=3)

    assert [r.city for r in found] == ["better", "good", "top-far"]


def test_peers_to_learn_from_can_require_a_better_index():
    results = [city("a", 60, named=True), city("b", 40, named=True)]

    found = peers_to_learn_from(results, None, peer_group=None, exclude_city="me", better_than=50)

    assert [r.city for r in found] == ["a"]


def test_peers_to_learn_from_leave_out_cities_with_the_readers_score():
    results = [city("same", 50, named=True), city("above", 50.1, named=True)]

    found = peers_to_learn_from(results, None, peer_group=PEERS, exclude_city="me",
                                better_than=50)

    assert [r.city for r in found] == ["above"]


def test_a_reader_without_a_peer_group_gets_cities_by_score_not_missing_groups_first():
    results = [city("no-group", 60, peer_group=None, named=True),
               city("best", 90, peer_group=OTHERS, named=True),
               city("second", 80, peer_group=PEERS, named=True)]

    found = peers_to_learn_from(results, None, peer_group=None, exclude_city="me")

    assert [r.city for r in found] == ["best", "second", "no-group"]
