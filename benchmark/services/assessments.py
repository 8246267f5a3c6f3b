"""Assessments: start one (optionally prefilled), find and list them, set the round's profile, submit.

The pages' read models are in `assessment_pages.py`; status changes in `transitions.py`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from benchmark import authz, workflow
from benchmark.authz import Actor
from benchmark.errors import Conflict, Invalid, NotFound
from benchmark.extensions import db
from benchmark.models import Answer, Assessment, City, QuestionnaireEdition, utcnow
from benchmark.questionnaire import InvalidAnswer, Questionnaire, get_type
from benchmark.questionnaire.mapping import map_questions
from benchmark.questionnaire.numbers import parse_decimal
from benchmark.services import answers, audit, questionnaires, scores, transitions
from benchmark.services._tx import flush_unique, transaction

MAX_ROUND = 9999


def get(actor: Actor, assessment_id: int, action: str = "view_assessment") -> Assessment:
    """The assessment if `actor` may do `action` on it; another city's is NotFound.

    With its city: nearly every caller reads it (names, peer groups), one query less."""
    assessment = db.session.get(Assessment, assessment_id, options=[joinedload(Assessment.city)])
    if assessment is None:
        raise no_such_assessment()
    authz.require(actor, action, assessment)
    return assessment


def no_such_assessment() -> NotFound:
    """The error of an assessment id that does not exist (one wording for every reader)."""
    return NotFound(_("There is no such assessment."))


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
            city_id=city.id, edition_id=row.id, round=round_, status=workflow.INITIAL,
            profile=_initial_profile(city, edition), created_by_id=actor.user_id,
            revision=1,
        )
        db.session.add(assessment)
        # A concurrent start of the same round may have passed the check above too.
        flush_unique(Conflict(_("This assessment already exists."), code="exists"))
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


def _prefill(actor: Actor, assessment: Assessment, edition: Questionnaire) -> int:
    previous = previous_assessment(assessment)
    if previous is None:
        return 0
    old_edition = questionnaires.get_edition_by_id(previous.edition_id)
    old_answers = answers.stored_answers(previous.id)
    copied = 0
    for new_id, old_id in map_questions(edition, old_edition).items():
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
    if filters.status is not None and filters.status not in workflow.STATUSES:
        raise Invalid(_("Unknown status."), fields={"status": _("must be one of %(s)s",
                                                               s=", ".join(workflow.STATUSES))})
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


# -- submitting ---------------------------------------------------------------------------


def submit(actor: Actor, assessment_id: int) -> Assessment:
    """Freeze a draft (or returned) assessment for staff review; Invalid lists what is missing."""
    return transitions.take_step(actor, assessment_id, "submit")


# -- the city profile of a round ------------------------------------------------------------


def update_profile(actor: Actor, assessment_id: int, raw: Mapping[str, str],
                   revision: int) -> Assessment:
    """Set the round's city profile from form strings; Conflict when the page was stale."""
    with transaction():
        assessment = transitions.lock_editable(actor, assessment_id)
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
    """Profile values from form strings, and a message per field that is not valid."""
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
        try:
            parsed = parse_decimal(text)
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
