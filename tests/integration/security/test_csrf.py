"""CSRF: forms and the web UI's JSON calls need the session's token; bearer tokens do not."""

from __future__ import annotations

import pytest

from tests.builders import build_user
from tests.integration.security.helpers import form_token, sign_in


def test_login_form_without_csrf_token_is_rejected(client) -> None:
    user = build_user("staff")
    response = client.post("/login", data={"email": user.email, "password": "whatever it is"})
    assert response.status_code == 400
    assert "Form expired" in response.get_data(as_text=True)


@pytest.mark.parametrize(("path", "data"), [
    ("/account", {"name": "X", "language": "en"}),
    ("/account/tokens", {"name": "x"}),
    ("/logout", {}),
    ("/admin/cities/new", {"name": "X", "slug": "x", "country": "Y"}),
])
def test_state_changing_forms_need_the_csrf_token(client, path: str, data: dict) -> None:
    sign_in(client, build_user("admin"))
    assert client.post(path, data=data).status_code == 400
    assert client.post(path, data={**data, "csrf_token": "forged"}).status_code == 400


def test_token_of_another_session_is_rejected(app, client) -> None:
    sign_in(client, build_user("admin"))
    attacker = app.test_client()
    sign_in(attacker, build_user("staff"))
    foreign = form_token(attacker, "/")
    assert client.post("/account/tokens", data={"name": "x", "csrf_token": foreign}).status_code == 400


def test_cookie_authenticated_json_calls_need_the_csrf_header(client) -> None:
    """The web UI's fetch() calls ride on the cookie: the X-CSRFToken header is required."""
    sign_in(client, build_user("staff"))
    refused = client.post("/session/refresh", json={})
    assert refused.status_code == 400
    assert refused.get_json()["error"]["code"] == "csrf_failed"
    accepted = client.post("/session/refresh", headers={"X-CSRFToken": form_token(client, "/")})
    assert accepted.status_code == 200


def test_cookie_authenticated_api_writes_need_the_csrf_header(client) -> None:
    focal = build_user("focal_point")
    sign_in(client, focal)
    # Every unsafe API call riding on the session cookie (no bearer token) is checked
    # before the view runs, whatever the endpoint.
    response = client.post("/api/v1/assessments", json={"city": focal.city.slug,
                                                       "questionnaire": "2019", "round": 2026})
    assert response.status_code == 400
    assert response.get_json()["error"]["code"] == "csrf_failed"


def test_bearer_token_api_calls_need_no_csrf_token(client) -> None:
    from tests.builders import api_token

    response = client.get("/api/v1/cities", headers=api_token(build_user("staff")))
    assert response.status_code == 200
