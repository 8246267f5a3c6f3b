"""Password reset by emailed link: signed, expiring, single-use, no account enumeration."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from benchmark.extensions import db
from benchmark.models import AuditEvent
from tests.builders import build_user, get_user, login
from tests.integration.security.helpers import body_of, form_token, link_in, outbox

NEW_PASSWORD = "river lantern copper meadow"


def _ask(client, email: str):
    return client.post("/password/forgot", data={"email": email,
                                                 "csrf_token": form_token(client, "/password/forgot")})


def _reset(client, path: str, password: str = NEW_PASSWORD):
    return client.post(path, data={"password": password, "confirm": password,
                                   "csrf_token": form_token(client, path)})


def test_reset_link_is_emailed_to_the_outbox_and_logged(app, client, caplog) -> None:
    user = build_user("focal_point")
    with caplog.at_level("INFO", logger="benchmark.infra.mail"):
        response = _ask(client, user.email.upper())
    assert response.status_code == 302
    [mail] = outbox(app)
    assert mail["To"] == user.email
    assert "Reset your City Benchmark password" in mail["Subject"]
    assert link_in(mail).startswith("/password/reset/")
    assert any(user.email in r.getMessage() and "outbox" in r.getMessage() for r in caplog.records)


def test_link_uses_the_configured_base_url_not_the_host_header(app, client) -> None:
    user = build_user("staff")
    evil = "http://evil.example"
    page = client.get("/password/forgot", base_url=evil).get_data(as_text=True)
    token = page.split('name="csrf-token" content="')[1].split('"')[0]
    response = client.post("/password/forgot", base_url=evil,
                           data={"email": user.email, "csrf_token": token})
    assert response.status_code == 302
    [mail] = outbox(app)
    assert "evil.example" not in body_of(mail)
    assert app.config["BASE_URL"] + "/password/reset/" in body_of(mail)


def test_unknown_address_gets_the_same_answer_and_no_mail(app, client) -> None:
    known = _ask(client, build_user("staff").email)
    unknown = _ask(client, "nobody@example.org")
    assert unknown.status_code == known.status_code == 302
    assert len(outbox(app)) == 1
    flashed = client.get("/login").get_data(as_text=True)
    assert "If an account uses this address" in flashed


def test_deactivated_account_gets_no_link(app, client) -> None:
    _ask(client, build_user("staff", is_active=False).email)
    assert outbox(app) == []


def test_reset_sets_the_password_once(app, client) -> None:
    user = build_user("contributor")
    _ask(client, user.email)
    path = link_in(outbox(app)[0])
    assert client.get(path).status_code == 200
    assert _reset(client, path).status_code == 302
    login(app.test_client(), user, NEW_PASSWORD)
    # Used: the password hash changed, so the link's fingerprint no longer matches.
    assert client.get(path).status_code == 410
    assert _reset(client, path, "another fine passphrase").status_code == 410


def test_reset_logs_out_every_session(app, client) -> None:
    user = build_user("staff")
    browser = app.test_client()
    login(browser, user)
    _ask(client, user.email)
    _reset(client, link_in(outbox(app)[0]))
    assert browser.get("/account").status_code == 302


def test_reset_link_expires(app, client) -> None:
    user = build_user("staff")
    _ask(client, user.email)
    path = link_in(outbox(app)[0])
    app.config["PASSWORD_RESET_MAX_AGE"] = timedelta(seconds=-1)
    assert client.get(path).status_code == 410


@pytest.mark.parametrize("token", ["garbage", "a" * 600, "eyJ1IjoxfQ.tampered.sig"])
def test_forged_links_are_refused(client, token: str) -> None:
    response = client.get(f"/password/reset/{token}")
    assert response.status_code == 410
    assert "expired or has already been used" in response.get_data(as_text=True)


def test_reset_enforces_the_password_policy(app, client) -> None:
    user = build_user("staff")
    _ask(client, user.email)
    path = link_in(outbox(app)[0])
    response = _reset(client, path, "password1234")
    assert response.status_code == 422
    assert "too common" in response.get_data(as_text=True)
    mismatch = client.post(path, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD + "x",
                                       "csrf_token": form_token(client, path)})
    assert mismatch.status_code == 422 and "not the same" in mismatch.get_data(as_text=True)


def test_invalid_email_is_a_form_error(client) -> None:
    response = _ask(client, "not an address")
    assert response.status_code == 422
    assert 'href="#email"' in response.get_data(as_text=True)


def test_reset_is_audited(app, client) -> None:
    user = build_user("staff")
    _ask(client, user.email)
    _reset(client, link_in(outbox(app)[0]))
    actions = set(db.session.scalars(select(AuditEvent.action).where(AuditEvent.user_id == user.id)))
    assert {"password_reset_requested", "password_reset"} <= actions
    assert get_user(user.email).password_changed_at is not None
