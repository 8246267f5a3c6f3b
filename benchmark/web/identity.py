"""Who is making the request: a session cookie (web UI) or a bearer token (API)."""

from __future__ import annotations

from flask import Flask, current_app, g, redirect, request, session, url_for
from flask_babel import gettext as _
from flask_login import UserMixin, current_user, login_user
from werkzeug.wrappers import Response

from benchmark.authz import ANONYMOUS, Actor
from benchmark.errors import Unauthenticated
from benchmark.extensions import csrf, login_manager
from benchmark.services import accounts, tokens
from benchmark.services.accounts import LiveSession, SessionUser

UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
#: Endpoints that read the session without counting as activity (the idle clock keeps running).
PASSIVE_ENDPOINTS = frozenset({"auth.session_status", "static"})


class LoginIdentity(UserMixin):
    """Flask-Login's user: the session row's id is the cookie identity, so it can be revoked.

    Plain values (accounts.LiveSession), not ORM rows: a view that needs the User loads it.
    """

    def __init__(self, row: LiveSession) -> None:
        self.session_row = row
        self.user: SessionUser = row.user

    def get_id(self) -> str:
        return self.session_row.id


def client_ip() -> str | None:
    return request.remote_addr


def invitation_link(token: str) -> str:
    """The emailed link that accepts an invitation."""
    return absolute_url("auth.accept_invitation", token=token)


def absolute_url(endpoint: str, **values: object) -> str:
    """An absolute link for emails, built on BASE_URL, never on the request's Host header
    (a forged Host would otherwise send password-reset links to an attacker's site)."""
    return current_app.config["BASE_URL"].rstrip("/") + url_for(endpoint, **values)


def current_actor() -> Actor:
    """The acting user of this request (ANONYMOUS when nobody is logged in)."""
    actor = g.get("actor")
    if actor is None:
        user = current_user.user if current_user.is_authenticated else None
        actor = g.actor = accounts.actor_for(user, client_ip()) if user is not None else ANONYMOUS
    return actor


def sign_in(session_id: str) -> None:
    """Bind a fresh cookie session to a new server-side session (no fixation)."""
    lang = session.get("lang")
    session.clear()
    if lang:
        session["lang"] = lang
    row = accounts.load_session(session_id)
    if row is None:  # just created in this request: only a clock jump could expire it
        raise Unauthenticated(_("Please log in."))
    login_user(LoginIdentity(row))


def _bearer_token() -> str | None:
    header = request.headers.get("Authorization", "")
    if not header:
        return None
    scheme, _, value = header.partition(" ")
    if scheme.lower() != "bearer" or not value.strip():
        raise Unauthenticated("Malformed Authorization header: use 'Bearer <token>'.")
    return value.strip()


def _relative_request_path() -> str:
    path = request.full_path if request.query_string else request.path
    return path if path.startswith("/") and not path.startswith("//") else "/"


def init_identity(app: Flask) -> None:
    login_manager.login_view = "auth.login"
    login_manager.login_message = None
    login_manager.session_protection = None  # server-side sessions replace the IP/UA heuristic

    @login_manager.user_loader
    def _load(session_id: str) -> LoginIdentity | None:
        row = accounts.load_session(session_id)
        if row is None:
            return None
        if request.endpoint in PASSIVE_ENDPOINTS:
            g.session_expires_at = accounts.session_expiry(row)
        else:
            g.session_expires_at = accounts.touch_session(row)
        g.user_language = row.user.language
        g.unread_notifications = row.user.unread_notifications
        return LoginIdentity(row)

    @login_manager.unauthorized_handler
    def _unauthorized() -> Response:
        from benchmark.web.errors import wants_json

        if wants_json():
            raise Unauthenticated("Please log in.")
        return redirect(url_for("auth.login", next=_relative_request_path()))

    @app.before_request
    def _authenticate_api_and_check_csrf() -> None:
        if request.path.startswith("/api/"):
            secret = _bearer_token()
            if secret is not None:
                actor = tokens.authenticate(secret, client_ip())
                if actor is None:
                    raise Unauthenticated("Unknown or revoked token.")
                g.actor = actor
                g.user_language = actor.language
                return  # tokens are not ambient credentials: no CSRF check needed
            if not current_user.is_authenticated:
                return  # nothing ambient to protect; the route answers 401 itself
        if request.method in UNSAFE_METHODS and request.routing_exception is None:
            csrf.protect()
