"""Identity: credentials, server-side sessions, passwords, emailed links and one's own profile.

Managing other people's accounts (invitations, roles, deactivation) is in services/users.py.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

from email_validator import EmailNotValidError, validate_email
from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import bindparam, func, select, update
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import contains_eager

from benchmark import authz
from benchmark.authz import Actor
from benchmark.errors import Invalid, NotFound
from benchmark.extensions import db
from benchmark.infra import mail, passwords
from benchmark.models import User, UserSession, utcnow
from benchmark.services import audit
from benchmark.services._tx import transaction

log = logging.getLogger(__name__)

#: Builds the absolute URL of an emailed link from its token (the web layer knows the route).
LinkBuilder = Callable[[str], str]
RESET = "password-reset"
INVITATION = "invitation"


@dataclass(frozen=True)
class LoginResult:
    session_id: str
    user: User


class LinkInvalid(Invalid):
    """This link has expired or has already been used."""

    code = "link_invalid"


def actor_for(user: User | Any, ip: str | None = None) -> Actor:
    """The actor of a user: a User, or a row with the same names (a token's check reads one)."""
    return Actor(
        user_id=user.id, email=user.email, role=user.role, city_id=user.city_id,
        dimensions=frozenset(user.dimensions) if user.dimensions is not None else None,
        ip=ip, language=user.language, name=user.name or "",
    )


def normalise_email(email: str) -> str:
    """The address in canonical form; Invalid (field "email") when it is not an address."""
    try:
        return validate_email(email.strip(), check_deliverability=False).normalized.lower()
    except EmailNotValidError:
        raise Invalid(_("Enter an email address like name@city.org."),
                      fields={"email": _("Enter an email address like name@city.org.")}) from None


def find_user_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(func.lower(User.email) == email.strip().lower()))


