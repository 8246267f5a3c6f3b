"""The network overview page: an edition's distributions (everyone) and its cities (staff)."""

from __future__ import annotations

from dataclasses import dataclass

from benchmark import authz
from benchmark.authz import Actor
from benchmark.models import utctoday
from benchmark.questionnaire import localize
from benchmark.reporting import charts
from benchmark.reporting import model as rm
from benchmark.services import network_report, questionnaires
from benchmark.services.paging import Page, of_list


@dataclass(frozen=True)
class NetworkPage:
    versions: list[str]
    report: rm.NetworkReport | None
    chart_svg: str | None
    show_cities: bool
    #: One page of the cities by overall index, best first (cities without an index last).
    ranked: tuple[rm.NetworkCity, ...] = ()
    ranked_page: Page[rm.NetworkCity] | None = None


def network_page(actor: Actor, version: str | None, lang: str, page: int = 1) -> NetworkPage:
    """Distributions of an edition (default: the latest with validated cities); staff also
    see the cities, a page at a time."""
    authz.require(actor, "view_network")
    versions = [e.version for e in questionnaires.list_editions()]
    if not versions:
        return NetworkPage([], None, None, False)
    version = version if version in versions else _default_version()
    report = network_report.build(version, lang, utctoday())
    chart = None
    if any(d.median is not None for d in report.distributions):
        chart = charts.distribution_chart(list(report.distributions), lang=lang,
                                          title=localize({"en": report.edition_title}, lang))
    staff = authz.can(actor, "view_network_report")
    if not staff:
        return NetworkPage(versions, report, chart, staff)
    ranked = of_list(sorted(report.cities, key=lambda c: (c.overall is None, -(c.overall or 0), c.name)),
                     page)
    return NetworkPage(versions, report, chart, staff, tuple(ranked.items), ranked)


def _default_version() -> str:
    row = questionnaires.newest_in_use()
    assert row is not None  # the caller returned early when there is no edition
    return row.version
