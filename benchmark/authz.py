"""The one authorisation module: who may do what to which city's data.

Every view and API endpoint asks here. A target the actor may not even see raises
NotFound (so another city's data is indistinguishable from missing data); a visible
target the actor may not change raises Forbidden.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from benchmark import practice_workflow, workflow
from benchmark.errors import Forbidden, NotFound, Unauthenticated

STAFF_ROLES = frozenset({"admin", "staff"})


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
    #: The user's name ("" when none is set): what "last saved by" shows, with the email.
    name: str = ""

    @property
    def display_name(self) -> str:
        return self.name or self.email

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


def visible_city_ids(actor: Actor) -> frozenset[int] | None:
    """The city ids the actor may see: None means every city (staff, admin)."""
    if not actor.is_authenticated:
        return frozenset()
    if actor.is_staff:
        return None
    return frozenset({actor.city_id}) if actor.city_id is not None else frozenset()


def city_filter(actor: Actor, column: Any) -> Any:
    """A SQL condition restricting `column` (a city id column) to what the actor may see.

    Use it in every list query of city data, so lists and single reads share one rule.
    """
    from sqlalchemy import false, true

    ids = visible_city_ids(actor)
    if ids is None:
        return true()
    if not ids:
        return false()
    return column.in_(sorted(ids))


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
    if target is not None and action not in _GLOBAL and not _sees(actor, action, target):
        raise NotFound()
    if not can(actor, action, target, dimension_id=dimension_id):
        raise Forbidden("You are not allowed to do this.")


def _sees(actor: Actor, action: str, target: Any) -> bool:
    if action in _PRACTICE_ACTIONS:
        return can_see_practice(actor, target)
    return can_see_city(actor, _city_of(target))


def can_see_practice(actor: Actor, practice: Any) -> bool:
    """A published practice: every signed-in user; any other: its city's team and staff."""
    if not actor.is_authenticated:
        return False
    return (practice_workflow.is_public(getattr(practice, "status", ""))
            or can_see_city(actor, _city_of(practice)))


def _view(actor: Actor, target: Any, _dim: str | None) -> bool:
    return target is None or can_see_city(actor, _city_of(target))


def _city_member(actor: Actor, target: Any) -> bool:
    return actor.role in {"focal_point", "contributor"} and actor.city_id == _city_of(target)


def _editable(target: Any) -> bool:
    return workflow.is_editable(getattr(target, "status", None) or "")


def _edit_answer(actor: Actor, target: Any, dim: str | None) -> bool:
    if not _city_member(actor, target) or not _editable(target):
        return False
    return dim is None or actor.may_edit_dimension(dim)


def _workflow_step(action: str) -> Any:
    """The rule of a workflow step, from the workflow table (roles, own city only or not).

    Whether the assessment's status allows the step is the workflow's question, not
    authorisation's: a wrong status is a 409, a wrong person a 403.
    """
    def rule(actor: Actor, target: Any, _dim: str | None) -> bool:
        return workflow.may_take(actor.role, actor.city_id == _city_of(target), action)

    return rule


def _focal_point(actor: Actor, target: Any, _dim: str | None) -> bool:
    return actor.role == "focal_point" and actor.city_id == _city_of(target)


def _staff(actor: Actor, _target: Any, _dim: str | None) -> bool:
    return actor.is_staff


def _admin(actor: Actor, _target: Any, _dim: str | None) -> bool:
    return actor.is_admin


def _any(actor: Actor, _target: Any, _dim: str | None) -> bool:
    return True


def _manage_member(actor: Actor, target: Any, _dim: str | None) -> bool:
    """A focal point manages the contributors of their own city (never other focal points)."""
    return (actor.role == "focal_point" and actor.city_id == _city_of(target)
            and getattr(target, "role", None) == "contributor")


