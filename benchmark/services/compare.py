"""Two to five cities side by side on one edition: indices, a radar, the questions where
they differ most; as a page, a PDF, CSV and the `GET /api/v1/compare` resource.

Each city is shown with its latest *validated* round on the edition (the published
indices, as the network counts them); a city without one is listed with no values.
Who may compare whom: staff any cities; a city team its own city and the cities that
consented to be named to other cities (`consent_named`); any other city answers
NotFound, as if it did not exist.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select

from benchmark import authz
from benchmark.authz import Actor
from benchmark.cells import neutralise
from benchmark.errors import Invalid, NotFound
from benchmark.extensions import db
from benchmark.models import OVERALL, Assessment, City
from benchmark.questionnaire import localize
from benchmark.reporting import charts, render
from benchmark.reporting import model as rm
from benchmark.reporting.i18n import translate
from benchmark.reporting.words import answer_text
from benchmark.scoring.side_by_side import largest_differences
from benchmark.services import city_filter, questionnaires, scores
from benchmark.services.answers import stored_answers

MIN_CITIES, MAX_CITIES = 2, 5
QUESTIONS_SHOWN = 10
#: The five series: colour, line style and marker all differ, so no series needs colour.
STYLES = tuple(replace(s, fill=False) for s in charts.SERIES_STYLES[:MAX_CITIES])


@dataclass(frozen=True)
class CompareOptions:
    """What the form offers: the names of the cities the reader may pick when they are at
    most city_filter.DATALIST_MAX (else (): the fields are plain text), and the editions."""

    city_names: tuple[str, ...]
    editions: tuple[str, ...]


@dataclass(frozen=True)
class Picked:
    """The cities typed in the form's fields: the slugs of those found, in the order typed,
    and (field index from 0, message) for each text that names no city the reader may pick
    or several."""

    slugs: tuple[str, ...]
    problems: tuple[tuple[int, str], ...]


def pickable(actor: Actor) -> Any:
    """The SQL condition on City of the cities `actor` may compare with (None: any): the
    one rule of the form, its suggestions, the page, the exports and the API."""
    if actor.is_staff:
        return None
    return City.consent_named.is_(True) | (City.id == actor.city_id)


def options(actor: Actor) -> CompareOptions:
    """What the comparison form offers the actor: at most DATALIST_MAX + 1 names are read
    (not a row per city of the network) and the editions."""
    authz.require(actor, "compare_cities")
    return CompareOptions(tuple(city_filter.small_network_names(pickable(actor))),
                          tuple(e.version for e in questionnaires.list_editions()))


def pick(actor: Actor, texts: Sequence[str]) -> Picked:
    """The cities of the form's fields, each typed as a name or a short name (any case;
    blank fields are skipped), found through indexes (services/city_filter.py) among the
    cities the actor may compare with. A city outside them is "no city", with the same
    message as an unknown one and never among the suggestions."""
    authz.require(actor, "compare_cities")
    among = pickable(actor)
    slugs: list[str] = []
    problems: list[tuple[int, str]] = []
    for i, text in enumerate(texts):
        if not text.strip():
            continue
        choice = city_filter.choose(text, among=among)
        if choice.city is None:
            problems.append((i, city_filter.problem(text, choice)))
        else:
            slugs.append(choice.city.slug)
    return Picked(tuple(slugs), tuple(problems))


def _check_count(slugs: Sequence[str]) -> list[str]:
    wanted = list(dict.fromkeys(s.strip() for s in slugs if s and s.strip()))
    if not MIN_CITIES <= len(wanted) <= MAX_CITIES:
        raise Invalid(_("Choose between %(min)d and %(max)d different cities.",
                        min=MIN_CITIES, max=MAX_CITIES),
                      fields={"city": _("between %(min)d and %(max)d different cities",
                                        min=MIN_CITIES, max=MAX_CITIES)})
    return wanted


def _cities(actor: Actor, slugs: list[str]) -> list[City]:
    among = pickable(actor)
    query = select(City).where(City.slug.in_(slugs))
    found = {c.slug: c for c in db.session.scalars(
        query if among is None else query.where(among))}
    cities = []
    for slug in slugs:
        city = found.get(slug)
        if city is None:
            raise NotFound(_("There is no city %(slug)s.", slug=slug))
        cities.append(city)
    return cities


def _latest_validated(edition_id: int, city_ids: list[int]) -> dict[int, Assessment]:
    chosen = scores.latest_validated(edition_id, city_ids)
    return {a.city_id: a for a in db.session.scalars(
        select(Assessment).join(chosen, Assessment.id == chosen.c.id))}


def build(actor: Actor, version: str | None, slugs: Sequence[str], lang: str,
          today: date) -> rm.ComparisonReport:
    """The comparison of 2–5 cities on an edition (default: the latest), in `lang`.

    Invalid (422) for fewer than 2 or more than 5 cities; NotFound for an unknown edition
    or a city the actor may not compare with.
    """
    authz.require(actor, "compare_cities")
    wanted = _check_count(slugs)
    version = version or questionnaires.latest_version()
    row = questionnaires.find_row(version) if version else None
    if row is None:
        raise NotFound(_("There is no questionnaire edition %(version)s.", version=version or ""))
    edition = questionnaires.get_edition(row.version)
    cities = _cities(actor, wanted)
    latest = _latest_validated(row.id, [c.id for c in cities])
    assessments = [latest.get(c.id) for c in cities]
    indices = [scores.stored_indices(a.id) if a else {} for a in assessments]
    overall = rm.ComparedIndex("overall", translate(lang, "Overall index"),
                               tuple(v.get(OVERALL) for v in indices))
    dimensions = tuple(rm.ComparedIndex(d.id, localize(d.title, lang),
                                        tuple(v.get(d.id) for v in indices))
                       for d in edition.dimensions)
    engine_scores = [scores.score_of(a) if a else None for a in assessments]
    spreads = largest_differences([q.id for q in edition.scored_questions],
                                  {q.id: q.dimension_id for q in edition.questions},
                                  engine_scores, limit=QUESTIONS_SHOWN)
    stored = [stored_answers(a.id) if a else {} for a in assessments]
    numbers = {q.id: f"{d_i}.{q_i}" for d_i, d in enumerate(edition.dimensions, 1)
               for q_i, q in enumerate(d.questions, 1)}
    questions = []
    for spread in spreads:
        q = edition.question(spread.question_id)
        shown = []
        for answers in stored:
            a = answers.get(q.id)
            shown.append(answer_text(q, a.value, a.na, lang) if a is not None else "")
        questions.append(rm.ComparedQuestion(
            id=q.id, number=numbers[q.id], text=localize(q.text, lang),
            dimension_title=localize(edition.dimension(q.dimension_id).title, lang),
            answers=tuple(shown), achievements=spread.achievements, spread=spread.spread))
    return rm.ComparisonReport(
        edition_version=edition.version, edition_title=localize(edition.title, lang),
        generated_on=today, language=lang,
        cities=tuple(rm.ComparedCity(c.name, c.country, a.round if a else None)
                     for c, a in zip(cities, assessments, strict=True)),
        overall=overall, dimensions=dimensions, questions=tuple(questions))


def radar_svg(report: rm.ComparisonReport, text_as: charts.TextAs = "auto") -> str:
    """The overlaid radar: one series per city, each with its own line style and marker.

    ``text_as="auto"`` as on the results page and in the PDF: Arabic labels are drawn as
    shaped outlines where matplotlib measured them, never laid out again by the browser.
    """
    series = [charts.Series(c.name, tuple(d.values[i] for d in report.dimensions), STYLES[i])
              for i, c in enumerate(report.cities)]
    return charts.radar_chart([d.title for d in report.dimensions], series,
                              lang=report.language, text_as=text_as)


def to_csv(report: rm.ComparisonReport) -> str:
    """The comparison table as CSV: a row per index, a column per city (cells neutralised)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["index", *(c.name for c in report.cities)])
    for row in (report.overall, *report.dimensions):
        writer.writerow([neutralise(row.title), *(
            "" if v is None else f"{v:.1f}" for v in row.values)])
    return out.getvalue()


def to_pdf(report: rm.ComparisonReport) -> bytes:
    return render.render_comparison_report(report)


def csv_of(actor: Actor, version: str | None, slugs: Sequence[str], lang: str,
           today: date) -> tuple[str, str]:
    report = build(actor, version, slugs, lang, today)
    return f"comparison-{report.edition_version}.csv", to_csv(report)


def pdf_of(actor: Actor, version: str | None, slugs: Sequence[str], lang: str,
           today: date) -> tuple[str, bytes]:
    report = build(actor, version, slugs, lang, today)
    return f"comparison-{report.edition_version}-{lang}.pdf", to_pdf(report)
