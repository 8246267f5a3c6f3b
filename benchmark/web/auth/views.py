"""Log in and out, forgotten passwords, invitations, and keeping a session alive."""

from __future__ import annotations

from datetime import datetime
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    current_app,
    flash,
    g,
    jsonify,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required, logout_user
from flask_wtf.csrf import generate_csrf
from werkzeug.exceptions import TooManyRequests
from werkzeug.wrappers import Response

from benchmark.errors import Invalid
from benchmark.extensions import limiter
from benchmark.models import utcnow
from benchmark.services import accounts
from benchmark.services.accounts import INVITATION, RESET, LinkInvalid
from benchmark.web import navigation
from benchmark.web.auth import backoff
from benchmark.web.auth.forms import (
    AcceptInvitationForm,
    ConfirmForm,
    ForgotPasswordForm,
    LoginForm,
    ResetPasswordForm,
)
from benchmark.web.identity import absolute_url, client_ip, current_actor, sign_in

bp = Blueprint("auth", __name__)


def _config_limit(key: str):  # type: ignore[no-untyped-def]
    return lambda: current_app.config[key]


def _email_key() -> str:
    """Rate-limit key of the account being tried, whatever the client's address."""
    return "account:" + (request.form.get("email") or "").strip().lower()[:254]


def _account_and_source_key() -> str:
    """Rate-limit key of the account being tried from this address (OWASP: per account and
    source, so nobody elsewhere can lock the owner out)."""
    return _email_key() + "|" + (client_ip() or "")


def _failed(response: Response) -> bool:
    """Only failed logins count towards the account limit (a success is a redirect)."""
    return response.status_code != 302


def _safe_next(target: str | None) -> str:
    """A same-site path to go to after logging in; anything else goes to the person's work
    (`navigation.landing_url`; no open redirect).

    Browsers drop tabs and newlines and read a backslash as a slash, so "/<tab>/evil.example"
    would leave the site: such characters are refused outright.
    """
    if (target and target.startswith("/") and not target.startswith("//")
            and not any(c.isspace() or c == "\\" or ord(c) < 32 for c in target)
            and not urlsplit(target).netloc):
        return target
    return navigation.landing_url(current_actor())


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_config_limit("LOGIN_RATE_LIMIT"), methods=["POST"])
@limiter.limit(_config_limit("LOGIN_ACCOUNT_RATE_LIMIT"), methods=["POST"],
               key_func=_account_and_source_key, deduct_when=_failed)
def login() -> str | Response | tuple[str, int]:
    if current_user.is_authenticated:
        return redirect(_safe_next(request.args.get("next")))
    form = LoginForm()
    failed = False
    if form.validate_on_submit():
        email = form.email.data or ""
        if wait := backoff.wait_seconds(email):
            g.retry_after = wait
            raise TooManyRequests(retry_after=wait)
        result = accounts.login(email, form.password.data or "",
                                ip=client_ip(), user_agent=request.user_agent.string)
        if result is None:
            backoff.failed(email)
        else:
            backoff.succeeded(email)
            sign_in(result.session_id)
            flash(_("You are logged in."), "success")
            g.pop("actor", None)  # this request's actor was the anonymous visitor until now
            return redirect(_safe_next(request.args.get("next")))
        failed = True
    status = 401 if failed else (422 if form.errors else 200)
    return render_template("auth/login.html", form=form, failed=failed), status


@bp.post("/logout")
def logout() -> Response:
    if not ConfirmForm().validate_on_submit():
        return redirect(url_for("main.home"))
    if current_user.is_authenticated:
        accounts.logout(current_user.get_id(), current_actor())
    logout_user()
    session.clear()
    flash(_("You are logged out."), "success")
    return redirect(url_for("auth.login"))


