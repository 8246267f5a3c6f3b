"""Following commitments up in the city's next round: outcomes, what blocks submission.

A commitment made after round N is *due* in each later assessment of its city until its
outcome is recorded in one of them: the form shows it beside the questions it targets,
the focal point records its outcome (done, partly, not done, dropped, with a note)
while that assessment is editable, and submission lists the outcomes still missing
(`progress.outcome_problems`, beside missing answers).
"""

from __future__ import annotations

from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import bindparam, or_, select
from sqlalchemy.orm import contains_eager

from benchmark import authz
from benchmark.authz import Actor
from benchmark.errors import Conflict, Invalid, NotFound
from benchmark.extensions import db
from benchmark.inputs import is_id
from benchmark.models import (
    COMMITMENT_OUTCOMES,
    Assessment,
    Commitment,
    QuestionnaireEdition,
    utcnow,
)
from benchmark.questionnaire import Questionnaire
from benchmark.scoring.trends import previous_mapping
from benchmark.services import audit, commitments, progress, questionnaires
from benchmark.services._tx import transaction
from benchmark.services.commitments import CommitmentView, Fields
from benchmark.services.transitions import lock_editable

#: The outcome that moves a commitment's status along with it.
_STATUS_OF_OUTCOME = {"done": "done", "dropped": "dropped"}


@dataclass(frozen=True)
class FollowUp:
    """A commitment due in an assessment, as the form shows it beside its questions."""

    id: int
    title: str
    status: str
    outcome: str | None
    outcome_note: str
    from_round: int
    dimension: str  # dimension id in the assessment's edition
    questions: tuple[str, ...]  # question ids in the assessment's edition
    may_record: bool


def due_query(assessment: Any):  # type: ignore[no-untyped-def]
    """Commitments of the city made after an earlier round, not followed up in another one.

    `assessment`: anything with `city_id`, `round` and `id` (a row, an alias, bound parameters)."""
    return (select(Commitment).join(Assessment, Assessment.id == Commitment.assessment_id)
            .where(Commitment.city_id == assessment.city_id,
                   Assessment.round < assessment.round,
                   or_(Commitment.outcome_assessment_id.is_(None),
                       Commitment.outcome_assessment_id == assessment.id))
            .order_by(Commitment.id))


def due(assessment: Assessment) -> list[Commitment]:
    # The query joins each commitment's assessment already: filled from that join.
    return list(db.session.scalars(due_query(assessment)
                                   .options(contains_eager(Commitment.assessment))))


def targets(c: Commitment, edition: Questionnaire) -> tuple[str, tuple[str, ...]]:
    """The commitment's dimension and questions in `edition` (mapped across editions)."""
    source = questionnaires.get_edition_by_id(c.assessment.edition_id)
    return _mapped(c.dimension_id, c.questions, source.version, edition)


def _mapped(dimension_id: str, questions: list[str] | None, source_version: str,
            edition: Questionnaire) -> tuple[str, tuple[str, ...]]:
    """A commitment's targets, made on edition `source_version`, in `edition`."""
    if source_version == edition.version:
        return dimension_id, tuple(questions or ())
    back = {old: new for new, old in previous_mapping(edition, source_version).items()}
    mapped = tuple(back[q] for q in questions or () if q in back)
    if mapped:
        return edition.question(mapped[0]).dimension_id, mapped
    return dimension_id, ()


def follow_ups(actor: Actor, assessment: Assessment, edition: Questionnaire) -> tuple[FollowUp, ...]:
    """The commitments due in an assessment, mapped onto its edition (for its pages).

    Read as plain rows in one statement (the page shows a few of their fields, not the
    commitments and their prompting assessments as objects), with the version of the
    edition each was made on: mapping a commitment onto `edition` needs no edition row.
    """
    may_record = (authz.can(actor, "record_outcome", assessment)
                  and authz.can(actor, "work_on_assessment", assessment)
                  and assessment.status in ("draft", "returned"))
    found = []
    for (cid, title, status, outcome, note, dimension_id, questions, from_round,
         version) in db.session.execute(_follow_ups_statement(), {
             "city_id": assessment.city_id, "round": assessment.round,
             "assessment_id": assessment.id}):
        dimension, qids = _mapped(dimension_id, questions, version, edition)
        found.append(FollowUp(id=cid, title=title, status=status, outcome=outcome,
                              outcome_note=note, from_round=from_round,
                              dimension=dimension, questions=qids, may_record=may_record))
    return tuple(found)


_statements: dict[str, Any] = {}


def _follow_ups_statement() -> Any:
    """`follow_ups`' statement on bound parameters, built once per process (every page of an
    assessment reads it; building it cost more than running it): `due_query`'s rule."""
    if "follow_ups" not in _statements:
        params = SimpleNamespace(city_id=bindparam("city_id"), round=bindparam("round"),
                                 id=bindparam("assessment_id"))
        _statements["follow_ups"] = (
            due_query(params)
            .join(QuestionnaireEdition, QuestionnaireEdition.id == Assessment.edition_id)
            .with_only_columns(
                Commitment.id, Commitment.title, Commitment.status, Commitment.outcome,
                Commitment.outcome_note, Commitment.dimension_id, Commitment.questions,
                Assessment.round, QuestionnaireEdition.version))
    return _statements["follow_ups"]


