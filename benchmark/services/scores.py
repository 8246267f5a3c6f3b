"""Scores in the database: cached per assessment, network statistics per edition.

An assessment's cached indices change in the same transaction as the answer that
changes them (refresh_assessment); network statistics are recomputed when an
assessment is validated or reopened, or a city's record is edited (refresh_network,
one recomputation per edition at a time), from each city's latest validated round on
the edition. Their `computed_at` is the network's stamp (network_stamps), the version
that caches of anything derived from the network are keyed by.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from flask import current_app
from sqlalchemy import bindparam, delete, func, insert, select

from benchmark import workflow
from benchmark.extensions import db
from benchmark.infra import locks
from benchmark.models import (
    OVERALL,
    Answer,
    Assessment,
    AssessmentScore,
    City,
    NetworkStatistic,
    QuestionnaireEdition,
    utcnow,
)
from benchmark.questionnaire import Questionnaire
from benchmark.scoring import (
    AnswerInput,
    CityResult,
    Comparison,
    DimensionScore,
    Distribution,
    NetworkStatistics,
    score_assessment,
    statistics_of,
)
from benchmark.scoring import AssessmentScore as EngineScore
from benchmark.scoring.engine import (
    affected_dimensions,
    answers_needed,
    overall_index,
    score_dimensions,
)
from benchmark.scoring.network import NetworkIndex
from benchmark.scoring.peers import groups_from, peer_group_from
from benchmark.services import questionnaires
from benchmark.services._tx import transaction
from benchmark.services.progress import StoredAnswer

VALIDATED = workflow.VALIDATED


def answers_of(assessment_id: int, question_ids: Iterable[str] | None = None) -> dict[str, AnswerInput]:
    """The answers as scoring reads them: prefilled ones count once a person confirms them.

    Only those of `question_ids` when given. The stored rows themselves (unconfirmed
    ones too, with authors) are `answers.stored_answers`.
    """
    return answers_of_many([assessment_id], question_ids).get(assessment_id, {})


def answers_of_many(assessment_ids: Sequence[int], question_ids: Iterable[str] | None = None,
                    ) -> dict[int, dict[str, AnswerInput]]:
    """`answers_of` for several assessments (every one of them a key), 900 ids a query."""
    found: dict[int, dict[str, AnswerInput]] = {aid: {} for aid in assessment_ids}
    ids = list(found)
    for start in range(0, len(ids), 900):
        statement = (select(Answer.assessment_id, Answer.question_id, Answer.value, Answer.na)
                     .where(Answer.assessment_id.in_(ids[start:start + 900]),
                            Answer.confirmed.is_(True)))
        if question_ids is not None:
            statement = statement.where(Answer.question_id.in_(sorted(question_ids)))
        for aid, qid, value, na in db.session.execute(statement):
            found[aid][qid] = AnswerInput(value, na)
    return found


def inputs_of(stored: Mapping[str, StoredAnswer]) -> dict[str, AnswerInput]:
    """`answers_of` from stored answers already read (confirmed or not, `answers.answer_data`):
    the same rule, prefilled ones count once a person confirms them."""
    return {qid: AnswerInput(a.value, a.na) for qid, a in stored.items() if a.confirmed}


def score_of(assessment: Assessment) -> EngineScore:
    """Score the assessment now from its answers (provisional unless validated)."""
    edition = questionnaires.get_edition_by_id(assessment.edition_id)
    return score_assessment(edition, answers_of(assessment.id),
                            provisional=assessment.status != VALIDATED)


def peer_group_of(assessment: Assessment) -> str | None:
    """The peer group of the assessment's city in its round (the rule: `peers.peer_group_from`)."""
    return peer_group_from(assessment.profile, assessment.city.population,
                           assessment.city.foreign_born_share)


def groups_of(assessment: Assessment) -> tuple[str | None, str | None]:
    """(size group, diversity group) of the assessment's city in its round (`peers.groups_from`)."""
    return groups_from(assessment.profile, assessment.city.population,
                       assessment.city.foreign_born_share)


