"""Read models of the city team's pages and of the assessment API resource.

One call per page, as GOV.UK Notify's `get_template.py` does: each function checks who
may see what, reads everything the page shows in a fixed number of queries, and returns
a frozen, typed object that also says what the reader may do (`may_submit`, `editable`,
`read_only_reason`). Views and templates never ask `authz` themselves.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import joinedload

from benchmark import authz, workflow
from benchmark.authz import Actor
from benchmark.errors import Forbidden, NotFound
from benchmark.extensions import db
from benchmark.models import Assessment, AuditEvent, City, QuestionnaireEdition, User
from benchmark.questionnaire import Dimension, ProfileField, Questionnaire, get_type
from benchmark.services import progress, questionnaires
from benchmark.services.answers import AnswerData, answer_data, answer_states
from benchmark.services.assessments import visible_dimensions
from benchmark.services.commitment_followup import FollowUp, follow_ups
from benchmark.services.progress import DimensionProgress
from benchmark.services.reviews import CommentData, comments_of, may_have_comments
from benchmark.services.transitions import may_take, read_only_reason, steps_for


@dataclass(frozen=True)
class Header:
    """What identifies an assessment on every page: city, round, edition, status, dates."""

    id: int
    city_slug: str
    city_name: str
    round: int
    questionnaire: str
    #: The edition's title per language.
    title: Mapping[str, str]
    status: str
    revision: int
    created_at: dt.datetime
    updated_at: dt.datetime
    submitted_at: dt.datetime | None
    validated_at: dt.datetime | None


def header_of(assessment: Assessment, edition: Questionnaire) -> Header:
    return Header(
        id=assessment.id, city_slug=assessment.city.slug, city_name=assessment.city.name,
        round=assessment.round, questionnaire=edition.version, title=edition.title,
        status=assessment.status, revision=assessment.revision,
        created_at=assessment.created_at, updated_at=assessment.updated_at,
        submitted_at=assessment.submitted_at, validated_at=assessment.validated_at)


@dataclass(frozen=True)
class AssessmentView:
    """An assessment as one reader sees it: the API resource, and the base of each page."""

    header: Header
    edition: Questionnaire
    #: The round's city profile (population, foreign-born share, ...).
    profile: Mapping[str, object]
    #: Dimension ids the reader sees (a contributor: their own), in questionnaire order.
    dimensions: tuple[str, ...]
    #: Question id → stored answer, for the questions of `dimensions` only.
    answers: Mapping[str, AnswerData]
    #: Questions that skip logic hides now (over every answer, seen or not).
    hidden: frozenset[str]
    progress: tuple[DimensionProgress, ...]
    comments: tuple[CommentData, ...]
    #: The reader may submit the assessment now.
    may_submit: bool
    #: The reader may change answers now (in at least one of their dimensions).
    editable: bool
    #: Why the reader's city team cannot change the assessment now (None: they can, or the
    #: reader is not on the team).
    read_only_reason: str | None
    may_review: bool
    #: The reader manages their city's team (who answers which dimensions).
    may_manage_team: bool
    #: Workflow steps the reader may take now (submit, return, validate, reopen).
    steps: tuple[str, ...]
    #: Commitments of earlier rounds followed up in this one (their outcome is recorded here).
    follow_ups: tuple[FollowUp, ...] = ()


def load(actor: Actor, assessment_id: int,
         action: str = "view_assessment") -> tuple[AssessmentView, Assessment]:
    """The reader's view of an assessment and its row; NotFound for another city's.

    Four queries: the assessment with its city and its edition's stamp, its answers with
    their authors, its comments with theirs (none for a draft, which has none:
    reviews.may_have_comments), the commitments it follows up.
    """
    view, assessment, _rows = _load(actor, assessment_id, action)
    return view, assessment


#: Built once per process: every page of an assessment starts with it. The city comes
#: along as an object (authz and the header read it); of the edition only its version and
#: checksum, which find the parsed questionnaire (`questionnaires.edition_for`, parsed once
#: per process): nothing on these paths reads an edition row, and loading one as an ORM
#: object was a fair part of the statement's app CPU.
_ASSESSMENT = (select(Assessment, QuestionnaireEdition.version, QuestionnaireEdition.checksum)
               .join(QuestionnaireEdition, QuestionnaireEdition.id == Assessment.edition_id)
               .where(Assessment.id == bindparam("assessment_id"))
               .options(joinedload(Assessment.city)))


def _assessment(assessment_id: int) -> tuple[Assessment, Questionnaire]:
    """The assessment with its city, and its edition; NotFound when there is none."""
    row = db.session.execute(_ASSESSMENT, {"assessment_id": assessment_id}).first()
    if row is None:
        raise NotFound(_("There is no such assessment."))
    assessment, version, checksum = row
    return assessment, questionnaires.edition_for(assessment.edition_id, version, checksum)


def _load(actor: Actor, assessment_id: int,
          action: str) -> tuple[AssessmentView, Assessment, Mapping[str, AnswerData]]:
    assessment, edition = _assessment(assessment_id)
    authz.require(actor, action, assessment)
    dims = tuple(visible_dimensions(actor, edition))
    rows = answer_data(assessment.id)
    hidden = progress.hidden_questions(edition, rows)
    shown = {qid: a for qid, a in rows.items()
             if (q := edition.find_question(qid)) is not None and q.dimension_id in dims}
    team = authz.can(actor, "work_on_assessment", assessment)
    view = AssessmentView(
        header=header_of(assessment, edition), edition=edition,
        profile=dict(assessment.profile or {}), dimensions=dims, answers=shown, hidden=hidden,
        progress=progress.progress(edition, rows, dims, hidden=hidden),
        comments=comments_of(assessment.id) if may_have_comments(assessment) else (),
        may_submit=may_take(actor, "submit", assessment),
        editable=authz.can(actor, "edit_answer", assessment),
        read_only_reason=read_only_reason(assessment.status) if team else None,
        may_review=authz.can(actor, "review", assessment),
        may_manage_team=authz.can(actor, "view_team", assessment),
        steps=steps_for(actor, assessment),
        follow_ups=follow_ups(actor, assessment, edition),
    )
    return view, assessment, rows


def view(actor: Actor, assessment_id: int) -> AssessmentView:
    """The assessment as the reader sees it (GET /api/v1/assessments/{id}, the overview page)."""
    return load(actor, assessment_id)[0]


# -- the questionnaire, one dimension a page ----------------------------------------------------


@dataclass(frozen=True)
class DimensionPage:
    assessment: AssessmentView
    dimension: Dimension
    #: The reader may change this dimension's answers now.
    editable: bool
    previous_dimension: str | None
    next_dimension: str | None
    #: What each question that a skip rule reads selects now (option ids), whichever
    #: dimension it is in: the page re-applies skip logic as the person types.
    skip_sources: Mapping[str, tuple[str, ...]]


def dimension_page(actor: Actor, assessment_id: int, dimension_id: str) -> DimensionPage:
    """One dimension's questions and answers; Forbidden for a dimension that is not the reader's."""
    view, assessment, rows = _load(actor, assessment_id, "view_assessment")
    if dimension_id not in view.dimensions:
        # A contributor's list shows only their dimensions; this one exists but is not theirs.
        if any(d.id == dimension_id for d in view.edition.dimensions):
            raise Forbidden(_("This part of the questionnaire is assigned to colleagues."))
        raise NotFound(_("There is no such part of the questionnaire."))
    position = view.dimensions.index(dimension_id)
    return DimensionPage(
        assessment=view, dimension=view.edition.dimension(dimension_id),
        editable=authz.can(actor, "edit_answer", assessment, dimension_id=dimension_id),
        previous_dimension=view.dimensions[position - 1] if position else None,
        next_dimension=(view.dimensions[position + 1]
                        if position + 1 < len(view.dimensions) else None),
        skip_sources=_skip_sources(view.edition, rows),
    )


def _skip_sources(edition: Questionnaire,
                  rows: Mapping[str, AnswerData]) -> dict[str, tuple[str, ...]]:
    sources = {q.show_if.question for q in edition.questions if q.show_if}
    selected = {}
    for qid in sorted(sources):
        answer, q = rows.get(qid), edition.find_question(qid)
        if q is not None and answer is not None and answer.value is not None and not answer.na:
            selected[qid] = tuple(get_type(q.type).selected(answer.value))
    return selected


# -- the round's city profile -------------------------------------------------------------------


@dataclass(frozen=True)
class ProfilePage:
    header: Header
    edition: Questionnaire
    fields: tuple[ProfileField, ...]
    values: Mapping[str, object]
    #: The reader may change the profile now (the focal point, while the status allows).
    editable: bool
    read_only_reason: str | None


def profile_page(actor: Actor, assessment_id: int) -> ProfilePage:
    """The round's city profile form."""
    assessment, edition = _assessment(assessment_id)
    authz.require(actor, "view_assessment", assessment)
    team = authz.can(actor, "work_on_assessment", assessment)
    return ProfilePage(
        header=header_of(assessment, edition), edition=edition, fields=tuple(edition.profile),
        values=dict(assessment.profile or {}),
        editable=authz.can(actor, "edit_profile", assessment),
        read_only_reason=read_only_reason(assessment.status) if team else None)