@bp.route("/password/forgot", methods=["GET", "POST"])
@limiter.limit(_config_limit("PASSWORD_RESET_RATE_LIMIT"), methods=["POST"])
@limiter.limit(_config_limit("PASSWORD_RESET_RATE_LIMIT"), methods=["POST"], key_func=_email_key)
def forgot_password() -> str | Response | tuple[str, int]:
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        accounts.request_password_reset(
            form.email.data or "", ip=client_ip(),
            link=lambda token: absolute_url("auth.reset_password", token=token))
        # The same answer whether or not the address has an account: no enumeration.
        flash(_("If an account uses this address, we have sent it a link to choose a new "
                "password. The link works once, for a limited time."), "success")
        return redirect(url_for("auth.login"))
    return render_template("auth/forgot_password.html", form=form), 422 if form.errors else 200


def _link_page(token: str, purpose: str, form: ResetPasswordForm | AcceptInvitationForm,
               template: str, success: str) -> str | Response | tuple[str, int]:
    """Shared flow of reset and invitation links: show the form, set the password, log in."""
    try:
        user = accounts.user_for_link(token, purpose)
        name = getattr(form, "name", None)
        if name is not None and request.method == "GET" and not name.data:
            name.data = user.name  # as the administrator typed it in the invitation
        if form.validate_on_submit():
            user = accounts.complete_link(token, purpose, form.password.data or "",
                                          name=name.data if name is not None else None,
                                          ip=client_ip())
            backoff.succeeded(user.email)  # a new password: no wait left on the account
            flash(success, "success")
            return redirect(url_for("auth.login"))
    except LinkInvalid as err:
        return render_template("auth/link_invalid.html", message=err.message), 410
    except Invalid as err:
        form.password.errors = [*form.password.errors, *err.fields.values()]
    return render_template(template, form=form, user=user), 422 if form.errors else 200


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
@limiter.limit(_config_limit("PASSWORD_RESET_RATE_LIMIT"), methods=["POST"])
def reset_password(token: str) -> str | Response | tuple[str, int]:
    return _link_page(token, RESET, ResetPasswordForm(), "auth/reset_password.html",
                      _("Your password has been changed. Log in with the new one."))


@bp.route("/invitation/<token>", methods=["GET", "POST"])
@limiter.limit(_config_limit("PASSWORD_RESET_RATE_LIMIT"), methods=["POST"])
def accept_invitation(token: str) -> str | Response | tuple[str, int]:
    return _link_page(token, INVITATION, AcceptInvitationForm(), "auth/accept_invitation.html",
                      _("Welcome! Your account is ready: log in with your email address and "
                        "the password you chose."))


def _session_json(expires_at: datetime | None) -> Response:
    seconds = max(0, int((expires_at - utcnow()).total_seconds())) if expires_at else 0
    response = jsonify({
        "authenticated": expires_at is not None,
        "csrf_token": generate_csrf(),
        "expires_at": expires_at.isoformat() if expires_at else None,
        "expires_in": seconds,
        "warn_before": int(current_app.config["SESSION_WARNING"].total_seconds()),
    })
    response.headers["Cache-Control"] = "no-store"  # carries a CSRF token
    return response


@bp.post("/session/refresh")
@login_required
def refresh_session() -> Response:
    """Stay logged in: counts as activity; a fresh CSRF token for long autosaving pages."""
    return _session_json(accounts.touch_session(current_user.session_row, force=True))


@bp.get("/session/status")
def session_status() -> Response:
    """Whether this browser is logged in, until when, and its CSRF token (not activity).

    Used after logging in again in another tab, so a page with typed answers carries on.
    """
    return _session_json(g.get("session_expires_at") if current_user.is_authenticated else None)


@bp.app_context_processor
def _password_hint() -> dict[str, object]:
    from benchmark.infra.passwords import MIN_LENGTH

    def password_hint() -> str:
        return _("At least %(n)d characters. Several unrelated words make a strong password "
                 "that is easy to remember.", n=MIN_LENGTH)

    return {"password_hint": password_hint}


@bp.app_context_processor
def _session_clock() -> dict[str, object]:
    """Seconds until the idle deadline, for the warning in base.html (None: not logged in)."""
    expires_at = g.get("session_expires_at")
    left = max(0, int((expires_at - utcnow()).total_seconds())) if expires_at else None
    return {"session_seconds_left": left,
            "session_warn_before": int(current_app.config["SESSION_WARNING"].total_seconds())}
