"""Commitments in the browser: a city's list, the form, a commitment with its notes, outcomes."""

from __future__ import annotations

from datetime import date
from typing import IO

from flask import Blueprint, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import login_required
from werkzeug.datastructures import MultiDict
from werkzeug.wrappers import Response

from benchmark.errors import Conflict, Invalid
from benchmark.inputs import ascii_int
from benchmark.models import utctoday
from benchmark.reporting import i18n
from benchmark.services import city_filter, commitment_followup, commitment_network, commitments
from benchmark.services.commitments import Fields
from benchmark.web import navigation
from benchmark.web.identity import current_actor
from benchmark.web.locale import current_language

bp = Blueprint("commitments", __name__)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
navigation.add(_l("Commitments"), "commitments.own_city", {"focal_point", "contributor"}, order=15)


def _date(form: MultiDict[str, str], name: str, errors: dict[str, str]) -> date | None:
    text = form.get(name, "").strip()
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        errors[name] = _("Enter a date like 2027-06-30.")
        return None


def _fields(form: MultiDict[str, str]) -> Fields:
    """The posted form as Fields (the service reads the dates and checks everything)."""
    practices = [n for p in form.getlist("practices") if (n := ascii_int(p)) is not None]
    fields = Fields(title=form.get("title", ""), dimension=form.get("dimension", ""),
                    description=form.get("description", ""),
                    questions=tuple(form.getlist("questions")),
                    department=form.get("department", ""), owner=form.get("owner") or None,
                    start_date=form.get("start_date", ""), target_date=form.get("target_date", ""),
                    status=form.get("status", "planned"), practices=tuple(practices))
    return fields


@bp.get("/city/commitments")
@login_required
def own_city() -> str:
    page = commitments.for_own_city(current_actor(), current_language())
    return render_template("commitments/list.html", page=page)


@bp.route("/commitments/new", methods=["GET", "POST"])
@login_required
def new() -> str | Response | tuple[str, int]:
    source = request.values
    assessment_id = ascii_int(source.get("assessment", ""), default=0)
    page = commitments.new_form(current_actor(), assessment_id, source.get("dimension", ""),
                                source.get("question", ""), current_language(),
                                [n for p in request.args.getlist("practice")
                                 if (n := ascii_int(p)) is not None])
    if request.method == "GET":
        return render_template("commitments/form.html", page=page, values=page.values, errors={})
    fields = _fields(request.form)
    try:
        created = commitments.create(current_actor(), page.city_slug, assessment_id, fields)
    except Invalid as err:
        return render_template("commitments/form.html", page=page, values=fields,
                               errors=err.fields), 422
    flash(_("The commitment is recorded."), "success")
    return redirect(url_for(".show", commitment_id=created.id))


@bp.route("/commitments/<int:commitment_id>/edit", methods=["GET", "POST"])
@login_required
def edit(commitment_id: int) -> str | Response | tuple[str, int]:
    page = commitments.edit_form(current_actor(), commitment_id, current_language())
    if request.method == "GET":
        return render_template("commitments/form.html", page=page, values=page.values, errors={})
    fields = _fields(request.form)
    revision = request.form.get("revision", "")
    try:
        commitments.update(current_actor(), commitment_id, fields,
                           ascii_int(revision))
    except Invalid as err:
        return render_template("commitments/form.html", page=page, values=fields,
                               errors=err.fields), 422
    except Conflict as err:
        return render_template("commitments/form.html", page=page, values=fields,
                               errors={"": err.message}, stale=True), 409
    flash(_("The commitment is saved."), "success")
    return redirect(url_for(".show", commitment_id=commitment_id))


@bp.get("/commitments/<int:commitment_id>")
@login_required
def show(commitment_id: int) -> str:
    view = commitments.get(current_actor(), commitment_id, current_language())
    return render_template("commitments/show.html", c=view, errors={}, values={})


@bp.post("/commitments/<int:commitment_id>/notes")
@login_required
def add_note(commitment_id: int) -> Response | tuple[str, int]:
    errors: dict[str, str] = {}
    on_date = _date(request.form, "date", errors)
    try:
        if errors:
            raise Invalid(_("Some values are invalid."), fields=errors)
        commitments.add_note(current_actor(), commitment_id, request.form.get("text", ""),
                             request.form.get("evidence", ""), on_date)
    except Invalid as err:
        view = commitments.get(current_actor(), commitment_id, current_language())
        return render_template("commitments/show.html", c=view, errors={**err.fields, **errors},
                               values=request.form), 422
    flash(_("The note is added."), "success")
    return redirect(url_for(".show", commitment_id=commitment_id) + "#notes")


@bp.route("/assessments/<int:assessment_id>/commitments/<int:commitment_id>/outcome",
          methods=["GET", "POST"])
@login_required
def outcome(assessment_id: int, commitment_id: int) -> str | Response | tuple[str, int]:
    page = commitment_followup.outcome_page(current_actor(), assessment_id, commitment_id,
                                            current_language())
    back_to_overview = (request.args.get("back") or request.form.get("back")) == "overview"
    if request.method == "GET":
        return render_template("commitments/outcome.html", page=page, errors={},
                               back_to_overview=back_to_overview,
                               values={"outcome": page.commitment.outcome or "",
                                       "outcome_note": page.commitment.outcome_note})
    try:
        commitment_followup.record_outcome(current_actor(), assessment_id, commitment_id,
                                           request.form.get("outcome"),
                                           request.form.get("outcome_note"))
    except Invalid as err:
        return render_template("commitments/outcome.html", page=page, errors=err.fields,
                               back_to_overview=back_to_overview, values=request.form), 422
    flash(_("The outcome is recorded."), "success")
    if back_to_overview:  # one known page, never a URL taken from the request
        return redirect(url_for("cities.overview", assessment_id=assessment_id))
    back = url_for("cities.dimension", assessment_id=assessment_id, dimension_id=page.dimension)
    return redirect(back + (f"#q-{page.questions[0]}" if page.questions else ""))


navigation.add(_l("Commitments"), "commitments.network", {"admin", "staff"}, order=55)


def _filters() -> commitment_network.Filters:
    args = request.args
    return commitment_network.Filters(
        dimension=args.get("dimension") or None, status=args.get("status") or None,
        country=args.get("country") or None,
        city=(args.get("city") or "").strip()[:city_filter.MAX_LENGTH] or None,
        overdue=args.get("overdue") == "1")


@bp.get("/network/commitments")
@login_required
def network() -> str | tuple[str, int]:
    page = commitment_network.network_list(current_actor(), _filters(), current_language(),
                                           utctoday())
    return render_template("commitments/network.html", page=page,
                           pct=lambda v: i18n.format_percent(v, current_language())
                           ), 422 if page.city_problem else 200


def _download(body: IO[bytes], mimetype: str, name: str) -> Response:
    response = send_file(body, mimetype=mimetype, as_attachment=True, download_name=name,
                         max_age=0)
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.get("/network/commitments.csv")
@login_required
def export_csv() -> Response:
    data = commitment_network.export_csv(current_actor(), _filters(), utctoday())
    return _download(data, "text/csv", "commitments.csv")


@bp.get("/network/commitments.xlsx")
@login_required
def export_xlsx() -> Response:
    data = commitment_network.export_xlsx(current_actor(), _filters(), utctoday())
    return _download(data, XLSX, "commitments.xlsx")
