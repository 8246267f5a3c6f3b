"""The staff dashboard of an edition: counts, and every city in one sortable, filtered table.

Every city is a row, the ones that have not started on the edition too. A row shows the
city's latest round on the edition (status, days in that status, reviewer and due date,
overall and dimension indices, change since its previous validated round). Sorting,
filtering and paging happen in SQL, on one query that joins each city's latest round
(flagged `is_latest`, models.py); only the page's
rows are then loaded (their dimension indices and previous rounds in one query each),
so a page costs the same fixed number of statements at 135 or 10,000 cities. The CSV is
the same query without the page limit: it holds exactly the filtered, sorted rows.
"""

from __future__ import annotations

import csv
import functools
import io
import math
import threading
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Any

from sqlalchemy import Select, and_, bindparam, case, func, or_, select
from sqlalchemy.orm import aliased

from benchmark import authz, workflow
from benchmark.authz import Actor
from benchmark.cells import neutralise
from benchmark.errors import Invalid, NotFound
from benchmark.extensions import db
from benchmark.models import OVERALL, Assessment, AssessmentScore, City, User
from benchmark.questionnaire import localize
from benchmark.scoring import DEFAULT_PEER_GROUP_RULES
from benchmark.scoring.peers import band_bounds
from benchmark.services import assignments, audit, index_walk, questionnaires

#: The status of a city that has no assessment on the edition.
NOT_STARTED = "not_started"
STATUS_FILTERS = (NOT_STARTED, *workflow.STATUSES)
FLAGS = ("overdue", "resubmitted", "unassigned")
SORTS = ("name", "country", "size", "diversity", "round", "status", "days", "reviewer", "due",
         "overall")
PER_PAGE = 50
MAX_SEARCH = 100


@dataclass(frozen=True)
class DashboardQuery:
    """What the reader asked for: filters, sort and page (all optional)."""

    edition: str | None = None
    status: str = ""
    country: str = ""
    size: str = ""
    diversity: str = ""
    reviewer: str = ""  # "" any, "none" unassigned, or a staff user's id
    flag: str = ""
    q: str = ""
    sort: str = "name"
    descending: bool = False
    page: int = 1

    @classmethod
    def parse(cls, args: Mapping[str, str]) -> DashboardQuery:
        """From request arguments; unknown values are refused (Invalid), never guessed."""
        def pick(name: str, allowed: Iterable[str]) -> str:
            value = (args.get(name) or "").strip()
            if value and value not in allowed:
                raise Invalid(f"Unknown {name}.", fields={name: "unknown value"})
            return value

        sort = (args.get("sort") or "name").strip()
        if sort not in SORTS and not sort.startswith("dim:"):
            raise Invalid("Unknown sort.", fields={"sort": "unknown value"})
        try:
            page = max(1, int(args.get("page") or 1))
        except ValueError:
            raise Invalid("Unknown page.", fields={"page": "not a number"}) from None
        reviewer = (args.get("reviewer") or "").strip()
        if reviewer and reviewer != "none" and not reviewer.isdigit():
            raise Invalid("Unknown reviewer.", fields={"reviewer": "unknown value"})
        return cls(
            edition=(args.get("edition") or "").strip() or None,
            status=pick("status", STATUS_FILTERS),
            country=(args.get("country") or "").strip()[:100],
            size=pick("size", size_groups()),
            diversity=pick("diversity", diversity_groups()),
            reviewer=reviewer, flag=pick("flag", FLAGS),
            q=(args.get("q") or "").strip()[:MAX_SEARCH],
            sort=sort, descending=args.get("dir") == "desc", page=page,
        )

    def args(self, **changes: Any) -> dict[str, Any]:
        """URL arguments of this query with some changed (for sort links and paging)."""
        query = replace(self, **changes)
        found = {"edition": query.edition, "status": query.status, "country": query.country,
                 "size": query.size, "diversity": query.diversity, "reviewer": query.reviewer,
                 "flag": query.flag, "q": query.q, "sort": query.sort if query.sort != "name" else "",
                 "dir": "desc" if query.descending else "", "page": query.page if query.page > 1 else ""}
        return {k: v for k, v in found.items() if v not in ("", None)}


