"""Results of one assessment (focal point, contributor, staff)."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask_login import login_required
from markupsafe import Markup

from benchmark.models import utctoday
from benchmark.reporting import i18n, words
from benchmark.services import results
from benchmark.web.identity import current_actor
from benchmark.web.locale import current_language

bp = Blueprint("results", __name__)


@bp.get("/results/<int:assessment_id>")
@login_required
def show(assessment_id: int) -> str:
    lang = current_language()
    page = results.results_page(current_actor(), assessment_id, lang, utctoday())
    return render_template(
        "results/show.html", page=page, report=page.report,
        # Chart SVG comes from our own chart code, with every label escaped by matplotlib.
        radar_svg=Markup(page.radar_svg),  # noqa: S704  # nosec B704 - SVG from our chart code, text escaped
        trend_svg=Markup(page.trend_svg) if page.trend_svg else None,  # noqa: S704  # nosec B704
        sep=i18n.list_separator(lang),
        rank_text=lambda rank, n: words.rank_text(rank, n, lang),
    )
