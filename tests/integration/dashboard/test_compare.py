"""Cities side by side: who may compare whom, 2 to 5 cities, the page, CSV, PDF and API agree."""

from __future__ import annotations

import csv
import io

import pytest
from pypdf import PdfReader

from benchmark.services import questionnaires, scores
from tests.builders import (
    FIXTURES,
    api_token,
    build_assessment,
    build_city,
    build_user,
    login,
    unknown_city_message,
)
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
    pages = PdfReader(io.BytesIO(client.get(f"/compare.pdf?{args}&lang=en").data)).pages
    # Pages after the first are headed by the report's title and edition, not a lone dash.
    assert "Cities side by side — 2019" in pages[1].extract_text()


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


# -- the form: cities typed (name or short name), found among the cities the reader may pick


def _compare(client, *typed, **extra):  # type: ignore[no-untyped-def]
    from urllib.parse import urlencode

    query = urlencode([("questionnaire", "2019"), *(("city", t) for t in typed), ("go", "1"),
                       *extra.items()])
    return client.get(f"/compare?{query}")


def test_staff_pick_cities_by_name_or_short_name_in_any_case(client, five) -> None:
    login(client, build_user("staff"))
    form = client.get("/compare").get_data(as_text=True)
    # Five labelled text fields, no list of every city (a <datalist> on a small network).
    for n in range(1, 6):
        assert f'<label for="city-{n}">City {n}</label>' in form
        assert f'<input type="text" id="city-{n}" name="city" value=""' in form
    assert "<select id=\"city-1\"" not in form
    assert 'list="city-names"' in form and '<option value="City 4">' in form
    response = _compare(client, "city 0", "C1", " City 2 ", "", "c3")
    html = response.get_data(as_text=True)
    assert response.status_code == 200, html[:3000]
    assert "Where the cities differ most" in html
    assert [f"<bdi>City {n}</bdi>" in html for n in range(4)] == [True] * 4
    assert 'value="city 0"' in html and 'value="C1"' in html  # what was typed stays
    # The downloads take the slugs found: the same table as the page.
    assert "/compare.csv?questionnaire=2019&amp;city=c0&amp;city=c1&amp;city=c2&amp;city=c3" in html


def test_links_with_slugs_still_work(client, five) -> None:
    login(client, build_user("staff"))
    preselected = client.get(f"/compare?city={five[0].slug}")  # the city page's link
    assert preselected.status_code == 200
    assert f'id="city-1" name="city" value="{five[0].slug}"' in preselected.get_data(as_text=True)
    both = client.get(f"/compare?questionnaire=2019&city={five[0].slug}&city={five[4].slug}")
    assert both.status_code == 200 and "<bdi>City 4</bdi>" in both.get_data(as_text=True)


def test_an_unknown_city_is_an_error_on_its_field_and_nothing_typed_is_lost(client, five) -> None:
    login(client, build_user("staff"))
    response = _compare(client, "City 0", "Atlantis", "city", questionnaire="2019")
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    unknown = unknown_city_message("Atlantis")
    assert f'<a href="#city-2">{unknown}</a>' in html  # the error summary links to the field
    assert f'<p class="error-message" id="city-2-error">{unknown}</p>' in html
    assert 'aria-describedby="cities-hint city-2-error" list="city-names" aria-invalid="true"' in html
    prefix = "Cities whose name starts with it (short name in brackets): City 0 (c0), City 1 (c1)"
    assert '<a href="#city-3">No city is called “city”. ' + prefix in html
    assert 'value="City 0"' in html and 'value="Atlantis"' in html and 'value="city"' in html
    assert "Where the cities differ most" not in html
    build_city("c0-bis", name="City 0")
    homonyms = _compare(client, "City 0", "c1").get_data(as_text=True)
    assert ("Several cities are called “City 0”: type the short name of the one you mean: "
            "City 0 (c0), City 0 (c0-bis).") in homonyms
    assert _compare(client, "c0-bis", "c1").status_code == 200
    arabic = _compare(client, "Atlantis", "c1", lang="ar").get_data(as_text=True)
    assert 'dir="rtl"' in arabic and "لا توجد مدينة باسم" in arabic