@dataclass(frozen=True)
class DashboardRow:
    city_id: int
    slug: str
    name: str
    country: str
    size_group: str | None
    diversity_group: str | None
    assessment_id: int | None
    round: int | None
    status: str  # a workflow status or NOT_STARTED
    days_in_status: int | None
    reviewer: str | None
    review_due: date | None
    is_overdue: bool
    is_resubmitted: bool
    overall: float | None
    dimensions: Mapping[str, float | None] = field(default_factory=dict)
    #: Overall index minus that of the city's previous validated round (any edition).
    change: float | None = None


@dataclass(frozen=True)
class Dashboard:
    editions: tuple[str, ...]
    edition: str | None
    edition_title: str
    dimensions: tuple[tuple[str, str], ...]  # (id, title) in the reader's language
    query: DashboardQuery
    #: Cities by status of their latest round (NOT_STARTED included), over every city.
    status_counts: Mapping[str, int]
    #: (round, status) → assessments on the edition.
    round_counts: Mapping[tuple[int, str], int]
    rows: tuple[DashboardRow, ...]
    total: int
    pages: int
    countries: tuple[str, ...]
    reviewers: tuple[tuple[int, str], ...]
    size_groups: tuple[str, ...]
    diversity_groups: tuple[str, ...]

    @property
    def rounds(self) -> list[int]:
        return sorted({r for r, _ in self.round_counts})


@functools.cache  # constant: computed once, not three times a request
def size_groups() -> tuple[str, ...]:
    """Every size group key, smallest first."""
    rules = DEFAULT_PEER_GROUP_RULES
    return tuple(dict.fromkeys(rules.size_group_of(b - 1) or "" for b in (*rules.population_bounds,
                                                                         math.inf)))


@functools.cache
def diversity_groups() -> tuple[str, ...]:
    rules = DEFAULT_PEER_GROUP_RULES
    return tuple(dict.fromkeys(rules.diversity_group_of(b - 0.5) or "" for b in (*rules.share_bounds,
                                                                                100.5)))


def _edition_choice(version: str | None,
                    choices: Sequence[questionnaires.EditionChoice]) -> questionnaires.EditionChoice | None:
    if version:
        found = next((c for c in choices if c.version == version), None)
        if found is None:
            raise NotFound(f"There is no questionnaire edition {version!r}.")
        return found
    return questionnaires.newest_choice(choices)


@dataclass(frozen=True)
class _Shape:
    """The parts of the dashboard's query that depend on the edition only."""

    a: Any
    reviewer: Any
    population: Any
    share: Any
    status: Any
    joins: Select[Any]
    #: The table's full rows (for the CSV), and those of the cities in the expanding
    #: parameter "ids" (a page).
    rows: Select[Any]
    rows_of: Select[Any]


@functools.lru_cache(maxsize=32)
def _shape(edition_id: int) -> _Shape:
    """Built once per edition and process: constructing the aliases and the statements took
    several milliseconds a request; SQL expressions are immutable, so they are shared (each
    request derives its own statement from them), and a statement used as it is keeps the
    cache key SQLAlchemy computed for it the first time."""
    a = aliased(Assessment, name="a")
    reviewer = aliased(User, name="reviewer")
    # A city's size and diversity: its latest round's (stored by the peer-group rule), its
    # own record when it has not started.
    population = case((a.id.is_(None), City.population), else_=a.effective_population)
    share = case((a.id.is_(None), City.foreign_born_share), else_=a.effective_foreign_born_share)
    status = func.coalesce(a.status, NOT_STARTED)
    joins = (select(City.id).select_from(City)
             .outerjoin(a, and_(a.city_id == City.id, a.edition_id == edition_id, a.is_latest)))
    rows = (_with_reviewer(joins, a, reviewer).with_only_columns(
        City.id, City.slug, City.name, City.country, population, share,
        a.id, a.round, status, a.status_changed_at, a.returned_at, a.review_due,
        reviewer.name, reviewer.email, a.overall_index,
    ))
    return _Shape(a=a, reviewer=reviewer, population=population, share=share,
                  status=status, joins=joins, rows=rows,
                  rows_of=rows.where(City.id.in_(bindparam("ids", expanding=True))))


