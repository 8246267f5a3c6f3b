"""/practices: browse and search, one practice, write and edit, the workflow steps."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import login_required
from werkzeug.wrappers import Response

from benchmark import practice_workflow
from benchmark.errors import Conflict, Invalid
from benchmark.services import practice_pages, practices
from benchmark.services.practices import Filters
from benchmark.web import navigation
from benchmark.web.forms import choices
from benchmark.web.identity import current_actor
from benchmark.web.labels import language_name
from benchmark.web.locale import current_language
from benchmark.web.practices.forms import PracticeForm, StepForm

bp = Blueprint("practices", __name__, url_prefix="/practices")
navigation.add(_l("Good practices"), "practices.browse",
               {"focal_point", "contributor", "staff", "admin"}, order=40)

Page = str | Response | tuple[str, int]


def _filters() -> Filters:
    args = request.args
    year = args.get("year", "").strip()
    return Filters(
        q=args.get("q", "")[:200], dimension=args.get("dimension") or None,
        question=args.get("question") or None, country=args.get("country") or None,
        size=args.get("size") or None, language=args.get("language") or None,
        year=int(year) if year.isdigit() and len(year) == 4 else None,
        city=args.get("city") or None,
        status=(args.get("status") if args.get("status") in practice_workflow.STATUSES
                else practice_workflow.PUBLISHED))


@bp.get("")
@login_required
def browse() -> Page:
    try:
        page = practice_pages.browse(current_actor(), _filters(), current_language(),
                                     after=practices.parse_page_token(request.args.get("after")))
    except (Invalid, ValueError):
        abort(400)
    args = {k: v for k, v in request.args.items() if k != "after"}
    next_url = (url_for(".browse", **args, after=page.next_key)
                if page.next_key is not None else None)
    first_url = url_for(".browse", **args) if request.args.get("after") else None
    return render_template("practices/browse.html", page=page, next_url=next_url,
                           first_url=first_url)


def _show(form: PracticeForm, err: Invalid) -> None:
    """The service's errors on their fields, each named, so the summary reads on its own.

    "texts.fr.title" is the title of the French translation (its sub-form); a problem
    with no field of its own goes on the title.
    """
    for key, message in (err.fields or {"title": err.message}).items():
        parts = key.split(".")
        if len(parts) == 3 and parts[0] == "texts" and hasattr(form, f"tr_{parts[1]}"):
            field = getattr(form, f"tr_{parts[1]}")[parts[2]]
            label = f"{field.label.text} ({language_name(parts[1])})"
        else:
            field = getattr(form, key, None) or form.title
            label = str(field.label.text)
        field.errors = [*field.errors, f"{label}: {message}"]


def _form_choices(form: PracticeForm, page: practice_pages.FormPage) -> None:
    form.dimensions.choices = choices(page.dimensions)
    form.questions.choices = choices(page.questions)


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new() -> Page:
    page = practice_pages.form_page(current_actor(), None, current_language())
    form = PracticeForm()
    _form_choices(form, page)
    if request.method == "GET":
        form.language.data = current_language()
    if form.validate_on_submit():
        try:
            created = practices.create_for(current_actor(), None, form.data_for_service())
        except Invalid as err:
            _show(form, err)
        else:
            flash(_("The practice is saved as a draft."), "success")
            return redirect(url_for(".show", practice_id=created.id))
    return (render_template("practices/form.html", form=form, page=page),
            422 if form.errors else 200)


@bp.get("/<int:practice_id>")
@login_required
def show(practice_id: int) -> str:
    page = practice_pages.view(current_actor(), practice_id, current_language())
    return render_template("practices/show.html", page=page)


@bp.route("/<int:practice_id>/edit", methods=["GET", "POST"])
@login_required
def edit(practice_id: int) -> Page:
    page = practice_pages.form_page(current_actor(), practice_id, current_language())
    form = PracticeForm()
    _form_choices(form, page)
    if request.method == "GET":
        form.fill_from(page.practice)
    conflict = None
    if form.validate_on_submit():
        revision = form.revision.data or ""
        try:
            practices.update(current_actor(), practice_id, form.data_for_service(),
                             int(revision) if revision.isdigit() else None)
        except Invalid as err:
            _show(form, err)
        except Conflict as err:
            conflict = err.message
        else:
            flash(_("The practice is saved."), "success")
            return redirect(url_for(".show", practice_id=practice_id))
    return (render_template("practices/form.html", form=form, page=page, conflict=conflict),
            422 if form.errors else 409 if conflict else 200)


@bp.post("/<int:practice_id>/<any(submit, return, publish, withdraw):action>")
@login_required
def step(practice_id: int, action: str) -> Response:
    form = StepForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        practices.take_step(current_actor(), practice_id, action, form.comment.data)
    except (Invalid, Conflict) as err:
        flash(" ".join([err.message, *err.fields.values()]), "error")
    else:
        flash({"submit": _("The practice is submitted to the programme staff."),
               "return": _("The practice is returned to the city."),
               "publish": _("The practice is published."),
               "withdraw": _("The practice is withdrawn.")}[action], "success")
    return redirect(url_for(".show", practice_id=practice_id))


@bp.get("/export.csv")
@login_required
def export() -> Response:
    """The practices of the current search as CSV (staff)."""
    try:
        text = practices.export_csv(current_actor(), _filters())
    except Invalid:
        abort(400)
    return Response(text, mimetype="text/csv", headers={
        "Content-Disposition": 'attachment; filename="practices.csv"'})


@bp.get("/for-question/<question_id>")
@login_required
def for_question(question_id: str) -> str:
    """Published practices answering a question: a fragment for the questionnaire form."""
    page = practice_pages.for_question(current_actor(), question_id[:64], current_language())
    template = ("practices/_for_question.html" if request.args.get("fragment")
                else "practices/for_question.html")
    return render_template(template, page=page)
