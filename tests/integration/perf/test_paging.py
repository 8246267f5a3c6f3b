"""Lists that grow with the network are paged on the server: a page costs the same at any size."""

from __future__ import annotations

import re

from benchmark.services.paging import PER_PAGE
from tests.builders import build_assessment, build_city, build_user, login
from tests.queries import count_queries


def _rows(html: str) -> int:
    body = html.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return len(re.findall(r"<tr>", body))


def test_the_review_queue_shows_a_page_and_links_to_the_next(client) -> None:
    for _ in range(PER_PAGE + 1):
        build_assessment(build_city(), status="submitted")
    login(client, build_user("staff"))
    client.get("/review")
    with count_queries() as queries:
        first = client.get("/review").get_data(as_text=True)
    assert _rows(first) == PER_PAGE
    assert 'href="/review?page=2"' in first and "Page 1 of 2" in first
    # the session with its user; the count, the page with its cities and editions
    assert queries.count == 3, queries.report()
    second = client.get("/review?page=2").get_data(as_text=True)
    assert _rows(second) == 1 and 'href="/review?page=1"' in second


def test_admin_cities_are_paged_and_count_every_city(client) -> None:
    for i in range(PER_PAGE + 5):
        build_city(name=f"City {i:03d}")
    login(client, build_user("admin"))
    client.get("/admin/cities")
    with count_queries() as queries:
        first = client.get("/admin/cities").get_data(as_text=True)
    assert queries.count == 3, queries.report()
    assert _rows(first) == PER_PAGE
    assert f"{PER_PAGE + 5} cities" in first
    last = client.get("/admin/cities?page=99").get_data(as_text=True)  # past the end: the last page
    assert _rows(last) == 5 and "City 054" in last


def _statements(client, path: str) -> tuple[str, int]:  # type: ignore[no-untyped-def]
    client.get(path)  # warm-up: parsed editions, prepared network
    with count_queries() as queries:
        response = client.get(path)
        html = response.get_data(as_text=True)
    assert response.status_code == 200, path
    return html, queries.count


def test_admin_users_cost_the_same_with_3_or_60_cities_and_list_no_city_options(client) -> None:
    login(client, build_user("admin"))
    counts = []
    for more in (3, 57):
        for _ in range(more):
            city = build_city()
            build_user("focal_point", city)
        html, count = _statements(client, "/admin/users")
        counts.append(count)
        assert "<option" not in html.split('id="city"', 1)[1].split("</div>", 1)[0]
        for typed in (city.name.upper(), city.slug):
            filtered, filtered_count = _statements(client, f"/admin/users?city={typed}")
            assert filtered_count == count  # the city filter is a subquery of the same two
            assert _rows(filtered) == 1
    # the session with its user; the count, the page of users with their cities' names
    assert counts == [3, 3]
    assert _rows(html) == PER_PAGE and "Page 1 of 2" in html


def test_the_audit_log_costs_the_same_with_3_or_110_cities(client) -> None:
    from benchmark.services import audit
    from benchmark.services._tx import transaction

    login(client, build_user("admin"))
    counts = []
    for more in (3, 107):  # more than a page (audit.PER_PAGE: 100)
        with transaction():
            for _ in range(more):
                city = build_city()
                audit.record(None, "city_created", city)
        html, count = _statements(client, "/admin/audit")
        counts.append(count)
        filtered_html, filtered = _statements(client, f"/admin/audit?city={city.name}")
        assert filtered == count and city.name in filtered_html
    # the session with its user; the page of events (one more to know there are older ones),
    # the names of their cities, the actions of the filter
    assert counts == [4, 4]
    assert 'href="/admin/audit?before=' in html


def test_the_network_page_lists_a_page_of_cities_for_the_same_statements(client) -> None:
    from tests.builders import FIXTURES

    client.application.config["QUESTIONNAIRE_DIR"] = str(FIXTURES)
    login(client, build_user("staff"))
    counts = []
    for more in (2, 53):
        for _ in range(more):
            build_assessment(build_city(), status="validated",
                             answers={"commitment_01": "yes", "education_01": 30})
        html, count = _statements(client, "/network")
        counts.append(count)
    assert counts[0] == counts[1], counts
    assert "Page 1 of 2" in html and 'href="/network?' in html


def test_the_network_page_is_built_once_per_network_state(client) -> None:
    """The network report model (every validated city) is kept per network stamp: a city's
    country edited, or a validation, shows on the next request."""
    from benchmark.authz import SYSTEM
    from benchmark.services import cities
    from benchmark.services.cities import CityData
    from tests.builders import FIXTURES

    client.application.config["QUESTIONNAIRE_DIR"] = str(FIXTURES)
    answers = {"commitment_01": "yes", "education_01": 30}
    city = build_city(name="Borderton", country="Freedonia")
    build_assessment(city, status="validated", answers=answers)
    login(client, build_user("staff"))
    assert "Freedonia" in client.get("/network").get_data(as_text=True)
    _, cached = _statements(client, "/network")
    cities.update(SYSTEM, city.id, CityData(slug=city.slug, name=city.name, country="Sylvania",
                                            population=city.population,
                                            foreign_born_share=city.foreign_born_share,
                                            consent_named=city.consent_named))
    html = client.get("/network").get_data(as_text=True)
    assert "Sylvania" in html and "Freedonia" not in html
    build_assessment(build_city(name="Newcomer"), status="validated", answers=answers)
    assert "Newcomer" in client.get("/network").get_data(as_text=True)  # its validation moved the stamp
    _, again = _statements(client, "/network")
    assert again == cached
