"""Managing other people's accounts: invitations, roles, cities, dimensions, deactivation.

Administrators manage everyone; a city's focal point manages the contributors of their
own city (its "team"). Every function asks authz first.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import func, or_, select

from benchmark import authz
from benchmark.authz import Actor
from benchmark.errors import Forbidden, Invalid, NotFound
from benchmark.extensions import db
from benchmark.models import CITY_ROLES, ROLES, City, User
from benchmark.services import accounts, audit
from benchmark.services._tx import flush_unique, transaction
from benchmark.services.accounts import INVITATION, LinkBuilder

PER_PAGE = 50


@dataclass(frozen=True)
class Invitation:
    email: str
    role: str
    name: str = ""
    city_id: int | None = None
    #: Contributors only: dimension ids they may edit; None (or empty) means all.
    dimensions: list[str] | None = None
    language: str = "en"


@dataclass(frozen=True)
class UserChanges:
    name: str
    role: str
    city_id: int | None
    dimensions: list[str] | None
    language: str


@dataclass(frozen=True)
class FormOptions:
    cities: list[tuple[int, str]]
    dimensions: list[tuple[str, str]]


@dataclass(frozen=True)
class UserPage:
    items: list[User]
    total: int
    page: int
    pages: int
    #: Choices for the filter form.
    city_options: list[tuple[int, str]]


@dataclass(frozen=True)
class Team:
    city: City
    members: list[User]
    dimensions: list[tuple[str, str]]


def dimension_choices(lang: str = "en") -> list[tuple[str, str]]:
    """(id, title) of the latest questionnaire edition's dimensions; [] before any import."""
    from benchmark.questionnaire.model import localize
    from benchmark.services import questionnaires

    version = questionnaires.latest_version()
    if version is None:
        return []
    edition = questionnaires.get_edition(version)
    return [(d.id, localize(d.title, lang)) for d in edition.dimensions]


def _clean_dimensions(role: str, dimensions: list[str] | None) -> list[str] | None:
    if role != "contributor" or not dimensions:
        return None
    known = {dim_id for dim_id, _title in dimension_choices()}
    unknown = sorted(set(dimensions) - known)
    if unknown:
        message = _("Unknown dimension: %(ids)s.", ids=", ".join(unknown))
        raise Invalid(message, fields={"dimensions": message})
    return sorted(set(dimensions))


def _check_language(language: str) -> str:
    if language not in current_app.config["LANGUAGES"]:
        message = _("Choose one of the offered languages.")
        raise Invalid(message, fields={"language": message})
    return language


def _city_for_role(role: str, city_id: int | None) -> City | None:
    if role not in ROLES:
        message = _("Choose one of the offered roles.")
        raise Invalid(message, fields={"role": message})
    if role not in CITY_ROLES:
        return None
    city = db.session.get(City, city_id) if city_id else None
    if city is None:
        message = _("Focal points and contributors belong to a city: choose one.")
        raise Invalid(message, fields={"city_id": message})
    return city


def admin_form_options(actor: Actor, lang: str = "en") -> FormOptions:
    """Choices for the user forms of the admin pages."""
    authz.require(actor, "manage_users")
    cities = [(c.id, c.name) for c in db.session.scalars(select(City).order_by(City.name))]
    return FormOptions(cities=cities, dimensions=dimension_choices(lang))