def _with_reviewer(statement: Select[Any], a: Any, reviewer: Any) -> Select[Any]:
    return statement.outerjoin(reviewer, reviewer.id == a.reviewer_id)


class _Table:
    """The dashboard's one query (columns, joins, filters, order) for an edition."""

    def __init__(self, edition_id: int, query: DashboardQuery, today: date) -> None:
        shape = _shape(edition_id)
        self.a, self.reviewer = shape.a, shape.reviewer
        self.population, self.share, self.status = shape.population, shape.share, shape.status
        self.days = shape.a.status_changed_at
        self.joins: Select[Any] = shape.joins
        self.query, self.today = query, today
        self.shape, self.edition_id = shape, edition_id

    def conditions(self) -> list[Any]:
        q, a = self.query, self.a
        found: list[Any] = []
        # With a round's status asked for, the round's own columns, which
        # ix_assessments_dashboard holds after (edition, status, latest): the filter, its
        # count and the sort by overall index are one range of that index.
        population, share = ((a.effective_population, a.effective_foreign_born_share)
                             if q.status in workflow.STATUSES else (self.population, self.share))
        if q.status == NOT_STARTED:
            found.append(a.id.is_(None))
        elif q.status:
            found.append(a.status == q.status)
        if q.country:
            found.append(City.country == q.country)
        if q.size:
            found.append(_within(population, q.size))
        if q.diversity:
            found.append(_within(share, q.diversity))
        if q.reviewer == "none":
            found.append(a.reviewer_id.is_(None))
        elif q.reviewer:
            found.append(a.reviewer_id == int(q.reviewer))
        if q.flag == "overdue":
            found.append(and_(a.status == workflow.SUBMITTED, a.review_due < self.today))
        elif q.flag == "resubmitted":
            found.append(and_(a.status == workflow.SUBMITTED, a.returned_at.is_not(None)))
        elif q.flag == "unassigned":
            found.append(and_(a.status == workflow.SUBMITTED, a.reviewer_id.is_(None)))
        if q.q:
            pattern = audit.contains(q.q)
            found.append(or_(func.lower(City.name).like(pattern, escape="\\"),
                             func.lower(City.slug).like(pattern, escape="\\")))
        return found

    def _needs_assessment(self) -> bool:
        """Whether filtering or sorting reads the latest round (else cities alone do)."""
        q = self.query
        return (bool(q.status or q.size or q.diversity or q.reviewer or q.flag)
                or q.sort not in ("name", "country"))

    def _from(self) -> Select[Any]:
        return self.joins if self._needs_assessment() else select(City.id).select_from(City)

    def count(self) -> int:
        q, a = self.query, self.a
        if q.status in workflow.STATUSES and not (q.country or q.q):
            # Every condition is on the round: counted in ix_assessments_dashboard alone. (The
            # join of each round's city, which always exists, cost PostgreSQL a scan of them.)
            statement = (select(func.count()).select_from(a)
                         .where(a.edition_id == self.edition_id, a.is_latest, *self.conditions()))
            return int(db.session.scalar(statement) or 0)
        statement = self._from().with_only_columns(func.count(City.id)).where(*self.conditions())
        return int(db.session.scalar(statement) or 0)

    def page_ids(self, limit: int, offset: int) -> list[int]:
        """The ids of one page's cities, in order: sorted and cut in SQL on the sort key alone,
        before any row is loaded."""
        statement = self._from()
        if self.query.sort == "reviewer":
            statement = _with_reviewer(statement, self.a, self.reviewer)
        statement = statement.with_only_columns(City.id).where(*self.conditions())
        order, statement = self._order(statement)
        statement = statement.order_by(*order, City.name, City.id).limit(limit).offset(offset)
        db.session.flush()
        return list(db.session.connection().execute(statement).scalars().all())

    def rows(self, limit: int | None = None, offset: int = 0,
             ids: Sequence[int] | None = None) -> list[Any]:
        """Full rows: of the cities `ids` (in that order), or of every matching city, sorted."""
        db.session.flush()
        if ids is not None:
            found = {row[0]: row for row in db.session.connection().execute(
                self.shape.rows_of, {"ids": list(ids)}).all()}
            return [found[i] for i in ids if i in found]
        statement = self.shape.rows.where(*self.conditions())
        order, statement = self._order(statement)
        statement = statement.order_by(*order, City.name, City.id)
        if limit is not None:
            statement = statement.limit(limit).offset(offset)
        return list(db.session.connection().execute(statement))

    def _order(self, statement: Select[Any]) -> tuple[list[Any], Select[Any]]:
        q, a = self.query, self.a
        column: Any = {
            "name": func.lower(City.name), "country": City.country, "size": self.population,
            "diversity": self.share, "round": a.round, "status": self.status,
            "days": a.status_changed_at, "reviewer": func.lower(self.reviewer.name),
            "due": a.review_due, "overall": a.overall_index,
        }.get(q.sort)
        if column is None:  # "dim:<id>": join that dimension's cached index
            score = aliased(AssessmentScore, name="sorted_dimension")
            statement = statement.outerjoin(score, and_(score.assessment_id == a.id,
                                                        score.dimension_id == q.sort[4:]))
            column = score.index
        # Days in status grow as the stamp gets older: "most days first" is the oldest stamp.
        descending = q.descending != (q.sort == "days")
        ordered = column.desc() if descending else column.asc()
        if q.sort in ("name", "country"):  # never null: a plain order walks ix_cities_name_order
            return [ordered], statement
        return [ordered.nulls_last()], statement


