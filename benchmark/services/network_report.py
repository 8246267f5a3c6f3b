"""The staff network report's model: distributions, the cities, change since last edition."""

from __future__ import annotations

import threading
from datetime import date

from sqlalchemy import select

from benchmark.extensions import db
from benchmark.models import OVERALL, City
from benchmark.questionnaire import localize
from benchmark.reporting import model as rm
from benchmark.services import questionnaires, scores


def _distribution(dim_id: str, title: str, stat: object) -> rm.Distribution:
    d = scores.distribution_of(stat)  # type: ignore[arg-type]
    return rm.Distribution(id=dim_id, title=title, mean=d.mean, n=d.n, min=d.min, q1=d.q1,
                           median=d.median, q3=d.q3, max=d.max)


# Built models per process, under the network stamps of the edition and the one before:
# every figure of the model (every validated city's indices, names, countries and
# profiles, the statistics) moves them (scores.refresh_network, cities.update).
_built: dict[tuple[object, ...], rm.NetworkReport] = {}
_built_lock = threading.Lock()


def build(version: str, lang: str, today: date) -> rm.NetworkReport:
    """The network report model of edition `version` in `lang`; built once per network
    state, language and day (it reads every validated city), checked against the stamps
    (one query) on every use."""
    row = questionnaires.find_row(version)
    assert row is not None
    earlier = [e.version for e in questionnaires.list_editions() if e.version < version]
    previous_row = questionnaires.find_row(earlier[-1]) if earlier else None
    ids = [row.id] + ([previous_row.id] if previous_row is not None else [])
    stamps = scores.network_stamps(ids)
    key = (version, lang, today, scores.k_anonymity(), tuple(stamps.get(i) for i in ids))
    with _built_lock:
        if key in _built:
            return _built[key]
    report = _build(version, lang, today)
    with _built_lock:
        _built.clear()  # the newest state is the only one worth keeping
        _built[key] = report
    return report


def _build(version: str, lang: str, today: date) -> rm.NetworkReport:
    edition = questionnaires.get_edition(version)
    row = questionnaires.find_row(version)
    assert row is not None
    stats = scores.stored_network(row.id)
    results = scores.network_results(row.id)
    countries = dict(db.session.execute(select(City.slug, City.country)).all())
    cities = tuple(
        rm.NetworkCity(name=r.city_name or r.city, country=countries.get(r.city, ""),
                       overall=r.overall, dimensions=dict(r.dimensions))
        for r in results
    )
    earlier = [e.version for e in questionnaires.list_editions() if e.version < version]
    previous_version = earlier[-1] if earlier else None
    changes: tuple[rm.EditionChange, ...] = ()
    if previous_version:
        previous_row = questionnaires.find_row(previous_version)
        assert previous_row is not None
        before = scores.stored_network(previous_row.id)
        # Network means of each edition's own indices, dimension by dimension.
        changes = tuple(
            rm.EditionChange(id=d.id, title=localize(d.title, lang),
                             previous_mean=scores.distribution_of(before.get(d.id)).mean,
                             mean=scores.distribution_of(stats.get(d.id)).mean)
            for d in edition.dimensions
        )
    overall = stats.get(OVERALL)
    return rm.NetworkReport(
        edition_version=version, edition_title=localize(edition.title, lang), generated_on=today,
        language=lang,
        overall=_distribution("overall", "overall", overall),
        distributions=tuple(_distribution(d.id, localize(d.title, lang), stats.get(d.id))
                            for d in edition.dimensions),
        cities=cities,
        methodology=rm.Methodology(
            k_anonymity=scores.k_anonymity(), network_n=overall.n if overall else 0,
            data_date=overall.computed_at.date() if overall else today,
            edition_version=version, edition_title=localize(edition.title, lang),
            question_count=row.question_count, dimension_count=row.dimension_count,
        ),
        previous_version=previous_version, changes=changes,
    )
