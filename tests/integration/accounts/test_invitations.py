"""Invitations by administrators (any role) and focal points (their city's contributors)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from benchmark.errors import Forbidden, Invalid
from benchmark.extensions import db
from benchmark.models import AuditEvent
from benchmark.services import accounts, users
from benchmark.services.users import Invitation
from tests.builders import build_city, build_edition, build_user, get_user, login
from tests.integration.security.helpers import form_token, link_in, outbox, sign_in

pytestmark = pytest.mark.usefixtures("app")

PASSWORD = "seven silver gulls at dawn"


def _link(token: str) -> str:
    return f"http://test/invitation/{token}"


def _accept(client, path: str, name: str = "Amira Haddad"):
    return client.post(path, data={"name": name, "password": PASSWORD, "confirm": PASSWORD,
                                   "csrf_token": form_token(client, path)})


def test_admin_invites_a_focal_point_who_sets_a_password(app, client) -> None:
    city = build_city("lyon")
    sign_in(client, build_user("admin"))
    response = client.post("/admin/users/invite", data={
        "email": "New.Person@Lyon.example", "name": "", "role": "focal_point", "city": city.slug,
        "language": "fr", "csrf_token": form_token(client, "/admin/users/invite")})
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    invited = get_user("new.person@lyon.example")
    assert invited.role == "focal_point" and invited.city_id == city.id and invited.password_hash is None

    [mail] = outbox(app)
    path = link_in(mail)
    browser = app.test_client()
    assert "new.person@lyon.example" in browser.get(path).get_data(as_text=True)
    assert _accept(browser, path).status_code == 302
    login(app.test_client(), get_user("new.person@lyon.example"), PASSWORD)
    assert browser.get(path).status_code == 410  # used


def test_focal_point_invites_a_contributor_with_dimensions(app, client) -> None:
    build_edition("2019")
    focal = build_user("focal_point")
    sign_in(client, focal)
    dimension = users.dimension_choices()[0][0]
    response = client.post("/team/invite", data={
        "email": "colleague@city.example", "name": "Colleague", "language": "en",
        "dimensions": [dimension], "csrf_token": form_token(client, "/team/invite")})
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    colleague = get_user("colleague@city.example")
    assert (colleague.role, colleague.city_id, colleague.dimensions) == ("contributor", focal.city_id,
                                                                         [dimension])
    assert "colleague@city.example" in client.get("/team").get_data(as_text=True)
    assert len(outbox(app)) == 1


def test_team_invite_form_groups_dimensions_in_a_fieldset(client) -> None:
    build_edition("2019")
    sign_in(client, build_user("focal_point"))
    html = client.get("/team/invite").get_data(as_text=True)
    assert '<fieldset id="dimensions"' in html and "<legend>" in html
    assert 'type="checkbox"' in html


def test_unknown_dimension_is_refused(client) -> None:
    build_edition("2019")
    sign_in(client, build_user("focal_point"))
    response = client.post("/team/invite", data={
        "email": "x@city.example", "language": "en", "dimensions": ["no_such_dimension"],
        "csrf_token": form_token(client, "/team/invite")})
    assert response.status_code == 422
    assert get_user("x@city.example") is None


def test_focal_point_cannot_invite_other_roles_or_cities() -> None:
    focal = build_user("focal_point")
    actor = accounts.actor_for(focal)
    with pytest.raises(Forbidden):
        users.invite(actor, Invitation(email="a@b.example", role="focal_point",
                                       city_id=focal.city_id), _link)
    with pytest.raises(Forbidden):
        users.invite(actor, Invitation(email="a@b.example", role="contributor",
                                       city_id=build_city().id), _link)
    with pytest.raises(Forbidden):
        users.invite(accounts.actor_for(build_user("staff")),
                     Invitation(email="a@b.example", role="staff"), _link)


def test_inviting_an_existing_address_is_a_field_error() -> None:
    existing = build_user("staff")
    with pytest.raises(Invalid) as err:
        users.invite(accounts.actor_for(build_user("admin")),
                     Invitation(email=existing.email.upper(), role="staff"), _link)
    assert "email" in err.value.fields


def test_invitation_is_audited() -> None:
    admin = build_user("admin")
    users.invite(accounts.actor_for(admin), Invitation(email="z@example.org", role="staff"), _link)
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "user_invited"))
    assert event.user_id == admin.id and event.details["email"] == "z@example.org"


def test_resend_invitation_only_before_acceptance(app) -> None:
    admin = accounts.actor_for(build_user("admin"))
    invited = users.invite(admin, Invitation(email="later@example.org", role="staff"), _link)
    users.resend_invitation(admin, invited.id, _link)
    assert len(outbox(app)) == 2
    with pytest.raises(Invalid):
        users.resend_invitation(admin, build_user("staff").id, _link)
