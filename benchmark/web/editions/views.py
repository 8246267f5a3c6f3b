"""Editions (admin): the list with drafts and uploads, published previews and downloads."""

from __future__ import annotations

import io

from flask import (
    Blueprint,
    Response,
    flash,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import login_required

from benchmark.errors import Conflict, DomainError, Invalid, TooLarge
from benchmark.questionnaire import get_type, localize
from benchmark.services import drafts, questionnaires
from benchmark.web import navigation
from benchmark.web.identity import current_actor

bp = Blueprint("editions", __name__, url_prefix="/admin/questionnaires")
navigation.add(_l("Questionnaires"), "editions.index", {"admin"}, order=80)

#: Endpoints that receive a questionnaire or translation file.
UPLOAD_ENDPOINTS = frozenset({"editions.upload", "editions.replace", "editions.import_translations"})
#: Room for the form fields around the file.
_FORM_OVERHEAD = 64 * 1024


@bp.url_value_preprocessor
def _allow_file_uploads(endpoint: str | None, values: dict | None) -> None:
    # Runs before the CSRF check reads the body: uploads may be as large as a
    # questionnaire file may be (MAX_FILE_BYTES), every other request keeps the app's limit.
    if endpoint in UPLOAD_ENDPOINTS:
        request.max_content_length = drafts.MAX_FILE_BYTES + _FORM_OVERHEAD


def index_page(error: DomainError | None = None) -> tuple[str, int]:
    """The editions page, with the upload form's error when there is one."""
    page = drafts.overview(current_actor())
    return render_template("editions/index.html", page=page, error=error), (
        error.status if error else 200)


@bp.get("/")
@login_required
def index() -> tuple[str, int]:
    return index_page()


@bp.post("/drafts")
@login_required
def upload() -> Response | tuple[str, int]:
    file = request.files.get("file")
    try:
        draft = drafts.upload(current_actor(), file.filename if file else "",
                              file.read() if file else b"")
    except (Conflict, Invalid, TooLarge) as err:
        return index_page(err)
    flash(_("The draft is stored. Check its problems, previews and translations below."),
          "success")
    return redirect(url_for(".draft", draft_id=draft.id))


@bp.get("/<version>")
@login_required
def preview(version: str) -> str:
    lang = request.args.get("lang", "en")
    edition = questionnaires.preview(current_actor(), version, lang)
    return render_template("editions/preview.html", edition=edition, lang=lang,
                           t=lambda texts: localize(texts, lang), get_type=get_type,
                           checksums_line=drafts.checksums_line(version))


@bp.get("/<version>/download.<fmt>")
@login_required
def download(version: str, fmt: str) -> Response:
    name, data = drafts.export_file(current_actor(), version, fmt)
    return attachment(name, data)


def attachment(name: str, data: bytes) -> Response:
    """A file download; the name is encoded by werkzeug (a draft's name is the uploader's)."""
    mimetype = ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
                if name.endswith(".xlsx") else "application/yaml")
    response = send_file(io.BytesIO(data), mimetype=mimetype, as_attachment=True,
                         download_name=name, max_age=0)
    response.headers["Cache-Control"] = "no-store"
    return response
