"""The practice lists cost a fixed number of statements, however many practices a page has."""

from __future__ import annotations

from tests.builders import api_token, build_city, build_practice, build_user, login
from tests.queries import count_queries

#: Statements of the browse page (the session with its user, cities of the filter, the page of practices and
#: their texts, topics and cities, the reader's city's practices in progress) and of the API.
PAGE, API = 10, 6


def _statements(client, path: str, **options) -> int:  # type: ignore[no-untyped-def]
    with count_queries() as queries:
        assert client.get(path, **options).status_code == 200
    return queries.count


def test_the_browse_page_and_the_api_list_do_not_grow_with_the_page(app, client) -> None:
    city = build_city()
    build_practice(city, translations={"fr": {"title": "T", "summary": "S"}})
    focal = build_user("focal_point")
    headers = api_token(focal)
    login(client, focal)
    client.get("/api/v1/practices", headers=headers)  # the token's first use is recorded once
    one_page, one_api = _statements(client, "/practices"), _statements(
        client, "/api/v1/practices", headers=headers)
    for _ in range(6):
        build_practice(build_city(), questions=("language_01", "education_01"))
    assert _statements(client, "/practices") == one_page
    assert _statements(client, "/api/v1/practices", headers=headers) == one_api
    assert _statements(client, "/practices?q=practice&country=Testland") == one_page
    assert (one_page, one_api) == (PAGE, API)
