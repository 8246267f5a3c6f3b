"""Side-by-side comparison pages (staff: any cities; a city team: consenting cities)."""

from __future__ import annotations

from flask import Blueprint, Response, render_template, request
from flask_babel import lazy_gettext as _l
from flask_login import login_required
from markupsafe import Markup

from benchmark.errors import Invalid
from benchmark.models import utctoday
from benchmark.services import city_filter, compare
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
    """The form (five city fields, typed) and, once two to five cities are found, the
    comparison. What was typed is shown back as typed, errors or not."""
    lang, actor = current_language(), current_actor()
    version = request.args.get("questionnaire") or None
    # A link may preselect cities by slug (?city=lyon: the city's page); a slug is also what
    # the field takes, so such links keep working. Text is cut at a city name's length.
    typed = [t[:city_filter.MAX_LENGTH] for t in request.args.getlist("city")]
    options = compare.options(actor)
    report, slugs = None, ()
    problems: dict[int, str] = {}
    count_error = None
    if request.args.get("go") or len([t for t in typed if t.strip()]) >= 2:
        picked = compare.pick(actor, typed)
        problems, slugs = dict(picked.problems), picked.slugs
        if not problems:
            try:
                report = compare.build(actor, version, slugs, lang, utctoday())
            except Invalid as err:
                count_error = err.message
    radar = Markup(compare.radar_svg(report)) if report else None  # noqa: S704  # nosec B704 - our chart code
    return render_template(
        "compare/index.html", options=options, report=report, radar_svg=radar,
        typed=typed, fields=max(compare.MAX_CITIES, len(typed)), problems=problems,
        count_error=count_error, slugs=list(slugs), is_staff=actor.is_staff,
        version=version or (report.edition_version if report else None),
    ), 422 if problems or count_error else 200


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
