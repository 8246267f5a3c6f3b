"""Every workflow step × every role × every starting status, through the one service that
applies them (services/transitions.take_step), and what each step records."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from sqlalchemy import select

from benchmark.errors import Conflict, Forbidden, Invalid, NotFound
from benchmark.extensions import db
from benchmark.models import Assessment, AuditEvent, City, Notification, ReviewComment, User
from benchmark.services import accounts, transitions
from tests.builders import build_assessment, build_city, build_edition, build_user
from tests.integration.conftest import COMPLETE_2019

STATUSES = ("draft", "submitted", "returned", "validated")
ACTIONS = ("submit", "return", "validate", "reopen")
ROLES = ("contributor", "focal_point", "other_focal_point", "staff", "admin")

#: (step, from) → to; any other pair is a 409 (wrong_state) for whoever may take the step.
ALLOWED = {("submit", "draft"): "submitted", ("submit", "returned"): "submitted",
           ("return", "submitted"): "returned", ("validate", "submitted"): "validated",
           ("reopen", "validated"): "returned"}
#: Who may take each step: an error for the others, whatever the status.
REFUSED = {
    "submit": {"contributor": Forbidden, "other_focal_point": NotFound, "staff": Forbidden,
               "admin": Forbidden},
    "return": {"contributor": Forbidden, "focal_point": Forbidden, "other_focal_point": NotFound},
    "validate": {"contributor": Forbidden, "focal_point": Forbidden, "other_focal_point": NotFound},
    "reopen": {"contributor": Forbidden, "focal_point": Forbidden, "other_focal_point": NotFound},
}
#: What each step records: audit action and details, stamps set or cleared, who is told,
#: and the message kept as a review comment.
AUDIT = {"submit": "assessment_submitted", "return": "assessment_returned",
         "validate": "assessment_validated", "reopen": "assessment_reopened"}
MESSAGE_KEY = {"return": "message", "reopen": "reason"}
TOLD = {"submit": "staff", "return": "city", "validate": "city", "reopen": "city"}


@dataclass
class World:
    users: dict[str, User]
    city_id: int


@pytest.fixture
def world(app) -> World:  # type: ignore[no-untyped-def]
    build_edition("2019")
    city = build_city("lyon")
    users = {
        "contributor": build_user("contributor", city),
        "focal_point": build_user("focal_point", city),
        "other_focal_point": build_user("focal_point", build_city("oslo")),
        "staff": build_user("staff"),
        "admin": build_user("admin"),
    }
    return World(users, city.id)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("status", STATUSES)
@pytest.mark.parametrize("action", ACTIONS)
def test_step(world: World, action: str, status: str, role: str) -> None:
    city = db.session.get(City, world.city_id)
    assessment = build_assessment(city, status=status, answers=COMPLETE_2019)
    aid, revision = assessment.id, assessment.revision
    actor = accounts.actor_for(world.users[role])
    audits_before = db.session.scalar(select(db.func.count()).select_from(AuditEvent))
    refused = REFUSED[action].get(role)
    target = ALLOWED.get((action, status))

    if refused is not None:
        with pytest.raises(refused):
            transitions.take_step(actor, aid, action, "Because")
    elif target is None:
        with pytest.raises(Conflict) as err:
            transitions.take_step(actor, aid, action, "Because")
        assert err.value.code == "wrong_state"
    else:
        transitions.take_step(actor, aid, action, "  Because  ")

    db.session.expire_all()
    row = db.session.get(Assessment, aid)
    if refused is not None or target is None:
        assert (row.status, row.revision) == (status, revision)
        assert db.session.scalar(select(db.func.count()).select_from(AuditEvent)) == audits_before
        return
    assert row.status == target and row.revision == revision + 1
    audit = db.session.scalar(select(AuditEvent).where(AuditEvent.action == AUDIT[action]))
    assert audit.user_id == world.users[role].id and audit.target_id == str(aid)
    assert audit.details == ({MESSAGE_KEY[action]: "Because"} if action in MESSAGE_KEY else None)
    comments = db.session.scalars(select(ReviewComment).where(ReviewComment.assessment_id == aid))
    assert [(c.kind, c.body) for c in comments] == (
        [(action, "Because")] if action in MESSAGE_KEY else [])
    told = {n.user_id for n in db.session.scalars(select(Notification).where(
        Notification.kind == AUDIT[action]))}
    expected = ({world.users["staff"].id, world.users["admin"].id} if TOLD[action] == "staff"
                else {world.users["contributor"].id, world.users["focal_point"].id})
    assert told == expected
    if action == "submit":
        assert row.submitted_at is not None
    if action == "validate":
        assert row.validated_at is not None
    if action == "reopen":
        assert row.validated_at is None


@pytest.mark.parametrize(("action", "status"), [("return", "submitted"), ("reopen", "validated")])
def test_steps_with_a_message_refuse_an_empty_one(world: World, action: str, status: str) -> None:
    city = db.session.get(City, world.city_id)
    aid = build_assessment(city, status=status, answers=COMPLETE_2019).id
    with pytest.raises(Invalid):
        transitions.take_step(accounts.actor_for(world.users["staff"]), aid, action, "   ")
    db.session.expire_all()
    assert db.session.get(Assessment, aid).status == status
