"""API tokens: hashed, shown once, revocable, refused once revoked; `benchmark token create`."""

from __future__ import annotations

import hashlib

from sqlalchemy import select

from benchmark.extensions import db
from benchmark.models import ApiToken, AuditEvent
from tests.builders import build_user
from tests.integration.security.helpers import form_token, sign_in


def _create_on_page(client, name: str = "export script"):
    return client.post("/account/tokens", data={"name": name,
                                                "csrf_token": form_token(client, "/account/tokens")})


def _secret(html: str) -> str:
    return html.split('<p class="secret" id="new-token">')[1].split("</p>")[0].strip()


def test_token_is_shown_once_and_stored_hashed(client) -> None:
    user = build_user("focal_point")
    sign_in(client, user)
    response = _create_on_page(client)
    assert response.status_code == 200
    secret = _secret(response.get_data(as_text=True))
    assert secret.startswith("cbt_") and len(secret) > 40
    row = db.session.scalar(select(ApiToken).where(ApiToken.user_id == user.id))
    assert row.token_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in (row.prefix + row.token_hash + row.name)
    listing = client.get("/account/tokens").get_data(as_text=True)
    assert secret not in listing and row.prefix in listing
    # Not in the (readable) cookie session either.
    assert secret not in client.get_cookie("benchmark_session").value


def test_page_token_authenticates_the_api(client, app) -> None:
    user = build_user("staff")
    sign_in(client, user)
    secret = _secret(_create_on_page(client).get_data(as_text=True))
    api = app.test_client()
    assert api.get("/api/v1/cities", headers={"Authorization": f"Bearer {secret}"}).status_code == 200


def test_revoked_token_is_refused_with_401(client, app) -> None:
    user = build_user("contributor")
    sign_in(client, user)
    secret = _secret(_create_on_page(client).get_data(as_text=True))
    row = db.session.scalar(select(ApiToken).where(ApiToken.user_id == user.id))
    response = client.post(f"/account/tokens/{row.id}/revoke",
                           data={"csrf_token": form_token(client, "/account/tokens")})
    assert response.status_code == 302
    refused = app.test_client().get("/api/v1/cities", headers={"Authorization": f"Bearer {secret}"})
    assert refused.status_code == 401
    assert refused.get_json()["error"]["code"] == "unauthenticated"
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "token_revoked"))


def test_another_users_token_cannot_be_revoked(client) -> None:
    owner = build_user("staff")
    sign_in(client, owner)
    _create_on_page(client)
    row = db.session.scalar(select(ApiToken).where(ApiToken.user_id == owner.id))
    intruder = client.application.test_client()
    sign_in(intruder, build_user("admin"))
    response = intruder.post(f"/account/tokens/{row.id}/revoke",
                             data={"csrf_token": form_token(intruder, "/account/tokens")})
    assert response.status_code == 404
    db.session.refresh(row)
    assert row.revoked_at is None


def test_token_of_a_deactivated_user_stops_working(client) -> None:
    from tests.builders import api_token

    user = build_user("staff")
    headers = api_token(user)
    user.is_active = False
    db.session.commit()
    assert client.get("/api/v1/cities", headers=headers).status_code == 401


def test_token_needs_a_name(client) -> None:
    sign_in(client, build_user("staff"))
    response = _create_on_page(client, name="  ")
    assert response.status_code == 422
    assert 'href="#name"' in response.get_data(as_text=True)


def test_cli_token_create_prints_the_token_alone_on_the_last_line(runner, app) -> None:
    user = build_user("staff")
    result = runner.invoke(args=["token", "create", "--email", user.email])
    assert result.exit_code == 0, result.output
    secret = result.output.strip().splitlines()[-1]
    assert secret.startswith("cbt_") and " " not in secret
    assert app.test_client().get(
        "/api/v1/cities", headers={"Authorization": f"Bearer {secret}"}).status_code == 200


def test_cli_token_create_for_an_unknown_user_fails_in_one_line(runner) -> None:
    result = runner.invoke(args=["token", "create", "--email", "ghost@example.org"])
    assert result.exit_code != 0
    assert "ghost@example.org" in result.output