def _score_rows(assessment_id: int, score: EngineScore) -> list[dict[str, Any]]:
    rows = [dict(assessment_id=assessment_id, dimension_id=OVERALL, index=score.overall,
                 included=sum(d.included for d in score.dimensions),
                 answered=sum(d.answered for d in score.dimensions))]
    rows += [dict(assessment_id=assessment_id, dimension_id=d.id, index=d.index,
                  included=d.included, answered=d.answered) for d in score.dimensions]
    return rows


#: The upsert statement per dialect, built once per process: constructing it (and its
#: multi-row VALUES) cost more than running it.
_upserts: dict[str, Any] = {}


def _upsert_statement(dialect: str) -> Any:
    statement = _upserts.get(dialect)
    if statement is None:
        if dialect == "postgresql":
            from sqlalchemy.dialects.postgresql import insert as upsert
        else:
            from sqlalchemy.dialects.sqlite import insert as upsert
        # Core: no ORM bulk-insert machinery
        statement = _upserts[dialect] = _replacing(upsert(AssessmentScore.__table__))
    return statement


def _replacing(insert_rows: Any) -> Any:
    """An insert of cached index rows that replaces the stored row of the same assessment
    and dimension (ON CONFLICT DO UPDATE, SQLite and PostgreSQL alike)."""
    return insert_rows.on_conflict_do_update(
        index_elements=[AssessmentScore.assessment_id, AssessmentScore.dimension_id],
        set_={"index": insert_rows.excluded["index"], "included": insert_rows.excluded.included,
              "answered": insert_rows.excluded.answered})


def row_upsert(prefix: str) -> Any:
    """One cached index row's upsert on PostgreSQL, its columns bound as `<prefix><column>`:
    a part of a save's one statement of writes (answers.save). One statement per row, as a
    multi-row VALUES makes a statement SQLAlchemy cannot cache (compiled on every run)."""
    from sqlalchemy.dialects.postgresql import insert as upsert

    table = AssessmentScore.__table__
    return _replacing(upsert(table).values({c.name: bindparam(prefix + c.name) for c in table.c}))


def write_rows(rows: Sequence[Mapping[str, Any]]) -> None:
    """Write cached index rows in one statement (INSERT … ON CONFLICT DO UPDATE, the rows as
    its parameter sets)."""
    if not rows:
        return
    connection = db.session.connection()
    # Through the connection: no ORM object of this table is ever pending (rows are only
    # written with Core: here, by store_many and in row_upsert), so there is nothing to flush.
    connection.execute(_upsert_statement(connection.dialect.name), [dict(row) for row in rows])


def _store(assessment_id: int, score: EngineScore) -> None:
    # An edition's dimensions never change, so the rows are always the same set: one upsert.
    write_rows(_score_rows(assessment_id, score))


def refresh_assessment(assessment: Assessment) -> EngineScore:
    """Recompute and store an assessment's indices (inside the caller's transaction)."""
    score = score_of(assessment)
    _store(assessment.id, score)
    # The dashboard sorts by the round's own copy (models.Assessment.overall_index); it goes
    # out with the round's row, which the caller's change updates anyway.
    assessment.overall_index = score.overall
    return score


#: The cached rows of one assessment, built once per process (every autosave reads them):
#: dimension id, index, included, answered. A save reads them in its one read after the
#: assessment's lock (answers.save), and passes them to refresh_after_answers as `stored`.
STORED_ROWS = (select(AssessmentScore.dimension_id, AssessmentScore.index,
                      AssessmentScore.included, AssessmentScore.answered)
               .where(AssessmentScore.assessment_id == bindparam("assessment_id")))

#: Dimension id (or OVERALL) → its cached (index, included, answered), as STORED_ROWS reads them.
StoredIndices = Mapping[str, tuple[float | None, int, int]]


class Scored(Protocol):
    """What re-scoring reads of an assessment (an ORM row or a save's locked row)."""

    @property
    def id(self) -> int: ...
    @property
    def edition_id(self) -> int: ...
    @property
    def status(self) -> str: ...


