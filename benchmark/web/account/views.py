"""/account: profile and language, password change, other sessions, personal API tokens."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from benchmark.errors import Invalid
from benchmark.services import accounts, tokens
from benchmark.web import navigation
from benchmark.web.account.forms import PasswordForm, ProfileForm, RevokeSessionsForm, TokenForm
from benchmark.web.forms import show_errors
from benchmark.web.identity import current_actor, sign_in

bp = Blueprint("account", __name__, url_prefix="/account")
navigation.add(_l("My account"), "account.profile",
               {"admin", "staff", "focal_point", "contributor"}, order=90)

Page = str | Response | tuple[str, int]


@bp.route("", methods=["GET", "POST"])
@login_required
def profile() -> Page:
    page = accounts.profile(current_actor())
    form = ProfileForm(obj=page.user)
    if form.validate_on_submit():
        try:
            accounts.update_profile(current_actor(), name=form.name.data or "",
                                    language=form.language.data or "en")
        except Invalid as err:
            show_errors(form, err)
        else:
            session["lang"] = form.language.data
            flash(_("Your profile has been saved."), "success")
            return redirect(url_for(".profile"))
    return render_template("account/profile.html", form=form, page=page,
                           current_session=current_user.get_id(),
                           revoke_form=RevokeSessionsForm()), 422 if form.errors else 200


@bp.post("/sessions/revoke")
@login_required
def revoke_sessions() -> Page:
    form = RevokeSessionsForm()
    if form.validate_on_submit():
        try:
            ended = accounts.revoke_other_sessions(current_actor(), current_user.get_id(),
                                                   form.password.data or "")
        except Invalid as err:
            show_errors(form, err)
        else:
            flash(_("Logged out of %(n)d other session(s).", n=ended), "success")
            return redirect(url_for(".profile"))
    page = accounts.profile(current_actor())
    return render_template("account/profile.html", form=ProfileForm(obj=page.user), page=page,
                           current_session=current_user.get_id(), revoke_form=form), 422


@bp.route("/password", methods=["GET", "POST"])
@login_required
def password() -> Page:
    form = PasswordForm()
    if form.validate_on_submit():
        try:
            fresh = accounts.change_password(
                current_actor(), current_user.get_id(), form.current_password.data or "",
                form.password.data or "", user_agent=request.user_agent.string)
        except Invalid as err:
            if "new_password" in err.fields:
                err.fields["password"] = err.fields.pop("new_password")
            show_errors(form, err)
        else:
            # Every old session is revoked, this one included: continue on a fresh one.

            sign_in(fresh)
            flash(_("Your password has been changed. Your other sessions have been logged out."),
                  "success")
            return redirect(url_for(".profile"))
    return render_template("account/password.html", form=form), 422 if form.errors else 200


@bp.route("/tokens", methods=["GET", "POST"])
@login_required
def api_tokens() -> Page:
    form = TokenForm()
    secret = None
    if form.validate_on_submit():
        try:
            _row, secret = tokens.create_own(current_actor(), form.name.data or "")
        except Invalid as err:
            show_errors(form, err)
        else:
            form = TokenForm(formdata=None)
    rows = tokens.list_own(current_actor())
    # The secret is rendered in this response only (never flashed: the cookie is not secret).
    return render_template("account/tokens.html", form=form, tokens=rows, secret=secret,
                           ), 422 if form.errors else 200


@bp.post("/tokens/<int:token_id>/revoke")
@login_required
def revoke_token(token_id: int) -> Response:
    # CSRF: checked for every POST in web/identity.py.
    row = tokens.revoke(current_actor(), token_id)
    flash(_("The token “%(name)s” has been revoked.", name=row.name), "success")
    return redirect(url_for(".api_tokens"))
