"""Render report models to HTML (Jinja2) and to tagged PDF (WeasyPrint).

Security: every template is autoescaped whatever its name (``autoescape=True``), so
report content — city names, answers, evidence, comments — is text, never markup,
and is never used as template source. WeasyPrint loads resources only through
``fetcher.make_safe_fetcher`` (data: URIs and files under reports/).
"""

from __future__ import annotations

import base64
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from functools import cache
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from benchmark.reporting import charts, words
from benchmark.reporting.fetcher import REPORTS_DIR, make_safe_fetcher
from benchmark.reporting.i18n import (
    N_ as _,
)
from benchmark.reporting.i18n import (
    format_date,
    format_number,
    format_percent,
    is_rtl,
    language_of,
    list_separator,
    text_direction,
    translate,
    translations,
)
from benchmark.reporting.model import CityReport, ComparisonReport, DimensionSection, NetworkReport

TEMPLATES_DIR = REPORTS_DIR / "templates"
AUTHOR = "City Benchmark"
#: Tagged PDF with PDF/UA-1 identification (WeasyPrint ≥ 61: implies pdf_tags=True).
PDF_VARIANT = "pdf/ua-1"
#: Differences beyond this many index points fill half the difference bar.
BAR_SCALE = 50.0
HIGHLIGHTS = 3


@cache
def environment(lang: str = "en") -> Environment:
    """The Jinja2 environment of the report templates in ``lang`` (autoescaped, strict).

    Templates translate with gettext, as the web templates do: ``{{ _("Summary") }}``,
    ``{{ _("n = %(n)s", n=5) }}`` (new-style: placeholders filled and escaped by
    Jinja), ``{% trans %}`` blocks and ``pgettext``; messages come from the gettext
    domain ``reports`` (``reporting.i18n``). One environment per language, so
    rendering stays thread-safe.
    """
    env = Environment(
        loader=FileSystemLoader(TEMPLATES_DIR),
        autoescape=True,  # every template, not select_autoescape by extension
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        extensions=["jinja2.ext.i18n"],
    )
    env.install_gettext_translations(translations(language_of(lang)),  # type: ignore[attr-defined]
                                     newstyle=True)
    env.filters["css_string"] = css_string
    env.filters["textdir"] = text_direction
    env.filters["country"] = lambda country: words.country_name(country, lang)
    return env


def css_string(text: str) -> Markup:
    """A quoted CSS string with every non-alphanumeric character hex-escaped.

    Safe inside a ``<style>`` element, where HTML escaping does not apply; used only
    for catalogue labels (page numbers), never for report content.
    """
    escaped = "".join(
        char if (char.isascii() and char.isalnum()) or char == " " else f"\\{ord(char):06x}"
        for char in text)
    # Every character that could end the string or the <style> element is escaped.
    return Markup(f'"{escaped}"')  # noqa: S704  # nosec B704


def _formatters(lang: str) -> dict[str, Callable[..., str]]:
    def num(value: float | None, signed: bool = False, decimals: int = 1) -> str:
        return format_number(value, lang, signed=signed, decimals=decimals)

    def points(value: float | None) -> str:
        if value is None:
            return "\u2013"
        if float(value).is_integer():
            return str(int(value))
        return format_number(value, lang, decimals=2)

    def ltr(text: str) -> str:
        """Keep a left-to-right expression (``1 / 2``) in order inside RTL text."""
        return f"\u2066{text}\u2069" if is_rtl(lang) else text

    return {"num": num, "pct": lambda share: format_percent(share, lang),
            "fdate": lambda day: format_date(day, lang), "points": points, "ltr": ltr}


def difference_bar(difference: float | None) -> dict[str, float] | None:
    """Width and inline-start offset (% of the bar) of a difference bar centred at 50%."""
    if difference is None:
        return None
    width = min(abs(difference), BAR_SCALE) / BAR_SCALE * 50
    return {"width": round(width, 2),
            "start": 50.0 if difference >= 0 else round(50 - width, 2),
            "positive": difference >= 0}


def _highlights(dimensions: Sequence[DimensionSection]) -> tuple[list, list]:
    """The dimensions furthest above and furthest below the network average."""
    scored = [d for d in dimensions if d.row.network_difference is not None]
    above = sorted((d for d in scored if d.row.network_difference > 0),
                   key=lambda d: -d.row.network_difference)
    below = sorted((d for d in scored if d.row.network_difference < 0),
                   key=lambda d: d.row.network_difference)
    return above[:HIGHLIGHTS], below[:HIGHLIGHTS]


def _common(values: set[int]) -> int | None:
    return next(iter(values)) if len(values) == 1 else None


def _base_context(lang: str) -> dict[str, Any]:
    return {"lang": lang, "dir": "rtl" if is_rtl(lang) else "ltr",
            "bar": difference_bar, "author": AUTHOR, "sep": list_separator(lang),
            "question_status_label": lambda status: words.question_status(status, lang),
            "rank_band_label": lambda band: words.rank_band(band, lang),
            "commitment_status_label": lambda status: words.commitment_status(status, lang),
            "outcome_label": lambda outcome: words.commitment_outcome(outcome, lang),
            "peer_group_label": lambda key: words.peer_group(key, lang),
            **_formatters(lang)}


