"""Assessments: start one (optionally prefilled), list and read them, progress, profile, submit."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from benchmark.errors import Conflict, Invalid, NotFound
from benchmark.extensions import db
from benchmark.models import (
    STATUSES,
    Answer,
    Assessment,
    AuditEvent,
    City,
    QuestionnaireEdition,
    User,
    utcnow,
)
from benchmark.questionnaire import InvalidAnswer, Questionnaire, get_type
from benchmark.services import audit, authz, notifications, questionnaires, scores
from benchmark.services._tx import transaction
from benchmark.services.answers import (
    answer_problem,
    answers_of,
    hidden_questions,
    lock_assessment,
    require_editable,
)
from benchmark.services.authz import EDITABLE_STATUSES, Actor

MAX_ROUND = 9999


def get(actor: Actor, assessment_id: int, action: str = "view_assessment") -> Assessment:
    """The assessment if `actor` may do `action` on it; another city's is NotFound."""
    assessment = db.session.get(Assessment, assessment_id)
    if assessment is None:
        raise NotFound(_("There is no such assessment."))
    authz.require(actor, action, assessment)
    return assessment


# The edition an assessment answers (one definition, in the scores service).
edition_of = scores.edition_of


def visible_dimensions(actor: Actor, edition: Questionnaire) -> list[str]:
    """Dimension ids the actor sees: a contributor only their own, everyone else all."""
    if actor.role == "contributor":
        return [d.id for d in edition.dimensions if actor.may_edit_dimension(d.id)]
    return [d.id for d in edition.dimensions]


# -- starting an assessment -------------------------------------------------------------


def create(actor: Actor, city_slug: str, version: str, round_: int, *,
           prefill: bool = False) -> Assessment:
    """Start `city`'s assessment on edition `version` for `round_`; Conflict if it exists.

    With `prefill`, answers of the city's previous round are copied where the new
    edition maps a question to it (same id on the same edition, `previous:` across
    editions) as unconfirmed answers that a person must confirm.
    """
    if isinstance(round_, bool) or not isinstance(round_, int) or not 0 < round_ <= MAX_ROUND:
        raise Invalid(_("The round is not valid."),
                      fields={"round": _("must be a whole number from 1 to %(n)d", n=MAX_ROUND)})
    with transaction():
        city = db.session.scalar(select(City).where(City.slug == city_slug))
        if city is None or not authz.can_see_city(actor, city.id):
            authz.require(actor, "view_city")
            raise NotFound(_("There is no such city."))
        authz.require(actor, "create_assessment", city)
        row = questionnaires.find_row(version) if isinstance(version, str) else None
        if row is None:
            raise Invalid(_("Unknown questionnaire edition."), fields={
                "questionnaire": _("“%(v)s” is not a published questionnaire edition", v=version)})
        if db.session.scalar(select(Assessment.id).where(
                Assessment.city_id == city.id, Assessment.edition_id == row.id,
                Assessment.round == round_)):
            raise Conflict(_("%(city)s already has an assessment on the %(v)s questionnaire "
                             "for round %(r)d.", city=city.name, v=version, r=round_),
                           code="exists")
        edition = questionnaires.get_edition_by_id(row.id)
        assessment = Assessment(
            city_id=city.id, edition_id=row.id, round=round_, status="draft",
            profile=_initial_profile(city, edition), created_by_id=actor.user_id,
            revision=1,
        )
        db.session.add(assessment)
        try:
            db.session.flush()
        except IntegrityError:  # a concurrent start of the same round won the race
            raise Conflict(_("This assessment already exists."), code="exists") from None
        copied = _prefill(actor, assessment, edition) if prefill else 0
        audit.record(actor, "assessment_created", target=assessment,
                     details={"questionnaire": version, "round": round_, "prefilled": copied})
        scores.refresh_assessment(assessment)
    return assessment


def create_for_own_city(actor: Actor, version: str, round_: int, *,
                        prefill: bool = False) -> Assessment:
    """Start an assessment of the actor's own city (the focal point's home page)."""
    city = db.session.get(City, actor.city_id) if actor.city_id else None
    if city is None:
        raise NotFound(_("You do not belong to a city."))
    return create(actor, city.slug, version, round_, prefill=prefill)


def _initial_profile(city: City, edition: Questionnaire) -> dict[str, Any]:
    known = {"population": city.population, "foreign_born_share": city.foreign_born_share}
    return {f.id: known[f.id] for f in edition.profile if known.get(f.id) is not None}


