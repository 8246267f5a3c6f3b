"""Staff review: the queue, comments per question, the review page, the round-to-round diff.

Returning, validating and reopening are workflow steps (`services/workflow.py`); the
functions here of those names only name the step.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from flask_babel import gettext as _
from sqlalchemy import bindparam, select
from sqlalchemy.orm import joinedload

from benchmark import authz, workflow
from benchmark.authz import Actor
from benchmark.errors import Conflict, Invalid
from benchmark.extensions import db
from benchmark.models import Assessment, ReviewComment, User, utctoday
from benchmark.questionnaire import Question, Questionnaire
from benchmark.questionnaire.mapping import map_questions
from benchmark.reporting.words import answer_text
from benchmark.services import assignments, audit, notifications, scores
from benchmark.services._tx import transaction
from benchmark.services.answers import stored_answers
from benchmark.services.assignments import Assignment
from benchmark.services.paging import Page, paginate
from benchmark.services.transitions import clean_message, lock, steps_for, take_step

if TYPE_CHECKING:  # assessment_pages reads comments from here: import it when called
    from benchmark.services.assessment_pages import AssessmentView, Header


@dataclass(frozen=True)
class CommentData:
    """A staff comment (kind "comment"), or the message of a return or reopening."""

    id: int
    #: The question commented on; None for the whole assessment.
    question_id: str | None
    kind: str
    body: str
    author: str | None
    created_at: dt.datetime
    #: Shown in the city's report as the programme's comment.
    in_report: bool = False


def queue(actor: Actor, today: dt.date, page: int = 1) -> Page[assignments.ReviewRow]:
    """Submitted assessments, the longest-waiting first, a page at a time, with who
    reviews each, by when, and whether it is overdue or came back after a return."""
    authz.require(actor, "review")
    return paginate(
        select(Assessment).where(Assessment.status == workflow.SUBMITTED)
        .options(joinedload(Assessment.city), joinedload(Assessment.edition),
                 joinedload(Assessment.reviewer))
        .order_by(Assessment.submitted_at, Assessment.id), page,
        convert=lambda a: assignments.ReviewRow.of(a, today))


#: Built once per process: every page of an assessment reads its comments. Plain columns,
#: not ReviewComment objects with their User (whose unread-notification count came along):
#: a page shows the author's name and nothing else of them.
_COMMENTS = (select(ReviewComment.id, ReviewComment.question_id, ReviewComment.kind,
                    ReviewComment.body, ReviewComment.created_at, ReviewComment.in_report,
                    User.id.label("author_id"), User.name, User.email)
             .outerjoin(User, User.id == ReviewComment.author_id)
             .where(ReviewComment.assessment_id == bindparam("assessment_id"))
             .order_by(ReviewComment.created_at, ReviewComment.id))


def may_have_comments(assessment: Assessment) -> bool:
    """Whether an assessment can have review comments: not while a draft. A draft is a round
    never submitted (no step leads back to draft: workflow.TRANSITIONS), staff cannot comment
    on one (`add_comment`), and a step's message becomes a comment only on a submitted or
    validated round; so the pages of a draft (the city typing its first answers) skip the read."""
    return assessment.status != workflow.DRAFT


def comments_of(assessment_id: int) -> tuple[CommentData, ...]:
    """Every review comment of an assessment, oldest first (visible to the city too); the
    author by name, else email. No flush first: comments are written only inside
    transaction(), which has committed them before any page reads them."""
    return tuple(
        CommentData(id_, question_id, kind, body,
                    (name or email) if author_id is not None else None, created_at, in_report)
        for id_, question_id, kind, body, created_at, in_report, author_id, name, email
        in db.session.connection().execute(_COMMENTS, {"assessment_id": assessment_id}))


def add_comment(actor: Actor, assessment_id: int, question_id: str | None,
                body: str, in_report: bool = False) -> CommentData:
    """A staff comment on one question (or the whole assessment when None), seen by the city.

    ``in_report``: the reviewer chose to show it in the city's report, under the question,
    as the programme's comment (only a comment on a question can be).
    """
    with transaction():
        assessment = lock(assessment_id)
        authz.require(actor, "comment", assessment)
        if assessment.status == workflow.DRAFT:
            raise Conflict(_("A draft has not been submitted yet; comment once it is."),
                           code="wrong_state")
        text = clean_message(body, "body")
        if question_id is not None and scores.edition_of(assessment).find_question(question_id) is None:
            raise Invalid(_("Unknown question."),
                          fields={"question_id": _("not a question of this questionnaire")})
        comment = ReviewComment(assessment_id=assessment.id, question_id=question_id,
                                author_id=actor.user_id, body=text, kind="comment",
                                in_report=bool(in_report and question_id is not None))
        db.session.add(comment)
        db.session.flush()
        audit.record(actor, "review_comment", target=assessment,
                     details={"question": question_id, "comment": comment.id,
                              "in_report": comment.in_report})
        data = CommentData(comment.id, question_id, comment.kind, text,
                           actor.email, comment.created_at, comment.in_report)
        mails = notifications.commented(assessment, text)
    notifications.deliver(mails)
    return data


def return_(actor: Actor, assessment_id: int, message: str) -> Assessment:
    """Send a submitted assessment back to the city for changes, with a message."""
    return take_step(actor, assessment_id, "return", message)


def validate(actor: Actor, assessment_id: int) -> Assessment:
    """Accept a submitted assessment: read-only, and counted in the network statistics."""
    return take_step(actor, assessment_id, "validate")


def reopen(actor: Actor, assessment_id: int, reason: str) -> Assessment:
    """Open a validated assessment for changes again (returned), with a reason (audited)."""
    return take_step(actor, assessment_id, "reopen", reason)


# -- reading for review ---------------------------------------------------------------------


@dataclass(frozen=True)
class ReviewPage:
    """Everything the review page shows, and which decisions the reviewer may take now."""

    assessment: AssessmentView
    #: Cached indices: dimension id (and OVERALL) → 0–100, unrounded; empty when not computed.
    scores: Mapping[str, float | None]
    #: Workflow steps the reviewer may take now ("return", "validate", "reopen").
    steps: tuple[str, ...]
    #: Comments can be added once the city has submitted.
    may_comment: bool
    #: The round of the city's previous assessment, to compare with; None for a first round.
    previous_round: int | None = None
    #: Reviewer, due date, resubmission and what it changed since the return.
    assignment: Assignment | None = None


def review_page(actor: Actor, assessment_id: int) -> ReviewPage:
    """The review page of an assessment (staff)."""
    from benchmark.services import assessment_pages
    from benchmark.services.assessments import previous_assessment

    view, row = assessment_pages.load(actor, assessment_id, "review")
    previous = previous_assessment(row)
    return ReviewPage(assessment=view, scores=scores.stored_indices(row.id),
                      steps=steps_for(actor, row), may_comment=row.status != workflow.DRAFT,
                      assignment=assignments.assignment_of(actor, row, utctoday()),
                      previous_round=previous.round if previous is not None else None)


@dataclass(frozen=True)
class DiffRow:
    question: Question
    previous_question: Question | None
    previous: str
    current: str
    changed: bool


@dataclass(frozen=True)
class Diff:
    assessment: Header
    edition: Questionnaire
    #: The city's previous round (None when this is its first).
    previous: Header | None
    rows: tuple[DiffRow, ...]


def diff(actor: Actor, assessment_id: int, lang: str) -> Diff:
    """Each question's answer beside the city's previous round (mapped across editions)."""
    from benchmark.services import assessment_pages
    from benchmark.services.assessments import get, previous_assessment

    assessment = get(actor, assessment_id, "review")
    previous = previous_assessment(assessment)
    edition = scores.edition_of(assessment)
    current = stored_answers(assessment.id)
    if previous is not None:
        old_edition = scores.edition_of(previous)
        mapping = map_questions(edition, old_edition)
        old_answers = stored_answers(previous.id)
    else:
        old_edition, mapping, old_answers = None, {}, {}

    def shown(q: Question, answers: Mapping[str, object]) -> str:
        a = answers.get(q.id)
        return answer_text(q, a.value, a.na, lang) if a is not None else ""  # type: ignore[attr-defined]

    rows = []
    for q in edition.questions:
        old_q = old_edition.find_question(mapping[q.id]) if old_edition and q.id in mapping else None
        before = shown(old_q, old_answers) if old_q else ""
        after = shown(q, current)
        rows.append(DiffRow(q, old_q, before, after, old_q is not None and before != after))
    return Diff(assessment_pages.header_of(assessment, edition), edition,
                assessment_pages.header_of(previous, old_edition) if previous and old_edition
                else None, tuple(rows))