# -- the city team's home -----------------------------------------------------------------------


@dataclass(frozen=True)
class LastChange:
    at: dt.datetime
    by: str


@dataclass(frozen=True)
class HomeRow:
    header: Header
    progress: tuple[DimensionProgress, ...]
    last_change: LastChange | None


@dataclass(frozen=True)
class CityHome:
    city_name: str
    assessments: tuple[HomeRow, ...]
    editions: tuple[questionnaires.EditionSummary, ...]
    latest_version: str | None
    #: The first round from this year on that the city has not used on the latest edition.
    suggested_round: int
    #: Whether this year's round on the latest edition already exists.
    suggested_exists: bool
    #: The reader may start an assessment (their city's focal point, once an edition exists).
    may_start: bool


def city_home(actor: Actor, today: dt.date | None = None) -> CityHome:
    """A focal point's or contributor's overview of their city's assessments."""
    city = db.session.get(City, actor.city_id) if actor.city_id else None
    if city is None:
        raise NotFound(_("You do not belong to a city."))
    authz.require(actor, "view_city", city)
    rows = list(db.session.scalars(
        select(Assessment).where(Assessment.city_id == city.id)
        .options(joinedload(Assessment.city), joinedload(Assessment.edition))
        .order_by(Assessment.round.desc(), Assessment.id.desc())))
    answers = answer_states([a.id for a in rows])
    changes = last_changes([a.id for a in rows])
    items = []
    for a in rows:
        edition = questionnaires.get_edition_by_id(a.edition_id)
        items.append(HomeRow(
            header=header_of(a, edition),
            progress=progress.progress(edition, answers.get(a.id, {}),
                                       visible_dimensions(actor, edition)),
            last_change=changes.get(a.id)))
    editions = tuple(questionnaires.list_editions())
    latest = editions[-1].version if editions else None
    year = (today or dt.date.today()).year
    taken = {i.header.round for i in items if i.header.questionnaire == latest}
    exists = year in taken
    suggested = year
    while suggested in taken:  # the next free round: (city, edition, round) is unique
        suggested += 1
    return CityHome(city.name, tuple(items), editions, latest, suggested, exists,
                    may_start=latest is not None and authz.can(actor, "create_assessment", city))


