"""Notifications of assessment workflow steps: a Notification row per user, and an email.

Rows are added inside the caller's transaction; emails go out after it commits
(`deliver`), so a rolled-back step never mails anybody and a slow mail server
never holds the database lock.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select

from benchmark.extensions import db
from benchmark.models import Assessment, Notification, User

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


def deliver(mails: list[Mail]) -> None:
    """Send after commit; a failing mail server is logged, the workflow step stands."""
    from benchmark.infra import mail

    for m in mails:
        try:
            mail.send(m.to, m.subject, m.body)
        except Exception:  # the notification row is the record; mail is best effort
            log.exception("could not send %r to %s", m.subject, m.to)
