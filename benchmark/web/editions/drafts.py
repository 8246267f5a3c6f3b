"""Draft editions (admin): the draft's page, previews, translations, diff, publishing."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import force_locale, ngettext
from flask_babel import gettext as _
from flask_login import login_required
from werkzeug.exceptions import RequestEntityTooLarge
from werkzeug.wrappers import Response

from benchmark.errors import Conflict, DomainError, Invalid, PreconditionRequired, TooLarge
from benchmark.questionnaire import localize
from benchmark.reporting import charts
from benchmark.services import draft_review, drafts
from benchmark.web import questions
from benchmark.web.editions.views import attachment, bp, index_page
from benchmark.web.identity import current_actor
from benchmark.web.locale import current_language

#: Errors a draft form shows above the form instead of an error page.
SHOWN = (Conflict, Invalid, TooLarge, PreconditionRequired)


def revision() -> int | None:
    """The draft revision the person saw: the If-Match header, else the form's field."""
    given = request.headers.get("If-Match") or request.form.get("revision", "")
    tag = given.strip().removeprefix("W/").strip('"')
    return int(tag) if tag.isascii() and tag.isdigit() and len(tag) < 10 else None


def draft_page(draft_id: int, error: DomainError | None = None) -> tuple[str, int]:
    page = draft_review.draft_page(current_actor(), draft_id)
    return render_template("editions/draft.html", page=page, error=error), (
        error.status if error else 200)


@bp.errorhandler(RequestEntityTooLarge)
def _too_large(_err: RequestEntityTooLarge) -> tuple[str, int]:
    error = TooLarge(_("The file is larger than %(limit)d MB, the most a questionnaire file "
                       "may have. Nothing was changed.", limit=drafts.LIMIT_MB))
    draft_id = (request.view_args or {}).get("draft_id")
    return draft_page(draft_id, error) if draft_id else index_page(error)


@bp.get("/drafts/<int:draft_id>")
@login_required
def draft(draft_id: int) -> tuple[str, int]:
    return draft_page(draft_id)


@bp.post("/drafts/<int:draft_id>/replace")
@login_required
def replace(draft_id: int) -> Response | tuple[str, int]:
    file = request.files.get("file")
    try:
        drafts.replace_file(current_actor(), draft_id, file.filename if file else "",
                            file.read() if file else b"", revision())
    except SHOWN as err:
        return draft_page(draft_id, err)
    flash(_("The draft's file is replaced."), "success")
    return redirect(url_for(".draft", draft_id=draft_id))


@bp.post("/drafts/<int:draft_id>/delete")
@login_required
def delete(draft_id: int) -> Response | tuple[str, int]:
    try:
        label = drafts.delete(current_actor(), draft_id, revision())
    except SHOWN as err:
        return draft_page(draft_id, err)
    flash(_("The draft %(name)s is deleted.", name=label), "success")
    return redirect(url_for(".index"))


@bp.post("/drafts/<int:draft_id>/publish")
@login_required
def publish(draft_id: int) -> Response | tuple[str, int]:
    try:
        row = drafts.publish(current_actor(), draft_id, revision())
    except SHOWN as err:
        return draft_page(draft_id, err)
    flash(_("Edition %(version)s is published: cities can now start assessments on it.",
            version=row.version), "success")
    return redirect(url_for(".preview", version=row.version))


@bp.get("/drafts/<int:draft_id>/download.<fmt>")
@login_required
def download_draft(draft_id: int, fmt: str) -> Response:
    name, data = drafts.export_draft(current_actor(), draft_id, fmt)
    return attachment(name, data)


@bp.get("/drafts/<int:draft_id>/preview/<dimension_id>")
@login_required
def draft_preview(draft_id: int, dimension_id: str) -> str:
    found = draft_review.preview(current_actor(), draft_id, dimension_id,
                                 request.args.get("language", "en"))
    dimension = found.edition.dimension(dimension_id)
    # The whole page in the previewed language, as a city working in it sees the form.
    with force_locale(found.lang):
        views = questions.build_for(found.edition, dimension.questions, found.lang,
                                    editable=False)
        return render_template("editions/draft_preview.html", found=found, dimension=dimension,
                               questions=views, numbers=questions.numbering(found.edition))