def previous_assessment(assessment: Assessment) -> Assessment | None:
    """The same city's assessment of the latest earlier round (or an earlier edition of it)."""
    return db.session.scalar(
        select(Assessment).where(
            Assessment.city_id == assessment.city_id, Assessment.id != assessment.id,
            (Assessment.round < assessment.round)
            | ((Assessment.round == assessment.round)
               & (Assessment.edition_id < assessment.edition_id)),
        ).order_by(Assessment.round.desc(), Assessment.edition_id.desc()).limit(1)
    )


def question_mapping(new: Questionnaire, old: Questionnaire) -> dict[str, str]:
    """New question id → old question id of the same type (same edition: every question)."""
    mapping = {}
    for q in new.questions:
        if new.version == old.version:
            counterpart = old.find_question(q.id)
        elif q.previous is not None and q.previous.version == old.version:
            counterpart = old.find_question(q.previous.question)
        else:
            counterpart = None
        if counterpart is not None and counterpart.type == q.type:
            mapping[q.id] = counterpart.id
    return mapping


def _prefill(actor: Actor, assessment: Assessment, edition: Questionnaire) -> int:
    previous = previous_assessment(assessment)
    if previous is None:
        return 0
    old_edition = questionnaires.get_edition_by_id(previous.edition_id)
    old_answers = answers_of(previous.id)
    copied = 0
    for new_id, old_id in question_mapping(edition, old_edition).items():
        old = old_answers.get(old_id)
        if old is None or (old.value is None and not old.na):
            continue
        q = edition.question(new_id)
        if old.na and not q.allow_na:
            continue
        try:
            value = get_type(q.type).parse(q, old.value) if old.value is not None else None
        except InvalidAnswer:
            continue  # options or ranges changed: the team answers afresh
        db.session.add(Answer(
            assessment_id=assessment.id, question_id=new_id, value=value, na=old.na,
            comment=old.comment, evidence=old.evidence, evidence_url=old.evidence_url,
            evidence_year=old.evidence_year, confirmed=False, revision=1,
            updated_by_id=actor.user_id, updated_at=utcnow(),
        ))
        copied += 1
    return copied


# -- lists --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Filters:
    city: str | None = None
    status: str | None = None
    questionnaire: str | None = None


def list_visible(actor: Actor, filters: Filters, *, after_id: int | None = None,
                 limit: int = 50) -> list[Assessment]:
    """Assessments the actor may see, by id, keyset-paginated (fetches limit + 1)."""
    authz.require(actor, "view_assessment")
    if filters.status is not None and filters.status not in STATUSES:
        raise Invalid(_("Unknown status."), fields={"status": _("must be one of %(s)s",
                                                               s=", ".join(STATUSES))})
    query = (select(Assessment).join(City).join(QuestionnaireEdition)
             .options(joinedload(Assessment.city), joinedload(Assessment.edition))
             .order_by(Assessment.id).limit(limit + 1))
    if not actor.is_staff:
        query = query.where(Assessment.city_id == actor.city_id)
    if filters.city:
        query = query.where(City.slug == filters.city)
    if filters.status:
        query = query.where(Assessment.status == filters.status)
    if filters.questionnaire:
        query = query.where(QuestionnaireEdition.version == filters.questionnaire)
    if after_id is not None:
        query = query.where(Assessment.id > after_id)
    return list(db.session.scalars(query))


@dataclass(frozen=True)
class DimensionProgress:
    id: str
    title: Mapping[str, str]
    answered: int
    total: int
    #: Prefilled answers waiting for a person's confirmation.
    to_confirm: int

    @property
    def percent(self) -> int:
        return round(100 * self.answered / self.total) if self.total else 100


def progress(edition: Questionnaire, answers: Mapping[str, Answer],
             dimension_ids: Sequence[str] | None = None) -> list[DimensionProgress]:
    """Per dimension: confirmed answers out of the questions skip logic shows."""
    hidden = hidden_questions(edition, answers)
    out = []
    for d in edition.dimensions:
        if dimension_ids is not None and d.id not in dimension_ids:
            continue
        shown = [q for q in d.questions if q.id not in hidden]
        given = [answers[q.id] for q in shown
                 if q.id in answers and (answers[q.id].value is not None or answers[q.id].na)]
        out.append(DimensionProgress(
            id=d.id, title=d.title, total=len(shown),
            answered=sum(1 for a in given if a.confirmed),
            to_confirm=sum(1 for a in given if not a.confirmed),
        ))
    return out


