"""Staff review: the queue, comments per question, return, validate, reopen, round-to-round diff."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from benchmark import authz
from benchmark.authz import Actor
from benchmark.errors import Conflict, Invalid
from benchmark.extensions import db
from benchmark.models import Answer, Assessment, ReviewComment, utcnow
from benchmark.questionnaire import Question, Questionnaire, get_type, localize
from benchmark.services import audit, notifications, reports, scores
from benchmark.services._tx import transaction
from benchmark.services.answers import answers_of, lock_assessment
from benchmark.services.assessments import (
    edition_of,
    get,
    previous_assessment,
    question_mapping,
    status_label,
)

MAX_MESSAGE = 5000


def queue(actor: Actor) -> list[Assessment]:
    """Submitted assessments, the longest-waiting first."""
    authz.require(actor, "review")
    return list(db.session.scalars(
        select(Assessment).where(Assessment.status == "submitted")
        .options(joinedload(Assessment.city), joinedload(Assessment.edition))
        .order_by(Assessment.submitted_at, Assessment.id)))


def comments_of(assessment_id: int) -> list[ReviewComment]:
    """Every review comment of an assessment, oldest first (visible to the city too)."""
    return list(db.session.scalars(
        select(ReviewComment).where(ReviewComment.assessment_id == assessment_id)
        .options(selectinload(ReviewComment.author))
        .order_by(ReviewComment.created_at, ReviewComment.id)))


def _message(text: str, field: str = "comment") -> str:
    cleaned = (text or "").strip()
    if not cleaned:
        raise Invalid(_("Write a message."), fields={field: _("must not be empty")})
    if len(cleaned) > MAX_MESSAGE:
        raise Invalid(_("The message is too long."),
                      fields={field: _("is longer than %(n)d characters", n=MAX_MESSAGE)})
    try:
        cleaned.encode("utf-8")
    except UnicodeEncodeError:
        raise Invalid(_("The message is not valid text."),
                      fields={field: _("is not valid UTF-8 text")}) from None
    return cleaned


def _locked_for_review(actor: Actor, assessment_id: int) -> Assessment:
    assessment = lock_assessment(assessment_id)
    authz.require(actor, "review", assessment)
    return assessment


def add_comment(actor: Actor, assessment_id: int, question_id: str | None,
                body: str) -> ReviewComment:
    """A staff comment on one question (or the whole assessment when None), seen by the city."""
    with transaction():
        assessment = _locked_for_review(actor, assessment_id)
        if assessment.status == "draft":
            raise Conflict(_("A draft has not been submitted yet; comment once it is."),
                           code="wrong_state")
        text = _message(body, "body")
        if question_id is not None and edition_of(assessment).find_question(question_id) is None:
            raise Invalid(_("Unknown question."),
                          fields={"question_id": _("not a question of this questionnaire")})
        comment = ReviewComment(assessment_id=assessment.id, question_id=question_id,
                                author_id=actor.user_id, body=text, kind="comment")
        db.session.add(comment)
        db.session.flush()
        audit.record(actor, "review_comment", target=assessment,
                     details={"question": question_id, "comment": comment.id})
    return comment


def _require_status(assessment: Assessment, wanted: str, action: str) -> None:
    if assessment.status != wanted:
        raise Conflict(_("Only a %(wanted)s assessment can be %(action)s; this one is "
                         "%(status)s.", wanted=status_label(wanted), action=action,
                         status=status_label(assessment.status)), code="wrong_state")


def return_(actor: Actor, assessment_id: int, message: str) -> Assessment:
    """Send a submitted assessment back to the city for changes, with a message."""
    with transaction():
        assessment = _locked_for_review(actor, assessment_id)
        _require_status(assessment, "submitted", _("returned"))
        text = _message(message)
        _set_status(assessment, "returned")
        db.session.add(ReviewComment(assessment_id=assessment.id, author_id=actor.user_id,
                                     body=text, kind="return"))
        audit.record(actor, "assessment_returned", target=assessment, details={"message": text})
        scores.refresh_assessment(assessment)
        mails = notifications.returned(assessment, text)
    notifications.deliver(mails)
    return assessment


def validate(actor: Actor, assessment_id: int) -> Assessment:
    """Accept a submitted assessment: read-only, and counted in the network statistics."""
    with transaction():
        assessment = _locked_for_review(actor, assessment_id)
        _require_status(assessment, "submitted", _("validated"))
        _set_status(assessment, "validated")
        assessment.validated_at = assessment.updated_at
        audit.record(actor, "assessment_validated", target=assessment)
        db.session.flush()
        scores.refresh_assessment(assessment)
        db.session.flush()
        scores.refresh_network(assessment.edition_id)
        mails = notifications.validated(assessment)
    notifications.deliver(mails)
    reports.schedule_after_validation(assessment)
    return assessment


def reopen(actor: Actor, assessment_id: int, reason: str) -> Assessment:
    """Open a validated assessment for changes again (returned), with a reason (audited)."""
    with transaction():
        assessment = _locked_for_review(actor, assessment_id)
        _require_status(assessment, "validated", _("reopened"))
        text = _message(reason, "reason")
        _set_status(assessment, "returned")
        assessment.validated_at = None
        db.session.add(ReviewComment(assessment_id=assessment.id, author_id=actor.user_id,
                                     body=text, kind="reopen"))
        audit.record(actor, "assessment_reopened", target=assessment, details={"reason": text})
        db.session.flush()
        scores.refresh_assessment(assessment)
        db.session.flush()
        scores.refresh_network(assessment.edition_id)
        mails = notifications.reopened(assessment, text)
    notifications.deliver(mails)
    reports.schedule_after_validation(assessment)
    return assessment


def _set_status(assessment: Assessment, status: str) -> None:
    assessment.status = status
    assessment.updated_at = utcnow()
    assessment.revision += 1


# -- reading for review ---------------------------------------------------------------------


def provisional_scores(assessment: Assessment) -> dict[str, float | None]:
    """Cached indices (dimension id → 0–100, plus OVERALL), empty when not computed."""
    return scores.stored_indices(assessment.id)


@dataclass(frozen=True)
class DiffRow:
    question: Question
    previous_question: Question | None
    previous: str
    current: str
    changed: bool


@dataclass(frozen=True)
class Diff:
    assessment: Assessment
    previous: Assessment | None
    rows: list[DiffRow]


def _shown(edition: Questionnaire, q: Question, answer: Answer | None, lang: str) -> str:
    if answer is None or (answer.value is None and not answer.na):
        return ""
    if answer.na:
        return _("Not applicable")
    return get_type(q.type).display(q, answer.value, lang)


def diff(actor: Actor, assessment_id: int, lang: str) -> Diff:
    """Each question's answer beside the city's previous round (mapped across editions)."""
    assessment = get(actor, assessment_id)
    authz.require(actor, "review", assessment)
    previous = previous_assessment(assessment)
    edition = edition_of(assessment)
    current = answers_of(assessment.id)
    rows = []
    if previous is not None:
        old_edition = edition_of(previous)
        mapping = question_mapping(edition, old_edition)
        old_answers = answers_of(previous.id)
    else:
        old_edition, mapping, old_answers = None, {}, {}
    for q in edition.questions:
        old_q = old_edition.find_question(mapping[q.id]) if old_edition and q.id in mapping else None
        before = _shown(old_edition, old_q, old_answers.get(old_q.id), lang) if old_q else ""
        after = _shown(edition, q, current.get(q.id), lang)
        rows.append(DiffRow(q, old_q, before, after, old_q is not None and before != after))
    return Diff(assessment, previous, rows)


def question_title(q: Question, lang: str) -> str:
    return localize(q.text, lang)


def review_data(actor: Actor, assessment_id: int) -> dict[str, Any]:
    """Everything the review page shows: answers, hidden questions, comments, scores."""
    from benchmark.services.answers import hidden_questions

    assessment = get(actor, assessment_id)
    authz.require(actor, "review", assessment)
    edition = edition_of(assessment)
    answers = answers_of(assessment.id)
    return {
        "assessment": assessment, "edition": edition, "answers": answers,
        "hidden": hidden_questions(edition, answers), "comments": comments_of(assessment.id),
        "scores": provisional_scores(assessment),
    }