def _within(value: Any, key: str) -> Any:
    low, high = band_bounds(key)
    return and_(value >= low, value < high) if high is not None else value >= low


#: A page's dimension indices and its cities' rounds: statements built once per process (an
#: expanding "ids" parameter), read on the connection as plain rows; building them and the
#: ORM's row processing cost more than running them (650 indices a page).
_DIMENSIONS = (select(AssessmentScore.assessment_id, AssessmentScore.dimension_id,
                      AssessmentScore.index)
               .where(AssessmentScore.assessment_id.in_(bindparam("ids", expanding=True))))
_ROUNDS = (select(Assessment.city_id, Assessment.round, Assessment.status, Assessment.overall_index)
           .where(Assessment.city_id.in_(bindparam("ids", expanding=True))))


#: The distinct countries in order, a walk of ix_cities_country (36 probes, where DISTINCT
#: read all 10,000 entries: SQLite 0.27 → 0.04 ms, PostgreSQL 4.0 → 0.5 ms).
_COUNTRIES = index_walk.distinct_values(City.country, "countries")


def _dimension_indices(ids: Sequence[int]) -> dict[int, dict[str, float | None]]:
    found: dict[int, dict[str, float | None]] = {}
    if ids:
        # .all(): one fetchall, where iterating the result fetched row by row (650 a page).
        for aid, dim, index in db.session.connection().execute(_DIMENSIONS, {"ids": list(ids)}).all():
            found.setdefault(aid, {})[dim] = index
    return found


def _previous_overall(rows: Sequence[Any]) -> dict[int, float | None]:
    """Per city of the rows: the overall index of its validated rounds before the row's round."""
    wanted = {r[0]: r[7] for r in rows if r[6] is not None}
    if not wanted:
        return {}
    best: dict[int, tuple[int, float | None]] = {}
    # Validated rounds are picked here, not in SQL: with the status in the WHERE clause,
    # SQLite read every validated assessment through the status index (8,815 at 10,000
    # cities, 5 ms) instead of the page's cities' few rounds through the city index. Each
    # round's overall index is its own column (no join of assessment_scores).
    for city_id, round_, status, index in db.session.connection().execute(
            _ROUNDS, {"ids": sorted(wanted)}).all():
        if status != workflow.VALIDATED:
            continue
        if round_ < wanted[city_id] and round_ >= best.get(city_id, (-1, None))[0]:
            best[city_id] = (round_, index)
    return {city_id: index for city_id, (_, index) in best.items()}


