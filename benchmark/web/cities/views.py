"""The city team's pages: home, assessment overview, questionnaire form, profile, team."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import login_required
from werkzeug.wrappers import Response

from benchmark import authz
from benchmark.errors import Conflict, Invalid
from benchmark.services import answers, assessments, reviews
from benchmark.web import navigation, questions
from benchmark.web.identity import current_actor
from benchmark.web.locale import current_language

bp = Blueprint("cities", __name__)
navigation.add(_l("My city"), "cities.home", {"focal_point", "contributor"}, order=10)


@bp.get("/city")
@login_required
def home() -> str | Response:
    if current_actor().is_staff:
        return redirect(url_for("review.queue"))
    return render_template("cities/home.html", home=assessments.city_home(current_actor()),
                           lang=current_language())


@bp.post("/city/assessments")
@login_required
def start() -> Response:
    form = request.form
    round_text = form.get("round", "").strip()
    if not round_text.isdigit():
        flash(_("Enter the round as a year, like 2026."), "error")
        return redirect(url_for(".home"))
    try:
        created = assessments.create_for_own_city(
            current_actor(), form.get("questionnaire", ""), int(round_text),
            prefill=form.get("prefill") == "1")
    except (Invalid, Conflict) as err:
        flash(" ".join([err.message, *err.fields.values()]), "error")
        return redirect(url_for(".home"))
    flash(_("The assessment is started."), "success")
    return redirect(url_for(".overview", assessment_id=created.id))


def _overview(assessment_id: int, problems: dict[str, str] | None = None) -> str:
    actor = current_actor()
    assessment = assessments.get(actor, assessment_id)
    edition = assessments.edition_of(assessment)
    stored = answers.answers_of(assessment.id)
    return render_template(
        "cities/overview.html", assessment=assessment, edition=edition, lang=current_language(),
        progress=assessments.progress(edition, stored,
                                      assessments.visible_dimensions(actor, edition)),
        comments=reviews.comments_of(assessment.id), problems=problems or {},
        numbers=questions.numbering(edition),
        may_submit=authz.can(actor, "submit", assessment)
        and assessment.status in authz.EDITABLE_STATUSES,
        may_manage_team=authz.can(actor, "assign_dimensions", assessment),
        may_review=authz.can(actor, "review", assessment),
    )


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


@bp.route("/assessments/<int:assessment_id>/dimensions/<dimension_id>", methods=["GET", "POST"])
@login_required
def dimension(assessment_id: int, dimension_id: str) -> Response | tuple[str, int]:
    actor = current_actor()
    page = _dimension_page(assessment_id, dimension_id)
    if request.method == "GET":
        return render_template("cities/dimension.html", **page), 200
    posted = questions.parse_post(request.form, list(page["dimension"].questions))
    try:
        saved = answers.save_page(actor, assessment_id, dimension_id, posted)
    except answers.PageNotSaved as err:
        questions.apply_post(page["questions"], posted, err.errors, err.conflicts, current_language(),
                             _("Not applicable"))
        page["failed"] = err
        return render_template("cities/dimension.html", **page), err.status
    flash(_("Saved %(n)d answers.", n=saved) if saved else _("No changes to save."), "success")
    target = page["next_dimension"] if request.form.get("then") == "next" else None
    if target:
        return redirect(url_for(".dimension", assessment_id=assessment_id, dimension_id=target))
    return redirect(url_for(".dimension", assessment_id=assessment_id,
                            dimension_id=dimension_id))


def _dimension_page(assessment_id: int, dimension_id: str) -> dict[str, Any]:
    actor = current_actor()
    assessment = assessments.get(actor, assessment_id)
    edition = assessments.edition_of(assessment)
    visible = assessments.visible_dimensions(actor, edition)
    if dimension_id not in visible:
        # A contributor's page list shows only their dimensions; another exists but is not theirs.
        if any(d.id == dimension_id for d in edition.dimensions):
            abort(403)
        abort(404)
    dim = edition.dimension(dimension_id)
    stored = answers.answers_of(assessment.id)
    hidden = answers.hidden_questions(edition, stored)
    editable = authz.can(actor, "edit_answer", assessment, dimension_id=dimension_id)
    lang = current_language()
    views = questions.build(edition, list(dim.questions), stored, hidden,
                            reviews.comments_of(assessment.id), lang, editable=editable,
                            na_label=_("Not applicable"))
    position = visible.index(dimension_id)
    return {
        "assessment": assessment, "edition": edition, "dimension": dim, "lang": lang,
        "questions": views, "editable": editable, "failed": None,
        "progress": assessments.progress(edition, stored, visible),
        "next_dimension": visible[position + 1] if position + 1 < len(visible) else None,
        "previous_dimension": visible[position - 1] if position else None,
        "read_only_reason": None if editable or not authz.can(
            actor, "work_on_assessment", assessment) else answers.read_only_reason(
            assessment.status),
        "skip_data": _skip_data(edition, stored, dim, lang),
    }


def _skip_data(edition: Any, stored: Any, dim: Any, lang: str) -> dict[str, Any]:
    """For assessment.js: what each question selects now, and option labels of this page."""
    from benchmark.questionnaire import get_type, localize

    selected = {qid: list(get_type(edition.question(qid).type).selected(a.value))
                for qid, a in stored.items()
                if edition.find_question(qid) and a.value is not None and not a.na}
    rules = {q.id: {"question": q.show_if.question, "in": list(q.show_if.values)}
             for q in edition.questions if q.show_if}
    labels = {q.id: {o.id: localize(o.label, lang) for o in q.options} for q in dim.questions}
    return {"selected": selected, "rules": rules, "labels": labels}


@bp.route("/assessments/<int:assessment_id>/profile", methods=["GET", "POST"])
@login_required
def profile(assessment_id: int) -> Response | tuple[str, int]:
    actor = current_actor()
    assessment = assessments.get(actor, assessment_id)
    errors: dict[str, str] = {}
    values: dict[str, Any] = dict(assessment.profile or {})
    status = 200
    if request.method == "POST":
        revision = request.form.get("revision", "")
        try:
            assessments.update_profile(actor, assessment_id, request.form,
                                       int(revision) if revision.isdigit() else -1)
        except (Invalid, Conflict) as err:
            errors = err.fields or {"": err.message}
            values = {k: request.form.get(k, "") for k in request.form}
            status = err.status
        else:
            flash(_("The city profile is saved."), "success")
            return redirect(url_for(".profile", assessment_id=assessment_id))
    return render_template(
        "cities/profile.html", assessment=assessment, lang=current_language(), errors=errors,
        values=values, edition=assessments.edition_of(assessment),
        editable=authz.can(actor, "edit_profile", assessment)), status


@bp.route("/assessments/<int:assessment_id>/team", methods=["GET", "POST"])
@login_required
def team(assessment_id: int) -> Response | str:
    actor = current_actor()
    assessment, users = assessments.team(actor, assessment_id)
    if request.method == "POST":
        choices = {u.id: (None if request.form.get(f"user_{u.id}_all") == "1"
                          else request.form.getlist(f"user_{u.id}")) for u in users}
        changed = assessments.assign_dimensions(actor, assessment_id, choices)
        flash(_("Saved the dimensions of %(n)d people.", n=changed), "success")
        return redirect(url_for(".team", assessment_id=assessment_id))
    return render_template("cities/team.html", assessment=assessment, users=users, lang=current_language(),
                           edition=assessments.edition_of(assessment))
