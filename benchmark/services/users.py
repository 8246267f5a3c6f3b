"""Managing other people's accounts: invitations, roles, cities, dimensions, deactivation.

Administrators manage everyone; a city's focal point manages the contributors of their
own city (its "team"); the command line (`benchmark user create`) acts as the system.
Every function asks authz first. Whoever sets a user's role, city or dimensions, the
rules are those of `_assign`: a known role, a city exactly for city roles, never
demoting the last active administrator, dimensions only for contributors and only
dimensions of the latest edition (none ticked: every dimension).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import func, or_, select

from benchmark import authz
from benchmark.authz import Actor
from benchmark.errors import Conflict, Forbidden, Invalid, NotFound
from benchmark.extensions import db
from benchmark.infra import locks, passwords
from benchmark.models import CITY_ROLES, ROLES, Assessment, City, User
from benchmark.services import accounts, audit, city_filter, paging
from benchmark.services._tx import flush_unique, transaction
from benchmark.services.accounts import INVITATION, LinkBuilder
from benchmark.workflow import SUBMITTED

PER_PAGE = paging.PER_PAGE


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
    #: Every city's name on a network of at most city_filter.DATALIST_MAX cities, else [].
    city_names: list[str]
    dimensions: list[tuple[str, str]]


@dataclass(frozen=True)
class UserPage:
    items: list[User]
    total: int
    page: int
    pages: int
    #: The names of the cities of this page's users.
    city_names: dict[int, str]
    #: The error message of a city filter that names no city.
    city_problem: str | None = None


@dataclass(frozen=True)
class UserForm:
    """The administrator's page of one account: the account and the form's choices."""

    user: User
    city_names: list[str]
    dimensions: list[tuple[str, str]]


@dataclass(frozen=True)
class Team:
    city: City
    members: list[User]
    #: (id, title) of the latest edition's dimensions, to choose from.
    dimensions: list[tuple[str, str]]

    @property
    def dimension_titles(self) -> dict[str, str]:
        return dict(self.dimensions)


@dataclass(frozen=True)
class MemberPage:
    """A focal point's page of one contributor of their city."""

    member: User
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
        message = _("Focal points and contributors belong to a city: type its name.")
        raise Invalid(message, fields={"city": message})
    return city


#: "Leave the stored dimensions as they are" (the command line changes role and city only).
_KEEP: Any = object()


def _assign(user: User, role: str, city_id: int | None, dimensions: Any = _KEEP) -> dict[str, list[Any]]:
    """Set role, city and dimensions by the one set of rules; the changes as {field: [old, new]}.

    Invalid (with the field) for an unknown role, a city role without a city, demoting the
    last active administrator, or a dimension the latest edition does not have.
    """
    city = _city_for_role(role, city_id)
    _keep_an_administrator(user, role=role, active=user.is_active)
    old = {"role": user.role, "city_id": user.city_id, "dimensions": user.dimensions}
    user.role = role
    user.city_id = city.id if city else None
    if role != "contributor":
        user.dimensions = None
    elif dimensions is not _KEEP:
        user.dimensions = _clean_dimensions(role, dimensions)
    return audit.changes(old, {"role": user.role, "city_id": user.city_id,
                               "dimensions": user.dimensions})


def admin_form_options(actor: Actor, lang: str = "en") -> FormOptions:
    """Choices for the user forms of the admin pages."""
    authz.require(actor, "manage_users")
    return FormOptions(city_names=city_filter.small_network_names(),
                       dimensions=dimension_choices(lang))