@dataclass(frozen=True)
class LastChange:
    at: dt.datetime
    by: str


def last_changes(assessment_ids: Sequence[int]) -> dict[int, LastChange]:
    """When and by whom each assessment was last changed (from the audit log)."""
    if not assessment_ids:
        return {}
    latest = (select(AuditEvent.target_id, func.max(AuditEvent.id).label("id"))
              .where(AuditEvent.target_type == "Assessment",
                     AuditEvent.target_id.in_([str(i) for i in assessment_ids]))
              .group_by(AuditEvent.target_id).subquery())
    rows = db.session.execute(
        select(AuditEvent.target_id, AuditEvent.at, AuditEvent.actor, User.name)
        .join(latest, AuditEvent.id == latest.c.id).outerjoin(User, User.id == AuditEvent.user_id)
    )
    return {int(tid): LastChange(at, name or email) for tid, at, email, name in rows}


@dataclass(frozen=True)
class CityHome:
    city: City
    assessments: list[Assessment]
    progress: dict[int, list[DimensionProgress]]
    changes: dict[int, LastChange]
    editions: list[questionnaires.EditionSummary]
    latest_version: str | None
    suggested_round: int
    #: Whether the suggested (latest edition, round) assessment already exists.
    suggested_exists: bool


def city_home(actor: Actor, today: dt.date | None = None) -> CityHome:
    """A focal point's or contributor's overview of their city's assessments."""
    city = db.session.get(City, actor.city_id) if actor.city_id else None
    if city is None:
        raise NotFound(_("You do not belong to a city."))
    authz.require(actor, "view_city", city)
    rows = list(db.session.scalars(
        select(Assessment).where(Assessment.city_id == city.id)
        .options(joinedload(Assessment.edition))
        .order_by(Assessment.round.desc(), Assessment.id.desc())))
    prog = {}
    for a in rows:
        edition = edition_of(a)
        prog[a.id] = progress(edition, answers_of(a.id), visible_dimensions(actor, edition))
    latest = questionnaires.latest_version()
    year = (today or dt.date.today()).year
    exists = bool(latest) and any(a.edition.version == latest and a.round == year for a in rows)
    return CityHome(city, rows, prog, last_changes([a.id for a in rows]),
                    questionnaires.list_editions(), latest, year, exists)


# -- submitting ---------------------------------------------------------------------------


def problems(assessment: Assessment, edition: Questionnaire,
             answers: Mapping[str, Answer]) -> dict[str, str]:
    """Question (or profile) id → why the assessment cannot be submitted; empty when ready."""
    found: dict[str, str] = {}
    hidden = hidden_questions(edition, answers)
    for q in edition.questions:
        answer = answers.get(q.id)
        if q.id in hidden:
            continue
        if answer is None or (answer.value is None and not answer.na):
            if q.required:
                found[q.id] = _("This question needs an answer.")
            continue
        if not answer.confirmed:
            found[q.id] = _("Confirm or change the answer copied from the previous round.")
        elif answer.na and not q.allow_na:
            found[q.id] = _("This question cannot be answered “not applicable”.")
        elif answer.value is not None:
            try:
                get_type(q.type).parse(q, answer.value)
            except InvalidAnswer as err:
                found[q.id] = answer_problem(q, err)
    profile = assessment.profile or {}
    for f in edition.profile:
        if f.required and profile.get(f.id) in (None, ""):
            found[f"profile.{f.id}"] = _("This city profile field is required.")
    return found


def submit(actor: Actor, assessment_id: int) -> Assessment:
    """Freeze a draft (or returned) assessment for staff review; Invalid lists what is missing."""
    with transaction():
        assessment = lock_assessment(assessment_id)
        authz.require(actor, "view_assessment", assessment)
        authz.require(actor, "submit", assessment)
        if assessment.status not in EDITABLE_STATUSES:
            raise Conflict(_("Only a draft or returned assessment can be submitted; this one is "
                             "%(status)s.", status=status_label(assessment.status)),
                           code="wrong_state")
        edition = edition_of(assessment)
        if found := problems(assessment, edition, answers_of(assessment.id)):
            raise Invalid(_("%(n)d questions still need attention before you can submit.",
                            n=len(found)), fields=found, code="incomplete")
        now = utcnow()
        assessment.status = "submitted"
        assessment.submitted_at = now
        assessment.updated_at = now
        assessment.revision += 1
        audit.record(actor, "assessment_submitted", target=assessment)
        scores.refresh_assessment(assessment)
        mails = notifications.submitted(assessment)
    notifications.deliver(mails)
    return assessment


