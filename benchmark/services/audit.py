"""The append-only audit log."""

from __future__ import annotations

from typing import Any

from benchmark.extensions import db
from benchmark.models import AuditEvent
from benchmark.services.authz import Actor


def record(actor: Actor | None, action: str, target: Any = None, *,
           details: dict[str, Any] | None = None, ip: str | None = None,
           user_id: int | None = None, city_id: int | None = None) -> AuditEvent:
    """Add an audit row to the current transaction (the caller commits)."""
    event = AuditEvent(
        user_id=actor.user_id if actor else user_id,
        actor=actor.email if actor else "",
        ip=(actor.ip if actor else None) or ip,
        action=action,
        target_type=target.__class__.__name__ if target is not None else None,
        target_id=str(getattr(target, "id", "")) if target is not None else None,
        city_id=city_id if city_id is not None else _city_id(target),
        details=details,
    )
    db.session.add(event)
    return event


def _city_id(target: Any) -> int | None:
    if target is None:
        return None
    if target.__class__.__name__ == "City":
        return target.id
    return getattr(target, "city_id", None)
