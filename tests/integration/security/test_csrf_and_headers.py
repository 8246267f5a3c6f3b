"""CSRF on forms and on the web UI's JSON calls; security headers on every kind of page."""

from __future__ import annotations

import pytest

from tests.builders import build_city, build_user
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


def _pages(client) -> list[str]:
    admin = build_user("admin")
    city = build_city()
    sign_in(client, admin)
    return ["/", "/login", "/password/forgot", "/account", "/account/tokens", "/admin/users",
            "/admin/cities", f"/admin/cities/{city.id}", "/admin/audit", "/no-such-page"]


def test_csp_without_inline_scripts_on_every_page(client) -> None:
    for path in _pages(client):
        headers = client.get(path).headers
        csp = headers["Content-Security-Policy"]
        directives = dict(d.strip().split(" ", 1) for d in csp.split(";") if d.strip())
        assert directives["script-src"] == "'self'", path
        assert "'unsafe-inline'" not in directives.get("default-src", ""), path
        assert directives["frame-ancestors"] == "'none'", path
        assert directives["object-src"] == "'none'", path
        assert headers["X-Content-Type-Options"] == "nosniff", path
        assert headers["Referrer-Policy"] in {"same-origin", "strict-origin-when-cross-origin",
                                              "no-referrer"}, path
        assert "no-store" in headers.get("Cache-Control", ""), path


def test_pages_contain_no_inline_script(client) -> None:
    for path in _pages(client):
        html = client.get(path).get_data(as_text=True)
        for chunk in html.split("<script")[1:]:
            tag = chunk.split(">", 1)[0]
            assert "src=" in tag, (path, tag)
            assert chunk.split(">", 1)[1].startswith("</script>"), path
        assert " onclick=" not in html and " onload=" not in html, path


def test_api_responses_carry_the_headers_too(client) -> None:
    headers = client.get("/api/v1/ping").headers
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
