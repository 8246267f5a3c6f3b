"""Review assignment: who reviews a submitted assessment and by when; "my reviews"; what a
resubmission changed since the return.

An assessment that comes back after a return (`returned_at` set, status submitted) is
*resubmitted*; the answers saved after `returned_at` are what the city changed, and the
review page opens on them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from benchmark import authz, workflow
from benchmark.authz import Actor
from benchmark.errors import Conflict, Invalid
from benchmark.extensions import db
from benchmark.models import Answer, Assessment, User
from benchmark.services import audit, notifications
from benchmark.services._tx import transaction
from benchmark.services.transitions import lock

#: Steps after which an assessment can be assigned: waiting for (another) review.
ASSIGNABLE = frozenset({workflow.SUBMITTED, workflow.RETURNED})


@dataclass(frozen=True)
class Assignment:
    reviewer_id: int | None
    reviewer: str | None
    due: date | None
    is_overdue: bool
    is_resubmitted: bool
    #: Question ids whose answers changed since the last return (resubmitted only).
    changed_since_return: tuple[str, ...]
    #: Staff who may be chosen, (id, name).
    reviewers: tuple[tuple[int, str], ...]
    may_assign: bool


def reviewers() -> tuple[tuple[int, str], ...]:
    """Active staff and administrators, by name."""
    # Three columns, not User objects (with their unread-notification count), from a
    # statement built once per process: on every dashboard request and review page.
    db.session.flush()
    return tuple((id_, name or email) for id_, name, email
                 in db.session.connection().execute(_REVIEWERS).all())


_REVIEWERS = (select(User.id, User.name, User.email)
              .where(User.role.in_(sorted(authz.STAFF_ROLES)), User.is_active.is_(True))
              .order_by(User.name, User.id))


def is_overdue(status: str, due: date | None, today: date) -> bool:
    """A submitted assessment past its review date (the one rule: dashboard and my reviews)."""
    return status == workflow.SUBMITTED and due is not None and due < today


def is_resubmitted(status: str, returned_at: datetime | None) -> bool:
    return status == workflow.SUBMITTED and returned_at is not None


def changed_since_return(assessment: Assessment) -> tuple[str, ...]:
    """Question ids saved after the assessment was last returned (empty unless resubmitted)."""
    if not is_resubmitted(assessment.status, assessment.returned_at):
        return ()
    return tuple(db.session.scalars(
        select(Answer.question_id).where(Answer.assessment_id == assessment.id,
                                         Answer.updated_at > assessment.returned_at)
        .order_by(Answer.question_id)))


def assignment_of(actor: Actor, assessment: Assessment, today: date) -> Assignment:
    """The assignment box of the review page (the caller checked the actor may review)."""
    staff = reviewers()
    return Assignment(
        reviewer_id=assessment.reviewer_id,
        reviewer=_name_of(assessment.reviewer_id, staff),
        due=assessment.review_due,
        is_overdue=is_overdue(assessment.status, assessment.review_due, today),
        is_resubmitted=is_resubmitted(assessment.status, assessment.returned_at),
        changed_since_return=changed_since_return(assessment),
        reviewers=staff,
        may_assign=authz.can(actor, "assign_review") and assessment.status in ASSIGNABLE,
    )


def _name_of(user_id: int | None, staff: tuple[tuple[int, str], ...]) -> str | None:
    """A reviewer's name (else email): from the list of staff the page reads anyway, or
    their own row when they are no longer active staff."""
    if user_id is None:
        return None
    if (name := dict(staff).get(user_id)) is not None:
        return name
    user = db.session.get(User, user_id)
    return (user.name or user.email) if user else None


def assign(actor: Actor, assessment_id: int, reviewer_id: int | None, due: date | None,
           today: date) -> Assessment:
    """Make a staff member the reviewer of an assessment, by a date (None clears either).

    Only while it waits for review (submitted, or returned and coming back); the reviewer
    is notified. Audited as review_assigned.
    """
    with transaction():
        assessment = lock(assessment_id)
        authz.require(actor, "assign_review", assessment)
        if assessment.status not in ASSIGNABLE:
            raise Conflict(_("Only a submitted or returned assessment can be assigned for "
                             "review."), code="wrong_state")
        reviewer = None
        if reviewer_id is not None:
            reviewer = db.session.get(User, reviewer_id)
            if reviewer is None or not reviewer.is_active or reviewer.role not in authz.STAFF_ROLES:
                raise Invalid(_("Choose a member of the programme staff."),
                              fields={"reviewer": _("is not a member of the programme staff")})
        if due is not None and due < today:
            raise Invalid(_("The due date is in the past."),
                          fields={"due": _("must be today or later")})
        changed = (assessment.reviewer_id, assessment.review_due) != (reviewer_id, due)
        assessment.reviewer_id, assessment.review_due = reviewer_id, due
        mails = []
        if changed:
            audit.record(actor, "review_assigned", target=assessment,
                         details={"reviewer": reviewer_id, "due": due.isoformat() if due else None})
            if reviewer is not None and reviewer.id != actor.user_id:
                mails = notifications.assigned(assessment, reviewer, due)
    notifications.deliver(mails)
    return assessment


@dataclass(frozen=True)
class ReviewRow:
    """A submitted assessment as the review lists show it (queue and "my reviews")."""

    assessment_id: int
    city: str
    version: str
    round: int
    submitted_at: datetime | None
    reviewer: str | None
    due: date | None
    is_overdue: bool
    is_resubmitted: bool

    @classmethod
    def of(cls, a: Assessment, today: date) -> ReviewRow:
        reviewer = (a.reviewer.name or a.reviewer.email) if a.reviewer else None
        return cls(a.id, a.city.name, a.edition.version, a.round, a.submitted_at, reviewer,
                   a.review_due, is_overdue(a.status, a.review_due, today),
                   is_resubmitted(a.status, a.returned_at))


def my_reviews(actor: Actor, today: date) -> tuple[ReviewRow, ...]:
    """The submitted assessments the actor reviews: overdue first, then by due date."""
    authz.require(actor, "review")
    rows = db.session.scalars(
        select(Assessment).where(Assessment.reviewer_id == actor.user_id,
                                 Assessment.status == workflow.SUBMITTED)
        .options(joinedload(Assessment.city), joinedload(Assessment.edition),
                 joinedload(Assessment.reviewer))
        .order_by(Assessment.review_due.is_(None), Assessment.review_due,
                  Assessment.submitted_at, Assessment.id))
    return tuple(ReviewRow.of(a, today) for a in rows)