#: The confirmed answers of one assessment to some questions (a save re-scores a dimension).
_ANSWERS_TO = (select(Answer.question_id, Answer.value, Answer.na)
               .where(Answer.assessment_id == bindparam("assessment_id"),
                      Answer.confirmed.is_(True),
                      Answer.question_id.in_(bindparam("question_ids", expanding=True))))


def _moved_dimensions(edition: Questionnaire, question_ids: Iterable[str]) -> set[str]:
    """The dimensions whose index these answers can move: their own, and those of the
    questions they show or hide."""
    dims: set[str] = set()
    for qid in question_ids:
        dims |= affected_dimensions(edition, qid)
    return dims


def rescore_reads(edition: Questionnaire, question_ids: Iterable[str]) -> frozenset[str]:
    """The questions whose answers `refresh_after_answers` reads after these answers changed
    (those the moved dimensions need): what a caller passing `answers` must have read."""
    return answers_needed(edition, _moved_dimensions(edition, question_ids))


def refresh_after_answers(assessment: Scored, question_ids: Iterable[str],
                          edition: Questionnaire | None = None,
                          answers: Mapping[str, AnswerInput] | None = None,
                          stored: StoredIndices | None = None) -> float | None:
    """Update the cached indices after these answers changed (inside the caller's transaction);
    the new overall index (0–100, unrounded), which the caller stores on the round
    (`Assessment.overall_index`) with the revision it bumps: one UPDATE of the round.

    Rewrites the rows of `rows_after_answers` in one statement; the other dimensions' cached
    rows are as the last full score left them. Same figures as `refresh_assessment`.
    """
    rows = rows_after_answers(assessment, question_ids, edition, answers, stored)
    write_rows(rows)
    return rows[0]["index"]


def rows_after_answers(assessment: Scored, question_ids: Iterable[str],
                       edition: Questionnaire | None = None,
                       answers: Mapping[str, AnswerInput] | None = None,
                       stored: StoredIndices | None = None) -> list[dict[str, Any]]:
    """The cached index rows these changed answers move, the overall row first (its index is
    the round's new overall index), for the caller to write (`refresh_after_answers`, or a
    save's one statement of writes: answers.save).

    Re-scores only the dimensions the answers can move (their own, and those of the
    questions they show or hide), reading only the answers those need; every dimension
    when a cached row is missing.

    `answers`, when the caller has read them: the confirmed answers to the questions of
    `rescore_reads` as they now are (its own writes included), read after the round's lock;
    they are not read again. A full re-score reads every answer in any case. `stored`, likewise:
    the assessment's cached rows (STORED_ROWS), read after the lock.
    """
    edition = edition or questionnaires.get_edition_by_id(assessment.edition_id)
    dims = _moved_dimensions(edition, question_ids)
    # Plain rows through the connection: the save writes no ORM objects, nothing to flush.
    connection = db.session.connection()
    if stored is None:
        stored = {dim: (index, included, answered) for dim, index, included, answered in
                  connection.execute(STORED_ROWS, {"assessment_id": assessment.id})}
    if len(dims) == len(edition.dimensions) or any(d.id not in stored for d in edition.dimensions):
        return _score_rows(assessment.id, score_answers(edition, answers_of(assessment.id),
                                                        assessment.status))
    if answers is None:
        needed = sorted(answers_needed(edition, dims))
        answers = {qid: AnswerInput(value, na) for qid, value, na in connection.execute(
            _ANSWERS_TO, {"assessment_id": assessment.id, "question_ids": needed})}
    fresh = {d.id: d for d in score_dimensions(edition, answers, dims)}
    merged = [fresh.get(d.id) or DimensionScore(
        id=d.id, index=stored[d.id][0], included=stored[d.id][1], answered=stored[d.id][2],
        completeness=0.0) for d in edition.dimensions]
    rows = [dict(assessment_id=assessment.id, dimension_id=OVERALL,
                 index=overall_index(edition, merged),
                 included=sum(d.included for d in merged), answered=sum(d.answered for d in merged))]
    rows += [dict(assessment_id=assessment.id, dimension_id=d.id, index=d.index,
                  included=d.included, answered=d.answered) for d in fresh.values()]
    return rows