def list_users(actor: Actor, *, role: str | None = None, city: str | None = None,
               query: str | None = None, active: bool | None = None, page: int = 1) -> UserPage:
    """Users matching the filters, by email, PER_PAGE at a time. `city`: the name or short
    name of the users' city (homonyms: all of them), found through an index
    (`city_filter.named`), so the filter costs the same with 135 or 10,000 cities."""
    authz.require(actor, "manage_users")
    conditions = []
    if role:
        conditions.append(User.role == role)
    if city:
        conditions.append(User.city_id.in_(city_filter.named(city)))
    if active is not None:
        conditions.append(User.is_active.is_(active))
    if query:
        pattern = audit.contains(query)
        conditions.append(or_(func.lower(User.email).like(pattern, escape="\\"),
                              func.lower(User.name).like(pattern, escape="\\")))
    found = paging.paginate(
        select(User, City.name).outerjoin(City, City.id == User.city_id).where(*conditions)
        .order_by(User.email), page, PER_PAGE, scalars=False)
    city_problem = None
    if city and found.total == 0:  # no user: say so if it is because the text names no city
        choice = city_filter.choose(city)
        if choice.city is None and not choice.several:
            city_problem = city_filter.problem(city, choice)
    return UserPage(items=[user for user, _ in found.items], total=found.total, page=found.page,
                    pages=found.pages,
                    city_names={user.city_id: name for user, name in found.items if user.city_id},
                    city_problem=city_problem)


def user_form(actor: Actor, user_id: int, lang: str = "en") -> UserForm:
    """An account with the choices of its form (administrators)."""
    options = admin_form_options(actor, lang)
    return UserForm(accounts.get_user(user_id), options.city_names, options.dimensions)


def _keep_an_administrator(user: User, *, role: str, active: bool) -> None:
    """Invalid when `user` is the last active administrator and would stop being one
    (another role, or deactivated): the one check of every path (admin pages, the team
    page, `benchmark user create`). Two administrators demoting each other at the same
    moment are serialised by a lock, so one of them is refused."""
    if user.id is None or user.role != "admin" or not user.is_active:
        return
    if role == "admin" and active:
        return
    locks.for_transaction("last_administrator", 0)
    others = db.session.scalar(select(func.count()).select_from(User).where(
        User.role == "admin", User.is_active.is_(True), User.id != user.id)) or 0
    if not others:
        message = _("This is the last administrator: appoint another one first.")
        raise Invalid(message, fields={"role" if active else "active": message})


def update_user(actor: Actor, user_id: int, changes: UserChanges) -> User:
    """Change a user's name, role, city, dimensions and language (role changes are audited)."""
    authz.require(actor, "manage_users")
    with transaction():
        user = accounts.get_user(user_id)
        _check_language(changes.language)
        old = {"name": user.name, "language": user.language}
        diff = _assign(user, changes.role, changes.city_id, changes.dimensions)
        user.name = changes.name.strip()[:200]
        user.language = changes.language
        diff.update(audit.changes(old, {"name": user.name, "language": user.language}))
        diff = dict(sorted(diff.items()))
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
        _set_active(actor, user, active)
    return user


def _set_active(actor: Actor, user: User, active: bool) -> None:
    if user.is_active == active:
        return
    _keep_an_administrator(user, role=user.role, active=active)
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
        user = User(email=email, name=invitation.name.strip()[:200], is_active=True)
        _assign(user, invitation.role, invitation.city_id, invitation.dimensions)
        user.language = _check_language(invitation.language)
        message = _("There is already an account with this email address.")
        existing = accounts.find_user_by_email(email)
        if existing is not None and not actor.is_admin and existing.city_id != actor.city_id:
            # A focal point must not learn whether an address has an account anywhere in
            # the service: the answer is the one a new invitation gets, and the owner of
            # the address is told by email instead.
            audit.record(actor, "user_invite_existing", city_id=actor.city_id,
                         details={"email": email})
            _tell_existing_account(existing, actor)
            return user  # not added: nothing is stored
        if existing is not None:
            raise Invalid(message, fields={"email": message})
        db.session.add(user)
        flush_unique(Invalid(message, fields={"email": message}))  # invited twice at once
        audit.record(actor, "user_invited", target=user,
                     details={"email": email, "role": user.role, "dimensions": user.dimensions})
    accounts.send_link_mail(user, INVITATION, link, inviter=actor.email)
    return user