def _row(raw: Any, dims: Mapping[str, float | None], previous: float | None,
         today: date) -> DashboardRow:
    (city_id, slug, name, country, population, share, aid, round_, status, changed, returned,
     due, reviewer_name, reviewer_email, overall) = raw
    rules = DEFAULT_PEER_GROUP_RULES
    days = (today - _as_date(changed)).days if changed is not None else None
    return DashboardRow(
        city_id=city_id, slug=slug, name=name, country=country,
        size_group=rules.size_group_of(population), diversity_group=rules.diversity_group_of(share),
        assessment_id=aid, round=round_, status=status, days_in_status=days,
        reviewer=(reviewer_name or reviewer_email) if aid is not None else None,
        review_due=due, is_overdue=assignments.is_overdue(status, due, today),
        is_resubmitted=assignments.is_resubmitted(status, returned),
        overall=overall, dimensions={k: v for k, v in dims.items() if k != OVERALL},
        change=overall - previous if overall is not None and previous is not None else None,
    )


def _as_date(value: datetime | str) -> date:
    if isinstance(value, str):  # SQLite through the Core connection: ISO text
        value = datetime.fromisoformat(value)
    return value.date()


def _load(table: _Table, raw: list[Any], today: date) -> tuple[DashboardRow, ...]:
    dims = _dimension_indices([r[6] for r in raw if r[6] is not None])
    previous = _previous_overall(raw)
    return tuple(_row(r, dims.get(r[6], {}) if r[6] is not None else {}, previous.get(r[0]), today)
                 for r in raw)


def dashboard(actor: Actor, query: DashboardQuery, lang: str, today: date) -> Dashboard:
    """The dashboard page: counts over every city, one page of the filtered, sorted table."""
    authz.require(actor, "view_dashboard")
    # The reads below run on the connection, as plain rows: what the session holds first
    # (the ORM's autoflush rule).
    db.session.flush()
    choices = questionnaires.edition_choices()
    row = _edition_choice(query.edition, choices)
    editions = tuple(c.version for c in choices)
    reviewers = assignments.reviewers()
    countries = tuple(db.session.connection().execute(_COUNTRIES).scalars().all())
    if row is None:
        return Dashboard(editions, None, "", (), query, {}, {}, (), 0, 0, countries, reviewers,
                         size_groups(), diversity_groups())
    edition = questionnaires.edition_for(row.id, row.version, row.checksum)  # parsed once per process
    query = replace(query, edition=row.version)
    _check_sort(query, edition.dimensions)
    table = _Table(row.id, query, today)
    total = table.count()
    pages = max(1, math.ceil(total / PER_PAGE))
    page = min(query.page, pages)
    query = replace(query, page=page)
    table.query = query
    ids = table.page_ids(PER_PAGE, (page - 1) * PER_PAGE)
    rows = _load(table, table.rows(ids=ids), today)
    status_counts, round_counts = _counts_of(row.id)
    return Dashboard(
        editions=editions, edition=row.version, edition_title=localize(edition.title, lang),
        dimensions=tuple((d.id, localize(d.title, lang)) for d in edition.dimensions),
        query=query, status_counts=status_counts, round_counts=round_counts,
        rows=rows, total=total, pages=pages, countries=countries, reviewers=reviewers,
        size_groups=size_groups(), diversity_groups=diversity_groups(),
    )


def _check_sort(query: DashboardQuery, dimensions: Sequence[Any]) -> None:
    if query.sort.startswith("dim:") and query.sort[4:] not in {d.id for d in dimensions}:
        raise Invalid("Unknown sort.", fields={"sort": "unknown value"})


#: (database, edition id) → (stamp, cities by status of their latest round, assessments by round and status).
_counts: dict[tuple[str, int],
              tuple[tuple[Any, ...], float, dict[str, int], dict[tuple[int, str], int]]] = {}
#: Kept counts are counted again after this long, whatever the stamp says: a status change
#: whose transaction commits after a later one (PostgreSQL) leaves the latest
#: `status_changed_at` where it was, and the counts would otherwise stay stale until the
#: edition's next status change.
COUNTS_KEPT_SECONDS = 60.0
_counts_lock = threading.Lock()


