"""Log in and log out."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user
from werkzeug.wrappers import Response

from benchmark.extensions import limiter
from benchmark.services import accounts
from benchmark.web.auth.forms import ConfirmForm, LoginForm
from benchmark.web.identity import LoginIdentity, client_ip, current_actor

bp = Blueprint("auth", __name__)


def _safe_next(target: str | None) -> str:
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return url_for("main.home")


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit("10 per minute; 50 per hour", methods=["POST"])
def login() -> str | Response:
    if current_user.is_authenticated:
        return redirect(_safe_next(request.args.get("next")))
    form = LoginForm()
    failed = False
    if form.validate_on_submit():
        result = accounts.login(form.email.data or "", form.password.data or "",
                                ip=client_ip(), user_agent=request.user_agent.string)
        if result is not None:
            lang = session.get("lang")
            session.clear()  # a fresh session on login: no fixation
            if lang:
                session["lang"] = lang
            login_user(LoginIdentity(accounts.load_session(result.session_id)))  # type: ignore[arg-type]
            flash(_("You are logged in."), "success")
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
