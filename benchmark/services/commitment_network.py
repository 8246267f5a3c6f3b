"""Commitments across the network (staff): the filtered list, the share done per dimension, exports.

Exports follow the rules of every export: streamed row by row, every text cell
neutralised (benchmark/cells.py), one audit row per download.
"""

from __future__ import annotations

import csv
import io
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import IO

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from benchmark import authz
from benchmark.authz import Actor
from benchmark.cells import neutralise_row, xlsx_row
from benchmark.extensions import db
from benchmark.models import (
    COMMITMENT_STATUSES,
    City,
    Commitment,
    CommitmentNote,
    QuestionnaireEdition,
)
from benchmark.questionnaire import localize
from benchmark.services import audit, city_filter, questionnaires
from benchmark.services._tx import transaction
from benchmark.services.commitments import OPEN, is_overdue

#: Rows the page shows at most; the exports have every row.
PAGE_ROWS = 500
SPOOL_BYTES = 1 << 20
COLUMNS = ("id", "city", "city_name", "country", "round", "questionnaire", "dimension", "questions",
           "title", "description", "department", "owner", "start_date", "target_date", "status",
           "overdue", "outcome", "outcome_note", "notes", "created_at", "updated_at")


@dataclass(frozen=True)
class Filters:
    dimension: str | None = None
    status: str | None = None
    country: str | None = None
    #: A city's short name (the staff city page links to its commitments with it) or its
    #: name, typed (services/city_filter.py).
    city: str | None = None
    overdue: bool = False


@dataclass(frozen=True)
class Row:
    id: int
    city_slug: str
    city_name: str
    country: str
    round: int
    title: str
    dimension: str
    dimension_title: str
    status: str
    outcome: str | None
    target_date: date | None
    overdue: bool


@dataclass(frozen=True)
class DimensionShare:
    """Commitments on one dimension (under the country and city filters) and how many are done."""

    id: str
    title: str
    total: int
    done: int

    @property
    def share(self) -> float:
        """Share done, 0–1."""
        return self.done / self.total if self.total else 0.0


@dataclass(frozen=True)
class NetworkCommitments:
    rows: tuple[Row, ...]
    total: int
    shares: tuple[DimensionShare, ...]
    dimensions: tuple[tuple[str, str], ...]
    countries: tuple[str, ...]
    filters: Filters
    #: Names of the cities with commitments for the city field's <datalist>; empty when
    #: they are more than city_filter.DATALIST_MAX (then the field is plain text).
    city_names: tuple[str, ...] = ()
    #: The error message of a city filter that names no city.
    city_problem: str | None = None
    statuses: tuple[str, ...] = COMMITMENT_STATUSES


def _query(filters: Filters, today: date, *, with_status: bool = True, with_dimension: bool = True):  # type: ignore[no-untyped-def]
    query = (select(Commitment).join(City, City.id == Commitment.city_id)
             .options(selectinload(Commitment.city), selectinload(Commitment.assessment))
             .order_by(City.country, City.name, Commitment.id))
    if filters.country:
        query = query.where(City.country == filters.country)
    if filters.city:
        query = query.where(City.id.in_(city_filter.named(filters.city)))
    if with_dimension and filters.dimension:
        query = query.where(Commitment.dimension_id == filters.dimension)
    if with_status and filters.status:
        query = query.where(Commitment.status == filters.status)
    if filters.overdue:
        query = query.where(Commitment.status.in_(sorted(OPEN)), Commitment.target_date < today)
    return query


def _dimension_titles(lang: str) -> dict[str, str]:
    """Dimension id → title, from the newest edition that has it."""
    titles: dict[str, str] = {}
    for row in reversed(questionnaires.list_editions()):
        for d in questionnaires.get_edition(row.version).dimensions:
            titles.setdefault(d.id, localize(d.title, lang))
    return titles


