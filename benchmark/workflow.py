"""The assessment workflow as data: which status may follow which, who may take each step,
and what each step records.

Every path that changes or depends on an assessment's status reads this table: the one
service that applies a step (`services/workflow.py`), the checks before saving answers
or the city profile (`is_editable`), the authorisation rules of each step (`authz.py`
registers one rule per transition from `roles`/`own_city`), and the pages that offer the
buttons. Pure: no Flask, no SQLAlchemy.

       draft ──┐
               ├── submit ──▶ submitted ── validate ──▶ validated
    returned ──┘                 │                          │
       ▲                         │ return                   │ reopen
       └─────────────────────────┴──────────────────────────┘
"""

from __future__ import annotations

from dataclasses import dataclass

DRAFT = "draft"
SUBMITTED = "submitted"
RETURNED = "returned"
VALIDATED = "validated"
#: Every status an assessment can have (the database's CHECK constraint lists the same).
STATUSES = (DRAFT, SUBMITTED, RETURNED, VALIDATED)
#: Statuses in which the city team changes answers and the city profile.
EDITABLE = frozenset({DRAFT, RETURNED})
#: The status a new assessment starts in.
INITIAL = DRAFT

STAFF = frozenset({"staff", "admin"})
FOCAL_POINT = frozenset({"focal_point"})


@dataclass(frozen=True)
class Transition:
    """One step of the workflow."""

    #: The step's name: also its authorisation action and its API path segment.
    action: str
    #: Statuses the step may start from.
    sources: frozenset[str]
    target: str
    #: Roles that may take the step.
    roles: frozenset[str]
    #: The actor must belong to the assessment's city (staff act on every city).
    own_city: bool
    #: The audit action written.
    audit: str
    #: The notification sent (its kind; `services/workflow.py` names the sender).
    notification: str
    #: Timestamps set to the moment of the step, and timestamps cleared by it.
    stamps: tuple[str, ...] = ()
    clears: tuple[str, ...] = ()
    #: The step needs a message, sent in this field (form and API body); it is kept as a
    #: review comment of kind `action`, and in the audit row's details under `message_key`.
    message_field: str | None = None
    message_key: str | None = None
    #: Every shown required question must be answered and confirmed first.
    needs_complete: bool = False
    #: The step changes which assessments count in the network statistics: they are
    #: recomputed in the same transaction and the reports they feed are re-rendered.
    moves_network: bool = False


TRANSITIONS: tuple[Transition, ...] = (
    Transition("submit", frozenset({DRAFT, RETURNED}), SUBMITTED, FOCAL_POINT, own_city=True,
               audit="assessment_submitted", notification="assessment_submitted",
               stamps=("submitted_at",), needs_complete=True),
    Transition("return", frozenset({SUBMITTED}), RETURNED, STAFF, own_city=False,
               audit="assessment_returned", notification="assessment_returned",
               stamps=("returned_at",), message_field="comment", message_key="message"),
    Transition("validate", frozenset({SUBMITTED}), VALIDATED, STAFF, own_city=False,
               audit="assessment_validated", notification="assessment_validated",
               stamps=("validated_at",), moves_network=True),
    Transition("reopen", frozenset({VALIDATED}), RETURNED, STAFF, own_city=False,
               audit="assessment_reopened", notification="assessment_reopened",
               stamps=("returned_at",), clears=("validated_at",), message_field="reason",
               message_key="reason",
               moves_network=True),
)
_BY_ACTION = {t.action: t for t in TRANSITIONS}


def transition(action: str) -> Transition:
    """The step named `action`; KeyError for a name the table does not have."""
    return _BY_ACTION[action]


def is_editable(status: str) -> bool:
    """Whether the city team may change answers and the profile in this status."""
    return status in EDITABLE


def steps_from(status: str) -> tuple[Transition, ...]:
    """The steps that may start from `status`, in table order."""
    return tuple(t for t in TRANSITIONS if status in t.sources)


def may_take(role: str | None, same_city: bool, action: str) -> bool:
    """Whether an actor of `role` (of the assessment's city or not) may take the step."""
    t = _BY_ACTION[action]
    return role in t.roles and (same_city or not t.own_city)
