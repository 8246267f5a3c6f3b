"""The one authorisation module: who may do what to which city's data.

Every view and API endpoint asks here. A target the actor may not even see raises
NotFound (so another city's data is indistinguishable from missing data); a visible
target the actor may not change raises Forbidden.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from benchmark.errors import Forbidden, NotFound, Unauthenticated

STAFF_ROLES = frozenset({"admin", "staff"})
EDITABLE_STATUSES = frozenset({"draft", "returned"})


@dataclass(frozen=True)
class Actor:
    """Who is acting: a logged-in user, a token holder, or the command line."""

    user_id: int | None
    email: str
    role: str | None
    city_id: int | None = None
    #: Contributor's editable dimension ids; None means all.
    dimensions: frozenset[str] | None = None
    ip: str | None = None
    language: str = "en"

    @property
    def is_authenticated(self) -> bool:
        return self.role is not None

    @property
    def is_staff(self) -> bool:
        return self.role in STAFF_ROLES

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"

    def may_edit_dimension(self, dimension_id: str) -> bool:
        if self.role == "focal_point":
            return True
        if self.role == "contributor":
            return self.dimensions is None or dimension_id in self.dimensions
        return False


ANONYMOUS = Actor(user_id=None, email="", role=None)
#: The command line acts with every right (the operator owns the machine).
SYSTEM = Actor(user_id=None, email="system", role="admin")


def _city_of(target: Any) -> int | None:
    city_id = getattr(target, "city_id", None)
    if city_id is None and target.__class__.__name__ == "City":
        city_id = target.id
    return city_id


def can_see_city(actor: Actor, city_id: int | None) -> bool:
    return actor.is_staff or (actor.city_id is not None and actor.city_id == city_id)


def can(actor: Actor, action: str, target: Any = None, *, dimension_id: str | None = None) -> bool:
    """Whether `actor` may do `action` on `target` (a City, Assessment or None)."""
    if not actor.is_authenticated:
        return False
    rule = _RULES.get(action)
    if rule is None:
        raise KeyError(f"no authorisation rule for action {action!r}")
    return rule(actor, target, dimension_id)


def require(actor: Actor, action: str, target: Any = None, *, dimension_id: str | None = None) -> None:
    """Raise Unauthenticated, NotFound (target hidden) or Forbidden unless allowed."""
    if not actor.is_authenticated:
        raise Unauthenticated("Please log in.")
    if target is not None and action not in _GLOBAL and not can_see_city(actor, _city_of(target)):
        raise NotFound()
    if not can(actor, action, target, dimension_id=dimension_id):
        raise Forbidden("You are not allowed to do this.")


def _view(actor: Actor, target: Any, _dim: str | None) -> bool:
    return target is None or can_see_city(actor, _city_of(target))


def _city_member(actor: Actor, target: Any) -> bool:
    return actor.role in {"focal_point", "contributor"} and actor.city_id == _city_of(target)


def _edit_answer(actor: Actor, target: Any, dim: str | None) -> bool:
    if not _city_member(actor, target) or getattr(target, "status", None) not in EDITABLE_STATUSES:
        return False
    return dim is None or actor.may_edit_dimension(dim)


def _focal_point(actor: Actor, target: Any, _dim: str | None) -> bool:
    return actor.role == "focal_point" and actor.city_id == _city_of(target)


def _staff(actor: Actor, _target: Any, _dim: str | None) -> bool:
    return actor.is_staff


def _admin(actor: Actor, _target: Any, _dim: str | None) -> bool:
    return actor.is_admin


def _any(actor: Actor, _target: Any, _dim: str | None) -> bool:
    return True


_RULES = {
    # reading
    "view_city": _view,
    "view_assessment": _view,
    "view_scores": _view,
    "download_report": _view,
    "view_questionnaires": _any,
    "view_network": _any,
    # city work
    "edit_answer": _edit_answer,
    "edit_profile": lambda a, t, d: _focal_point(a, t, d)
    and getattr(t, "status", None) in EDITABLE_STATUSES,
    "create_assessment": _focal_point,
    "submit": _focal_point,
    "assign_dimensions": _focal_point,
    "invite_contributor": _focal_point,
    # review
    "review": _staff,
    "export": _staff,
    "view_network_report": _staff,
    # administration
    "manage_users": _admin,
    "manage_cities": _admin,
    "manage_questionnaires": _admin,
    "view_audit": _admin,
}
#: Actions not tied to one city: no visibility check on the target.
_GLOBAL = frozenset({"view_questionnaires", "view_network", "export", "view_network_report",
                     "manage_users", "manage_cities", "manage_questionnaires", "view_audit"})
