"""Notifications of assessment workflow steps: a Notification row per user, and an email.

Rows are added inside the caller's transaction; emails go out after it commits
(`deliver`), so a rolled-back step never mails anybody and a slow mail server
never holds the database lock.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import func, select, update

from benchmark import authz
from benchmark.authz import Actor
from benchmark.errors import NotFound
from benchmark.extensions import db
from benchmark.models import Assessment, Notification, User, utcnow
from benchmark.services._tx import transaction

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Mail:
    to: str
    subject: str
    body: str


def _city_team(assessment: Assessment) -> list[User]:
    return list(db.session.scalars(
        select(User).where(User.city_id == assessment.city_id, User.is_active.is_(True),
                           User.role.in_(("focal_point", "contributor"))).order_by(User.id)))


def _staff() -> list[User]:
    return list(db.session.scalars(
        select(User).where(User.role.in_(("staff", "admin")), User.is_active.is_(True))
        .order_by(User.id)))


def _link(path: str) -> str:
    return current_app.config.get("BASE_URL", "").rstrip("/") + path


def _notify(users: list[User], kind: str, assessment: Assessment, path: str,
            subject_of: object, body_of: object) -> list[Mail]:
    mails = []
    for user in users:
        # Each person reads the message in their own language.
        with force_locale(user.language or "en"):
            subject = subject_of()  # type: ignore[operator]
            body = body_of()  # type: ignore[operator]
        db.session.add(Notification(user_id=user.id, kind=kind, subject=subject[:300],
                                    body=body, link=path))
        mails.append(Mail(user.email, subject, body + "\n\n" + _link(path) + "\n"))
    return mails


def _names(assessment: Assessment) -> dict[str, object]:
    return {"city": assessment.city.name, "version": assessment.edition.version,
            "round": assessment.round}


def submitted(assessment: Assessment) -> list[Mail]:
    """Tell staff that an assessment waits for review."""
    names = _names(assessment)
    return _notify(
        _staff(), "assessment_submitted", assessment, f"/review/{assessment.id}",
        lambda: _("%(city)s submitted its %(round)s assessment", **names),
        lambda: _("%(city)s submitted its assessment (questionnaire %(version)s, round "
                  "%(round)s). It is waiting in the review queue.", **names),
    )


def returned(assessment: Assessment, message: str) -> list[Mail]:
    """Tell the city team that staff returned their assessment, with the staff message."""
    names = _names(assessment)
    return _notify(
        _city_team(assessment), "assessment_returned", assessment,
        f"/assessments/{assessment.id}",
        lambda: _("Your %(round)s assessment was returned for changes", **names),
        lambda: _("Programme staff returned the assessment of %(city)s (round %(round)s) "
                  "for changes:", **names) + "\n\n" + message,
    )


def validated(assessment: Assessment) -> list[Mail]:
    """Tell the city team that their assessment is validated."""
    names = _names(assessment)
    return _notify(
        _city_team(assessment), "assessment_validated", assessment,
        f"/assessments/{assessment.id}",
        lambda: _("Your %(round)s assessment is validated", **names),
        lambda: _("Programme staff validated the assessment of %(city)s (round %(round)s). "
                  "Its scores now count in the network comparison.", **names),
    )


def reopened(assessment: Assessment, reason: str) -> list[Mail]:
    """Tell the city team that a validated assessment is open for changes again."""
    names = _names(assessment)
    return _notify(
        _city_team(assessment), "assessment_reopened", assessment,
        f"/assessments/{assessment.id}",
        lambda: _("Your %(round)s assessment was reopened", **names),
        lambda: _("Programme staff reopened the validated assessment of %(city)s (round "
                  "%(round)s) for changes:", **names) + "\n\n" + reason,
    )


def assigned(assessment: Assessment, reviewer: User, due: object) -> list[Mail]:
    """Tell a staff member that they review an assessment (by a date, when given)."""
    names = _names(assessment)
    return _notify(
        [reviewer], "review_assigned", assessment, f"/review/{assessment.id}",
        lambda: _("You review the %(round)s assessment of %(city)s", **names),
        lambda: (_("You are the reviewer of the assessment of %(city)s (questionnaire "
                   "%(version)s, round %(round)s).", **names)
                 + (" " + _("Please review it by %(date)s.", date=str(due)) if due else "")),
    )


def commented(assessment: Assessment, body: str) -> list[Mail]:
    """Tell the city team that staff commented on their assessment, with the comment."""
    names = _names(assessment)
    return _notify(
        _city_team(assessment), "review_comment", assessment, f"/assessments/{assessment.id}",
        lambda: _("Programme staff commented on your %(round)s assessment", **names),
        lambda: _("Programme staff commented on the assessment of %(city)s (round "
                  "%(round)s):", **names) + "\n\n" + body,
    )


@dataclass(frozen=True)
class NotificationRow:
    id: int
    kind: str
    subject: str
    body: str
    created_at: datetime
    is_read: bool


@dataclass(frozen=True)
class NotificationList:
    items: tuple[NotificationRow, ...]
    unread: int
    has_more: bool


LIST_LIMIT = 100


def list_own(actor: Actor) -> NotificationList:
    """The actor's newest notifications (LIST_LIMIT), unread ones marked."""
    authz.require(actor, "manage_own_account")
    rows = list(db.session.scalars(
        select(Notification).where(Notification.user_id == actor.user_id)
        .order_by(Notification.created_at.desc(), Notification.id.desc()).limit(LIST_LIMIT + 1)))
    unread = db.session.scalar(select(func.count()).select_from(Notification).where(
        Notification.user_id == actor.user_id, Notification.read_at.is_(None))) or 0
    return NotificationList(
        tuple(NotificationRow(n.id, n.kind, n.subject, n.body, n.created_at, n.read_at is not None)
              for n in rows[:LIST_LIMIT]), int(unread), len(rows) > LIST_LIMIT)


def open_one(actor: Actor, notification_id: int) -> str:
    """Mark one of the actor's notifications read; the path it links to (another's: NotFound)."""
    authz.require(actor, "manage_own_account")
    with transaction():
        row = db.session.get(Notification, notification_id)
        if row is None or row.user_id != actor.user_id:
            raise NotFound(_("There is no such notification."))
        if row.read_at is None:
            row.read_at = utcnow()
        link = row.link
    return link if link.startswith("/") and not link.startswith("//") else "/notifications"


def mark_all_read(actor: Actor) -> int:
    """Mark every unread notification of the actor read; how many were."""
    authz.require(actor, "manage_own_account")
    with transaction():
        result = db.session.execute(
            update(Notification).where(Notification.user_id == actor.user_id,
                                       Notification.read_at.is_(None)).values(read_at=utcnow()))
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


def deliver(mails: list[Mail]) -> None:
    """Send after commit; a failing mail server is logged, the workflow step stands."""
    from benchmark.infra import mail

    for m in mails:
        try:
            mail.send(m.to, m.subject, m.body)
        except Exception:  # the notification row is the record; mail is best effort
            log.exception("could not send %r to %s", m.subject, m.to)
