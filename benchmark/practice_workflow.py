"""The good-practice workflow as data: statuses, steps, who may take each, what each records.

The same shape as `benchmark/workflow.py` for assessments: one table that every path
consults (`services/practices.py` applies a step, `authz.py` registers one rule per step,
the pages and the API offer the buttons the table allows). Pure: no Flask, no SQLAlchemy.

    draft ──┐                      ┌── publish ──▶ published ── withdraw ──▶ withdrawn
            ├── submit ──▶ submitted
 returned ──┘                      └── return ──▶ returned
"""

from __future__ import annotations

from dataclasses import dataclass

DRAFT = "draft"
SUBMITTED = "submitted"
RETURNED = "returned"
PUBLISHED = "published"
WITHDRAWN = "withdrawn"
#: Every status a practice can have (the database's CHECK constraint lists the same).
STATUSES = (DRAFT, SUBMITTED, PUBLISHED, RETURNED, WITHDRAWN)
INITIAL = DRAFT
#: Statuses in which the city's team edits the practice.
CITY_EDITABLE = frozenset({DRAFT, RETURNED})
#: Statuses in which staff edit it (a submitted practice is tidied before publication).
STAFF_EDITABLE = frozenset({DRAFT, RETURNED, SUBMITTED, PUBLISHED})
#: Every signed-in user sees a practice in these statuses; the others only its city and staff.
PUBLIC = frozenset({PUBLISHED})

STAFF = frozenset({"staff", "admin"})
CITY_TEAM = frozenset({"focal_point", "contributor"})


@dataclass(frozen=True)
class Step:
    """One step of the practice workflow."""

    #: The step's name: also its API path segment (POST /practices/{id}/<action>).
    action: str
    sources: frozenset[str]
    target: str
    #: Roles that may take the step on their own city's practice.
    city_roles: frozenset[str]
    #: Roles that may take it on any city's practice.
    any_city_roles: frozenset[str]
    #: The audit action written.
    audit: str
    #: Timestamps set to the moment of the step.
    stamps: tuple[str, ...] = ()
    #: The step needs a message (kept on the practice and in the audit row).
    needs_message: bool = False


STEPS: tuple[Step, ...] = (
    Step("submit", frozenset({DRAFT, RETURNED}), SUBMITTED, CITY_TEAM, frozenset(),
         audit="practice_submitted", stamps=("submitted_at",)),
    Step("return", frozenset({SUBMITTED}), RETURNED, frozenset(), STAFF,
         audit="practice_returned", needs_message=True),
    Step("publish", frozenset({SUBMITTED}), PUBLISHED, frozenset(), STAFF,
         audit="practice_published", stamps=("published_at",)),
    Step("withdraw", frozenset({PUBLISHED}), WITHDRAWN, frozenset({"focal_point"}), STAFF,
         audit="practice_withdrawn"),
)
_BY_ACTION = {s.action: s for s in STEPS}
ACTIONS = tuple(_BY_ACTION)


def step(action: str) -> Step:
    """The step named `action`; KeyError for a name the table does not have."""
    return _BY_ACTION[action]


def steps_from(status: str) -> tuple[Step, ...]:
    return tuple(s for s in STEPS if status in s.sources)


def may_take(role: str | None, same_city: bool, action: str) -> bool:
    """Whether an actor of `role` (of the practice's city or not) may take the step."""
    s = _BY_ACTION[action]
    return role in s.any_city_roles or (same_city and role in s.city_roles)


def may_edit(role: str | None, same_city: bool, status: str) -> bool:
    """Whether an actor may change the practice's texts and facts in this status."""
    if role in STAFF:
        return status in STAFF_EDITABLE
    return same_city and role in CITY_TEAM and status in CITY_EDITABLE


def is_public(status: str) -> bool:
    return status in PUBLIC