def score_answers(edition: Questionnaire, answers: Mapping[str, AnswerInput],
                  status: str) -> EngineScore:
    """Score answers as score_of would, the status deciding provisional (bulk imports, a
    save's full re-score)."""
    return score_assessment(edition, answers, provisional=status != VALIDATED)


def store_many(scored: Iterable[tuple[int, EngineScore]], *, rounds_hold_overall: bool = False) -> int:
    """Bulk-insert the cached indices of assessments that have none yet; rows written.

    The bulk counterpart of refresh_assessment for imports (inside the caller's
    transaction): one executemany instead of a delete and an insert per assessment. Each
    round's `overall_index` is set too, unless the caller inserted the rounds with it
    (`rounds_hold_overall`: the demo seeder, which spares PostgreSQL a dead copy of each row).
    """
    scored = list(scored)
    rows = [row for assessment_id, score in scored for row in _score_rows(assessment_id, score)]
    if rows:
        db.session.execute(insert(AssessmentScore), rows)
    if rows and not rounds_hold_overall:
        table = Assessment.__table__  # Core executemany: no ORM objects at 10,000 cities
        db.session.execute(table.update().where(table.c.id == bindparam("key"))
                           .values(overall_index=bindparam("overall")),
                           [{"key": aid, "overall": score.overall} for aid, score in scored])
    return len(rows)


def latest_validated_ids(edition_id: int) -> list[int]:
    """Ids of each city's latest validated assessment on an edition, by id."""
    chosen = latest_validated(edition_id)
    return list(db.session.scalars(select(chosen.c.id).order_by(chosen.c.id)))


def latest_validated_of(edition_id: int, city_ids: Iterable[int]) -> dict[int, int]:
    """Assessment id → city id of the latest validated assessment of each of these cities
    on an edition (those in its network): one query reading only these cities' rounds."""
    chosen = latest_validated(edition_id, city_ids)
    return {aid: city_id for aid, city_id in db.session.execute(
        select(Assessment.id, Assessment.city_id).join(chosen, Assessment.id == chosen.c.id))}


def latest_validated(edition_id: int, city_ids: Iterable[int] | None = None) -> Any:
    """Ids of each city's latest validated assessment on an edition, as a subquery (id);
    only those of `city_ids` when given.

    The one definition of "the network" of an edition and of a city's latest validated
    round: statistics, comparisons, compared cities and report renders all read it
    (docs/architecture.md, Contracts: scoring).
    """
    where = [Assessment.edition_id == edition_id, Assessment.status == VALIDATED]
    if city_ids is not None:
        where.append(Assessment.city_id.in_(sorted(set(city_ids))))
    latest = (
        select(Assessment.city_id, func.max(Assessment.round).label("round"))
        .where(*where)
        .group_by(Assessment.city_id)
        .subquery()
    )
    return (
        select(Assessment.id)
        .join(latest, (Assessment.city_id == latest.c.city_id) & (Assessment.round == latest.c.round))
        .where(*where)
        .subquery()
    )


def _rows(statement: Any) -> Any:
    """Rows of a column-only query through the Core connection: no ORM row processing,
    which costs more than the query itself at 10,000 cities. Flushes first, as the
    session's own execute would (autoflush)."""
    db.session.flush()
    return db.session.connection().execute(statement)


def _network_indices(chosen: Any) -> dict[int, dict[str, float | None]]:
    """Cached indices (OVERALL included) of the assessments in `chosen`, by assessment id."""
    indices: dict[int, dict[str, float | None]] = {}
    for aid, dim, index in _rows(
        select(AssessmentScore.assessment_id, AssessmentScore.dimension_id, AssessmentScore.index)
        .join(chosen, AssessmentScore.assessment_id == chosen.c.id)
        .order_by(AssessmentScore.assessment_id, AssessmentScore.dimension_id)
    ):
        indices.setdefault(aid, {})[dim] = index
    return indices