def status_label(status: str) -> str:
    return {"draft": _("a draft"), "submitted": _("submitted"), "returned": _("returned"),
            "validated": _("validated")}.get(status, status)


# -- the city profile of a round ------------------------------------------------------------


def update_profile(actor: Actor, assessment_id: int, raw: Mapping[str, str],
                   revision: int) -> Assessment:
    """Set the round's city profile from form strings; Conflict when the page was stale."""
    with transaction():
        assessment = lock_assessment(assessment_id)
        require_editable(actor, assessment)
        authz.require(actor, "edit_profile", assessment)
        if assessment.revision != revision:
            raise Conflict(_("The assessment changed since you opened this page; check the "
                             "values below and save again."), code="stale",
                           details={"revision": assessment.revision})
        edition = edition_of(assessment)
        values, fields = parse_profile(edition, raw)
        if fields:
            raise Invalid(_("Some profile values are not valid."), fields=fields)
        old = dict(assessment.profile or {})
        if values != old:
            assessment.profile = values
            assessment.revision += 1
            assessment.updated_at = utcnow()
            audit.record(actor, "profile_saved", target=assessment,
                         details={"old": old, "new": values})
            scores.refresh_assessment(assessment)
    return assessment


def parse_profile(edition: Questionnaire, raw: Mapping[str, str]) -> tuple[dict[str, Any],
                                                                          dict[str, str]]:
    values: dict[str, Any] = {}
    fields: dict[str, str] = {}
    for f in edition.profile:
        text = (raw.get(f.id) or "").strip()
        if not text:
            continue
        if f.type == "text":
            if len(text) > 2000:
                fields[f.id] = _("is longer than %(n)d characters", n=2000)
            else:
                values[f.id] = text
            continue
        number = text.replace("\u202f", "").replace("\xa0", "").replace(" ", "").replace(",", ".")
        try:
            parsed = float(number)
        except ValueError:
            fields[f.id] = _("must be a number")
            continue
        if parsed != parsed or parsed < 0 or parsed > 1e12:
            fields[f.id] = _("must be a positive number")
        elif f.type == "integer" and not parsed.is_integer():
            fields[f.id] = _("must be a whole number")
        elif f.type == "percent" and parsed > 100:
            fields[f.id] = _("must be a percentage between 0 and 100")
        else:
            values[f.id] = int(parsed) if f.type == "integer" else parsed
    return values, fields


# -- the team: which contributor works on which dimensions --------------------------------------


def team(actor: Actor, assessment_id: int) -> tuple[Assessment, list[User]]:
    """The assessment and the contributors of its city."""
    assessment = get(actor, assessment_id)
    authz.require(actor, "assign_dimensions", assessment)
    users = list(db.session.scalars(
        select(User).where(User.city_id == assessment.city_id, User.role == "contributor",
                           User.is_active.is_(True)).order_by(User.name, User.email)))
    return assessment, users


def assign_dimensions(actor: Actor, assessment_id: int,
                      choices: Mapping[int, list[str] | None]) -> int:
    """Set contributors' dimensions (None: all); the number of users changed."""
    with transaction():
        assessment = get(actor, assessment_id)
        authz.require(actor, "assign_dimensions", assessment)
        known = {d.id for d in edition_of(assessment).dimensions}
        changed = 0
        for user_id, dims in choices.items():
            user = db.session.get(User, user_id)
            if user is None or user.city_id != assessment.city_id or user.role != "contributor":
                raise NotFound(_("There is no such contributor in your city."))
            if dims is not None and (unknown := set(dims) - known):
                raise Invalid(_("Unknown dimension."), fields={
                    f"user_{user_id}": ", ".join(sorted(unknown))})
            new = sorted(dims) if dims is not None else None
            if user.dimensions != new:
                audit.record(actor, "dimensions_assigned", target=user, city_id=user.city_id,
                             details={"old": user.dimensions, "new": new})
                user.dimensions = new
                changed += 1
    return changed
