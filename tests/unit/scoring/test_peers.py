"""Peer groups: population band × foreign-born share band, with stable keys and labels."""

from __future__ import annotations

import math

import pytest

from benchmark.reporting.words import peer_group as describe_in
from benchmark.scoring import DEFAULT_PEER_GROUP_RULES, PeerGroupRules, bands


def describe(key: str) -> str:
    return describe_in(key, "en")


@pytest.mark.parametrize(
    ("population", "share", "key"),
    [
        pytest.param(50_000, 5, "pop-0-100k.fb-0-10", id="lowest bands"),
        pytest.param(100_000, 10, "pop-100k-250k.fb-10-20", id="lower bounds inclusive"),
        pytest.param(249_999, 19.99, "pop-100k-250k.fb-10-20", id="upper bounds exclusive"),
        pytest.param(500_000, 25, "pop-500k-1m.fb-20-30", id="million"),
        pytest.param(3_000_000, 30, "pop-1m-plus.fb-30-plus", id="open top bands"),
        pytest.param(0, 100, "pop-0-100k.fb-30-plus", id="extremes"),
    ],
)
def test_default_peer_groups(population, share, key):
    assert DEFAULT_PEER_GROUP_RULES.peer_group_of(population, share) == key


@pytest.mark.parametrize(("population", "share"), [(None, 10), (100_000, None), (math.nan, 10), (None, None)])
def test_missing_profile_values_give_no_peer_group(population, share):
    assert DEFAULT_PEER_GROUP_RULES.peer_group_of(population, share) is None


@pytest.mark.parametrize(("population", "share"), [(-1, 10), (1000, 100.5), (1000, -0.1)])
def test_impossible_profile_values_are_refused(population, share):
    with pytest.raises(ValueError):
        DEFAULT_PEER_GROUP_RULES.peer_group_of(population, share)


@pytest.mark.parametrize(
    ("key", "label"),
    [
        ("pop-100k-250k.fb-10-20", "100,000–250,000 inhabitants, 10–20 % foreign-born"),
        ("pop-0-100k.fb-0-10", "under 100,000 inhabitants, under 10 % foreign-born"),
        ("pop-1m-plus.fb-30-plus", "1,000,000 inhabitants or more, 30 % or more foreign-born"),
        ("pop-1500k-2m.fb-12.5-25", "1,500,000–2,000,000 inhabitants, 12.5–25 % foreign-born"),
    ],
)
def test_describe_reads_a_key(key, label):
    assert describe(key) == label


@pytest.mark.parametrize("key", ["", "pop-1-2", "pop-a-b.fb-1-2", "fb-10-20.pop-0-100k"])
def test_bands_refuse_other_strings(key):
    with pytest.raises(ValueError):
        bands(key)


def test_the_label_is_in_the_readers_language_with_numbers_in_order():
    # French: its own grouping and words; Arabic: Arabic words, and each number
    # isolated left to right so "100,000" keeps its order inside right-to-left text.
    assert describe_in("pop-100k-250k.fb-10-20", "fr") == (
        "100\u202f000 à 250\u202f000 habitants, "
        "10 à 20\u00a0% de personnes nées à l’étranger")
    arabic = describe_in("pop-100k-250k.fb-10-20", "ar")
    assert "من \u2066100,000\u2069 إلى \u2066250,000\u2069 نسمة" in arabic
    assert "من \u206610\u2069 إلى \u206620\u2069\u00a0%" in arabic
    assert "inhabitants" not in arabic and "foreign" not in arabic


def test_configured_bands_give_keys_that_describe_reads():
    rules = PeerGroupRules(population_bounds=(50_000, 1_500_000), share_bounds=(12.5,))

    key = rules.peer_group_of(60_000, 13)

    assert key == "pop-50k-1500k.fb-12.5-plus"
    assert describe(key) == "50,000–1,500,000 inhabitants, 12.5 % or more foreign-born"


@pytest.mark.parametrize(
    "kwargs",
    [
        {"population_bounds": (200, 100)},
        {"population_bounds": (0, 100)},
        {"share_bounds": (10, 100)},
        {"share_bounds": (20, 20)},
    ],
)
def test_rules_refuse_bad_bounds(kwargs):
    with pytest.raises(ValueError):
        PeerGroupRules(**kwargs)