def _tell_existing_account(user: User, actor: Actor) -> None:
    """Tell the owner of an existing account that a city's focal point tried to invite them."""
    from flask_babel import force_locale

    from benchmark.infra import mail

    city = db.session.get(City, actor.city_id) if actor.city_id else None
    with force_locale(user.language or "en"):
        subject = _("An invitation to City Benchmark")
        body = _("Hello,\n\n%(inviter)s tried to invite you to the team of %(city)s on City "
                 "Benchmark, but you already have an account. If you should join that team, "
                 "ask the programme's administrators to change your account.\n\n"
                 "If you did not expect this message, you can ignore it.\n",
                 inviter=actor.email, city=city.name if city else "")
    mail.send(user.email, str(subject), str(body))


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


def member_page(actor: Actor, user_id: int, lang: str = "en") -> MemberPage:
    """A contributor of the focal point's city, with the dimensions to choose from."""
    user = db.session.get(User, user_id)
    if user is None:
        raise NotFound(_("There is no such user."))
    authz.require(actor, "manage_member", user)
    return MemberPage(user, dimension_choices(lang))


def update_member(actor: Actor, user_id: int, dimensions: list[str] | None) -> User:
    """Set which dimensions a contributor may edit (None or empty: all)."""
    with transaction():
        user = db.session.get(User, user_id)
        if user is None:
            raise NotFound(_("There is no such user."))
        authz.require(actor, "manage_member", user)
        if diff := _assign(user, user.role, user.city_id, dimensions):
            audit.record(actor, "dimensions_changed", target=user, details=diff)
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


# -- the command line -------------------------------------------------------------------------

def upsert_user(email: str, role: str, *, city_slug: str | None = None, password: str | None = None,
                name: str | None = None, actor: Actor | None = None) -> tuple[User, bool]:
    """Create the user, or update role/city/password of an existing one; (user, created).

    `benchmark user create`: the system acts, by the same rules as an administrator.
    """
    if role not in ROLES:
        raise Invalid(f"Unknown role {role!r}.", fields={"role": f"one of {', '.join(ROLES)}"})
    email = accounts.normalise_email(email)
    actor = actor or authz.SYSTEM
    with transaction():
        city = None
        if city_slug:
            city = db.session.scalar(select(City).where(City.slug == city_slug))
            if city is None:
                raise Invalid(f"Unknown city {city_slug!r}.", fields={"city": "no city with this slug"})
        if role in CITY_ROLES and city is None:
            raise Invalid("Focal points and contributors belong to a city: give --city.",
                          fields={"city": "required for this role"})
        if password is not None and (problem := passwords.policy_problem(password, email=email)):
            raise Invalid(problem, fields={"password": problem})
        user = accounts.find_user_by_email(email)
        created = user is None
        if user is None:
            user = User(email=email, name=name or "", is_active=True)
            db.session.add(user)
        diff = _assign(user, role, city.id if city and role in CITY_ROLES else None)
        if name is not None:
            user.name = name
        if password is not None:
            accounts.set_password(user, password)
            if not created:
                accounts.revoke_sessions(user.id)
        flush_unique(Conflict(f"{email} was created at the same moment by someone else; "
                              "run the command again to update it."))
        audit.record(actor, "user_created" if created else "user_updated", target=user,
                     details={"email": user.email, "password_set": password is not None})
        if not created and ("role" in diff or "city_id" in diff):
            audit.record(actor, "role_changed", target=user,
                         details={k: v for k, v in diff.items() if k in {"role", "city_id"}})
    return user, created


@dataclass(frozen=True)
class AdminHome:
    """What the administration home counts: the work waiting in each area."""

    active_users: int
    pending_invitations: int
    cities: int
    awaiting_review: int


def admin_home(actor: Actor) -> AdminHome:
    """The administrator's landing page: users, cities and assessments awaiting review."""
    authz.require(actor, "manage_users")
    active, pending = db.session.execute(select(
        func.count().filter(User.is_active.is_(True)),
        func.count().filter(User.password_hash.is_(None)))).one()
    return AdminHome(
        active_users=active or 0, pending_invitations=pending or 0,
        cities=db.session.scalar(select(func.count()).select_from(City)) or 0,
        awaiting_review=db.session.scalar(
            select(func.count()).select_from(Assessment).where(Assessment.status == SUBMITTED)) or 0)
