"""What the dashboard reads from each round's own columns (effective population and share,
overall index) follows every change a user makes: a city's record, a round's profile, an
answer."""

from __future__ import annotations

import pytest

from benchmark.extensions import db
from benchmark.models import OVERALL, AssessmentScore
from benchmark.services import accounts, cities
from tests.builders import FIXTURES, api_token, build_assessment, build_city, build_user, login
from tests.integration.dashboard.test_dashboard import _page_names
from tests.integration.results.test_scores_api import HALF

pytestmark = pytest.mark.config(QUESTIONNAIRE_DIR=str(FIXTURES))


def test_editing_a_city_population_moves_its_undeclared_round_to_another_size_group(client) -> None:
    admin = accounts.actor_for(build_user("admin"))
    undeclared = build_city(name="Undeclared", population=150_000, foreign_born_share=12.0)
    declared = build_city(name="Declared", population=150_000, foreign_born_share=12.0)
    build_assessment(undeclared, status="validated", answers=HALF,
                     profile={"foreign_born_share": 12.0})
    build_assessment(declared, status="validated", answers=HALF,
                     profile={"population": 150_000, "foreign_born_share": 12.0})
    login(client, build_user("staff"))
    assert _page_names(client, status="validated", size="pop-100k-250k") == ["Declared", "Undeclared"]

    for city in (undeclared, declared):
        cities.update(admin, city.id, cities.CityData(
            slug=city.slug, name=city.name, country=city.country, population=600_000,
            foreign_born_share=12.0))

    assert _page_names(client, status="validated", size="pop-100k-250k") == ["Declared"]
    assert _page_names(client, status="validated", size="pop-500k-1m") == ["Undeclared"]
    assert _page_names(client, size="pop-500k-1m") == ["Undeclared"]  # any status


def test_a_round_profile_moves_the_round_and_falls_back_to_the_city_record(client) -> None:
    city = build_city(name="Moving", population=90_000, foreign_born_share=5.0)
    assessment = build_assessment(city, status="validated", answers=HALF,
                                  profile={"population": 1_200_000})
    assert (assessment.effective_population, assessment.effective_foreign_born_share) == (1_200_000, 5.0)
    login(client, build_user("staff"))
    assert _page_names(client, status="validated", size="pop-1m-plus") == ["Moving"]
    assessment.profile = {"foreign_born_share": 31.5}
    db.session.commit()
    assert _page_names(client, status="validated", size="pop-0-100k", diversity="fb-30-plus") == ["Moving"]
    assert _page_names(client, status="validated", size="pop-1m-plus") == []


def test_saving_an_answer_moves_the_round_in_the_overall_index_order(client) -> None:
    low = build_city(name="Alder")
    high = build_city(name="Birch")
    rising = build_assessment(low, answers={**HALF, "education_01": 0})
    build_assessment(high, answers=HALF)
    login(client, build_user("staff"))
    by_overall = {"status": "draft", "sort": "overall", "dir": "desc"}
    assert _page_names(client, **by_overall) == ["Birch", "Alder"]

    response = client.put(f"/api/v1/assessments/{rising.id}/answers/education_01",
                          json={"value": 80},
                          headers={**api_token(build_user("focal_point", low)), "If-Match": '"1"'})
    assert response.status_code == 200, response.get_data(as_text=True)

    assert _page_names(client, **by_overall) == ["Alder", "Birch"]
    db.session.expire_all()
    assert rising.overall_index == db.session.get(AssessmentScore, (rising.id, OVERALL)).index
