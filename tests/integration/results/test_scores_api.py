"""Scores over the API and on the results page: the engine's numbers, k-anonymity, visibility."""

from __future__ import annotations

import pytest

from benchmark.services import scores
from tests.builders import FIXTURES, api_token, build_assessment, build_city, build_user, login

pytestmark = pytest.mark.config(QUESTIONNAIRE_DIR=str(FIXTURES))

FULL = {"commitment_01": "yes", "commitment_02": "full", "commitment_03": ["council", "board"],
        "education_01": 80, "education_02": 20, "language_01": "yes", "language_02": 0}
HALF = {"commitment_01": "yes", "commitment_02": "partly", "commitment_03": ["council"],
        "education_01": 30, "education_02": 10, "language_01": "no", "language_02": 15}


def _network(n: int, answers=HALF, **city):
    return [build_assessment(build_city(**city), status="validated", answers=answers) for _ in range(n)]


def test_scores_match_the_engine_and_the_network(client) -> None:
    _network(3)
    own = build_assessment(build_city(), answers=FULL)
    body = client.get(f"/api/v1/assessments/{own.id}/scores",
                      headers=api_token(build_user("focal_point", own.city))).get_json()
    assert body["provisional"] is True
    assert body["overall"]["index"] == pytest.approx(100.0)
    engine = scores.score_of(own)
    assert [d["index"] for d in body["dimensions"]] == [d.index for d in engine.dimensions]
    commitment = body["dimensions"][0]
    # half: yes 2/2, partly 1/2 weighted 2, 1/2 of monitoring → (1 + 0.5*2 + 0.5) / 4
    assert commitment["network_average"] == pytest.approx(62.5)
    assert commitment["network_n"] == 3


def test_a_draft_never_moves_the_network_average(client) -> None:
    _network(2)
    before = client.get("/api/v1/network/2019/averages", headers=api_token(build_user("staff"))).get_json()
    build_assessment(build_city(), answers=FULL)  # a draft
    after = client.get("/api/v1/network/2019/averages", headers=api_token(build_user("staff"))).get_json()
    assert before == after
    assert after["overall"]["n"] == 2


def test_a_peer_group_of_four_shows_no_average(client) -> None:
    _network(3, population=200_000, foreign_born_share=15.0)
    own = build_assessment(build_city(population=210_000, foreign_born_share=14.0), answers=FULL)
    body = client.get(f"/api/v1/assessments/{own.id}/scores",
                      headers=api_token(build_user("focal_point", own.city))).get_json()
    assert body["overall"]["peer_n"] == 4
    assert body["overall"]["peer_average"] is None
    assert body["overall"]["withheld_reason"] == "fewer than 5 cities"


def test_a_peer_group_of_five_shows_its_average(client) -> None:
    _network(4, population=200_000, foreign_born_share=15.0)
    own = build_assessment(build_city(population=210_000, foreign_born_share=14.0), answers=FULL)
    body = client.get(f"/api/v1/assessments/{own.id}/scores",
                      headers=api_token(build_user("focal_point", own.city))).get_json()
    assert body["overall"]["peer_n"] == 5
    assert body["overall"]["peer_average"] is not None


def test_another_citys_scores_are_not_found(client) -> None:
    other = build_assessment(build_city(), answers=FULL)
    headers = api_token(build_user("focal_point", build_city()))
    response = client.get(f"/api/v1/assessments/{other.id}/scores", headers=headers)
    assert response.status_code == 404


def test_results_page_shows_the_same_numbers(client) -> None:
    _network(2)
    own = build_assessment(build_city(name="Lumenport"), answers=HALF)
    user = build_user("focal_point", own.city)
    body = client.get(f"/api/v1/assessments/{own.id}/scores", headers=api_token(user)).get_json()
    login(client, user)
    html = client.get(f"/results/{own.id}").get_data(as_text=True)
    assert "Results of Lumenport" in html
    assert "<svg" in html and "<table>" in html
    for dimension in body["dimensions"]:
        assert f"{dimension['index']:.1f}" in html
    assert "Improvement priorities" in html


def test_results_page_of_another_city_is_not_found(client) -> None:
    other = build_assessment(build_city(), answers=FULL)
    login(client, build_user("focal_point", build_city()))
    assert client.get(f"/results/{other.id}").status_code == 404


def test_recompute_finds_no_difference_on_consistent_data(runner) -> None:
    _network(2)
    result = runner.invoke(args=["scores", "recompute"])
    assert result.exit_code == 0
    assert "0 difference(s)" in result.output


def test_network_page_shows_distributions_to_cities_and_the_list_to_staff(client) -> None:
    _network(2)
    build_assessment(build_city(name="Hiddenburg", country="Germany"), status="validated",
                     answers=FULL)
    login(client, build_user("focal_point"))
    html = client.get("/network").get_data(as_text=True)
    assert "3 cities have a validated assessment" in html
    assert "Hiddenburg" not in html  # individual cities are for staff only
    client.post("/logout", data={"csrf_token": _token(client)})
    login(client, build_user("staff"))
    html = client.get("/network").get_data(as_text=True)
    assert "Hiddenburg" in html and "<svg" in html
    french = client.get("/network?lang=fr").get_data(as_text=True)
    assert "Allemagne" in french and "Germany" not in french  # the country in French


def _token(client) -> str:
    from tests.builders import csrf_token

    return csrf_token(client)
