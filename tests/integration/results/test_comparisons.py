"""Size and diversity groups over the API, on the results page and in the PDF summary."""

from __future__ import annotations

import math

import pytest

from tests.builders import FIXTURES, api_token, build_assessment, build_city, build_user, login
from tests.integration.results.test_scores_api import FULL, HALF

pytestmark = pytest.mark.config(QUESTIONNAIRE_DIR=str(FIXTURES), K_ANONYMITY=3)


def _scores(client, assessment, user=None):
    user = user or build_user("focal_point", assessment.city)
    response = client.get(f"/api/v1/assessments/{assessment.id}/scores", headers=api_token(user))
    assert response.status_code == 200
    return response.get_json()


def test_groups_rank_the_city_against_a_reference_from_the_raw_indices(client) -> None:
    # Size group 100k-250k: three validated cities of several diversities; one far bigger city.
    small = [build_assessment(build_city(population=150_000, foreign_born_share=share),
                              status="validated", answers=answers)
             for share, answers in ((5.0, FULL), (15.0, HALF), (25.0, HALF))]
    big = build_assessment(build_city(population=2_000_000, foreign_born_share=15.0),
                           status="validated", answers=FULL)
    own = build_assessment(build_city(population=120_000, foreign_born_share=12.0), answers=HALF)

    body = _scores(client, own)
    index = {a.id: _scores(client, a)["overall"]["index"] for a in [*small, big]}
    mine = body["overall"]["index"]

    size = body["comparisons"]["overall"]["size"]
    values = [index[a.id] for a in small] + [mine]
    assert size["group"] == "pop-100k-250k"
    assert size["n"] == 4
    assert size["average"] == pytest.approx(math.fsum(values) / 4)
    assert size["rank"] == 1 + sum(v > mine for v in values)
    diversity = body["comparisons"]["overall"]["diversity"]
    assert diversity["group"] == "fb-10-20"
    # HALF ties with the 15 % city of the size group and the big city scores higher: rank 2 of 3.
    assert (diversity["n"], diversity["rank"]) == (3, 2)
    network = body["comparisons"]["overall"]["network"]
    assert (network["group"], network["n"]) == (None, 5)
    assert [d["id"] for d in body["comparisons"]["dimensions"]] == [d["id"] for d in body["dimensions"]]


def test_a_group_under_k_is_withheld_with_its_reason(client) -> None:
    build_assessment(build_city(population=150_000, foreign_born_share=35.0),
                     status="validated", answers=FULL)
    own = build_assessment(build_city(population=120_000, foreign_born_share=35.0), answers=HALF)

    size = _scores(client, own)["comparisons"]["overall"]["size"]

    assert size == {"group": "pop-100k-250k", "average": None, "n": 2, "rank": None,
                    "withheld_reason": "k_anonymity"}


def test_results_page_and_pdf_show_the_ranks_in_words(client) -> None:
    for share in (5.0, 15.0, 25.0):
        build_assessment(build_city(population=150_000, foreign_born_share=share),
                         status="validated", answers=FULL)
    own = build_assessment(build_city(population=120_000, foreign_born_share=12.0), answers=HALF)
    login(client, build_user("focal_point", own.city))

    html = client.get(f"/results/{own.id}").get_data(as_text=True)
    assert "Rank among similar cities" in html
    assert "Cities of similar size (100,000–250,000 inhabitants)" in html
    assert "4th of 4" in html

    french = client.get(f"/results/{own.id}?lang=fr").get_data(as_text=True)
    assert "Villes de taille semblable (100\u202f000 à 250\u202f000 habitants)" in french
    assert "4e sur 4" in french
