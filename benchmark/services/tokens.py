"""API tokens: random secrets shown once, stored as sha256, revocable."""

from __future__ import annotations

import hashlib
import logging
import secrets
from datetime import timedelta

from flask_babel import gettext as _
from sqlalchemy import bindparam, select, update
from sqlalchemy.exc import SQLAlchemyError

from benchmark import authz
from benchmark.authz import Actor
from benchmark.errors import Invalid, NotFound
from benchmark.extensions import db
from benchmark.models import ApiToken, User, utcnow
from benchmark.services import accounts, audit
from benchmark.services._tx import transaction

log = logging.getLogger(__name__)

PREFIX = "cbt_"
#: A token's last-used time is written at most this often (a write per request would
#: serialise every API call on SQLite).
LAST_USED_EVERY = timedelta(minutes=5)


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


def create_own(actor: Actor, name: str) -> tuple[ApiToken, str]:
    """A new token for the actor themself (the account page); the secret is shown once."""
    authz.require(actor, "manage_own_account")
    name = name.strip()
    if not name or len(name) > 100:
        message = _("Give the token a name of at most 100 characters, e.g. the script using it.")
        raise Invalid(message, fields={"name": message})
    # Read in the transaction `create` joins: the commit of a read before it would expire
    # the user, to be read again.
    with transaction():
        user = db.session.get(User, actor.user_id)
        if user is None:
            raise NotFound()
        return create(actor, user, name)


def create_for_email(email: str, name: str = "command line") -> tuple[ApiToken, str]:
    """A new token for the user with this address (`benchmark token create`)."""
    user = db.session.scalar(select(User).where(User.email == email.strip().lower()))
    if user is None:
        raise NotFound(f"There is no user with the email address {email!r}.")
    if not user.is_active:
        raise Invalid(f"The account {user.email} is deactivated.")
    return create(authz.SYSTEM, user, name)


#: The token with what the request's actor needs of its user (every API request reads both),
#: as one plain row: built once per process, no ORM objects loaded (docs/performance.md).
_BY_DIGEST = (select(ApiToken.id.label("token_id"), ApiToken.revoked_at, ApiToken.last_used_at,
                     User.id, User.email, User.role, User.city_id, User.dimensions, User.language,
                     User.name, User.is_active)
              .join(User, User.id == ApiToken.user_id)
              .where(ApiToken.token_hash == bindparam("digest")))


def authenticate(secret: str, ip: str | None = None) -> Actor | None:
    """The actor of the active user owning this unrevoked token, else None."""
    if not secret.startswith(PREFIX) or len(secret) > 200:
        return None
    row = db.session.connection().execute(_BY_DIGEST, {"digest": _digest(secret)}).one_or_none()
    if row is None or row.revoked_at is not None or not row.is_active:
        return None
    now = utcnow()
    if row.last_used_at is None or now - row.last_used_at > LAST_USED_EVERY:
        # At most one write every few minutes per token: shows the owner which tokens are
        # in use. A transaction of its own (BEGIN IMMEDIATE on SQLite): upgrading the read
        # transaction to a write would fail with "database is locked" under load. The time
        # is a convenience: a read-only or busy database must never fail the request.
        try:
            with transaction():
                db.session.execute(update(ApiToken).where(ApiToken.id == row.token_id)
                                   .values(last_used_at=now))
        except SQLAlchemyError as err:
            log.warning("token %s: last use not recorded (%s)", row.token_id,
                        str(getattr(err, "orig", err)).splitlines()[0] if str(err) else err)
    return accounts.actor_for(row, ip)


def list_own(actor: Actor) -> list[ApiToken]:
    """The actor's tokens, newest first (revoked ones too, marked)."""
    authz.require(actor, "manage_own_account")
    return list(db.session.scalars(
        select(ApiToken).where(ApiToken.user_id == actor.user_id)
        .order_by(ApiToken.created_at.desc(), ApiToken.id.desc())
    ))


def revoke(actor: Actor, token_id: int) -> ApiToken:
    """Revoke one of the actor's own tokens; another person's token is NotFound."""
    authz.require(actor, "manage_own_account")
    with transaction():
        row = db.session.get(ApiToken, token_id)
        if row is None or row.user_id != actor.user_id:
            raise NotFound(_("There is no such token."))
        if row.revoked_at is None:
            row.revoked_at = utcnow()
            audit.record(actor, "token_revoked", target=row)
    return row
