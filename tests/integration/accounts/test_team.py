"""A focal point's team: their city's contributors, and who may edit which dimensions."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from benchmark.errors import Forbidden, Invalid, NotFound
from benchmark.extensions import db
from benchmark.models import AuditEvent
from benchmark.services import accounts, users
from tests.builders import build_edition, build_user, get_user
from tests.integration.security.helpers import form_token, sign_in

pytestmark = pytest.mark.usefixtures("app")


def test_team_pages_work_before_any_questionnaire_is_imported(client) -> None:
    sign_in(client, build_user("focal_point"))
    assert client.get("/team/invite").status_code == 200


def test_focal_point_manages_only_their_contributors() -> None:
    focal = build_user("focal_point")
    own = build_user("contributor", focal.city)
    other_city = build_user("contributor")
    fellow = build_user("focal_point", focal.city)
    actor = accounts.actor_for(focal)
    users.set_member_active(actor, own.id, False)
    assert get_user(own.email).is_active is False
    with pytest.raises(NotFound):
        users.set_member_active(actor, other_city.id, False)
    with pytest.raises(Forbidden):
        users.set_member_active(actor, fellow.id, False)


def _member_form(client, member_id: int, dimensions: list[str]):  # type: ignore[no-untyped-def]
    path = f"/team/{member_id}"
    return client.post(path, data={"dimensions": dimensions,
                                   "csrf_token": form_token(client, path)})


def test_a_focal_point_sets_and_clears_a_contributors_dimensions(client) -> None:
    build_edition("2019")
    focal = build_user("focal_point")
    member = build_user("contributor", focal.city)
    sign_in(client, focal)
    assert _member_form(client, member.id, ["language", "education"]).status_code == 302
    assert get_user(member.email).dimensions == ["education", "language"]
    # None ticked: the contributor edits every dimension (as on the invitation form).
    assert _member_form(client, member.id, []).status_code == 302
    assert get_user(member.email).dimensions is None
    change = db.session.scalars(select(AuditEvent).where(
        AuditEvent.action == "dimensions_changed").order_by(AuditEvent.id)).all()
    assert [e.details for e in change] == [{"dimensions": [None, ["education", "language"]]},
                                           {"dimensions": [["education", "language"], None]}]


@pytest.mark.parametrize("who", ["admin", "focal_point"])
def test_every_way_of_setting_dimensions_refuses_unknown_ones(who: str) -> None:
    build_edition("2019")
    member = build_user("contributor", dimensions=["education"])
    if who == "admin":
        actor = accounts.actor_for(build_user("admin"))
        with pytest.raises(Invalid) as err:
            users.update_user(actor, member.id, users.UserChanges(
                name="", role="contributor", city_id=member.city_id,
                dimensions=["education", "astrology"], language="en"))
    else:
        actor = accounts.actor_for(build_user("focal_point", member.city))
        with pytest.raises(Invalid) as err:
            users.update_member(actor, member.id, ["astrology"])
    assert "astrology" in err.value.message
    assert get_user(member.email).dimensions == ["education"]