def list_users(actor: Actor, *, role: str | None = None, city_id: int | None = None,
               query: str | None = None, active: bool | None = None, page: int = 1) -> UserPage:
    """Users matching the filters, by email, PER_PAGE at a time."""
    authz.require(actor, "manage_users")
    conditions = []
    if role:
        conditions.append(User.role == role)
    if city_id:
        conditions.append(User.city_id == city_id)
    if active is not None:
        conditions.append(User.is_active.is_(active))
    if query:
        pattern = audit.contains(query)
        conditions.append(or_(func.lower(User.email).like(pattern, escape="\\"),
                              func.lower(User.name).like(pattern, escape="\\")))
    total = db.session.scalar(select(func.count()).select_from(User).where(*conditions)) or 0
    pages = max(1, -(-total // PER_PAGE))
    page = min(max(1, page), pages)
    items = list(db.session.scalars(
        select(User).where(*conditions).order_by(User.email)
        .offset((page - 1) * PER_PAGE).limit(PER_PAGE)
    ))
    city_options = [(c.id, c.name) for c in db.session.scalars(select(City).order_by(City.name))]
    return UserPage(items=items, total=total, page=page, pages=pages, city_options=city_options)


def get_for_admin(actor: Actor, user_id: int) -> User:
    authz.require(actor, "manage_users")
    return accounts.get_user(user_id)


def _active_admins_other_than(user_id: int) -> int:
    return db.session.scalar(select(func.count()).select_from(User).where(
        User.role == "admin", User.is_active.is_(True), User.id != user_id)) or 0


def update_user(actor: Actor, user_id: int, changes: UserChanges) -> User:
    """Change a user's name, role, city, dimensions and language (role changes are audited)."""
    authz.require(actor, "manage_users")
    with transaction():
        user = accounts.get_user(user_id)
        city = _city_for_role(changes.role, changes.city_id)
        _check_language(changes.language)
        if user.role == "admin" and changes.role != "admin" and not _active_admins_other_than(user.id):
            message = _("This is the last administrator: appoint another one first.")
            raise Invalid(message, fields={"role": message})
        old = {"role": user.role, "city_id": user.city_id, "dimensions": user.dimensions,
               "name": user.name, "language": user.language}
        user.name = changes.name.strip()[:200]
        user.role = changes.role
        user.city_id = city.id if city else None
        user.dimensions = _clean_dimensions(changes.role, changes.dimensions)
        user.language = changes.language
        new = {"role": user.role, "city_id": user.city_id, "dimensions": user.dimensions,
               "name": user.name, "language": user.language}
        diff = audit.changes(old, new)
        if "role" in diff or "city_id" in diff:
            audit.record(actor, "role_changed", target=user,
                         details={k: v for k, v in diff.items() if k in {"role", "city_id"}})
        if diff:
            audit.record(actor, "user_updated", target=user, details=diff)
    return user


def set_active(actor: Actor, user_id: int, active: bool) -> User:
    """Deactivate (every session and token stops working) or reactivate an account."""
    authz.require(actor, "manage_users")
    with transaction():
        user = accounts.get_user(user_id)
        if not active and user.id == actor.user_id:
            raise Invalid(_("You cannot deactivate your own account."))
        if not active and user.role == "admin" and not _active_admins_other_than(user.id):
            raise Invalid(_("This is the last administrator: appoint another one first."))
        _set_active(actor, user, active)
    return user


def _set_active(actor: Actor, user: User, active: bool) -> None:
    if user.is_active == active:
        return
    user.is_active = active
    if not active:
        accounts.revoke_sessions(user.id)
    audit.record(actor, "user_reactivated" if active else "user_deactivated", target=user)


def invite(actor: Actor, invitation: Invitation, link: LinkBuilder) -> User:
    """Create an account without a password and email its owner a link to choose one.

    Administrators invite any role; a focal point invites contributors of their own city.
    """
    if actor.is_admin:
        authz.require(actor, "manage_users")
    else:
        own_city = db.session.get(City, actor.city_id) if actor.city_id else None
        authz.require(actor, "invite_contributor", own_city)  # anonymous → 401, others → 403
        if own_city is None or invitation.role != "contributor" or invitation.city_id != own_city.id:
            raise Forbidden(_("You may invite contributors of your own city only."))
    email = accounts.normalise_email(invitation.email)
    with transaction():
        city = _city_for_role(invitation.role, invitation.city_id)
        language = _check_language(invitation.language)
        message = _("There is already an account with this email address.")
        if accounts.find_user_by_email(email) is not None:
            raise Invalid(message, fields={"email": message})
        user = User(email=email, name=invitation.name.strip()[:200], role=invitation.role,
                    city_id=city.id if city else None, language=language, is_active=True,
                    dimensions=_clean_dimensions(invitation.role, invitation.dimensions))
        db.session.add(user)
        flush_unique(Invalid(message, fields={"email": message}))  # invited twice at once
        audit.record(actor, "user_invited", target=user,
                     details={"email": email, "role": user.role, "dimensions": user.dimensions})
    accounts.send_link_mail(user, INVITATION, link, inviter=actor.email)
    return user


def resend_invitation(actor: Actor, user_id: int, link: LinkBuilder) -> User:
    """Email a fresh invitation link to someone who has not chosen a password yet (admins)."""
    authz.require(actor, "manage_users")
    return _resend(actor, accounts.get_user(user_id), link)


def _resend(actor: Actor, user: User, link: LinkBuilder) -> User:
    if user.password_hash is not None or not user.is_active:
        raise Invalid(_("This person has already accepted the invitation."))
    with transaction():
        audit.record(actor, "invitation_resent", target=user)
    accounts.send_link_mail(user, INVITATION, link, inviter=actor.email)
    return user


# -- a focal point's team ---------------------------------------------------------------------

def team(actor: Actor, lang: str = "en") -> Team:
    """The focal point's city and its members."""
    city = db.session.get(City, actor.city_id) if actor.city_id else None
    if city is None:
        authz.require(actor, "view_team", None)  # Unauthenticated for anonymous
        raise Forbidden(_("Only a city's focal point manages its team."))
    authz.require(actor, "view_team", city)
    members = list(db.session.scalars(
        select(User).where(User.city_id == city.id).order_by(User.role.desc(), User.email)
    ))
    return Team(city=city, members=members, dimensions=dimension_choices(lang))


def get_member(actor: Actor, user_id: int, lang: str = "en") -> tuple[User, list[tuple[str, str]]]:
    """A contributor of the focal point's city, with the dimensions to choose from."""
    user = db.session.get(User, user_id)
    if user is None:
        raise NotFound(_("There is no such user."))
    authz.require(actor, "manage_member", user)
    return user, dimension_choices(lang)


def update_member(actor: Actor, user_id: int, dimensions: list[str] | None) -> User:
    """Set which dimensions a contributor may edit (None or empty: all)."""
    with transaction():
        user = db.session.get(User, user_id)
        if user is None:
            raise NotFound(_("There is no such user."))
        authz.require(actor, "manage_member", user)
        old = user.dimensions
        user.dimensions = _clean_dimensions("contributor", dimensions)
        if old != user.dimensions:
            audit.record(actor, "dimensions_changed", target=user,
                         details={"dimensions": [old, user.dimensions]})
    return user


def resend_member_invitation(actor: Actor, user_id: int, link: LinkBuilder) -> User:
    """A focal point sends a contributor of their city a fresh invitation link."""
    user = db.session.get(User, user_id)
    if user is None:
        raise NotFound(_("There is no such user."))
    authz.require(actor, "manage_member", user)
    return _resend(actor, user, link)


def set_member_active(actor: Actor, user_id: int, active: bool) -> User:
    """A focal point deactivates or reactivates a contributor of their city."""
    with transaction():
        user = db.session.get(User, user_id)
        if user is None:
            raise NotFound(_("There is no such user."))
        authz.require(actor, "manage_member", user)
        _set_active(actor, user, active)
    return user
