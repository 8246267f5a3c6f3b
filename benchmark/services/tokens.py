"""API tokens: random secrets shown once, stored as sha256, revocable."""

from __future__ import annotations

import hashlib
import secrets

from sqlalchemy import select

from benchmark.errors import NotFound
from benchmark.extensions import db
from benchmark.models import ApiToken, User, utcnow
from benchmark.services import audit
from benchmark.services._tx import transaction
from benchmark.services.authz import Actor

PREFIX = "cbt_"


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create(actor: Actor, user: User, name: str = "") -> tuple[ApiToken, str]:
    """A new token for `user`; the secret is returned once and never stored."""
    secret = PREFIX + secrets.token_urlsafe(32)
    with transaction():
        row = ApiToken(user_id=user.id, name=name[:100], token_hash=_digest(secret),
                       prefix=secret[:10])
        db.session.add(row)
        db.session.flush()
        audit.record(actor, "token_created", target=row, details={"user": user.email})
    return row, secret


def authenticate(secret: str) -> User | None:
    """The active user owning this unrevoked token, else None."""
    if not secret.startswith(PREFIX) or len(secret) > 200:
        return None
    row = db.session.scalar(select(ApiToken).where(ApiToken.token_hash == _digest(secret)))
    if row is None or row.revoked_at is not None or not row.user.is_active:
        return None
    return row.user


def list_for(user_id: int) -> list[ApiToken]:
    return list(db.session.scalars(
        select(ApiToken).where(ApiToken.user_id == user_id).order_by(ApiToken.created_at.desc())
    ))


def revoke(actor: Actor, token_id: int) -> None:
    """Revoke one of the actor's own tokens (admins may revoke anyone's)."""
    with transaction():
        row = db.session.get(ApiToken, token_id)
        if row is None or (row.user_id != actor.user_id and not actor.is_admin):
            raise NotFound("No such token.")
        if row.revoked_at is None:
            row.revoked_at = utcnow()
            audit.record(actor, "token_revoked", target=row)