def _network_values(edition_id: int) -> dict[str, list[float | None]]:
    """The cached indices of the edition's network by dimension (OVERALL included), in the
    order the rows come: what the statistics need, one query, no per-city objects.

    At 10,000 cities these are ~93,000 rows. Iterating a SQLAlchemy result fetches them
    one by one (the driver's fetchone) and wraps each in a Row; the driver's own
    `fetchall` returns plain tuples in one call (fewer than half the CPU of the whole
    recompute; docs/performance.md, 4). The two columns, a string and a float, need no
    result processing on either engine, and a plain execute buffers nothing ahead.
    """
    chosen = latest_validated(edition_id)
    result = _rows(select(AssessmentScore.dimension_id, AssessmentScore.index)
                   .join(chosen, AssessmentScore.assessment_id == chosen.c.id))
    try:
        rows = result.cursor.fetchall()
    finally:
        result.close()
    by_dimension: dict[str, list[float | None]] = {}
    for dim, index in rows:
        values = by_dimension.get(dim)
        if values is None:
            values = by_dimension[dim] = []
        values.append(index)
    return by_dimension


def network_results(edition_id: int) -> list[CityResult]:
    """Each city's latest validated indices on an edition, from the score cache (by assessment id).

    Two queries whatever the network size: at 10,000 cities this reads ~130,000
    cached indices instead of the answers (see docs/performance.md).
    """
    chosen = latest_validated(edition_id)
    indices = _network_indices(chosen)
    results = []
    for aid, profile, slug, name, named, population, share in _rows(
        select(Assessment.id, Assessment.profile, City.slug, City.name, City.consent_named,
               City.population, City.foreign_born_share)
        .join(chosen, Assessment.id == chosen.c.id)
        .join(City, City.id == Assessment.city_id)
        .order_by(Assessment.id)
    ):
        values = indices.get(aid, {})
        overall = values.pop(OVERALL, None)
        size, diversity = groups_from(profile, population, share)
        results.append(CityResult(
            city=slug, peer_group=f"{size}.{diversity}" if size and diversity else None,
            overall=overall, dimensions=values, named=named, city_name=name,
            size_group=size, diversity_group=diversity,
        ))
    return results


def refresh_network(edition_id: int) -> NetworkStatistics:
    """Recompute and store an edition's network statistics (inside the caller's transaction).

    A read of the validated cities followed by a rewrite of the edition's rows: two of them
    interleaved (two validations a few milliseconds apart, on two workers or machines)
    would store a network one city short, or collide on the rows' primary key. A lock per
    edition that every process sees serialises them; the second one, waiting, then reads
    what the first committed. Statistics need only the cached indices by dimension (one
    query, no city or profile columns, `_network_values`), summarised by the engine's
    `statistics_of`.
    """
    locks.for_transaction("network_statistics", edition_id)
    values = _network_values(edition_id)
    overall = values.pop(OVERALL, [])
    stats = statistics_of(overall, {d: values[d] for d in sorted(values)})
    db.session.execute(delete(NetworkStatistic).where(NetworkStatistic.edition_id == edition_id))
    now = utcnow()
    rows = [(OVERALL, stats.overall), *stats.dimensions.items()]
    db.session.add_all(
        NetworkStatistic(edition_id=edition_id, dimension_id=dim, n=d.n, mean=d.mean, min=d.min,
                         max=d.max, q1=d.q1, median=d.median, q3=d.q3, std=d.std, computed_at=now)
        for dim, d in rows
    )
    return stats


@dataclass(frozen=True)
class NetworkStamp:
    """The state of an edition's network: it moves whenever the statistics are recomputed
    (a validation, a reopening, an edit of a city's record, `scores recompute`).

    Anything derived from the network (a report, a comparison) may be cached under it:
    an unchanged stamp means unchanged network inputs.
    """

    computed_at: datetime
    n: int

    def __str__(self) -> str:
        return f"{self.computed_at.isoformat()}/{self.n}"


#: What a network stamp is made of: the latest recompute of the edition's statistics and
#: the sum of their n (one definition for `network_stamps` and `stamp_columns`).
_STAMP_PARTS = (func.max(NetworkStatistic.computed_at), func.sum(NetworkStatistic.n))


