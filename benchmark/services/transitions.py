"""Applying the assessment workflow (benchmark/workflow.py) and guarding edits by status.

`take_step` is the only code that changes an assessment's status: submit, return,
validate and reopen all run through it, each as the table describes (who, from which
status, what is stamped, audited and notified). Saving answers or the profile asks
`lock_editable` first, which refuses a status the table does not let the team edit.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import bindparam, select
from sqlalchemy.orm import joinedload

from benchmark import authz, workflow
from benchmark.authz import Actor
from benchmark.errors import Conflict, Forbidden, Invalid, NotFound
from benchmark.extensions import db
from benchmark.models import Assessment, QuestionnaireEdition, ReviewComment, utcnow
from benchmark.services import audit, notifications, progress, questionnaires, reports, scores
from benchmark.services._tx import transaction

MAX_MESSAGE = 5000

#: Who hears of each step (the table names the notification's kind).
_NOTIFY = {
    "assessment_submitted": lambda a, _text: notifications.submitted(a),
    "assessment_returned": notifications.returned,
    "assessment_validated": lambda a, _text: notifications.validated(a),
    "assessment_reopened": notifications.reopened,
}


def status_label(status: str) -> str:
    """The status as it reads inside a sentence ("this one is a draft")."""
    return {workflow.DRAFT: _("a draft"), workflow.SUBMITTED: _("submitted"),
            workflow.RETURNED: _("returned"), workflow.VALIDATED: _("validated")
            }.get(status, status)


def _wrong_state(action: str, status: str) -> Conflict:
    now = status_label(status)
    message = {
        "submit": _("Only a draft or returned assessment can be submitted; this one is "
                    "%(status)s.", status=now),
        "return": _("Only a submitted assessment can be returned; this one is %(status)s.",
                    status=now),
        "validate": _("Only a submitted assessment can be validated; this one is %(status)s.",
                      status=now),
        "reopen": _("Only a validated assessment can be reopened; this one is %(status)s.",
                    status=now),
    }[action]
    return Conflict(message, code="wrong_state")


def read_only_reason(status: str) -> str | None:
    """Why the city team cannot change the assessment now; None while they can."""
    if workflow.is_editable(status):
        return None
    if status == workflow.SUBMITTED:
        return _("The assessment is submitted for review and cannot be changed until staff "
                 "return it.")
    if status == workflow.VALIDATED:
        return _("The assessment is validated and read-only; staff can reopen it.")
    return _("The assessment cannot be changed in its current state.")


#: Built once per process (every save runs it; building it cost about as much as running it).
_LOCK = (select(Assessment).where(Assessment.id == bindparam("assessment_id"))
         .options(joinedload(Assessment.edition, innerjoin=True))
         .with_for_update(of=Assessment).execution_options(populate_existing=True))


def lock(assessment_id: int) -> Assessment:
    """The assessment row, locked until commit (FOR UPDATE; SQLite holds the write lock already).

    Its edition row comes along (and stays in the session for the scoring that follows),
    locked by nobody: `OF assessments` keeps saves to other assessments of the edition free.
    """
    assessment = db.session.scalar(_LOCK, {"assessment_id": assessment_id})
    if assessment is None:
        raise NotFound(_("There is no such assessment."))
    return assessment


def lock_editable(actor: Actor, assessment_id: int) -> Assessment:
    """Lock an assessment the actor's city team may change now (inside a transaction).

    NotFound for another city's, Forbidden for anyone outside the city's team (staff),
    Conflict (with the reason) when the status is read-only.
    """
    assessment = lock(assessment_id)
    _require_editable(actor, assessment)
    return assessment


@dataclass(frozen=True)
class LockedAssessment:
    """An assessment row held locked by a save, as plain values (no ORM object to flush)."""

    id: int
    city_id: int
    edition_id: int
    status: str
    revision: int
    #: The edition's version and checksum: its parsed questionnaire without another query.
    version: str
    checksum: str


#: A save's lock: the assessment with its edition's stamp, one statement built once per process.
_LOCK_ROW = (select(Assessment.id, Assessment.city_id, Assessment.edition_id, Assessment.status,
                    Assessment.revision, QuestionnaireEdition.version,
                    QuestionnaireEdition.checksum)
             .join(QuestionnaireEdition, QuestionnaireEdition.id == Assessment.edition_id)
             .where(Assessment.id == bindparam("assessment_id"))
             .with_for_update(of=Assessment))


def lock_editable_row(actor: Actor, assessment_id: int) -> LockedAssessment:
    """`lock_editable` as plain values (the save path, written with Core statements)."""
    row = db.session.connection().execute(_LOCK_ROW, {"assessment_id": assessment_id}).one_or_none()
    if row is None:
        raise NotFound(_("There is no such assessment."))
    locked = LockedAssessment(*row)
    _require_editable(actor, locked)
    return locked


def _require_editable(actor: Actor, assessment: Assessment | LockedAssessment) -> None:
    authz.require(actor, "view_assessment", assessment)
    if not authz.can(actor, "work_on_assessment", assessment):
        raise Forbidden(_("Only the city's team can change answers."))
    if (reason := read_only_reason(assessment.status)) is not None:
        raise Conflict(reason, code="read_only")


def may_take(actor: Actor, action: str, assessment: Assessment) -> bool:
    """Whether the actor may take the step on this assessment now (status and person)."""
    step = workflow.transition(action)
    return assessment.status in step.sources and authz.can(actor, action, assessment)


def steps_for(actor: Actor, assessment: Assessment) -> tuple[str, ...]:
    """The steps the actor may take on this assessment now, in table order."""
    return tuple(t.action for t in workflow.steps_from(assessment.status)
                 if authz.can(actor, t.action, assessment))


def clean_message(text: str | None, field: str) -> str:
    """A staff message (return, reopen, comment): stripped, non-empty, at most MAX_MESSAGE."""
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


def take_step(actor: Actor, assessment_id: int, action: str, message: str | None = None) -> Assessment:
    """Move an assessment along the workflow by the step `action`, as the table says.

    Checks, in order: the person (NotFound for another city, Forbidden for a role the
    step does not allow), the status (Conflict, code wrong_state), the message of steps
    that need one (Invalid), completeness for submission (Invalid, code incomplete, a
    message per question). Then sets the status and timestamps, keeps the message as a
    review comment, audits, refreshes the cached scores (and the network statistics
    when the step moves them), notifies after commit and schedules report renders.
    """
    step = workflow.transition(action)
    with transaction():
        assessment = lock(assessment_id)
        authz.require(actor, action, assessment)
        if assessment.status not in step.sources:
            raise _wrong_state(action, assessment.status)
        text = clean_message(message, step.message_field) if step.message_field else None
        if step.needs_complete:
            _require_complete(assessment)
        now = utcnow()
        assessment.status = step.target
        assessment.status_changed_at = now
        for stamp in step.stamps:
            setattr(assessment, stamp, now)
        for cleared in step.clears:
            setattr(assessment, cleared, None)
        assessment.updated_at = now
        assessment.revision += 1
        if text is not None:
            db.session.add(ReviewComment(assessment_id=assessment.id, author_id=actor.user_id,
                                         body=text, kind=action))
        audit.record(actor, step.audit, target=assessment,
                     details={step.message_key: text} if step.message_key else None)
        db.session.flush()
        scores.refresh_assessment(assessment)
        if step.moves_network:
            db.session.flush()
            scores.refresh_network(assessment.edition_id)
        mails = _NOTIFY[step.notification](assessment, text or "")
    notifications.deliver(mails)
    if step.moves_network:
        reports.schedule_after_validation(assessment)
    return assessment


def _require_complete(assessment: Assessment) -> None:
    from benchmark.services.answers import stored_answers
    from benchmark.services.commitment_followup import missing_outcomes

    edition = questionnaires.get_edition_by_id(assessment.edition_id)
    found = progress.problems(edition, stored_answers(assessment.id), assessment.profile)
    found.update(missing_outcomes(assessment))
    if found:
        raise Invalid(ngettext("%(num)d question still needs attention before you can submit.",
                               "%(num)d questions still need attention before you can submit.",
                               len(found)), fields=found, code="incomplete")
