"""Side-by-side comparison pages (staff: any cities; a city team: consenting cities)."""

from __future__ import annotations

from flask import Blueprint, Response, render_template, request
from flask_babel import lazy_gettext as _l
from flask_login import login_required
from markupsafe import Markup

from benchmark.errors import Invalid
from benchmark.models import utctoday
from benchmark.services import compare
from benchmark.web import navigation
from benchmark.web.identity import current_actor
from benchmark.web.locale import current_language

bp = Blueprint("compare", __name__)
navigation.add(_l("Compare"), "compare.index",
               {"admin", "staff", "focal_point", "contributor"}, order=62)



def _wanted() -> tuple[str | None, list[str]]:
    return request.args.get("questionnaire") or None, request.args.getlist("city")


@bp.get("/compare")
@login_required
def index() -> str | tuple[str, int]:
    lang, actor = current_language(), current_actor()
    version, slugs = _wanted()
    options = compare.options(actor)
    report, error, status = None, None, 200
    # A link may preselect cities (?city=a); the form's button asks for the comparison.
    if request.args.get("go") or len([s for s in slugs if s]) >= 2:
        try:
            report = compare.build(actor, version, slugs, lang, utctoday())
        except Invalid as err:
            error, status = err.message, 422
    radar = Markup(compare.radar_svg(report)) if report else None  # noqa: S704  # nosec B704 - our chart code
    return render_template(
        "compare/index.html", options=options, report=report, radar_svg=radar, error=error,
        chosen=[s for s in slugs if s], version=version or (report.edition_version if report else None),
    ), status


@bp.get("/compare.csv")
@login_required
def csv() -> Response:
    version, slugs = _wanted()
    name, text = compare.csv_of(current_actor(), version, slugs, current_language(), utctoday())
    return Response(text, mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


@bp.get("/compare.pdf")
@login_required
def pdf() -> Response:
    version, slugs = _wanted()
    lang = request.args.get("lang") or current_language()
    name, data = compare.pdf_of(current_actor(), version, slugs, lang, utctoday())
    return Response(data, mimetype="application/pdf",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})