@bp.get("/drafts/<int:draft_id>/scoring")
@login_required
def draft_scoring(draft_id: int) -> str:
    lang = current_language()
    found = draft_review.scoring_preview(current_actor(), draft_id,
                                         request.args.get("sample", "middle"), lang)
    dimensions = found.edition.dimensions
    radar = charts.radar_chart(
        tuple(localize(d.title, lang) for d in dimensions),
        (charts.Series(_("Sample answers"), tuple(found.score.dimension(d.id).index
                                                   for d in dimensions)),),
        lang=lang, title=_("Indices by dimension"),
        description=_("The indices of the sample answers, one spoke per dimension; the table "
                      "below gives the same numbers."))
    return render_template("editions/draft_scoring.html", found=found, radar=radar, lang=lang,
                           samples=draft_review.SAMPLES)


@bp.get("/drafts/<int:draft_id>/translations")
@login_required
def translations(draft_id: int) -> str:
    page = draft_review.draft_page(current_actor(), draft_id)
    return render_template("editions/draft_translations.html", page=page)


@bp.route("/drafts/<int:draft_id>/translations/<lang>", methods=["GET", "POST"])
@login_required
def translation_grid(draft_id: int, lang: str) -> Response | tuple[str, int]:
    error = None
    typed: dict[str, str] = {}
    if request.method == "POST":
        typed = {key[2:]: value for key, value in request.form.items() if key.startswith("t:")}
        try:
            saved = draft_review.save_translations(current_actor(), draft_id, lang, typed,
                                                   revision())
        except SHOWN as err:
            error = err
        else:
            flash(ngettext("Saved %(num)d text.", "Saved %(num)d texts.", saved) if saved
                  else _("Everything was already saved."), "success")
            return redirect(url_for(".translation_grid", draft_id=draft_id, lang=lang))
    grid = draft_review.translation_grid(current_actor(), draft_id, lang)
    return render_template("editions/translation_grid.html", grid=grid, error=error,
                           typed=typed), error.status if error else 200


@bp.get("/drafts/<int:draft_id>/translations/<lang>.xlsx")
@login_required
def export_translations(draft_id: int, lang: str) -> Response:
    name, data = draft_review.export_translations(current_actor(), draft_id, lang)
    return attachment(name, data)


@bp.post("/drafts/<int:draft_id>/translations/<lang>/import")
@login_required
def import_translations(draft_id: int, lang: str) -> Response | tuple[str, int]:
    file = request.files.get("file")
    try:
        saved = draft_review.import_translations(current_actor(), draft_id, lang,
                                                 file.read() if file else b"", revision())
    except SHOWN as err:
        grid = draft_review.translation_grid(current_actor(), draft_id, lang)
        return render_template("editions/translation_grid.html", grid=grid, error=err,
                               typed={}), err.status
    flash(ngettext("Imported %(num)d text.", "Imported %(num)d texts.", saved), "success")
    return redirect(url_for(".translation_grid", draft_id=draft_id, lang=lang))


@bp.get("/drafts/<int:draft_id>/diff")
@login_required
def diff(draft_id: int) -> str:
    page = draft_review.diff_page(current_actor(), draft_id, current_language())
    return render_template("editions/draft_diff.html", page=page, error=None)


@bp.post("/drafts/<int:draft_id>/mappings")
@login_required
def confirm_mappings(draft_id: int) -> Response | tuple[str, int]:
    chosen = {key[4:]: value for key, value in request.form.items() if key.startswith("map:")}
    try:
        changed = draft_review.confirm_mappings(current_actor(), draft_id, chosen, revision())
    except SHOWN as err:
        page = draft_review.diff_page(current_actor(), draft_id, current_language())
        return render_template("editions/draft_diff.html", page=page, error=err), err.status
    flash(ngettext("The mappings are confirmed (%(num)d changed).",
                   "The mappings are confirmed (%(num)d changed).", changed), "success")
    return redirect(url_for(".draft", draft_id=draft_id))


