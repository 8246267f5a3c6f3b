"""The append-only audit log: who did what, when, from where.

Rows are only ever inserted: database triggers (migration 0003_audit_append_only) refuse
UPDATE and DELETE on audit_events, on SQLite and PostgreSQL alike.

Action names are free text; the services record these:
- accounts: login, login_failed, logout, password_changed, password_reset_requested,
  password_reset, invitation_accepted, profile_updated, sessions_revoked;
- people: user_invited, user_invite_existing (a focal point invited an address that has an
  account elsewhere: nothing stored, its owner told by email), invitation_resent,
  user_created, user_updated, role_changed,
  dimensions_changed, user_deactivated, user_reactivated; token_created, token_revoked;
- cities: city_created, city_updated;
- assessments: assessment_created, answer_saved (details: question, revision, and
  changes as {"field": [old, new]}), profile_saved, review_comment, and the workflow
  steps named in benchmark/workflow.py (assessment_submitted, assessment_returned,
  assessment_validated, assessment_reopened);
- review: review_assigned;
- questionnaire editions: edition_draft_uploaded, edition_draft_replaced,
  edition_draft_translated, edition_draft_mapped, edition_draft_deleted, edition_published;
- good practices: practice_created, practice_updated (details: the changes), and the steps
  named in benchmark/practice_workflow.py (practice_submitted, practice_returned,
  practice_published, practice_withdrawn);
- commitments: commitment_created, commitment_updated, commitment_note_added,
  commitment_outcome_recorded;
- data leaving the service: export, report_download (spooled, then flushed in batches:
  services/audit_spool.py), network_report_download; demo_seeded;
- audit_spool_unreadable: a spooled line that could not be read, kept as its raw text.

Their words on the audit page are in benchmark/web/labels.py (AUDIT_ACTIONS).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import and_, bindparam, func, insert, or_, select

from benchmark import authz
from benchmark.authz import Actor
from benchmark.extensions import db
from benchmark.models import AuditEvent, utcnow
from benchmark.services import index_walk

PER_PAGE = 100


def record(actor: Actor | None, action: str, target: Any = None, *,
           details: dict[str, Any] | None = None, ip: str | None = None,
           user_id: int | None = None, city_id: int | None = None) -> AuditEvent:
    """Add an audit row to the current transaction (the caller commits)."""
    event = AuditEvent(**row(
        actor, action, target.__class__.__name__ if target is not None else None,
        getattr(target, "id", "") if target is not None else None,
        city_id=city_id if city_id is not None else _city_id(target), details=details, ip=ip,
        user_id=user_id))
    db.session.add(event)
    return event


def row(actor: Actor | None, action: str, target_type: str | None, target_id: Any, *,
        city_id: int | None = None, details: dict[str, Any] | None = None,
        ip: str | None = None, user_id: int | None = None, at: datetime | None = None,
        ) -> dict[str, Any]:
    """The columns of an audit row (`record` adds it as an object; hot paths insert it with
    Core, `insert_now`, or spool it, services/audit_spool.py)."""
    return {
        "at": at or utcnow(),
        "user_id": actor.user_id if actor else user_id,
        "actor": actor.email if actor else "",
        "ip": (actor.ip if actor else None) or ip,
        "action": action, "target_type": target_type,
        "target_id": str(target_id) if target_type is not None else None,
        "city_id": city_id, "details": details,
    }


#: Built once per process: a save inserts its audit row without the ORM's unit of work.
_INSERT = insert(AuditEvent.__table__)


def row_insert(columns: Iterable[str], prefix: str) -> Any:
    """The insert of one audit row (`row`'s columns) bound as `<prefix><column>`: a part of a
    statement that writes several tables at once (answers.save on PostgreSQL)."""
    return _INSERT.values({c: bindparam(prefix + c) for c in columns})


def insert_now(rows: Sequence[dict[str, Any]]) -> None:
    """Insert audit rows (`row`) with one Core statement, in the caller's transaction."""
    if rows:
        db.session.connection().execute(_INSERT, list(rows))


def changes(old: dict[str, Any], new: dict[str, Any]) -> dict[str, list[Any]]:
    """{"field": [old, new]} for every field whose value differs: the details of a change."""
    return {key: [old.get(key), new.get(key)] for key in sorted(set(old) | set(new))
            if old.get(key) != new.get(key)}


def contains(text: str) -> str:
    """A LIKE pattern (escape character backslash) matching `text` anywhere, lower-cased."""
    escaped = text.strip().lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _city_id(target: Any) -> int | None:
    if target is None:
        return None
    if target.__class__.__name__ == "City":
        return target.id
    return getattr(target, "city_id", None)


@dataclass(frozen=True)
class AuditFilter:
    action: str | None = None
    #: Part of the acting user's email address.
    actor: str | None = None
    #: Part of the name (or short name) of the event's city.
    city: str | None = None
    since: datetime | None = None
    until: datetime | None = None
    #: Keyset pagination: show events with a smaller id (older) than this.
    before: int | None = None


@dataclass(frozen=True)
class AuditPage:
    events: list[AuditEvent]
    #: The names of the cities of this page's events.
    cities: dict[int, str]
    next_before: int | None
    #: Choices for the filter form.
    actions: list[str]
    #: The error message of a city filter that names no city.
    city_problem: str | None = None


#: The filter's choices: the actions the log holds, one index probe each (DISTINCT read the
#: whole log, which only grows: 6 ms at 31,000 events on PostgreSQL).
_ACTIONS = index_walk.distinct_values(AuditEvent.action, "actions")


def browse(actor: Actor, wanted: AuditFilter) -> AuditPage:
    """Newest events first, PER_PAGE at a time, filtered; administrators only."""
    from benchmark.services import city_filter  # it imports this module

    authz.require(actor, "view_audit")
    # Spooled downloads first, so that the page misses none (services/audit_spool.py).
    from benchmark.services import audit_spool  # it imports this module

    audit_spool.flush()
    conditions = []
    if wanted.action:
        conditions.append(AuditEvent.action == wanted.action)
    if wanted.actor:
        conditions.append(func.lower(AuditEvent.actor).like(contains(wanted.actor), escape="\\"))
    if wanted.city:
        conditions.append(AuditEvent.city_id.in_(city_filter.named(wanted.city)))
    if wanted.since:
        conditions.append(AuditEvent.at >= wanted.since)
    if wanted.until:
        conditions.append(AuditEvent.at < wanted.until)
    if wanted.before:
        # Older than the event the link names, in the page's order (time, then id).
        at = select(AuditEvent.at).where(AuditEvent.id == wanted.before).scalar_subquery()
        conditions.append(or_(AuditEvent.at < at,
                              and_(AuditEvent.at == at, AuditEvent.id < wanted.before)))
    # By time, not id: a spooled download gets its id when flushed, after later events.
    rows = list(db.session.scalars(
        select(AuditEvent).where(*conditions)
        .order_by(AuditEvent.at.desc(), AuditEvent.id.desc()).limit(PER_PAGE + 1)
    ))
    next_before = rows[PER_PAGE - 1].id if len(rows) > PER_PAGE else None
    events = rows[:PER_PAGE]
    actions = list(db.session.scalars(_ACTIONS))
    city_problem = None
    if wanted.city and not events:  # no event: say so if it is because the text names no city
        choice = city_filter.choose(wanted.city)
        if choice.city is None and not choice.several:
            city_problem = city_filter.problem(wanted.city, choice)
    return AuditPage(events=events, cities=city_filter.names({e.city_id for e in events}),
                     next_before=next_before, actions=actions, city_problem=city_problem)