def _note_commitment(actor: Actor, target: Any, dim: str | None) -> bool:
    """Progress notes: the focal point, a contributor of the commitment's dimension; staff comment."""
    if actor.is_staff:
        return True
    if not _city_member(actor, target):
        return False
    dimension = dim if dim is not None else getattr(target, "dimension_id", None)
    return dimension is None or actor.may_edit_dimension(dimension)


_RULES = {
    # reading
    "view_city": _view,
    "view_assessment": _view,
    "view_scores": _view,
    "download_report": _view,
    "view_answers": _view,
    "view_comments": _view,
    "view_questionnaires": _any,
    "view_network": _any,
    "view_cities": _any,  # the list is filtered with city_filter()
    "browse_practices": _any,  # the list is filtered with practice visibility
    # one's own account: profile, password, sessions, API tokens
    "manage_own_account": _any,
    # city work
    "edit_answer": _edit_answer,
    # a member of the city's team, whatever the status (a read-only status is a 409, not a 403)
    "work_on_assessment": lambda a, t, d: _city_member(a, t),
    "edit_profile": lambda a, t, d: _focal_point(a, t, d) and _editable(t),
    "create_assessment": _focal_point,
    "invite_contributor": _focal_point,
    "view_team": _focal_point,
    "manage_member": _manage_member,
    # commitments (docs/architecture.md: focal points write their city's, contributors add progress notes
    # to those of their dimensions, staff read all and comment)
    "view_commitments": _view,
    "create_commitment": _focal_point,
    "edit_commitment": _focal_point,
    "note_commitment": _note_commitment,
    "record_outcome": _focal_point,
    "view_network_commitments": _staff,
    # review
    "review": _staff,
    "comment": _staff,
    "export": _staff,
    "view_network_report": _staff,
    "view_dashboard": _staff,
    # side by side: staff any city, a city team the consenting ones (services/compare.py)
    "compare_cities": _any,
    "assign_review": _staff,
    # administration
    "manage_users": _admin,
    "manage_cities": _admin,
    "manage_questionnaires": _admin,
    "view_audit": _admin,
}


def _view_practice(actor: Actor, target: Any, _dim: str | None) -> bool:
    return target is None or can_see_practice(actor, target)


def _create_practice(actor: Actor, target: Any, _dim: str | None) -> bool:
    """Staff for any city; the city's focal point and contributors for their own (target: City)."""
    return actor.is_staff or _city_member(actor, target)


def _edit_practice(actor: Actor, target: Any, _dim: str | None) -> bool:
    return practice_workflow.may_edit(actor.role, actor.city_id == _city_of(target),
                                      getattr(target, "status", ""))


def _practice_step(action: str) -> Any:
    def rule(actor: Actor, target: Any, _dim: str | None) -> bool:
        return practice_workflow.may_take(actor.role, actor.city_id == _city_of(target), action)

    return rule


_RULES.update({
    "view_practice": _view_practice,
    "create_practice": _create_practice,
    "edit_practice": _edit_practice,
})
# practice workflow steps (practice_submit, ...): who may take each is in practice_workflow.py
_RULES.update({f"practice_{a}": _practice_step(a) for a in practice_workflow.ACTIONS})
#: Actions on practices: a published practice is visible to every signed-in user.
_PRACTICE_ACTIONS = frozenset({"view_practice", "edit_practice",
                               *(f"practice_{a}" for a in practice_workflow.ACTIONS)})
# workflow steps (submit, return, validate, reopen): who may take each is in workflow.py
_RULES.update({t.action: _workflow_step(t.action) for t in workflow.TRANSITIONS})
#: Actions not tied to one city: no visibility check on the target.
_GLOBAL = frozenset({"browse_practices", "view_questionnaires", "view_network", "view_cities",
                     "manage_own_account", "export", "view_network_report", "view_network_commitments",
                     "view_dashboard", "compare_cities", "manage_users", "manage_cities",
                     "manage_questionnaires", "view_audit"})


def actions() -> frozenset[str]:
    """Every action name with a rule (tests check each is exercised)."""
    return frozenset(_RULES)
