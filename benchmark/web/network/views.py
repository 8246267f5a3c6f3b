"""Network overview page."""

from __future__ import annotations

from flask import Blueprint, render_template, request
from flask_babel import lazy_gettext as _l
from flask_login import login_required
from markupsafe import Markup

from benchmark.services import network_page
from benchmark.web import navigation
from benchmark.web.identity import current_actor
from benchmark.web.locale import current_language

bp = Blueprint("network", __name__)
navigation.add(_l("Network"), "network.overview",
               {"admin", "staff", "focal_point", "contributor"}, order=60)


@bp.get("/network")
@login_required
def overview() -> str:
    lang = current_language()
    page = network_page.network_page(current_actor(), request.args.get("version"), lang,
                                    request.args.get("page", 1, type=int))
    return render_template(
        "network/overview.html", page=page, report=page.report,
        chart_svg=Markup(page.chart_svg) if page.chart_svg else None,  # noqa: S704  # nosec B704 - our chart code
    )
