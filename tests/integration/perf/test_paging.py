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
    # session, user; the count, the page with its cities and editions
    assert queries.count == 4, queries.report()
    second = client.get("/review?page=2").get_data(as_text=True)
    assert _rows(second) == 1 and 'href="/review?page=1"' in second


def test_admin_cities_are_paged_and_count_every_city(client) -> None:
    for i in range(PER_PAGE + 5):
        build_city(name=f"City {i:03d}")
    login(client, build_user("admin"))
    client.get("/admin/cities")
    with count_queries() as queries:
        first = client.get("/admin/cities").get_data(as_text=True)
    assert queries.count == 4, queries.report()
    assert _rows(first) == PER_PAGE
    assert f"{PER_PAGE + 5} cities" in first
    last = client.get("/admin/cities?page=99").get_data(as_text=True)  # past the end: the last page
    assert _rows(last) == 5 and "City 054" in last
