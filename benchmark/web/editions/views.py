"""Editions list and preview (admin)."""

from __future__ import annotations

from flask import Blueprint, render_template, request
from flask_babel import lazy_gettext as _l
from flask_login import login_required

from benchmark.questionnaire import get_type, localize
from benchmark.services import questionnaires
from benchmark.web import navigation
from benchmark.web.identity import current_actor

bp = Blueprint("editions", __name__, url_prefix="/admin/questionnaires")
navigation.add(_l("Questionnaires"), "editions.index", {"admin"}, order=80)


@bp.get("/")
@login_required
def index() -> str:
    return render_template("editions/index.html", editions=questionnaires.overview(current_actor()))


@bp.get("/<version>")
@login_required
def preview(version: str) -> str:
    lang = request.args.get("lang", "en")
    edition = questionnaires.preview(current_actor(), version, lang)
    return render_template("editions/preview.html", edition=edition, lang=lang,
                           t=lambda texts: localize(texts, lang), get_type=get_type)
