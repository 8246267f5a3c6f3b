"""Practices linked to the benchmark: under each improvement priority, and the practices of
the "cities to learn from" of each dimension (results page and PDF, via city_report).

Only published practices of other cities are offered. The order under a priority is
`scoring.priorities.rank_practices` (cities with full points on the question first, then
the same size or diversity group, then the newest).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from benchmark import practice_workflow
from benchmark.extensions import db
from benchmark.models import Assessment, City, Practice, PracticeDimension, PracticeQuestion
from benchmark.questionnaire import Questionnaire
from benchmark.reporting import model as rm
from benchmark.scoring import AnswerInput
from benchmark.scoring.peers import DEFAULT_PEER_GROUP_RULES
from benchmark.scoring.priorities import PracticeCandidate, full_achievers, rank_practices
from benchmark.services import scores

PER_PRIORITY = 3
_PUBLISHED = sorted(practice_workflow.PUBLIC)


def stamp_columns() -> tuple[Any, Any, Any]:
    """The practices' stamp as three scalar subqueries (count, published, newest change), for
    a statement that reads it beside other things (a report's key)."""
    listed = Practice.status.in_([*_PUBLISHED, practice_workflow.WITHDRAWN])
    return (select(func.count()).select_from(Practice).where(listed).scalar_subquery(),
            select(func.count()).select_from(Practice)
            .where(listed, Practice.status.in_(_PUBLISHED)).scalar_subquery(),
            select(func.max(Practice.updated_at)).where(listed).scalar_subquery())


def stamp_of(count: int, published: int, newest: object) -> list[object]:
    return [count, published, str(newest)]


def stamp() -> list[object]:
    """Moves whenever a practice is published, changed or withdrawn (report cache keys)."""
    return stamp_of(*db.session.execute(select(*stamp_columns())).one())


def _ref(practice: Practice, lang: str) -> rm.PracticeRef:
    texts = {t.language: t for t in practice.texts}
    chosen = texts.get(lang) or texts.get(practice.language) or next(iter(texts.values()))
    return rm.PracticeRef(id=practice.id, title=chosen.title, summary=chosen.summary,
                          city_name=practice.city.name, language=chosen.language,
                          in_reader_language=chosen.language == lang)


def for_priorities(assessment: Assessment, edition: Questionnaire, question_ids: Iterable[str],
                   lang: str) -> dict[str, tuple[rm.PracticeRef, ...]]:
    """Question id → up to three published practices of other cities answering it."""
    wanted = list(dict.fromkeys(question_ids))
    if not wanted:
        return {}
    pairs = db.session.execute(
        select(PracticeQuestion.question_id, Practice.id, Practice.city_id, Practice.published_at)
        .join(Practice, Practice.id == PracticeQuestion.practice_id)
        .where(PracticeQuestion.question_id.in_(wanted), Practice.status.in_(_PUBLISHED),
               Practice.city_id != assessment.city_id)).all()
    if not pairs:
        return {}
    city_ids = {city_id for _, _, city_id, _ in pairs}
    achievers = _achievers(edition, assessment.edition_id, city_ids)
    own_size, own_diversity = scores.groups_of(assessment)
    groups = {cid: (DEFAULT_PEER_GROUP_RULES.size_group_of(pop),
                    DEFAULT_PEER_GROUP_RULES.diversity_group_of(share))
              for cid, pop, share in db.session.execute(
                  select(City.id, City.population, City.foreign_born_share)
                  .where(City.id.in_(sorted(city_ids))))}
    chosen: dict[str, list[int]] = {}
    for qid in wanted:
        candidates = [
            PracticeCandidate(
                practice_id=pid, city_achieves=city_id in achievers.get(qid, set()),
                same_group=(own_size is not None and groups[city_id][0] == own_size)
                or (own_diversity is not None and groups[city_id][1] == own_diversity),
                published=published.timestamp() if published else 0.0)
            for q, pid, city_id, published in pairs if q == qid]
        if candidates:
            chosen[qid] = rank_practices(candidates, PER_PRIORITY)
    ids = sorted({pid for found in chosen.values() for pid in found})
    practices = {p.id: p for p in db.session.scalars(
        select(Practice).where(Practice.id.in_(ids))
        .options(selectinload(Practice.texts), selectinload(Practice.city)))}
    return {qid: tuple(_ref(practices[pid], lang) for pid in found)
            for qid, found in chosen.items()}


def _achievers(edition: Questionnaire, edition_id: int,
               city_ids: set[int]) -> dict[str, set[object]]:
    """Question id → city ids reaching full points in their latest validated assessment."""
    # Only these cities' rounds are read (not the ids of the whole network).
    city_of = scores.latest_validated_of(edition_id, city_ids)
    answers: dict[object, dict[str, AnswerInput]] = {
        city_of[aid]: found for aid, found in scores.answers_of_many(sorted(city_of)).items()}
    return full_achievers(edition, answers)


def peers_with_practices(pairs: Iterable[tuple[str, str]]) -> dict[tuple[str, str], int]:
    """(city slug, dimension id) → number of published practices, for the pairs asked."""
    wanted = set(pairs)
    if not wanted:
        return {}
    slugs = sorted({slug for slug, _ in wanted})
    dimensions = sorted({dim for _, dim in wanted})
    rows = db.session.execute(
        select(City.slug, PracticeDimension.dimension_id, func.count())
        .join(Practice, Practice.city_id == City.id)
        .join(PracticeDimension, PracticeDimension.practice_id == Practice.id)
        .where(City.slug.in_(slugs), PracticeDimension.dimension_id.in_(dimensions),
               Practice.status.in_(_PUBLISHED))
        .group_by(City.slug, PracticeDimension.dimension_id)).all()
    return {(slug, dim): n for slug, dim, n in rows if (slug, dim) in wanted}
