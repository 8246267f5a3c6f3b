"""Cities side by side: who may compare whom, 2 to 5 cities, the page, CSV, PDF and API agree."""

from __future__ import annotations

import csv
import io

import pytest

from benchmark.services import questionnaires, scores
from tests.builders import FIXTURES, api_token, build_assessment, build_city, build_user, login
from tests.integration.results.test_scores_api import FULL, HALF

pytestmark = pytest.mark.config(QUESTIONNAIRE_DIR=str(FIXTURES))


@pytest.fixture
def five(app):  # type: ignore[no-untyped-def]
    """Five cities with a validated round; the last did not consent to be named."""
    cities = []
    for n, answers in enumerate((FULL, HALF, FULL, HALF, HALF)):
        city = build_city(f"c{n}", name=f"City {n}", consent_named=n < 4)
        build_assessment(city, status="validated", answers=answers)
        cities.append(city)
    return cities


def _api(client, user, *slugs, **extra):
    query = "&".join(f"city={s}" for s in slugs)
    return client.get(f"/api/v1/compare?questionnaire=2019&{query}", headers=api_token(user), **extra)


def test_staff_compare_five_cities_over_the_api_with_the_published_indices(client, five) -> None:
    response = _api(client, build_user("staff"), *(c.slug for c in five))
    assert response.status_code == 200
    body = response.get_json()
    assert [c["name"] for c in body["cities"]] == [c.name for c in five]
    stored = [scores.stored_indices(a)
              for a in scores.latest_validated_ids(questionnaires.find_row("2019").id)]
    assert sorted(body["overall"]["values"]) == sorted(s["_overall"] for s in stored)
    assert len(body["dimensions"]) == 3
    question = body["questions"][0]
    assert question["spread"] == pytest.approx(max(v for v in question["achievements"] if v is not None)
                                               - min(v for v in question["achievements"] if v is not None))
    assert [q["spread"] for q in body["questions"]] == sorted((q["spread"] for q in body["questions"]),
                                                              reverse=True)


@pytest.mark.parametrize("count", [1, 6])
def test_fewer_than_two_or_more_than_five_cities_is_422(client, five, count) -> None:
    slugs = [c.slug for c in five] + ["extra"]
    build_city("extra")
    response = _api(client, build_user("staff"), *slugs[:count])
    assert response.status_code == 422
    assert "city" in response.get_json()["error"]["fields"]


def test_a_city_team_compares_only_with_cities_that_consented(client, five) -> None:
    focal = build_user("focal_point", five[0])
    assert _api(client, focal, five[0].slug, five[1].slug).status_code == 200
    assert _api(client, focal, five[0].slug, five[4].slug).status_code == 404
    focal_of_hidden = build_user("focal_point", five[4])
    assert _api(client, focal_of_hidden, five[4].slug, five[1].slug).status_code == 200


def test_page_csv_and_pdf_show_the_same_table(client, five) -> None:
    login(client, build_user("staff"))
    args = "questionnaire=2019&" + "&".join(f"city={c.slug}" for c in five)
    html = client.get(f"/compare?{args}").get_data(as_text=True)
    assert "Where the cities differ most" in html and "<svg" in html
    table = list(csv.reader(io.StringIO(client.get(f"/compare.csv?{args}").get_data(as_text=True))))
    assert table[0] == ["index", *(c.name for c in five)]
    for row in table[1:]:
        for value in row[1:]:
            assert f">{value}</td>" in html
    pdf = client.get(f"/compare.pdf?{args}&lang=ar")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")


def test_the_page_says_what_is_wrong_with_one_city(client, five) -> None:
    login(client, build_user("staff"))
    assert client.get(f"/compare?city={five[0].slug}").status_code == 200  # preselected
    response = client.get(f"/compare?city={five[0].slug}&go=1")
    assert response.status_code == 422
    assert "Choose between 2 and 5 different cities." in response.get_data(as_text=True)


def test_a_city_is_compared_on_the_round_the_network_counts(client, five) -> None:
    """One "latest validated round per city": the comparison shows the round the network
    statistics count, not a later draft or an earlier validated round."""
    city = five[0]
    later = build_assessment(city, round=2027, status="validated", answers=HALF)
    build_assessment(city, round=2028, status="draft", answers=FULL)
    network = scores.latest_validated_ids(questionnaires.find_row("2019").id)
    assert later.id in network and len(network) == len(five)
    body = _api(client, build_user("staff"), city.slug, five[1].slug).get_json()
    assert [c["round"] for c in body["cities"]] == [2027, 2026]
    assert body["overall"]["values"][0] == scores.stored_indices(later.id)["_overall"]


def test_the_arabic_radar_draws_its_labels_where_they_were_measured(client, five) -> None:
    """As on the results page and in the PDF: Arabic chart text is shaped outlines, so the
    browser cannot lay the labels over the circle or the legend text over its swatch."""
    import re

    login(client, build_user("staff"))
    args = "questionnaire=2019&" + "&".join(f"city={c.slug}" for c in five)
    english = client.get(f"/compare?{args}").get_data(as_text=True)
    svg = english[english.index("<svg"):english.index("</svg>")]
    assert "City 0" in " ".join(re.findall(r"<text[^>]*>([^<]*)", svg))  # searchable text
    client.get("/language/ar")
    arabic = client.get(f"/compare?{args}").get_data(as_text=True)
    svg = arabic[arabic.index("<svg"):arabic.index("</svg>")]
    assert "<text" not in svg and "<path" in svg
    assert 'direction="ltr"' in svg and "City 0" in svg  # the names stay in the description
