"""The staff page of one city: its record, every round with its status history, indices over
the rounds (a chart and its table) and links to the review, results and reports.

The history is read from the audit log (the workflow steps, the start of the round and the
review assignments), oldest first; the words for each action are the web layer's.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from benchmark import authz, workflow
from benchmark.authz import Actor
from benchmark.errors import NotFound
from benchmark.extensions import db
from benchmark.models import (
    OVERALL,
    Assessment,
    AssessmentScore,
    AuditEvent,
    City,
    Commitment,
    Practice,
    User,
)
from benchmark.questionnaire import localize
from benchmark.reporting import charts
from benchmark.scoring.peers import groups_from
from benchmark.services import questionnaires

#: Audit actions that make a round's history (the workflow's steps from workflow.py).
HISTORY_ACTIONS = ("assessment_created", "review_assigned",
                   *(t.audit for t in workflow.TRANSITIONS))


@dataclass(frozen=True)
class HistoryEntry:
    at: datetime
    action: str
    who: str
    details: Mapping[str, object]


@dataclass(frozen=True)
class RoundView:
    assessment_id: int
    version: str
    edition_title: str
    round: int
    status: str
    reviewer: str | None
    review_due: date | None
    overall: float | None
    #: (dimension id, title, index) in the edition's order.
    dimensions: tuple[tuple[str, str, float | None], ...]
    history: tuple[HistoryEntry, ...]


@dataclass(frozen=True)
class StaffCityPage:
    city: City
    size_group: str | None
    diversity_group: str | None
    rounds: tuple[RoundView, ...]  # oldest first
    #: Dimension (id, title) of every round's edition, first seen first (the table's columns).
    dimension_columns: tuple[tuple[str, str], ...]
    chart_svg: str | None
    #: How many practices (any status) and commitments the city has (links when present).
    practices: int = 0
    commitments: int = 0


def staff_city_page(actor: Actor, slug: str, lang: str) -> StaffCityPage:
    """Everything staff see about one city (staff only; an unknown slug is NotFound)."""
    authz.require(actor, "view_dashboard")
    city = db.session.scalar(select(City).where(City.slug == slug))
    if city is None:
        raise NotFound("There is no such city.")
    assessments = list(db.session.scalars(
        select(Assessment).where(Assessment.city_id == city.id)
        .options(joinedload(Assessment.reviewer))
        .order_by(Assessment.round, Assessment.id)))
    ids = [a.id for a in assessments]
    indices: dict[int, dict[str, float | None]] = {}
    history: dict[int, list[HistoryEntry]] = {}
    if ids:
        for aid, dim, index in db.session.execute(
                select(AssessmentScore.assessment_id, AssessmentScore.dimension_id,
                       AssessmentScore.index).where(AssessmentScore.assessment_id.in_(ids))):
            indices.setdefault(aid, {})[dim] = index
        for event, name in db.session.execute(
                select(AuditEvent, User.name).outerjoin(User, User.id == AuditEvent.user_id)
                .where(AuditEvent.target_type == "Assessment",
                       AuditEvent.target_id.in_([str(i) for i in ids]),
                       AuditEvent.action.in_(HISTORY_ACTIONS))
                .order_by(AuditEvent.at, AuditEvent.id)):
            history.setdefault(int(event.target_id), []).append(HistoryEntry(
                event.at, event.action, name or event.actor or "", event.details or {}))
    rounds = []
    columns: dict[str, str] = {}
    for a in assessments:
        edition = questionnaires.get_edition_by_id(a.edition_id)
        values = indices.get(a.id, {})
        dims = tuple((d.id, localize(d.title, lang), values.get(d.id)) for d in edition.dimensions)
        for dim_id, title, _index in dims:
            columns.setdefault(dim_id, title)
        rounds.append(RoundView(
            assessment_id=a.id, version=edition.version, edition_title=localize(edition.title, lang),
            round=a.round, status=a.status,
            reviewer=(a.reviewer.name or a.reviewer.email) if a.reviewer else None,
            review_due=a.review_due, overall=values.get(OVERALL), dimensions=dims,
            history=tuple(history.get(a.id, ())),
        ))
    size, diversity = groups_from(None, city.population, city.foreign_born_share)
    practices = db.session.scalar(select(func.count(Practice.id)).where(Practice.city_id == city.id))
    commitments = db.session.scalar(select(func.count(Commitment.id))
                                    .where(Commitment.city_id == city.id))
    return StaffCityPage(city, size, diversity, tuple(rounds), tuple(columns.items()),
                         _chart(rounds, lang, city.name), int(practices or 0),
                         int(commitments or 0))


def _chart(rounds: list[RoundView], lang: str, name: str) -> str | None:
    scored = [r for r in rounds if r.overall is not None]
    if not scored:
        return None
    labels = [f"{r.round} ({r.version})" for r in scored]
    series = charts.Series(f"{name} \u2013 {_('Overall index')}", tuple(r.overall for r in scored),
                           charts.CITY_STYLE)
    return charts.trend_chart(labels, [series], lang=lang)
