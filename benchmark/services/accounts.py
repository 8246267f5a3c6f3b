"""Logging in and out: credentials, server-side sessions and users."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import func, select, update

from benchmark.errors import Invalid
from benchmark.extensions import db
from benchmark.models import ROLES, City, User, UserSession, utcnow
from benchmark.services import audit, passwords
from benchmark.services._tx import transaction
from benchmark.services.authz import Actor


@dataclass(frozen=True)
class LoginResult:
    session_id: str
    user: User


def actor_for(user: User, ip: str | None = None) -> Actor:
    return Actor(
        user_id=user.id, email=user.email, role=user.role, city_id=user.city_id,
        dimensions=frozenset(user.dimensions) if user.dimensions is not None else None,
        ip=ip, language=user.language,
    )


def find_user_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(func.lower(User.email) == email.strip().lower()))


def login(email: str, password: str, *, ip: str | None, user_agent: str | None) -> LoginResult | None:
    """A new server-side session for valid credentials of an active user, else None (audited)."""
    with transaction():
        user = find_user_by_email(email)
        ok = passwords.verify_password(user.password_hash if user else None, password)
        if not ok or user is None or not user.is_active:
            audit.record(None, "login_failed", details={"email": email.strip().lower()[:254]},
                         ip=ip, user_id=user.id if user else None)
            return None
        if user.password_hash and passwords.needs_rehash(user.password_hash):
            user.password_hash = passwords.hash_password(password)
        user.last_login_at = utcnow()
        row = UserSession(id=secrets.token_urlsafe(32), user_id=user.id, ip=ip,
                          user_agent=(user_agent or "")[:300])
        db.session.add(row)
        audit.record(actor_for(user, ip), "login", target=user)
    return LoginResult(session_id=row.id, user=user)


def logout(session_id: str, actor: Actor) -> None:
    """Revoke the session so that every copy of its cookie stops working."""
    with transaction():
        db.session.execute(
            update(UserSession).where(UserSession.id == session_id).values(revoked_at=utcnow())
        )
        audit.record(actor, "logout")


def load_session(session_id: str) -> UserSession | None:
    """The live session with this id: not revoked, not idle too long, not too old."""
    row = db.session.get(UserSession, session_id)
    if row is None or row.revoked_at is not None or not row.user.is_active:
        return None
    now = utcnow()
    idle: timedelta = current_app.config["SESSION_IDLE_TIMEOUT"]
    lifetime: timedelta = current_app.config["SESSION_ABSOLUTE_LIFETIME"]
    if now - row.last_seen_at > idle or now - row.created_at > lifetime:
        return None
    return row


def touch_session(row: UserSession) -> datetime:
    """Record activity at most once a minute (avoids a write per request); the idle deadline."""
    now = utcnow()
    if now - row.last_seen_at > timedelta(seconds=60):
        db.session.execute(
            update(UserSession).where(UserSession.id == row.id).values(last_seen_at=now)
        )
        db.session.commit()
        row.last_seen_at = now
    return row.last_seen_at + current_app.config["SESSION_IDLE_TIMEOUT"]


def upsert_user(email: str, role: str, *, city_slug: str | None = None, password: str | None = None,
                name: str | None = None, actor: Actor | None = None) -> tuple[User, bool]:
    """Create the user, or update role/city/password of an existing one; (user, created)."""
    if role not in ROLES:
        raise Invalid(f"Unknown role {role!r}.", fields={"role": f"one of {', '.join(ROLES)}"})
    with transaction():
        city = None
        if city_slug:
            city = db.session.scalar(select(City).where(City.slug == city_slug))
            if city is None:
                raise Invalid(f"Unknown city {city_slug!r}.", fields={"city": "no city with this slug"})
        if role in {"focal_point", "contributor"} and city is None:
            raise Invalid("Focal points and contributors belong to a city: give --city.",
                          fields={"city": "required for this role"})
        if role not in {"focal_point", "contributor"}:
            city = None
        if password is not None and (problem := passwords.policy_problem(password, email=email)):
            raise Invalid(problem, fields={"password": problem})
        user = find_user_by_email(email)
        created = user is None
        if user is None:
            user = User(email=email.strip().lower(), role=role, name=name or "")
            db.session.add(user)
        old_role = user.role
        user.role = role
        user.city_id = city.id if city else None
        if name is not None:
            user.name = name
        if password is not None:
            user.password_hash = passwords.hash_password(password)
            user.password_changed_at = utcnow()
            if not created:
                revoke_sessions(user.id)
        db.session.flush()
        audit.record(actor, "user_created" if created else "user_updated", target=user,
                     details={"role": [old_role, role]} if old_role != role else None)
    return user, created


def revoke_sessions(user_id: int, *, keep: str | None = None) -> None:
    """Revoke every live session of a user except `keep` (inside a transaction)."""
    query = update(UserSession).where(UserSession.user_id == user_id,
                                      UserSession.revoked_at.is_(None))
    if keep:
        query = query.where(UserSession.id != keep)
    db.session.execute(query.values(revoked_at=utcnow()))
