"""/team: the focal point's contributors (invite, dimensions, deactivate)."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import login_required
from werkzeug.wrappers import Response

from benchmark.errors import Invalid
from benchmark.services import users
from benchmark.services.users import Invitation
from benchmark.web import navigation
from benchmark.web.forms import choices, show_errors
from benchmark.web.identity import current_actor, invitation_link
from benchmark.web.locale import current_language
from benchmark.web.team.forms import MemberForm, TeamInviteForm

bp = Blueprint("team", __name__, url_prefix="/team")
navigation.add(_l("Team"), "team.members", {"focal_point"}, order=60)

Page = str | Response | tuple[str, int]


@bp.get("")
@login_required
def members() -> Page:
    return render_template("team/members.html",
                           team=users.team(current_actor(), current_language()))


@bp.route("/invite", methods=["GET", "POST"])
@login_required
def invite() -> Page:
    team = users.team(current_actor(), current_language())
    form = TeamInviteForm()
    form.dimensions.choices = choices(team.dimensions)
    if form.validate_on_submit():
        try:
            invited = users.invite(current_actor(), Invitation(
                email=form.email.data or "", role="contributor", name=form.name.data or "",
                city_id=team.city.id, dimensions=form.dimensions.data or None,
                language=form.language.data or "en"), invitation_link)
        except Invalid as err:
            show_errors(form, err)
        else:
            flash(_("An invitation has been sent to %(email)s.", email=invited.email), "success")
            return redirect(url_for(".members"))
    return render_template("team/invite.html", form=form, team=team), 422 if form.errors else 200


@bp.route("/<int:user_id>", methods=["GET", "POST"])
@login_required
def edit_member(user_id: int) -> Page:
    page = users.member_page(current_actor(), user_id, current_language())
    member = page.member
    form = MemberForm(obj=member)
    form.dimensions.choices = choices(page.dimensions)
    if form.validate_on_submit():
        try:
            users.update_member(current_actor(), user_id, form.dimensions.data or None)
        except Invalid as err:
            show_errors(form, err)
        else:
            flash(_("The dimensions of %(email)s have been saved.", email=member.email), "success")
            return redirect(url_for(".members"))
    return render_template("team/member.html", form=form, member=member,
                           has_dimensions=bool(page.dimensions)), 422 if form.errors else 200


def _set_active(user_id: int, active: bool) -> Response:
    member = users.set_member_active(current_actor(), user_id, active)
    flash(_("%(email)s can log in again.", email=member.email) if active else
          _("%(email)s has been deactivated and logged out everywhere.", email=member.email),
          "success")
    return redirect(url_for(".members"))


@bp.post("/<int:user_id>/deactivate")
@login_required
def deactivate_member(user_id: int) -> Response:
    return _set_active(user_id, False)


@bp.post("/<int:user_id>/reactivate")
@login_required
def reactivate_member(user_id: int) -> Response:
    return _set_active(user_id, True)


@bp.post("/<int:user_id>/resend-invitation")
@login_required
def resend_invitation(user_id: int) -> Response:
    try:
        member = users.resend_member_invitation(current_actor(), user_id, invitation_link)
    except Invalid as err:
        flash(err.message, "error")
    else:
        flash(_("A new invitation has been sent to %(email)s.", email=member.email), "success")
    return redirect(url_for(".members"))