def missing_outcomes(assessment: Assessment) -> dict[str, str]:
    """"commitment.<id>" → why submission waits for it (no outcome recorded yet)."""
    return progress.outcome_problems([(c.id, c.title) for c in due(assessment) if c.outcome is None])


def _clean_outcome(outcome: str | None, note: str | None) -> tuple[str, str]:
    wrong: dict[str, str] = {}
    cleaned = (note or "").strip()
    if "\x00" in cleaned:
        wrong["outcome_note"] = _("is not valid text")
    elif outcome not in COMMITMENT_OUTCOMES:
        wrong["outcome"] = _("Choose what became of the commitment.")
    elif outcome != "done" and not cleaned:
        wrong["outcome_note"] = _("Say in a few words why (a note is needed unless it is done).")
    if len(cleaned) > commitments.MAX_TEXT:
        wrong["outcome_note"] = _("is longer than %(n)d characters", n=commitments.MAX_TEXT)
    if wrong:
        raise Invalid(_("Some values are invalid."), fields=wrong)
    return str(outcome), cleaned


def _apply_outcome(actor: Actor, c: Commitment, assessment: Assessment, outcome: str,
                   note: str) -> None:
    before = c.outcome
    c.outcome, c.outcome_note = outcome, note
    c.outcome_assessment_id, c.outcome_at = assessment.id, utcnow()
    c.status = _STATUS_OF_OUTCOME.get(outcome, c.status)
    c.revision += 1
    c.updated_at = utcnow()
    # The follow-up is part of what the round's report shows: its key must move.
    assessment.revision += 1
    assessment.updated_at = utcnow()
    audit.record(actor, "commitment_outcome_recorded", target=c,
                 details={"assessment": assessment.id, "before": before, "after": outcome})


def record_outcome(actor: Actor, assessment_id: int, commitment_id: int, outcome: str | None,
                   note: str | None, lang: str = "en") -> CommitmentView:
    """Record what became of a commitment in the city's next round (focal point, editable round)."""
    if not (is_id(assessment_id) and is_id(commitment_id)):
        raise NotFound(_("There is no such commitment to follow up in this assessment."))
    with transaction():
        assessment = lock_editable(actor, assessment_id)
        c = db.session.get(Commitment, commitment_id)
        if c is None or c.city_id != assessment.city_id or c.id not in {d.id for d in due(assessment)}:
            raise NotFound(_("There is no such commitment to follow up in this assessment."))
        authz.require(actor, "record_outcome", c)
        value, cleaned = _clean_outcome(outcome, note)
        _apply_outcome(actor, c, assessment, value, cleaned)
        view = commitments.get(actor, c.id, lang)
    return view


def _follow_up_assessment(c: Commitment) -> Assessment:
    """The city's editable later round in which the commitment's outcome is recorded."""
    rows = db.session.scalars(
        select(Assessment).where(Assessment.city_id == c.city_id,
                                 Assessment.status.in_(("draft", "returned")))
        .order_by(Assessment.round.desc(), Assessment.id.desc()))
    for candidate in rows:
        if c.id in {d.id for d in due(candidate)}:
            return candidate
    raise Conflict(_("An outcome is recorded in the city's next round, while that assessment "
                     "is a draft or returned; there is none."), code="no_follow_up")


def update_with_outcome(actor: Actor, commitment_id: int, fields_in: Fields, outcome: str,
                        note: str, if_match: int | None) -> CommitmentView:
    """`commitments.update`, then the outcome recorded in the follow-up round, in one transaction."""
    with transaction():
        commitments.update(actor, commitment_id, fields_in, if_match)
        c = db.session.get(Commitment, commitment_id)
        assert c is not None
        authz.require(actor, "record_outcome", c)
        assessment = lock_editable(actor, _follow_up_assessment(c).id)
        value, cleaned = _clean_outcome(outcome, note)
        if (c.outcome, c.outcome_note, c.outcome_assessment_id) != (value, cleaned, assessment.id):
            _apply_outcome(actor, c, assessment, value, cleaned)
        view = commitments.get(actor, c.id)
    return view


@dataclass(frozen=True)
class OutcomePage:
    """The form recording a commitment's outcome in a later round."""

    assessment_id: int
    round: int
    city_name: str
    commitment: CommitmentView
    dimension: str  # in the assessment's edition: where the form sends the person back
    questions: tuple[str, ...]


def outcome_page(actor: Actor, assessment_id: int, commitment_id: int,
                 lang: str = "en") -> OutcomePage:
    """NotFound unless the commitment is due in the assessment; the focal point of an editable round."""
    assessment = db.session.get(Assessment, assessment_id) if is_id(assessment_id) else None
    if assessment is None:
        raise NotFound(_("There is no such assessment."))
    authz.require(actor, "view_assessment", assessment)
    edition = questionnaires.get_edition_by_id(assessment.edition_id)
    found = next((f for f in follow_ups(actor, assessment, edition) if f.id == commitment_id), None)
    if found is None:
        raise NotFound(_("There is no such commitment to follow up in this assessment."))
    authz.require(actor, "record_outcome", assessment)
    if not found.may_record:
        raise Conflict(_("The assessment cannot be changed in its current state."), code="read_only")
    return OutcomePage(assessment_id=assessment.id, round=assessment.round,
                       city_name=assessment.city.name,
                       commitment=commitments.get(actor, commitment_id, lang),
                       dimension=found.dimension, questions=found.questions)
