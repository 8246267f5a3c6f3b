"""Staff review pages: queue, review (comments, return, validate, reopen), diff with last round."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import login_required
from werkzeug.wrappers import Response

from benchmark.errors import Conflict, Invalid
from benchmark.models import OVERALL, utctoday
from benchmark.services import reviews
from benchmark.web import navigation, questions
from benchmark.web.identity import current_actor
from benchmark.web.locale import current_language

bp = Blueprint("review", __name__)
navigation.add(_l("Review"), "review.queue", {"staff", "admin"}, order=20)


@bp.get("/review")
@login_required
def queue() -> str:
    page = reviews.queue(current_actor(), utctoday(), request.args.get("page", 1, type=int))
    return render_template("review/queue.html", page=page, items=page.items)


#: The label of each field of the review page, to name it in the error summary.
FIELD_LABELS = {"return-comment": _l("Message to the city"),
                "reopen-reason": _l("Reason for reopening")}


def _page(assessment_id: int, errors: dict[str, str] | None = None,
          typed: dict[str, str] | None = None) -> str:
    page, lang = reviews.review_page(current_actor(), assessment_id), current_language()
    views = questions.build(page.assessment, page.assessment.edition.questions, lang,
                            editable=False)
    return render_template("review/show.html", page=page, lang=lang, errors=errors or {},
                           typed=typed or {}, questions=views, overall_key=OVERALL,
                           field_labels=FIELD_LABELS)


@bp.get("/review/<int:assessment_id>")
@login_required
def show(assessment_id: int) -> str:
    return _page(assessment_id)


def _act(assessment_id: int, action, done: str, field: str,  # type: ignore[no-untyped-def]
         anchor: str | None = None) -> Response | tuple[str, int]:
    try:
        action()
    except Invalid as err:
        typed = {field: request.form.get("comment") or request.form.get("reason")
                 or request.form.get("body") or ""}
        return _page(assessment_id, {field: next(iter(err.fields.values()), err.message)},
                     typed), 422
    except Conflict as err:
        flash(err.message, "error")
        return redirect(url_for(".show", assessment_id=assessment_id))
    flash(done, "success")
    return redirect(url_for(".show", assessment_id=assessment_id, _anchor=anchor))


@bp.post("/review/<int:assessment_id>/comments")
@login_required
def comment(assessment_id: int) -> Response | tuple[str, int]:
    qid = request.form.get("question_id") or None
    in_report = request.form.get("in_report") == "1"
    return _act(assessment_id, lambda: reviews.add_comment(
        current_actor(), assessment_id, qid, request.form.get("body", ""), in_report),
        _("The comment is added; the city sees it."), f"comment-{qid or 'general'}",
        anchor=f"q-{qid}" if qid else None)


@bp.post("/review/<int:assessment_id>/return")
@login_required
def return_(assessment_id: int) -> Response | tuple[str, int]:
    return _act(assessment_id, lambda: reviews.return_(
        current_actor(), assessment_id, request.form.get("comment", "")),
        _("The assessment is returned to the city."), "return-comment")


@bp.get("/review/<int:assessment_id>/validate")
@login_required
def confirm_validate(assessment_id: int) -> str:
    """Validating publishes the scores to the network: the reviewer confirms it first."""
    page = reviews.review_page(current_actor(), assessment_id)
    return render_template("review/validate.html", page=page, lang=current_language())


@bp.post("/review/<int:assessment_id>/validate")
@login_required
def validate(assessment_id: int) -> Response | tuple[str, int]:
    return _act(assessment_id, lambda: reviews.validate(current_actor(), assessment_id),
                _("The assessment is validated."), "validate")


@bp.post("/review/<int:assessment_id>/reopen")
@login_required
def reopen(assessment_id: int) -> Response | tuple[str, int]:
    return _act(assessment_id, lambda: reviews.reopen(
        current_actor(), assessment_id, request.form.get("reason", "")),
        _("The assessment is reopened for changes."), "reopen-reason")


@bp.get("/review/<int:assessment_id>/diff")
@login_required
def diff(assessment_id: int) -> str:
    lang = current_language()
    found = reviews.diff(current_actor(), assessment_id, lang)
    return render_template("review/diff.html", diff=found, lang=lang,
                           numbers=questions.numbering(found.edition))