def stamp_of(computed_at: datetime | None, n: int | None) -> NetworkStamp | None:
    """The stamp of an edition from its two parts; None when it has no statistics."""
    return None if computed_at is None else NetworkStamp(computed_at, int(n or 0))


def network_stamps(edition_ids: Iterable[int]) -> dict[int, NetworkStamp]:
    """The network stamp of each of these editions that has statistics (one query)."""
    ids = sorted(set(edition_ids))
    if not ids:
        return {}
    return {edition_id: stamp for edition_id, computed_at, n in db.session.execute(
                select(NetworkStatistic.edition_id, *_STAMP_PARTS)
                .where(NetworkStatistic.edition_id.in_(ids)).group_by(NetworkStatistic.edition_id))
            if (stamp := stamp_of(computed_at, n)) is not None}


def stamp_columns(edition_id: Any) -> tuple[Any, Any]:
    """The network stamp of the edition `edition_id` (a column of the caller's statement) as two
    correlated scalar subqueries, (computed_at, n) for `stamp_of`: a row that names its
    edition reads its stamp with it."""
    return tuple(select(part).where(NetworkStatistic.edition_id == edition_id)  # type: ignore[return-value]
                 .scalar_subquery() for part in _STAMP_PARTS)


def refresh_city_networks(city_id: int) -> list[int]:
    """Recompute the statistics of every edition where the city has a validated round.

    A city's record (name, consent, profile) is shown in other cities' reports (peers to
    learn from) and places it in peer groups: editing it must move those networks' stamp.
    Inside the caller's transaction; returns the edition ids.
    """
    editions = sorted(db.session.scalars(
        select(Assessment.edition_id).distinct()
        .where(Assessment.city_id == city_id, Assessment.status == VALIDATED)))
    for edition_id in editions:
        refresh_network(edition_id)
    return editions


def rebuild_assessment(assessment_id: int) -> EngineScore:
    """Recompute one assessment's cached scores in a transaction of its own."""
    with transaction():
        assessment = db.session.get(Assessment, assessment_id)
        if assessment is None:
            raise LookupError(assessment_id)
        return refresh_assessment(assessment)


def rebuild_network(edition_id: int) -> NetworkStatistics:
    with transaction():
        return refresh_network(edition_id)


def stored_network(edition_id: int) -> dict[str, NetworkStatistic]:
    """The stored statistics of an edition by dimension id (OVERALL for the overall index)."""
    return {s.dimension_id: s for s in db.session.scalars(
        select(NetworkStatistic).where(NetworkStatistic.edition_id == edition_id))}


def stored_indices(assessment_id: int) -> dict[str, float | None]:
    return dict(db.session.execute(
        select(AssessmentScore.dimension_id, AssessmentScore.index)
        .where(AssessmentScore.assessment_id == assessment_id)
    ).all())


def stored_score(assessment: Assessment, edition: Questionnaire | None = None) -> EngineScore:
    """The assessment's score from its cached indices (one query), without re-scoring.

    The cache is written in the transaction of every change of an answer, status or
    edition (refresh_assessment), so it equals `score_of`; per-question scores are left
    out (`questions` is empty): a caller that needs them scores with `score_of`. An
    assessment without cached rows is scored now.
    """
    edition = edition or edition_of(assessment)
    rows = {dim: (index, included, answered) for dim, index, included, answered in
            db.session.execute(
                select(AssessmentScore.dimension_id, AssessmentScore.index,
                       AssessmentScore.included, AssessmentScore.answered)
                .where(AssessmentScore.assessment_id == assessment.id))}
    if OVERALL not in rows or any(d.id not in rows for d in edition.dimensions):
        return score_of(assessment)
    dimensions = tuple(
        DimensionScore(id=d.id, index=rows[d.id][0], included=rows[d.id][1],
                       answered=rows[d.id][2],
                       completeness=rows[d.id][2] / rows[d.id][1] if rows[d.id][1] else 1.0)
        for d in edition.dimensions)
    overall, included, answered = rows[OVERALL]
    return EngineScore(questionnaire=edition.version, provisional=assessment.status != VALIDATED,
                       overall=overall, completeness=answered / included if included else 1.0,
                       dimensions=dimensions, questions=())