@dataclass(frozen=True)
class Chart:
    """A chart for the PDF: an <img> of the SVG (as a data: URI) and its alternative text.

    An image keeps the SVG out of the HTML cascade (WeasyPrint would otherwise style,
    and warn about, every SVG node) and is tagged as a Figure with ``alt``.
    """

    svg: str
    alt: str

    @property
    def uri(self) -> str:
        return "data:image/svg+xml;base64," + base64.b64encode(self.svg.encode()).decode()


def radar_series(report: CityReport, lang: str) -> tuple[list[str], list[charts.Series]]:
    """The radar's axis labels and series: the city, the network average and, when
    any is shown, the peer-group average (one function for the web page and the PDF)."""
    dims = report.dimensions
    n = _("n = %(n)s")
    series = [
        charts.Series(report.city_name, tuple(d.row.index for d in dims), charts.CITY_STYLE),
        charts.Series(f"{translate(lang, 'Network average')} "
                      f"({translate(lang, n, n=report.overall.network_n)})",
                      tuple(d.row.network_average for d in dims), charts.NETWORK_STYLE),
    ]
    if peer_average_shown(report):
        series.append(charts.Series(
            f"{translate(lang, 'Peer-group average')} "
            f"({translate(lang, n, n=report.overall.peer_n)})",
            tuple(d.row.peer_average for d in dims), charts.PEER_STYLE))
    return [d.title for d in dims], series


def peer_average_shown(report: CityReport) -> bool:
    """Whether any peer-group average is shown (the radar draws it, its caption says so)."""
    return any(d.row.peer_average is not None for d in report.dimensions)


def trend_series(report: CityReport, lang: str) -> tuple[list[str], list[charts.Series]] | None:
    """The trend chart's rounds (``*`` marks a round on another edition) and series;
    None below two rounds. Each round's index as it was published."""
    if len(report.trends) < 2:
        return None
    points = sorted(report.trends, key=lambda p: p.round)
    rounds = [f"{p.round}{'*' if p.comparable_subset else ''}" for p in points]
    overall = charts.Series(
        f"{report.city_name} \u2013 {translate(lang, 'Overall index')}",
        tuple(p.overall for p in points), charts.CITY_STYLE)
    return rounds, [overall]


def city_charts(report: CityReport, lang: str,
                text_as: charts.TextAs = "auto") -> dict[str, Chart | None]:
    """The radar and trend charts of a city report, each with its alternative text."""
    fmt = _formatters(lang)["num"]
    labels, series = radar_series(report, lang)
    described = "; ".join(
        f"{label}: " + ", ".join(f"{s.name} {fmt(s.values[i])}" for s in series)
        for i, label in enumerate(labels))
    what = (_("Radar chart of the index of each dimension for %(city)s, the network "
              "average and the peer-group average") if peer_average_shown(report) else
            _("Radar chart of the index of each dimension for %(city)s and the network "
              "average"))
    alt = f"{translate(lang, what, city=report.city_name)}. {described}."
    radar = Chart(charts.radar_chart(labels, series, lang=lang, text_as=text_as, title=alt,
                                     description=described), alt)
    trend = None
    found = trend_series(report, lang)
    if found is not None:
        rounds, lines = found
        described = "; ".join(f"{r}: {fmt(v)}" for r, v in zip(rounds, lines[0].values,
                                                                 strict=True))
        what = _("Line chart of the indices of %(city)s over rounds")
        alt = f"{translate(lang, what, city=report.city_name)}. {described}."
        trend = Chart(charts.trend_chart(rounds, lines, lang=lang, text_as=text_as,
                                         title=alt, description=described), alt)
    return {"radar": radar, "trend": trend}


def city_report_context(report: CityReport, *,
                        text_as: charts.TextAs = "auto") -> dict[str, Any]:
    """Everything the city report template needs, charts included."""
    lang = language_of(report.language)
    above, below = _highlights(report.dimensions)
    k = report.methodology.k_anonymity
    rows = [report.overall, *(d.row for d in report.dimensions)]
    return {
        **_base_context(lang),
        "r": report,
        "title": f"{translate(lang, 'Inclusion policy benchmark report')} \u2013 "
                 f"{report.city_name}",
        "status_label": words.assessment_status(report.status, lang),
        "above": above,
        "below": below,
        "withheld": lambda row: words.withheld(row.withheld_reason, k, lang),
        "rank_text": lambda rank, n: words.rank_text(rank, n, lang),
        "group_withheld": lambda reason: words.group_withheld(reason, k, lang),
        "trend_points": sorted(report.trends, key=lambda p: p.round),
        "charts": city_charts(report, lang, text_as),
        "peer_shown": peer_average_shown(report),
        "priority_peers": [d for d in report.dimensions if d.peers_to_learn_from],
        "peer_row": report.overall,
        # One n in the column header when every average of the column rests on it.
        "network_n": _common({r.network_n for r in rows if r.network_average is not None}),
        "peer_n": _common({r.peer_n for r in rows if r.peer_average is not None}),
    }