def test_a_city_team_never_finds_or_is_suggested_a_city_that_did_not_consent(app, client, five) -> None:
    focal = build_user("focal_point", five[0])
    login(client, focal)
    form = client.get("/compare").get_data(as_text=True)
    assert '<option value="City 1">' in form and '<option value="City 4">' not in form
    assert "agreed to be named" in form
    assert _compare(client, "City 0", "City 1").status_code == 200  # its own and a consenting one
    hidden = _compare(client, "City 0", "City 4")
    unknown = _compare(client, "City 0", "City 9")
    assert hidden.status_code == unknown.status_code == 422
    hidden_html, unknown_html = hidden.get_data(as_text=True), unknown.get_data(as_text=True)
    assert ("No city is called “City 4”, and no city&#39;s name starts with it."
            in hidden_html)  # not even as the start of a name
    def errors(html: str, typed: str) -> str:  # the summary and the field's message
        start = html.index('<div class="error-summary"')
        return html[start:html.index("</form>")].replace(typed, "…")

    assert errors(hidden_html, "City 4") == errors(unknown_html, "City 9")  # the same answer
    assert _compare(client, "City 0", "c4").status_code == 422  # nor by its short name
    prefix = _compare(client, "City 0", "City").get_data(as_text=True)
    assert "City 0 (c0), City 1 (c1), City 2 (c2), City 3 (c3)." in prefix and "(c4)" not in prefix
    # Its own city is always there, consenting or not.
    client = app.test_client()
    login(client, build_user("focal_point", five[4]))
    own = _compare(client, "city 4", "City 1")
    assert own.status_code == 200 and "<bdi>City 4</bdi>" in own.get_data(as_text=True)
    assert '<option value="City 4">' in client.get("/compare").get_data(as_text=True)


def test_fewer_than_two_cities_says_so_on_the_first_field(client, five) -> None:
    login(client, build_user("staff"))
    response = _compare(client, "City 0", "c0")  # the same city twice
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    message = "Choose between 2 and 5 different cities."
    assert f'<a href="#city-1">{message}</a>' in html
    assert f'<p class="error-message" id="city-count-error">{message}</p>' in html
    assert 'aria-describedby="cities-hint city-count-error"' in html


def test_the_datalist_is_left_out_above_200_pickable_cities(app, client, five, monkeypatch) -> None:
    from benchmark.services import city_filter

    monkeypatch.setattr(city_filter, "DATALIST_MAX", 4)
    login(client, build_user("staff"))
    staff = client.get("/compare").get_data(as_text=True)  # 5 cities: more than the limit
    assert "<datalist" not in staff and 'list="city-names"' not in staff
    client = app.test_client()
    login(client, build_user("focal_point", five[0]))
    focal = client.get("/compare").get_data(as_text=True)  # 4 cities it may pick
    assert '<datalist id="city-names">' in focal and '<option value="City 3">' in focal


def test_the_page_costs_the_same_statements_with_5_or_45_cities(app, five) -> None:
    from tests.queries import count_queries

    clients = []
    for user in (build_user("staff"), build_user("focal_point", five[0])):
        clients.append(app.test_client())
        login(clients[-1], user)
    counts = []
    for more in (0, 40):
        for n in range(more):
            build_city(name=f"Extra {n:02d}", consent_named=n % 2 == 0)
        for client in clients:
            for path in ("/compare", "/compare?questionnaire=2019&city=City+0&city=c1&go=1",
                         "/compare?questionnaire=2019&city=City+0&city=Atl&go=1"):
                client.get(path)  # warm-up: parsed edition, network stamp
                with count_queries() as queries:
                    client.get(path)
                counts.append(queries.count)
    assert counts[:6] == counts[6:], counts
