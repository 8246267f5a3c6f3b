"""The staff dashboard of an edition and its CSV."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_babel import format_datetime
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import login_required
from markupsafe import Markup

from benchmark.errors import Conflict, Invalid
from benchmark.inputs import ascii_int
from benchmark.models import utctoday
from benchmark.reporting import i18n
from benchmark.services import assignments, city_pages, dashboard
from benchmark.web import fragments, labels, navigation, urls
from benchmark.web.identity import current_actor
from benchmark.web.locale import current_language

bp = Blueprint("dashboard", __name__)
navigation.add(_l("Dashboard"), "dashboard.index", {"staff", "admin"}, order=15)
navigation.add(_l("My reviews"), "dashboard.my_reviews", {"staff", "admin"}, order=21)



@bp.get("/dashboard")
@login_required
def index() -> str:
    lang = current_language()
    page = dashboard.dashboard(current_actor(), dashboard.DashboardQuery.parse(request.args),
                               lang, utctoday())
    # The read model is the whole input of the content (with the language, time zone and
    # script root that fragments.py adds): rendered again only when something it shows moved.
    content = fragments.rendered_markup("dashboard/_content.html", (page,),
                                        lambda: _render_content(page, lang))
    return render_template("dashboard/index.html", page=page, content=content)


def _render_content(page: dashboard.Dashboard, lang: str) -> str:
    dims = [id_ for id_, _title in page.dimensions]
    page_url = urls.with_query("dashboard.index")
    return render_template(
        "dashboard/_content.html", page=page, q=page.query, statuses=labels.status_labels(),
        page_url=page_url, columns=_columns(page, page_url),
        groups=labels.group_labels(page.size_groups + page.diversity_groups, lang),
        dimension_cells={r.city_id: _number_cells(r.dimensions, dims, lang) for r in page.rows},
    )


@dataclass(frozen=True)
class Column:
    """A column heading of the cities table: sortable when it has a key."""

    key: str | None
    label: str
    numeric: bool = False
    href: str = ""
    order: str | None = None  # aria-sort of the column the table is sorted by


def _columns(page: dashboard.Dashboard, page_url: Callable[[Mapping[str, Any]], str]) -> list[Column]:
    q = page.query

    def sortable(key: str, label: str, numeric: bool = False) -> Column:
        active = q.sort == key
        return Column(key, label, numeric,
                      page_url(q.args(sort=key, descending=active and not q.descending, page=1)),
                      ("descending" if q.descending else "ascending") if active else None)

    return [sortable("name", _("City")), sortable("country", _("Country")),
            sortable("size", _("Size group")), sortable("diversity", _("Diversity group")),
            sortable("round", _("Round"), True), sortable("status", _("Status")),
            sortable("days", _("Days in status"), True), sortable("reviewer", _("Reviewer")),
            sortable("overall", _("Overall index"), True),
            Column(None, _("Change since previous round"), True),
            *(sortable(f"dim:{id_}", title, True) for id_, title in page.dimensions)]


def _number_cells(values: Mapping[str, float | None], ids: Sequence[str], lang: str) -> Markup:
    """A row's dimension cells, written here: the ~650 cells of a page cost a third of its
    rendering as template calls, and a fifth more as a template loop. The text is our own
    number formatting (digits, signs, separators, direction marks): nothing to escape."""
    return Markup("".join(  # noqa: S704  # nosec B704 - formatted numbers only
        f'<td class="num">{i18n.format_number(values.get(d), lang)}</td>' for d in ids))


@bp.get("/dashboard.csv")
@login_required
def csv() -> Response:
    name, text = dashboard.dashboard_csv(current_actor(), dashboard.DashboardQuery.parse(request.args),
                                         utctoday())
    return Response(text, mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


@bp.get("/review/mine")
@login_required
def my_reviews() -> str:
    return render_template("dashboard/my_reviews.html",
                           items=assignments.my_reviews(current_actor(), utctoday()))


@bp.post("/review/<int:assessment_id>/assign")
@login_required
def assign(assessment_id: int) -> Response:
    reviewer, due = request.form.get("reviewer", ""), request.form.get("due", "")
    try:
        assignments.assign(current_actor(), assessment_id, _reviewer_id(reviewer), _due(due),
                           utctoday())
    except (Invalid, Conflict) as err:
        flash(err.message, "error")
    else:
        flash(_("The review assignment is saved."), "success")
    return redirect(url_for("review.show", assessment_id=assessment_id) + "#assignment-h")


def _reviewer_id(text: str) -> int | None:
    if not text:
        return None
    number = ascii_int(text)
    if number is None:
        raise Invalid(_("Choose a member of the programme staff."), fields={"reviewer": "unknown"})
    return number


def _due(text: str) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise Invalid(_("Write the due date as YYYY-MM-DD."), fields={"due": "not a date"}) from None


@bp.get("/staff/cities/<slug>")
@login_required
def city(slug: str) -> str:
    lang = current_language()
    page = city_pages.staff_city_page(current_actor(), slug, lang)
    return render_template(
        "dashboard/city.html", page=page, statuses=labels.status_labels(),
        actions=labels.history_labels(),
        groups=labels.group_labels([g for g in (page.size_group, page.diversity_group) if g], lang),
        chart_svg=Markup(page.chart_svg) if page.chart_svg else None,  # noqa: S704  # nosec B704 - our chart code
        format_datetime=format_datetime,
    )
