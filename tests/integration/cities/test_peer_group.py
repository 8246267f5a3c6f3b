"""The peer group of a city: one rule (scoring/peers.peer_group_from, through
services/cities.peer_group) for every place that shows it."""

from __future__ import annotations

from benchmark.extensions import db
from benchmark.models import Assessment
from benchmark.services import cities, scores
from tests.builders import build_assessment, build_city


def test_a_round_profile_value_wins_and_the_city_record_fills_the_rest(app) -> None:
    city = build_city(population=200_000, foreign_born_share=15.0)
    assert cities.peer_group(city) == "pop-100k-250k.fb-10-20"
    assert cities.peer_group(city, {"population": 600_000}) == "pop-500k-1m.fb-10-20"
    assert cities.peer_group(city, {"foreign_born_share": 31}) == "pop-100k-250k.fb-30-plus"
    assert cities.peer_group(city, {"population": "many"}) is None


def test_comparisons_and_the_network_use_the_rounds_profile(app) -> None:
    city = build_city(population=200_000, foreign_born_share=15.0)
    validated = build_assessment(city, status="validated", answers={"commitment_01": "yes"},
                                 profile={"population": 600_000})
    assessment = db.session.get(Assessment, validated.id)
    assert scores.peer_group_of(assessment) == "pop-500k-1m.fb-10-20"
    [result] = scores.network_results(assessment.edition_id)
    assert result.peer_group == "pop-500k-1m.fb-10-20"
