"""Server-side sessions: logout and password changes kill copied cookies; idle and absolute limits."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import update

from benchmark.extensions import db
from benchmark.models import UserSession, utcnow
from benchmark.services import accounts
from tests.builders import PASSWORD, build_user, login
from tests.integration.security.helpers import form_token, sign_in

NEW_PASSWORD = "a completely new passphrase 42"


def _cookie(client) -> str:
    return client.get_cookie("benchmark_session").value


def _replay(app, cookie: str):
    """A different browser presenting a copied session cookie."""
    other = app.test_client()
    other.set_cookie("benchmark_session", cookie)
    return other


def test_session_cookie_is_httponly_and_samesite_lax(client) -> None:
    user = build_user("staff")
    response = login(client, user)
    set_cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in set_cookie and "SameSite=Lax" in set_cookie
    assert "Secure" not in set_cookie  # development: plain http on localhost


@pytest.mark.config(ENV="production", MAIL_SERVER="smtp.example.org")
def test_session_cookie_is_secure_and_host_only_in_production(app) -> None:
    client = app.test_client()
    user = build_user("staff")
    page = client.get("/login", base_url="https://localhost")
    token = page.get_data(as_text=True).split('name="csrf-token" content="')[1].split('"')[0]
    response = client.post("/login", base_url="https://localhost",
                           data={"email": user.email, "password": PASSWORD, "csrf_token": token},
                           headers={"Referer": "https://localhost/login"})
    assert response.status_code == 302
    set_cookie = response.headers["Set-Cookie"]
    assert set_cookie.startswith("__Host-benchmark_session=")
    assert "Secure" in set_cookie and "Path=/" in set_cookie and "Domain" not in set_cookie
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")


def test_login_rotates_the_cookie_session(client) -> None:
    client.get("/login")
    before = _cookie(client)
    login(client, build_user("staff"))
    assert _cookie(client) != before


def test_replayed_cookie_after_logout_lands_on_the_login_page(app, client) -> None:
    user = build_user("focal_point")
    login(client, user)
    copied = _cookie(client)
    assert client.get("/account").status_code == 200
    response = client.post("/logout", data={"csrf_token": form_token(client, "/account")})
    assert response.status_code == 302

    replay = _replay(app, copied).get("/account")
    assert replay.status_code == 302
    assert replay.headers["Location"].startswith("/login")


def test_logout_revokes_the_server_side_session(client) -> None:
    user = build_user("staff")
    session_id = sign_in(client, user)
    client.post("/logout", data={"csrf_token": form_token(client, "/account")})
    assert db.session.get(UserSession, session_id).revoked_at is not None


def test_password_change_logs_out_every_other_session(app) -> None:
    user = build_user("contributor")
    laptop, phone = app.test_client(), app.test_client()
    login(laptop, user)
    login(phone, user)
    copied = _cookie(laptop)
    assert phone.get("/account").status_code == 200

    response = laptop.post("/account/password", data={
        "current_password": PASSWORD, "password": NEW_PASSWORD, "confirm": NEW_PASSWORD,
        "csrf_token": form_token(laptop, "/account/password")})
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]

    assert phone.get("/account").headers["Location"].startswith("/login")
    # Even a copy of the cookie of the session that changed the password is dead...
    assert _replay(app, copied).get("/account").status_code == 302
    # ...while that browser carries on with a fresh session.
    assert laptop.get("/account").status_code == 200
    login(app.test_client(), user, NEW_PASSWORD)


def test_password_change_needs_the_current_password(client) -> None:
    user = build_user("staff")
    sign_in(client, user)
    response = client.post("/account/password", data={
        "current_password": "not my password at all", "password": NEW_PASSWORD,
        "confirm": NEW_PASSWORD, "csrf_token": form_token(client, "/account/password")})
    assert response.status_code == 422
    assert "current password is not right" in response.get_data(as_text=True)


@pytest.mark.parametrize(("new", "message"), [
    ("short-one", "at least 12 characters"),
    ("password1234", "too common"),
    ("Sunshine2024!!", "too common"),
])
def test_password_change_enforces_the_policy(client, new: str, message: str) -> None:
    sign_in(client, build_user("staff"))
    response = client.post("/account/password", data={
        "current_password": PASSWORD, "password": new, "confirm": new,
        "csrf_token": form_token(client, "/account/password")})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert message in html or "between 12 and 256" in html
    assert 'class="error-summary"' in html and 'href="#password"' in html


def test_idle_session_expires(client) -> None:
    session_id = sign_in(client, build_user("staff"))
    db.session.execute(update(UserSession).where(UserSession.id == session_id)
                       .values(last_seen_at=utcnow() - timedelta(hours=2, minutes=1)))
    db.session.commit()
    assert client.get("/account").headers["Location"].startswith("/login")


def test_session_has_an_absolute_lifetime_despite_activity(client) -> None:
    session_id = sign_in(client, build_user("staff"))
    db.session.execute(update(UserSession).where(UserSession.id == session_id)
                       .values(created_at=utcnow() - timedelta(hours=12, minutes=1)))
    db.session.commit()
    assert client.get("/account").status_code == 302


def test_the_account_page_lists_only_live_sessions(app, client) -> None:
    """The list applies the checks of a request's own session: revoked, idle, too old."""
    user = build_user("staff")
    here = sign_in(client, user)
    live, idle, old, revoked = (sign_in(app.test_client(), user) for _ in range(4))
    now = utcnow()
    for session_id, values in ((idle, {"last_seen_at": now - timedelta(hours=2, minutes=1)}),
                               (old, {"created_at": now - timedelta(hours=12, minutes=1)}),
                               (revoked, {"revoked_at": now})):
        db.session.execute(update(UserSession).where(UserSession.id == session_id)
                           .values(**values))
    db.session.commit()
    assert client.get("/account").status_code == 200
    assert {s.id for s in accounts.list_sessions(accounts.actor_for(user))} == {here, live}


