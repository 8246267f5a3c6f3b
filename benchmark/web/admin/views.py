"""/admin: users (invite, edit, deactivate), cities, and the audit log."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from types import SimpleNamespace

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import login_required
from werkzeug.wrappers import Response

from benchmark.errors import Invalid
from benchmark.services import audit, cities, city_filter, users
from benchmark.services.audit import AuditFilter
from benchmark.services.cities import CityData
from benchmark.services.users import Invitation, UserChanges
from benchmark.web import navigation
from benchmark.web.admin.forms import (
    AuditFilterForm,
    CityForm,
    EditUserForm,
    InviteUserForm,
    UserFilterForm,
)
from benchmark.web.forms import show_errors
from benchmark.web.identity import current_actor, invitation_link
from benchmark.web.locale import current_language

bp = Blueprint("admin", __name__, url_prefix="/admin")
navigation.add(_l("Administration"), "admin.home", {"admin"}, order=69)
navigation.add(_l("Users"), "admin.users", {"admin"}, order=70)
navigation.add(_l("Cities"), "admin.cities", {"admin"}, order=71)
navigation.add(_l("Audit log"), "admin.audit", {"admin"}, order=72)

Page = str | Response | tuple[str, int]


@bp.get("/", endpoint="home")
@login_required
def home() -> Page:
    return render_template("admin/home.html", page=users.admin_home(current_actor()))


# -- users ------------------------------------------------------------------------------------

@bp.get("/users", endpoint="users")
@login_required
def users_list() -> Page:
    form = UserFilterForm(request.args)
    form.set_choices()
    valid = form.validate()
    active = {"yes": True, "no": False}.get(form.active.data or "") if valid else None
    page = users.list_users(
        current_actor(), role=(form.role.data or None) if valid else None,
        city=(form.city.data or "").strip() or None if valid else None,
        query=form.q.data if valid else None,
        active=active, page=request.args.get("page", 1, type=int) or 1)
    if page.city_problem:
        valid = False
        form.city.errors = [*form.city.errors, page.city_problem]
    return render_template("admin/users.html", form=form, page=page,
                           cities=page.city_names), 200 if valid else 422


def _chosen_city(form: InviteUserForm | EditUserForm, keep: int | None = None) -> int | None:
    """The id of the city typed in the form: None when none is typed, or when the text
    names no city or several (then with an error on the field, listing what it could mean)."""
    text = (form.city.data or "").strip()
    if not text:
        return None
    choice = city_filter.choose(text, keep=keep)
    if choice.city is None:
        form.city.errors = [*form.city.errors, city_filter.problem(text, choice)]
        return None
    return choice.city.id


@bp.route("/users/invite", methods=["GET", "POST"])
@login_required
def invite_user() -> Page:
    options = users.admin_form_options(current_actor(), current_language())
    form = InviteUserForm()
    form.set_choices(options.dimensions)
    city_id = _chosen_city(form) if form.validate_on_submit() else None
    if form.is_submitted() and not form.errors:
        try:
            invited = users.invite(current_actor(), Invitation(
                email=form.email.data or "", role=form.role.data or "", name=form.name.data or "",
                city_id=city_id, dimensions=form.dimensions.data or None,
                language=form.language.data or "en"), invitation_link)
        except Invalid as err:
            show_errors(form, err)
        else:
            flash(_("An invitation has been sent to %(email)s.", email=invited.email), "success")
            return redirect(url_for(".users"))
    return render_template("admin/invite_user.html", form=form, city_names=options.city_names,
                           has_dimensions=bool(options.dimensions)), 422 if form.errors else 200


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
@login_required
def edit_user(user_id: int) -> Page:
    page = users.user_form(current_actor(), user_id, current_language())
    user = page.user
    # The account's values; its city by name (the field is typed text, not the City).
    form = EditUserForm(obj=SimpleNamespace(
        name=user.name, role=user.role, dimensions=user.dimensions, language=user.language,
        city=user.city.name if user.city else ""))
    form.set_choices(page.dimensions)
    city_id = _chosen_city(form, keep=user.city_id) if form.validate_on_submit() else None
    if form.is_submitted() and not form.errors:
        try:
            users.update_user(current_actor(), user_id, UserChanges(
                name=form.name.data or "", role=form.role.data or "", city_id=city_id,
                dimensions=form.dimensions.data or None, language=form.language.data or "en"))
        except Invalid as err:
            show_errors(form, err)
        else:
            flash(_("The account of %(email)s has been saved.", email=user.email), "success")
            return redirect(url_for(".edit_user", user_id=user_id))
    return render_template("admin/edit_user.html", form=form, user=user, city_names=page.city_names,
                           has_dimensions=bool(page.dimensions)), 422 if form.errors else 200


def _set_active(user_id: int, active: bool) -> Response:
    try:
        user = users.set_active(current_actor(), user_id, active)
    except Invalid as err:
        flash(err.message, "error")
    else:
        flash(_("%(email)s can log in again.", email=user.email) if active else
              _("%(email)s has been deactivated and logged out everywhere.", email=user.email),
              "success")
    return redirect(url_for(".edit_user", user_id=user_id))


@bp.post("/users/<int:user_id>/deactivate")
@login_required
def deactivate_user(user_id: int) -> Response:
    return _set_active(user_id, False)


@bp.post("/users/<int:user_id>/reactivate")
@login_required
def reactivate_user(user_id: int) -> Response:
    return _set_active(user_id, True)


@bp.post("/users/<int:user_id>/resend-invitation")
@login_required
def resend_invitation(user_id: int) -> Response:
    try:
        user = users.resend_invitation(current_actor(), user_id, invitation_link)
    except Invalid as err:
        flash(err.message, "error")
    else:
        flash(_("A new invitation has been sent to %(email)s.", email=user.email), "success")
    return redirect(url_for(".edit_user", user_id=user_id))


# -- cities -----------------------------------------------------------------------------------

def _city_data(form: CityForm) -> CityData:
    return CityData(slug=(form.slug.data or "").strip(), name=form.name.data or "",
                    country=form.country.data or "", population=form.population.data,
                    foreign_born_share=form.foreign_born_share.data,
                    consent_named=bool(form.consent_named.data))


@bp.get("/cities", endpoint="cities")
@login_required
def cities_list() -> Page:
    page = cities.list_all(current_actor(), request.args.get("page", 1, type=int))
    return render_template("admin/cities.html", page=page, rows=page.items)


@bp.route("/cities/new", methods=["GET", "POST"])
@login_required
def new_city() -> Page:
    form = CityForm(obj=cities.blank(current_actor()))
    if form.validate_on_submit():
        try:
            city = cities.create(current_actor(), _city_data(form))
        except Invalid as err:
            show_errors(form, err)
        else:
            flash(_("The city %(name)s has been added.", name=city.name), "success")
            return redirect(url_for(".cities"))
    return render_template("admin/city.html", form=form, city=None), 422 if form.errors else 200


@bp.route("/cities/<int:city_id>", methods=["GET", "POST"])
@login_required
def edit_city(city_id: int) -> Page:
    city = cities.get_for_admin(current_actor(), city_id)
    form = CityForm(obj=city)
    if form.validate_on_submit():
        try:
            cities.update(current_actor(), city_id, _city_data(form))
        except Invalid as err:
            show_errors(form, err)
        else:
            flash(_("The city %(name)s has been saved.", name=city.name), "success")
            return redirect(url_for(".cities"))
    return render_template("admin/city.html", form=form, city=city), 422 if form.errors else 200


# -- audit log --------------------------------------------------------------------------------

def _day_start(day: object) -> datetime | None:
    return datetime.combine(day, time.min, tzinfo=UTC) if day else None  # type: ignore[arg-type]


@bp.get("/audit", endpoint="audit")
@login_required
def audit_log() -> Page:
    form = AuditFilterForm(request.args)
    valid = form.validate()
    wanted = AuditFilter()
    if valid:
        until = _day_start(form.until.data)
        wanted = AuditFilter(action=form.action.data or None, actor=form.actor.data or None,
                             city=(form.city.data or "").strip() or None,
                             since=_day_start(form.since.data),
                             until=until + timedelta(days=1) if until else None,
                             before=form.before.data)
    page = audit.browse(current_actor(), wanted)
    form.set_choices(page.actions)
    if page.city_problem:
        valid = False
        form.city.errors = [*form.city.errors, page.city_problem]
    args = {k: v for k, v in request.args.items() if k != "before" and v}
    older = url_for(".audit", **args, before=page.next_before) if page.next_before else None
    return render_template("admin/audit.html", form=form, page=page, older=older,
                           newest=url_for(".audit", **args) if form.before.data else None
                           ), 200 if valid else 422
