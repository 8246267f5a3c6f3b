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


def _scores(client, assessment_id: int, headers: dict[str, str], etag: str | None = None):
    return client.get(f"/api/v1/assessments/{assessment_id}/scores",
                      headers={**headers, **({"If-None-Match": etag} if etag else {})})


def test_unchanged_scores_answer_304_to_their_etag(client) -> None:
    _network(2)
    own = build_assessment(build_city(), answers=HALF)
    headers = api_token(build_user("focal_point", own.city))
    first = _scores(client, own.id, headers)
    assert first.status_code == 200 and first.headers["ETag"]
    again = _scores(client, own.id, headers, first.headers["ETag"])
    assert again.status_code == 304
    assert again.get_data() == b""
    assert again.headers["ETag"] == first.headers["ETag"]
    assert _scores(client, own.id, headers).get_data() == first.get_data()


def test_a_saved_answer_changes_the_scores_and_their_etag(client) -> None:
    _network(2)
    own = build_assessment(build_city(), answers={"commitment_01": "yes"})
    headers = api_token(build_user("focal_point", own.city))
    first = _scores(client, own.id, headers)
    saved = client.put(f"/api/v1/assessments/{own.id}/answers/education_01", json={"value": 80},
                       headers={**headers, "If-None-Match": "*"})
    assert saved.status_code in (200, 201), saved.get_json()
    second = _scores(client, own.id, headers, first.headers["ETag"])
    assert second.status_code == 200
    assert second.headers["ETag"] != first.headers["ETag"]
    education = next(d for d in second.get_json()["dimensions"] if d["id"] == "education")
    assert education["index"] == scores.score_of(own).indices["education"] is not None


def test_a_recomputed_network_changes_the_scores_and_their_etag(client) -> None:
    _network(2)
    own = build_assessment(build_city(), answers=FULL)
    headers = api_token(build_user("focal_point", own.city))
    first = _scores(client, own.id, headers)
    assert first.get_json()["overall"]["network_n"] == 2
    _network(1)  # a third city validated: the network is recomputed
    second = _scores(client, own.id, headers, first.headers["ETag"])
    assert second.status_code == 200
    assert second.get_json()["overall"]["network_n"] == 3
    assert second.headers["ETag"] != first.headers["ETag"]


def test_kept_scores_are_not_shown_to_another_city(client) -> None:
    own = build_assessment(build_city(), answers=FULL)
    first = _scores(client, own.id, api_token(build_user("focal_point", own.city)))
    assert first.status_code == 200
    stranger = api_token(build_user("focal_point"))
    assert _scores(client, own.id, stranger).status_code == 404
    assert _scores(client, own.id, stranger, first.headers["ETag"]).status_code == 404
    staff = _scores(client, own.id, api_token(build_user("staff")), first.headers["ETag"])
    assert staff.status_code == 304
