"""GET /api/v1/cities: bearer tokens, exactly the visible cities, City shape, pagination."""

from __future__ import annotations

import pytest

from tests.builders import api_token, build_city, build_user
from tests.queries import count_queries


def _slugs(response) -> list[str]:
    assert response.status_code == 200, response.get_json()
    return [c["slug"] for c in response.get_json()["items"]]


@pytest.fixture
def network():
    """Three cities; the first two have a team."""
    a = build_city("aachen", population=240_000, foreign_born_share=17.5)
    b = build_city("bilbao", population=None, foreign_born_share=None)
    c = build_city("cork", population=1_200_000, foreign_born_share=31.0)
    return a, b, c


@pytest.mark.parametrize("role", ["staff", "admin"])
def test_staff_and_admins_see_every_city(client, network, role: str) -> None:
    assert _slugs(client.get("/api/v1/cities", headers=api_token(build_user(role)))) == [
        "aachen", "bilbao", "cork"]


@pytest.mark.parametrize("role", ["focal_point", "contributor"])
def test_city_teams_see_only_their_own_city(client, network, role: str) -> None:
    user = build_user(role, network[1])
    assert _slugs(client.get("/api/v1/cities", headers=api_token(user))) == ["bilbao"]


def test_city_shape_with_profile_and_peer_group(client, network) -> None:
    body = client.get("/api/v1/cities", headers=api_token(build_user("staff"))).get_json()
    aachen, bilbao, cork = body["items"]
    assert aachen == {"slug": "aachen", "name": network[0].name, "country": "Testland",
                      "profile": {"population": 240_000, "foreign_born_share": 17.5},
                      "peer_group": "pop-100k-250k.fb-10-20"}
    assert bilbao["peer_group"] is None and bilbao["profile"]["population"] is None
    assert cork["peer_group"] == "pop-1m-plus.fb-30-plus"
    assert body["next"] is None


def test_pages_follow_the_next_link(client, network) -> None:
    headers = api_token(build_user("admin"))
    first = client.get("/api/v1/cities?limit=2", headers=headers).get_json()
    assert [c["slug"] for c in first["items"]] == ["aachen", "bilbao"]
    second = client.get(first["next"], headers=headers).get_json()
    assert [c["slug"] for c in second["items"]] == ["cork"] and second["next"] is None


@pytest.mark.parametrize("query", ["limit=0", "limit=501", "limit=many", "cursor=%%%", "bogus=1"])
def test_bad_query_parameters_are_422(client, query: str) -> None:
    response = client.get(f"/api/v1/cities?{query}", headers=api_token(build_user("staff")))
    assert response.status_code == 422
    assert response.get_json()["error"]["code"] == "invalid"


def test_list_query_count_does_not_grow_with_cities(client) -> None:
    headers = api_token(build_user("staff"))

    def count() -> int:
        with count_queries() as queries:
            assert client.get("/api/v1/cities?limit=100", headers=headers).status_code == 200
        return len([s for s in queries.statements if s.lstrip().upper().startswith("SELECT")])

    for _ in range(2):
        build_city()
    count()  # warm-up: the token's first use is recorded (last_used_at)
    few = count()
    for _ in range(8):
        build_city()
    assert count() == few <= 3


def test_another_citys_detail_is_404(client, network) -> None:
    user = build_user("focal_point", network[0])
    headers = api_token(user)
    assert client.get("/api/v1/cities/aachen", headers=headers).status_code == 200
    hidden = client.get("/api/v1/cities/bilbao", headers=headers)
    missing = client.get("/api/v1/cities/atlantis", headers=headers)
    assert hidden.status_code == missing.status_code == 404
    assert hidden.get_json() == missing.get_json() | {"error": hidden.get_json()["error"]}
    assert hidden.get_json()["error"]["code"] == "not_found"


@pytest.mark.parametrize("header", [
    None,
    "Bearer",
    "Bearer ",
    "Basic dXNlcjpwYXNz",
    "Token cbt_abc",
    "Bearer cbt_unknown-token-value",
    "Bearer not-even-our-prefix",
    "Bearer " + "x" * 500,
])
def test_missing_malformed_or_unknown_tokens_are_401_in_the_error_shape(client, header) -> None:
    headers = {"Authorization": header} if header is not None else {}
    response = client.get("/api/v1/cities", headers=headers)
    assert response.status_code == 401
    body = response.get_json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message", "fields"}
    assert body["error"]["code"] == "unauthenticated"


def test_session_cookie_also_authenticates_reads(client, network) -> None:
    from tests.integration.security.helpers import sign_in

    sign_in(client, build_user("contributor", network[2]))
    assert _slugs(client.get("/api/v1/cities")) == ["cork"]


def test_openapi_documents_the_cities_endpoint(client) -> None:
    spec = client.get("/api/v1/openapi.json").get_json()
    operation = spec["paths"]["/api/v1/cities"]["get"]
    assert operation["security"] == [{"bearerAuth": []}]
    assert {"200", "401", "429"} <= set(operation["responses"])