def test_pages_carry_the_idle_deadline_for_the_warning_script(client) -> None:
    sign_in(client, build_user("staff"))
    html = client.get("/account").get_data(as_text=True)
    seconds = int(html.split('data-session-expires-in="')[1].split('"')[0])
    assert 2 * 3600 - 120 < seconds <= 2 * 3600
    assert 'data-session-warn-before="300"' in html
    assert 'id="session-dialog"' in html and 'role="alertdialog"' in html
    assert "/static/js/session.js" in html


def test_anonymous_pages_have_no_session_clock(client) -> None:
    html = client.get("/").get_data(as_text=True)
    assert "data-session-expires-in" not in html and 'id="session-dialog"' not in html


def test_refresh_extends_the_session_and_returns_a_csrf_token(client) -> None:
    session_id = sign_in(client, build_user("contributor"))
    db.session.execute(update(UserSession).where(UserSession.id == session_id)
                       .values(last_seen_at=utcnow() - timedelta(minutes=117)))
    db.session.commit()
    token = form_token(client, "/")  # this request itself is activity: be exact below
    db.session.execute(update(UserSession).where(UserSession.id == session_id)
                       .values(last_seen_at=utcnow() - timedelta(minutes=117)))
    db.session.commit()
    response = client.post("/session/refresh", headers={"X-CSRFToken": token,
                                                        "Accept": "application/json"})
    assert response.status_code == 200
    body = response.get_json()
    assert body["authenticated"] is True and body["csrf_token"]
    assert body["expires_in"] > 2 * 3600 - 60
    # The returned token is accepted by the next state-changing call.
    again = client.post("/session/refresh", headers={"X-CSRFToken": body["csrf_token"]})
    assert again.status_code == 200


def test_refresh_without_csrf_token_is_refused_as_json(client) -> None:
    sign_in(client, build_user("staff"))
    response = client.post("/session/refresh")
    assert response.status_code == 400
    assert response.get_json()["error"]["code"] == "csrf_failed"


def test_refresh_when_logged_out_answers_401_json(client) -> None:
    token = form_token(client, "/")
    response = client.post("/session/refresh", headers={"X-CSRFToken": token})
    assert response.status_code == 401
    assert response.get_json()["error"]["code"] == "unauthenticated"


def test_status_does_not_count_as_activity(client) -> None:
    session_id = sign_in(client, build_user("staff"))
    stale = utcnow() - timedelta(minutes=30)
    db.session.execute(update(UserSession).where(UserSession.id == session_id)
                       .values(last_seen_at=stale))
    db.session.commit()
    body = client.get("/session/status").get_json()
    assert body["authenticated"] is True
    assert 89 * 60 < body["expires_in"] <= 90 * 60
    db.session.expire_all()
    assert abs((db.session.get(UserSession, session_id).last_seen_at - stale).total_seconds()) < 1


def test_status_after_logging_in_elsewhere_hands_out_the_new_token(app) -> None:
    """The page kept open with typed answers picks up the new session and CSRF token."""
    user = build_user("contributor")
    browser = app.test_client()
    old_token = form_token(browser, "/")
    login(browser, user)  # "in another tab": same cookie jar
    body = browser.get("/session/status").get_json()
    assert body["authenticated"] is True and body["csrf_token"] != old_token
    assert browser.post("/session/refresh", headers={"X-CSRFToken": body["csrf_token"]}).status_code == 200


def test_other_sessions_can_be_logged_out_with_the_password(app) -> None:
    user = build_user("staff")
    here, there = app.test_client(), app.test_client()
    sign_in(here, user)
    sign_in(there, user)
    response = here.post("/account/sessions/revoke", data={
        "password": PASSWORD, "csrf_token": form_token(here, "/account")})
    assert response.status_code == 302
    assert there.get("/account").status_code == 302
    assert here.get("/account").status_code == 200


def test_deactivated_user_is_logged_out_at_once(client) -> None:
    user = build_user("focal_point")
    sign_in(client, user)
    user.is_active = False
    db.session.commit()
    assert client.get("/account").status_code == 302


@pytest.mark.parametrize(("target", "landing"), [
    ("/account", "/account"),
    ("//evil.example/", "/review"),  # elsewhere: the person's work (staff: the review queue)
    ("/\t/evil.example/", "/review"),
    ("/\\evil.example", "/review"),
    ("https://evil.example/", "/review"),
    ("/%0a/evil.example", "/%0a/evil.example"),  # still a path on this site
])
def test_login_only_redirects_within_the_site(client, target: str, landing: str) -> None:
    from urllib.parse import quote

    user = build_user("staff")
    path = "/login?next=" + quote(target, safe="")
    response = client.post(path, data={"email": user.email, "password": PASSWORD,
                                       "csrf_token": form_token(client, "/login")})
    assert response.status_code == 302
    assert response.headers["Location"] == landing
