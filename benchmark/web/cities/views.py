"""The city team's pages: home, assessment overview, questionnaire form, profile."""

from __future__ import annotations

from dataclasses import fields
from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import login_required
from flask_wtf.csrf import generate_csrf
from werkzeug.wrappers import Response

from benchmark.errors import Conflict, Invalid
from benchmark.inputs import ascii_int
from benchmark.services import answers, assessment_pages, assessments
from benchmark.services.assessment_pages import DimensionPage
from benchmark.web import fragments, navigation, questions
from benchmark.web.autocommit import autocommit_reads
from benchmark.web.identity import current_actor
from benchmark.web.locale import current_language

bp = Blueprint("cities", __name__)
navigation.add(_l("My city"), "cities.home", {"focal_point", "contributor"}, order=10)


@bp.get("/city")
@login_required
def home() -> str | Response:
    if current_actor().is_staff:
        return redirect(url_for("review.queue"))
    return render_template("cities/home.html", home=assessment_pages.city_home(current_actor()),
                           lang=current_language())


@bp.post("/city/assessments")
@login_required
def start() -> Response:
    form = request.form
    round_number = ascii_int(form.get("round", "").strip())
    if round_number is None:
        flash(_("Enter the round as a year, like 2026."), "error")
        return redirect(url_for(".home"))
    try:
        created = assessments.create_for_own_city(
            current_actor(), form.get("questionnaire", ""), round_number,
            prefill=form.get("prefill") == "1")
    except (Invalid, Conflict) as err:
        flash(" ".join([err.message, *err.fields.values()]), "error")
        return redirect(url_for(".home"))
    flash(_("The assessment is started."), "success")
    return redirect(url_for(".overview", assessment_id=created.id))


def _overview(assessment_id: int, problems: dict[str, str] | None = None) -> str:
    page = assessment_pages.view(current_actor(), assessment_id)
    return render_template("cities/overview.html", page=page, lang=current_language(),
                           problems=problems or {}, numbers=questions.numbering(page.edition))


@bp.get("/assessments/<int:assessment_id>")
@login_required
def overview(assessment_id: int) -> str:
    return _overview(assessment_id)


@bp.post("/assessments/<int:assessment_id>/submit")
@login_required
def submit(assessment_id: int) -> Response | tuple[str, int]:
    try:
        assessments.submit(current_actor(), assessment_id)
    except Invalid as err:
        return _overview(assessment_id, err.fields or {"": err.message}), 422
    except Conflict as err:
        flash(err.message, "error")
        return redirect(url_for(".overview", assessment_id=assessment_id))
    flash(_("Submitted for review. Programme staff have been notified."), "success")
    return redirect(url_for(".overview", assessment_id=assessment_id))


@autocommit_reads
@bp.route("/assessments/<int:assessment_id>/dimensions/<dimension_id>", methods=["GET", "POST"])
@login_required
def dimension(assessment_id: int, dimension_id: str) -> Response | tuple[str, int]:
    page = assessment_pages.dimension_page(current_actor(), assessment_id, dimension_id)
    lang = current_language()
    if request.method == "GET":
        form = fragments.rendered("cities/_dimension_form.html", _form_inputs(page),
                                  lambda slot: _render_form(page, questions.build_page(page, lang),
                                                            lang, slot))
        return _render_dimension(page, lang, form), 200
    views = questions.build_page(page, lang)
    posted = questions.parse_post(request.form, list(page.dimension.questions))
    try:
        saved = answers.save_page(current_actor(), assessment_id, dimension_id, posted)
    except answers.PageNotSaved as err:
        questions.apply_post(views, posted, err.errors, err.conflicts, lang)
        form = fragments.Fragment.of(_render_form(page, views, lang, fragments.CSRF_SLOT, err))
        return _render_dimension(page, lang, form), err.status
    flash(ngettext("Saved %(num)d answer.", "Saved %(num)d answers.", saved) if saved
          else _("All your answers on this page are saved."), "success")
    target = page.next_dimension if request.form.get("then") == "next" else None
    return redirect(url_for(".dimension", assessment_id=assessment_id,
                            dimension_id=target or dimension_id))


def _form_inputs(page: DimensionPage) -> tuple[object, ...]:
    """Everything the page's form is rendered from (with `lang`: build_page, skip_data): every
    field of the read model, so that a field added later is in the key too; the edition by
    its version and checksum (a published edition never changes), the dimension by its id."""
    view = page.assessment
    return (view.edition.version, view.edition.checksum,
            *(getattr(view, f.name) for f in fields(view) if f.name != "edition"),
            *(page.dimension.id if f.name == "dimension" else getattr(page, f.name)
              for f in fields(page) if f.name != "assessment"))


def _render_form(page: DimensionPage, views: list[questions.QuestionView], lang: str,
                 csrf_slot: str, failed: Any = None) -> str:
    return render_template("cities/_dimension_form.html", page=page, questions=views, lang=lang,
                           failed=failed, skip_data=questions.skip_data(page, lang),
                           csrf_slot=csrf_slot)


def _render_dimension(page: DimensionPage, lang: str, form: fragments.Fragment) -> str:
    return render_template("cities/dimension.html", page=page, lang=lang,
                           form=form.with_csrf(generate_csrf()))


@bp.route("/assessments/<int:assessment_id>/profile", methods=["GET", "POST"])
@login_required
def profile(assessment_id: int) -> Response | tuple[str, int]:
    page = assessment_pages.profile_page(current_actor(), assessment_id)
    errors: dict[str, str] = {}
    values: dict[str, Any] = dict(page.values)
    status = 200
    if request.method == "POST":
        revision = request.form.get("revision", "")
        try:
            assessments.update_profile(current_actor(), assessment_id, request.form,
                                       ascii_int(revision, default=-1))
        except (Invalid, Conflict) as err:
            errors = err.fields or {"": err.message}
            values = {k: request.form.get(k, "") for k in request.form}
            status = err.status
        else:
            flash(_("The city profile is saved."), "success")
            return redirect(url_for(".profile", assessment_id=assessment_id))
    return render_template("cities/profile.html", page=page, lang=current_language(),
                           errors=errors, values=values), status