def get_user(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None:
        raise NotFound(_("There is no such user."))
    return user


# -- sessions -------------------------------------------------------------------------------

def start_session(user: User, *, ip: str | None, user_agent: str | None) -> str:
    """Add a new server-side session row for `user` (inside a transaction); its id."""
    row = UserSession(id=secrets.token_urlsafe(32), user_id=user.id, ip=ip,
                      user_agent=(user_agent or "")[:300])
    db.session.add(row)
    return row.id


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
        session_id = start_session(user, ip=ip, user_agent=user_agent)
        audit.record(actor_for(user, ip), "login", target=user)
    return LoginResult(session_id=session_id, user=user)


def logout(session_id: str, actor: Actor) -> None:
    """Revoke the session so that every copy of its cookie stops working."""
    with transaction():
        db.session.execute(
            update(UserSession).where(UserSession.id == session_id).values(revoked_at=utcnow())
        )
        audit.record(actor, "logout")


@dataclass(frozen=True)
class SessionUser:
    """What a request reads of the logged-in user: the actor's fields (`actor_for` reads
    them by name) and the header's unread count. Plain values, no ORM object: a page that
    needs the User (the account page) loads it itself."""

    id: int
    email: str
    name: str
    role: str
    city_id: int | None
    dimensions: tuple[str, ...] | None
    language: str
    unread_notifications: int


@dataclass(frozen=True)
class LiveSession:
    """A live server-side session (not revoked, its user active, within both deadlines)."""

    id: str
    created_at: datetime
    last_seen_at: datetime
    user: SessionUser


#: The session with what every logged-in request reads of its user, the unread count
#: included: one plain row from a statement built once per process, no ORM objects loaded
#: (loading a UserSession and its User cost twice as much app CPU as the row; every
#: logged-in request runs it).
_LIVE_SESSION = (select(UserSession.id, UserSession.created_at, UserSession.last_seen_at,
                        UserSession.revoked_at, User.id.label("user_id"), User.email, User.name,
                        User.role, User.city_id, User.dimensions, User.language, User.is_active,
                        User.unread_notifications.label("unread_notifications"))
                 .join(User, User.id == UserSession.user_id)
                 .where(UserSession.id == bindparam("session_id")))


def _is_live(revoked_at: datetime | None, is_active: bool, created_at: datetime,
             last_seen_at: datetime, now: datetime) -> bool:
    """Not revoked, its user active, used within the idle timeout, younger than the lifetime."""
    if revoked_at is not None or not is_active:
        return False
    idle: timedelta = current_app.config["SESSION_IDLE_TIMEOUT"]
    lifetime: timedelta = current_app.config["SESSION_ABSOLUTE_LIFETIME"]
    return now - last_seen_at <= idle and now - created_at <= lifetime


def load_session(session_id: str) -> LiveSession | None:
    """The live session with this id (see `_is_live`) and its user, in one statement."""
    row = db.session.connection().execute(_LIVE_SESSION, {"session_id": session_id}).first()
    if row is None or not _is_live(row.revoked_at, row.is_active, row.created_at,
                                   row.last_seen_at, utcnow()):
        return None
    user = SessionUser(
        id=row.user_id, email=row.email, name=row.name, role=row.role, city_id=row.city_id,
        dimensions=tuple(row.dimensions) if row.dimensions is not None else None,
        language=row.language, unread_notifications=row.unread_notifications)
    return LiveSession(id=row.id, created_at=row.created_at, last_seen_at=row.last_seen_at,
                       user=user)


def session_expiry(row: LiveSession | UserSession) -> datetime:
    """When the session ends unless used again: idle deadline, capped by the absolute lifetime."""
    config = current_app.config
    return min(row.last_seen_at + config["SESSION_IDLE_TIMEOUT"],
               row.created_at + config["SESSION_ABSOLUTE_LIFETIME"])


def touch_session(row: LiveSession, *, force: bool = False) -> datetime:
    """Record activity at most once a minute (avoids a write per request); the new expiry.

    The time is a convenience: a read-only or busy database must never fail the request
    (the session then ends at its last recorded activity, which is logged).
    """
    now = utcnow()
    if force or now - row.last_seen_at > timedelta(seconds=60):
        try:
            # Its own write transaction (BEGIN IMMEDIATE on SQLite), never an upgraded read.
            with transaction():
                db.session.execute(
                    update(UserSession).where(UserSession.id == row.id).values(last_seen_at=now)
                )
        except SQLAlchemyError as err:
            log.warning("session of user %s: activity not recorded (%s)", row.user.id,
                        str(getattr(err, "orig", err)).splitlines()[0])
            return session_expiry(row)
        row = replace(row, last_seen_at=now)
    return session_expiry(row)


def list_sessions(actor: Actor) -> list[UserSession]:
    """The actor's own live sessions, newest first.

    Their user comes with them (one statement; it stays in the ORM session, so the
    account page's `get_user` that follows reads no row of its own).
    """
    authz.require(actor, "manage_own_account")
    rows = db.session.scalars(
        select(UserSession).join(UserSession.user).options(contains_eager(UserSession.user))
        .where(UserSession.user_id == actor.user_id, UserSession.revoked_at.is_(None))
        .order_by(UserSession.last_seen_at.desc())
    )
    now = utcnow()
    return [row for row in rows
            if _is_live(row.revoked_at, row.user.is_active, row.created_at, row.last_seen_at, now)]


def _own_account(actor: Actor, password: str, field: str, wrong: str) -> User:
    """The actor's account once they have typed its password again (Invalid on `field` if not)."""
    user = get_user(actor.user_id or 0)
    if not passwords.verify_password(user.password_hash, password):
        raise Invalid(wrong, fields={field: wrong})
    return user


def revoke_other_sessions(actor: Actor, current_session: str, password: str) -> int:
    """Log out every other device after re-checking the password; how many were ended."""
    authz.require(actor, "manage_own_account")
    with transaction():
        user = _own_account(actor, password, "password", _("The password is not right."))
        ended = revoke_sessions(user.id, keep=current_session)
        audit.record(actor, "sessions_revoked", target=user, details={"count": ended})
    return ended


def revoke_sessions(user_id: int, *, keep: str | None = None) -> int:
    """Revoke every live session of a user except `keep` (inside a transaction); how many."""
    query = update(UserSession).where(UserSession.user_id == user_id,
                                      UserSession.revoked_at.is_(None))
    if keep:
        query = query.where(UserSession.id != keep)
    result = db.session.execute(query.values(revoked_at=utcnow()))
    return int(getattr(result, "rowcount", 0) or 0)


# -- one's own account ------------------------------------------------------------------------

@dataclass(frozen=True)
class AccountPage:
    """One's own account and where one is logged in (the account page)."""

    user: User
    sessions: list[UserSession]


def profile(actor: Actor) -> AccountPage:
    """The actor's own account and live sessions (the account page)."""
    authz.require(actor, "manage_own_account")
    sessions = list_sessions(actor)  # first: it loads the user that get_user then finds
    return AccountPage(get_user(actor.user_id or 0), sessions)


def update_profile(actor: Actor, *, name: str, language: str) -> User:
    """Change the actor's display name and preferred language."""
    authz.require(actor, "manage_own_account")
    if language not in current_app.config["LANGUAGES"]:
        raise Invalid(_("Choose one of the offered languages."),
                      fields={"language": _("Choose one of the offered languages.")})
    with transaction():
        user = get_user(actor.user_id or 0)
        user.name = name.strip()[:200]
        user.language = language
        audit.record(actor, "profile_updated", target=user)
    return user


def change_password(actor: Actor, session_id: str, current: str, new: str, *,
                    user_agent: str | None = None) -> str:
    """Set a new password; every session ends (copied cookies too), a fresh one is returned."""
    authz.require(actor, "manage_own_account")
    with transaction():
        user = _own_account(actor, current, "current_password",
                            _("The current password is not right."))
        if problem := password_problem(new, user.email):
            raise Invalid(problem, fields={"new_password": problem})
        set_password(user, new)
        revoke_sessions(user.id)
        fresh = start_session(user, ip=actor.ip, user_agent=user_agent)
        audit.record(actor, "password_changed", target=user)
    return fresh


def password_problem(password: str, email: str) -> str | None:
    """The policy's objection to `password`, in the user's language, or None."""
    problem = passwords.policy_problem(password, email=email)
    if problem is None:
        return None
    return {
        "length": _("Use at least %(n)d characters.", n=passwords.MIN_LENGTH),
        "too_long": _("Use at most %(n)d characters.", n=passwords.MAX_LENGTH),
        "common": _("This password is too common; choose a less predictable one."),
        "email": _("Do not use your email address in your password."),
    }.get(passwords.problem_code(password, email=email) or "", problem)


def set_password(user: User, password: str) -> None:
    user.password_hash = passwords.hash_password(password)
    user.password_changed_at = utcnow()


# -- emailed links: password reset and invitation ---------------------------------------------

def _serializer(purpose: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=f"benchmark.{purpose}")


def _fingerprint(user: User) -> str:
    """Changes whenever the password does, so a link works once and dies on any password change."""
    basis = f"{user.id}:{user.password_hash or '-'}:{user.is_active}"
    return hashlib.sha256(basis.encode()).hexdigest()[:24]


def link_token(user: User, purpose: str) -> str:
    return _serializer(purpose).dumps({"u": user.id, "f": _fingerprint(user)})


def _max_age(purpose: str) -> int:
    key = "INVITATION_MAX_AGE" if purpose == INVITATION else "PASSWORD_RESET_MAX_AGE"
    return int(current_app.config[key].total_seconds())


def user_for_link(token: str, purpose: str) -> User:
    """The user an unexpired, unused link belongs to; LinkInvalid otherwise."""
    invalid = LinkInvalid(_("This link has expired or has already been used. Ask for a new one."))
    if not token or len(token) > 500:
        raise invalid
    try:
        payload = _serializer(purpose).loads(token, max_age=_max_age(purpose))
    except (SignatureExpired, BadSignature):
        raise invalid from None
    if not isinstance(payload, dict) or not isinstance(payload.get("u"), int):
        raise invalid
    user = db.session.get(User, payload["u"])
    if user is None or not user.is_active or payload.get("f") != _fingerprint(user):
        raise invalid
    return user


def send_link_mail(user: User, purpose: str, link: LinkBuilder, inviter: str = "") -> None:
    """Email a reset or invitation link in the user's language."""
    url = link(link_token(user, purpose))
    with force_locale(user.language or "en"):
        if purpose == INVITATION:
            hours = _max_age(INVITATION) // 3600
            subject = _("You are invited to City Benchmark")
            body = _(
                "Hello,\n\n%(inviter)s has invited you to City Benchmark.\n\n"
                "Choose your password with this link (valid for %(days)d days):\n%(url)s\n\n"
                "If you did not expect this message, you can ignore it.\n",
                inviter=inviter or _("The programme team"), days=max(1, hours // 24), url=url)
        else:
            minutes = _max_age(RESET) // 60
            subject = _("Reset your City Benchmark password")
            body = _(
                "Hello,\n\nSomeone (hopefully you) asked to reset your City Benchmark password.\n\n"
                "Choose a new password with this link (valid for %(minutes)d minutes, once):\n"
                "%(url)s\n\nIf you did not ask for this, ignore this message: your password "
                "stays as it is.\n", minutes=minutes, url=url)
    mail.send(user.email, str(subject), str(body))


def request_password_reset(email: str, *, ip: str | None, link: LinkBuilder) -> None:
    """Email a reset link if an active account has this address; silent otherwise (no enumeration)."""
    with transaction():
        user = find_user_by_email(email)
        audit.record(None, "password_reset_requested", ip=ip,
                     user_id=user.id if user else None,
                     details={"email": email.strip().lower()[:254], "known": user is not None})
    if user is not None and user.is_active:
        send_link_mail(user, RESET, link)


def complete_link(token: str, purpose: str, password: str, *, name: str | None = None,
                  ip: str | None = None) -> User:
    """Set the password through a reset or invitation link; the link then stops working."""
    with transaction():
        user = user_for_link(token, purpose)
        if problem := password_problem(password, user.email):
            raise Invalid(problem, fields={"password": problem})
        set_password(user, password)
        if name is not None and name.strip():
            user.name = name.strip()[:200]
        revoke_sessions(user.id)
        audit.record(actor_for(user, ip),
                     "invitation_accepted" if purpose == INVITATION else "password_reset",
                     target=user)
    return user