def network_report_context(report: NetworkReport, *,
                           text_as: charts.TextAs = "auto") -> dict[str, Any]:
    """Everything the network report template needs, charts included."""
    lang = language_of(report.language)

    def tr(message: str, **values: object) -> str:
        return translate(lang, message, **values)

    fmt = _formatters(lang)["num"]
    rows = [report.overall, *report.distributions]
    described = "; ".join(
        f"{d.title}: {tr('Min.')} {fmt(d.min)}, {tr('Q1')} {fmt(d.q1)}, "
        f"{tr('Median')} {fmt(d.median)}, {tr('Q3')} {fmt(d.q3)}, {tr('Max.')} "
        f"{fmt(d.max)}, {tr('Mean')} {fmt(d.mean)}, {tr('n = %(n)s', n=d.n)}" for d in rows)
    alt = f"{tr('Box plots of each dimension index across the network')}. {described}."
    box = Chart(charts.distribution_chart(rows, lang=lang, text_as=text_as, title=alt,
                                          description=described), alt)
    return {
        **_base_context(lang),
        "r": report,
        "title": f"{tr('Network benchmark report')} \u2013 {report.edition_title}",
        "codes": {d.id: tr("D%(n)s", n=i) for i, d in enumerate(report.distributions, start=1)},
        "cities": sorted(report.cities, key=lambda c: c.name.casefold()),
        "charts": {"distribution": box},
        "peer_row": None,
    }


def comparison_report_context(report: ComparisonReport, *,
                              text_as: charts.TextAs = "auto") -> dict[str, Any]:
    """The side-by-side comparison's template context, its radar included: one series per
    city, each with its own line style and marker (no series needs colour)."""
    lang = language_of(report.language)
    fmt = _formatters(lang)["num"]
    styles = [replace(s, fill=False) for s in charts.SERIES_STYLES[:len(report.cities)]]
    series = [charts.Series(c.name, [d.values[i] for d in report.dimensions], styles[i])
              for i, c in enumerate(report.cities)]
    described = "; ".join(f"{d.title}: " + ", ".join(
        f"{c.name} {fmt(d.values[i])}" for i, c in enumerate(report.cities))
        for d in report.dimensions)
    title = translate(lang, "Cities side by side")
    radar = Chart(charts.radar_chart([d.title for d in report.dimensions], series, lang=lang,
                                     text_as=text_as, title=f"{title}. {described}.",
                                     description=described), f"{title}. {described}.")
    return {**_base_context(lang), "r": report,
            "title": f"{title} \u2013 {report.edition_title}",
            "charts": {"radar": radar}, "peer_row": None}


def render_comparison_report(report: ComparisonReport, *, fetcher: Any = None) -> bytes:
    """Two to five cities side by side as PDF bytes."""
    context = comparison_report_context(report)
    html = environment(context["lang"]).get_template("comparison_report.html").render(context)
    return html_to_pdf(html, fetcher=fetcher)


def render_city_report_html(report: CityReport, *, text_as: charts.TextAs = "auto") -> str:
    """The city report as one HTML document (what WeasyPrint lays out).

    ``text_as="auto"`` (default) draws chart text as shaped glyph outlines when
    WeasyPrint could not lay it out (Arabic); ``"text"`` keeps ``<text>`` for browsers.
    """
    context = city_report_context(report, text_as=text_as)
    return environment(context["lang"]).get_template("city_report.html").render(context)


def render_network_report_html(report: NetworkReport, *,
                               text_as: charts.TextAs = "auto") -> str:
    """The network report as one HTML document."""
    context = network_report_context(report, text_as=text_as)
    return environment(context["lang"]).get_template("network_report.html").render(context)


def html_to_pdf(html: str, *, fetcher: Any = None) -> bytes:
    """Lay ``html`` out as a tagged PDF (PDF/UA-1), resources from reports/ only.

    Title, author, language and creation date come from the document's ``<title>``,
    ``<meta>`` elements and ``<html lang>``.
    """
    from weasyprint import HTML

    document = HTML(string=html, base_url=f"{REPORTS_DIR}/",
                    url_fetcher=fetcher or make_safe_fetcher())
    # pdf_identifier=True: an /ID derived from the content, so equal input gives equal
    # bytes (stable ETags) while PDF/UA validators still find an identifier.
    return document.write_pdf(pdf_variant=PDF_VARIANT, pdf_identifier=True)


def render_city_report(report: CityReport, *, fetcher: Any = None) -> bytes:
    """The city benchmark report as PDF bytes (A4, tagged, fonts embedded)."""
    return html_to_pdf(render_city_report_html(report), fetcher=fetcher)


def render_network_report(report: NetworkReport, *, fetcher: Any = None) -> bytes:
    """The network benchmark report as PDF bytes (A4, tagged, fonts embedded)."""
    return html_to_pdf(render_network_report_html(report), fetcher=fetcher)