def network_list(actor: Actor, filters: Filters, lang: str, today: date) -> NetworkCommitments:
    """The network's commitments under the filters, with the share done per dimension."""
    authz.require(actor, "view_network_commitments")
    titles = _dimension_titles(lang)
    query = _query(filters, today)
    total = db.session.scalar(select(func.count()).select_from(
        query.with_only_columns(Commitment.id).order_by(None).subquery()))
    found = list(db.session.scalars(query.limit(PAGE_ROWS)))
    rows = tuple(Row(id=c.id, city_slug=c.city.slug, city_name=c.city.name, country=c.city.country,
                     round=c.assessment.round, title=c.title, dimension=c.dimension_id,
                     dimension_title=titles.get(c.dimension_id, c.dimension_id), status=c.status,
                     outcome=c.outcome, target_date=c.target_date,
                     overdue=is_overdue(c.status, c.target_date, today))
                 for c in found)
    counts: dict[str, list[int]] = {}
    for dimension, status in db.session.execute(
            _query(Filters(country=filters.country, city=filters.city), today, with_status=False,
                   with_dimension=False)
            .with_only_columns(Commitment.dimension_id, Commitment.status)):
        pair = counts.setdefault(dimension, [0, 0])
        pair[0] += 1
        pair[1] += status == "done"
    order = list(titles)
    shares = tuple(DimensionShare(d, titles.get(d, d), total, done) for d, (total, done) in
                   sorted(counts.items(), key=lambda kv: order.index(kv[0]) if kv[0] in order else 999))
    # The countries (a few dozen) and, on a small network, the cities' names: not a row per
    # city of the network (the city field was a <select> of every city with commitments).
    countries = db.session.scalars(
        select(City.country).join(Commitment, Commitment.city_id == City.id).distinct()
        .order_by(City.country)).all()
    names = db.session.scalars(
        select(City.name).join(Commitment, Commitment.city_id == City.id).distinct()
        .order_by(City.name).limit(city_filter.DATALIST_MAX + 1)).all()
    city_problem = None
    if filters.city and not total:
        choice = city_filter.choose(filters.city)
        if choice.city is None and not choice.several:
            city_problem = city_filter.problem(filters.city, choice)
    return NetworkCommitments(rows=rows, total=total or 0, shares=shares,
                              dimensions=tuple(titles.items()), countries=tuple(countries),
                              filters=filters,
                              city_names=tuple(names) if len(names) <= city_filter.DATALIST_MAX else (),
                              city_problem=city_problem)


def _export_rows(filters: Filters, today: date) -> Iterator[tuple[object, ...]]:
    notes_count = (select(func.count(CommitmentNote.id))
                   .where(CommitmentNote.commitment_id == Commitment.id).scalar_subquery())
    query = _query(filters, today).options(selectinload(Commitment.owner)).add_columns(notes_count)
    # The editions' versions once (a handful of rows), not a lookup per commitment.
    versions = dict(db.session.execute(
        select(QuestionnaireEdition.id, QuestionnaireEdition.version)).all())
    for c, notes in db.session.execute(query.execution_options(yield_per=500)):
        yield (c.id, c.city.slug, c.city.name, c.city.country, c.assessment.round,
               versions.get(c.assessment.edition_id, ""), c.dimension_id,
               ";".join(c.questions or ()), c.title,
               c.description, c.department, c.owner.email if c.owner else "",
               c.start_date.isoformat() if c.start_date else "",
               c.target_date.isoformat() if c.target_date else "", c.status,
               is_overdue(c.status, c.target_date, today), c.outcome or "", c.outcome_note, notes,
               c.created_at.isoformat(), c.updated_at.isoformat())


def _audit(actor: Actor, fmt: str, filters: Filters) -> None:
    authz.require(actor, "view_network_commitments")
    with transaction():
        audit.record(actor, "export", details={"format": fmt, "what": "commitments",
                                               "filters": {k: v for k, v in vars(filters).items() if v}})


def export_csv(actor: Actor, filters: Filters, today: date) -> IO[bytes]:
    """The filtered commitments as UTF-8 CSV in a spooled file (rows read in batches; audited).

    The file stays in memory up to 1 MB and spills to disk beyond, and the response sends
    it in chunks: the network's commitments never sit in memory at once.
    """
    _audit(actor, "csv", filters)
    spool = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)  # noqa: SIM115 - returned open
    text = io.TextIOWrapper(spool, encoding="utf-8", newline="", write_through=True)
    writer = csv.writer(text)
    writer.writerow(COLUMNS)
    for row in _export_rows(filters, today):
        writer.writerow(neutralise_row(row))
    text.detach()
    spool.seek(0)
    return spool


def export_xlsx(actor: Actor, filters: Filters, today: date) -> IO[bytes]:
    """The filtered commitments as an .xlsx workbook (write-only mode) in a spooled file; audited."""
    from openpyxl import Workbook

    _audit(actor, "xlsx", filters)
    book = Workbook(write_only=True)
    sheet = book.create_sheet(title="Commitments")
    sheet.append(list(COLUMNS))
    for row in _export_rows(filters, today):
        sheet.append(xlsx_row(sheet, row))
    spool = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)  # noqa: SIM115 - returned open
    book.save(spool)
    spool.seek(0)
    return spool