def current_assessment_id(actor: Actor) -> int | None:
    """The assessment a city team member works on now: the newest one still being filled in
    (draft or returned), else the newest of their city; None without a city or assessment."""
    if actor.city_id is None or actor.role not in {"focal_point", "contributor"}:
        return None
    newest = (Assessment.round.desc(), Assessment.id.desc())
    ids = db.session.execute(
        select(Assessment.id, Assessment.status).where(Assessment.city_id == actor.city_id)
        .order_by(*newest)).all()
    editable = [i for i, status in ids if workflow.is_editable(status)]
    return editable[0] if editable else (ids[0][0] if ids else None)


#: What counts as a change of an assessment: its answers, its profile and its status, never
#: a download or a view.
CHANGE_ACTIONS = ("assessment_created", "answer_saved", "profile_saved",
                  *(t.audit for t in workflow.TRANSITIONS))


def last_changes(assessment_ids: Sequence[int]) -> dict[int, LastChange]:
    """When and by whom the answers, profile or status of each assessment last changed."""
    if not assessment_ids:
        return {}
    latest = (select(AuditEvent.target_id, func.max(AuditEvent.id).label("id"))
              .where(AuditEvent.target_type == "Assessment", AuditEvent.action.in_(CHANGE_ACTIONS),
                     AuditEvent.target_id.in_([str(i) for i in assessment_ids]))
              .group_by(AuditEvent.target_id).subquery())
    rows = db.session.execute(
        select(AuditEvent.target_id, AuditEvent.at, AuditEvent.actor, User.name)
        .join(latest, AuditEvent.id == latest.c.id).outerjoin(User, User.id == AuditEvent.user_id)
    )
    return {int(tid): LastChange(at, name or email) for tid, at, email, name in rows}