# The prepared network of each edition, per process, under the stamp it was built at.
_indexes: dict[int, tuple[NetworkStamp, NetworkIndex]] = {}
_indexes_lock = threading.Lock()


def network_index(edition_id: int) -> NetworkIndex:
    """The edition's network prepared for comparisons (`NetworkIndex`), cached per stamp.

    Checked against `network_stamps` (one indexed query) on every use, so a cached index
    is never used once the network moved: every input of a comparison (validated
    indices, the cities' names, consent and profiles) moves the stamp
    (refresh_network). Per process on purpose (docs/performance.md, Caches): a miss costs
    two queries and a sort, once per process per network change.
    """
    stamp = network_stamps([edition_id]).get(edition_id)
    with _indexes_lock:
        cached = _indexes.get(edition_id)
    if stamp is not None and cached is not None and cached[0] == stamp:
        return cached[1]
    index = NetworkIndex(network_results(edition_id))
    if stamp is not None:
        with _indexes_lock:
            _indexes[edition_id] = (stamp, index)
    return index


def k_anonymity() -> int:
    return int(current_app.config["K_ANONYMITY"])


def comparison(assessment: Assessment, score: EngineScore | None = None,
               network: NetworkIndex | None = None) -> Comparison:
    """The assessment beside the network and its peer group (docs/architecture.md, Contracts: scoring).

    `network` is the edition's network_index() when the caller has already read it.
    """
    score = score or stored_score(assessment)
    size, diversity = groups_of(assessment)
    own = CityResult(assessment.city.slug, peer_group_of(assessment), score.overall, score.indices,
                     assessment.city.consent_named, assessment.city.name,
                     size_group=size, diversity_group=diversity)
    if network is None:
        network = network_index(assessment.edition_id)
    return network.compare(own, k_anonymity())


@dataclass(frozen=True)
class Difference:
    assessment_id: int
    dimension_id: str
    stored: float | None
    computed: float | None


def recompute_all() -> tuple[int, list[Difference]]:
    """Rebuild every cached score and network statistic; (assessments, differences found)."""
    differences: list[Difference] = []
    ids = list(db.session.scalars(select(Assessment.id).order_by(Assessment.id)))
    with transaction():
        for aid in ids:
            assessment = db.session.get(Assessment, aid)
            assert assessment is not None
            before = stored_indices(aid)
            after = refresh_assessment(assessment)
            computed = {OVERALL: after.overall, **after.indices}
            for dim in sorted(set(before) | set(computed)):
                if not _same(before.get(dim), computed.get(dim)):
                    differences.append(Difference(aid, dim, before.get(dim), computed.get(dim)))
        db.session.flush()
        # In id order, as every holder of several editions' locks takes them: no deadlock.
        for edition_id in db.session.scalars(
                select(QuestionnaireEdition.id).order_by(QuestionnaireEdition.id)):
            refresh_network(edition_id)
    return len(ids), differences


def distribution_of(row: NetworkStatistic | None) -> Distribution:
    if row is None:
        return Distribution(n=0)
    return Distribution(n=row.n, mean=row.mean, min=row.min, max=row.max, q1=row.q1,
                        median=row.median, q3=row.q3, std=row.std)


def stored_statistics(edition_id: int, dimension_ids: Iterable[str]) -> NetworkStatistics:
    """The stored statistics of an edition, one Distribution per dimension in the order given."""
    stored = stored_network(edition_id)
    return NetworkStatistics(
        overall=distribution_of(stored.get(OVERALL)),
        dimensions={d: distribution_of(stored.get(d)) for d in dimension_ids},
    )


def edition_of(assessment: Assessment) -> Questionnaire:
    return questionnaires.get_edition_by_id(assessment.edition_id)


def _same(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is b
    return math.isclose(a, b, rel_tol=0, abs_tol=1e-9)