def _counts_stamp(edition_id: int) -> tuple[Any, ...]:
    """What the counts depend on, in one read of three index ends: the latest status change
    of the edition's assessments (every status change stamps `status_changed_at`), the
    newest assessment and the newest city (a new round or city is a new id; nothing deletes
    an assessment or a city, whose records the audit trail refers to). Counting the rows
    instead cost 2.7 ms a request at 10,000 cities."""
    row = db.session.connection().execute(_COUNTS_STAMP, {"edition_id": edition_id}).one()
    return tuple(row)


_COUNTS_STAMP = (select(func.max(Assessment.status_changed_at),
                        select(func.max(Assessment.id)).scalar_subquery(),
                        select(func.max(City.id)).scalar_subquery())
                 .where(Assessment.edition_id == bindparam("edition_id")))


def _counts_of(edition_id: int) -> tuple[dict[str, int], dict[tuple[int, str], int]]:
    """The status and round counts, kept per process under `_counts_stamp` (read on every
    use) for at most COUNTS_KEPT_SECONDS: grouping every assessment of the edition by its
    city's latest round cost ~15 ms a request at 10,000 cities, the stamp ~1 ms."""
    stamp = _counts_stamp(edition_id)
    key = (str(db.engine.url), edition_id)
    now = time.monotonic()
    with _counts_lock:
        kept = _counts.get(key)
    if kept is not None and kept[0] == stamp and now - kept[1] < COUNTS_KEPT_SECONDS:
        return kept[2], kept[3]
    status, rounds = _status_counts(edition_id), _round_counts(edition_id)
    with _counts_lock:
        _counts[key] = (stamp, now, status, rounds)
    return status, rounds


def _status_counts(edition_id: int) -> dict[str, int]:
    counts = {status: 0 for status in STATUS_FILTERS}
    for status, n in db.session.execute(
            select(Assessment.status, func.count())
            .where(Assessment.edition_id == edition_id, Assessment.is_latest)
            .group_by(Assessment.status)):
        counts[status] = n
    counts[NOT_STARTED] = int(db.session.scalar(select(func.count(City.id))) or 0) - sum(counts.values())
    return counts


def _round_counts(edition_id: int) -> dict[tuple[int, str], int]:
    return {(round_, status): n for round_, status, n in db.session.execute(
        select(Assessment.round, Assessment.status, func.count())
        .where(Assessment.edition_id == edition_id)
        .group_by(Assessment.round, Assessment.status))}


CSV_COLUMNS = ("city", "city_name", "country", "size_group", "diversity_group", "round", "status",
               "days_in_status", "reviewer", "review_due", "overdue", "resubmitted", "overall",
               "change")


def dashboard_csv(actor: Actor, query: DashboardQuery, today: date) -> tuple[str, str]:
    """(file name, CSV text) of every row of the filtered, sorted table (no paging)."""
    authz.require(actor, "view_dashboard")
    row = _edition_choice(query.edition, questionnaires.edition_choices())
    if row is None:
        raise NotFound("There is no questionnaire edition.")
    edition = questionnaires.edition_for(row.id, row.version, row.checksum)
    query = replace(query, edition=row.version)
    _check_sort(query, edition.dimensions)
    table = _Table(row.id, query, today)
    dim_ids = [d.id for d in edition.dimensions]
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([*CSV_COLUMNS, *dim_ids])
    raw = table.rows(None)
    for start in range(0, len(raw), 900):
        for r in _load(table, raw[start:start + 900], today):
            writer.writerow([neutralise(cell) for cell in (
                r.slug, r.name, r.country, r.size_group or "", r.diversity_group or "",
                r.round or "", r.status, "" if r.days_in_status is None else r.days_in_status,
                r.reviewer or "", r.review_due.isoformat() if r.review_due else "",
                int(r.is_overdue), int(r.is_resubmitted), _cell(r.overall), _cell(r.change),
                *(_cell(r.dimensions.get(d)) for d in dim_ids))])
    return f"dashboard-{row.version}.csv", out.getvalue()


def _cell(value: float | None) -> str:
    return "" if value is None else f"{value:.1f}"
