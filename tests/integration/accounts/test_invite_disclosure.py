"""The team-invite form does not tell a focal point whether an address has an account (issue 21)."""

from __future__ import annotations

from sqlalchemy import func, select

from benchmark.extensions import db
from benchmark.models import AuditEvent, User
from tests.builders import build_edition, build_user
from tests.integration.security.helpers import form_token, outbox, sign_in


def _invite(client, email: str):  # type: ignore[no-untyped-def]
    return client.post("/team/invite", data={"csrf_token": form_token(client, "/team/invite"),
                                             "email": email, "name": "New colleague",
                                             "language": "en"})


def test_inviting_an_address_with_an_account_elsewhere_answers_as_a_new_invitation(
        app, client) -> None:
    build_edition("2019")
    focal = build_user("focal_point")
    elsewhere = build_user("staff", email="someone@example.org")
    sign_in(client, focal)
    users_before = db.session.scalar(select(func.count()).select_from(User))

    known = _invite(client, "someone@example.org")
    known_page = client.get(known.headers["Location"]).get_data(as_text=True)
    unknown = _invite(client, "nobody-yet@example.org")
    unknown_page = client.get(unknown.headers["Location"]).get_data(as_text=True)

    assert known.status_code == unknown.status_code == 302
    assert known.headers["Location"] == unknown.headers["Location"]
    assert "An invitation has been sent to someone@example.org" in known_page, known_page
    assert "An invitation has been sent to nobody-yet@example.org" in unknown_page
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(User)) == users_before + 1
    assert db.session.get(User, elsewhere.id).role == "staff"  # nothing changed
    mails = {m["To"]: m for m in outbox(app)}
    assert "already have an account" in mails["someone@example.org"].get_payload()
    assert db.session.scalar(select(AuditEvent.action).where(
        AuditEvent.action == "user_invite_existing")) == "user_invite_existing"


def test_an_address_already_in_the_team_is_still_named(client) -> None:
    build_edition("2019")
    focal = build_user("focal_point")
    build_user("contributor", focal.city, email="colleague@example.org")
    sign_in(client, focal)
    response = _invite(client, "colleague@example.org")
    assert response.status_code == 422
    assert "already an account" in response.get_data(as_text=True)
