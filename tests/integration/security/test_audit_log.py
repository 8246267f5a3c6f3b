"""The append-only audit log: what is recorded, that the database refuses changes, the admin page."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import delete, select, text, update
from sqlalchemy.exc import DatabaseError

from benchmark.extensions import db
from benchmark.models import AuditEvent
from benchmark.services import audit
from tests.builders import build_city, build_user, login
from tests.integration.security.helpers import form_token, sign_in


def test_login_and_failed_login_are_audited_with_ip(client) -> None:
    user = build_user("focal_point")
    client.post("/login", data={"email": user.email, "password": "wrong password here",
                                "csrf_token": form_token(client, "/login")})
    login(client, user)
    events = {e.action: e for e in db.session.scalars(select(AuditEvent))}
    assert events["login_failed"].user_id == user.id and events["login_failed"].ip == "127.0.0.1"
    assert events["login"].actor == user.email and events["login"].at is not None
    assert events["login"].city_id == user.city_id


def _one_event() -> AuditEvent:
    event = audit.record(None, "test_event", details={"n": 1})
    db.session.commit()
    return event


def test_audit_rows_cannot_be_updated_in_the_database(app) -> None:
    event = _one_event()
    with pytest.raises(DatabaseError, match="append-only"):
        db.session.execute(update(AuditEvent).where(AuditEvent.id == event.id).values(action="x"))
        db.session.commit()
    db.session.rollback()
    assert db.session.get(AuditEvent, event.id).action == "test_event"


def test_audit_rows_cannot_be_deleted_in_the_database(app) -> None:
    event = _one_event()
    with pytest.raises(DatabaseError, match="append-only"):
        db.session.execute(delete(AuditEvent).where(AuditEvent.id == event.id))
        db.session.commit()
    db.session.rollback()
    with pytest.raises(DatabaseError, match="append-only"):
        db.session.execute(text("DELETE FROM audit_events"))
        db.session.commit()
    db.session.rollback()
    assert db.session.scalar(select(AuditEvent.id).where(AuditEvent.id == event.id)) == event.id


def test_admin_browses_and_filters_the_audit_log(client) -> None:
    city = build_city(name="Filterville")
    focal = build_user("focal_point", city)
    login(client.application.test_client(), focal)
    stranger = client.application.test_client()
    for n in range(3):
        stranger.post("/login", data={"email": f"nobody{n}@example.org", "password": "x" * 12,
                                      "csrf_token": form_token(stranger, "/login")})
    sign_in(client, build_user("admin"))
    page = client.get("/admin/audit").get_data(as_text=True)
    assert "login" in page and focal.email in page
    # The action filter offers each action the log holds once, in order of its code.
    offered = re.findall(r'<option value="([a-z_]+)"', page.split('name="action"')[1].split("</select>")[0])
    assert "login" in offered and "login_failed" in offered
    assert offered == sorted(set(offered))

    only_city = client.get("/admin/audit?city=filterVILLE").get_data(as_text=True)
    assert focal.email in only_city and "Filterville" in only_city
    assert "nobody0@example.org" not in only_city
    unknown = client.get("/admin/audit?city=Atlantis")
    assert unknown.status_code == 422
    assert 'href="#city"' in unknown.get_data(as_text=True)
    only_failed = client.get("/admin/audit?action=login_failed").get_data(as_text=True)
    assert only_failed.count("<td>Failed login</td>") >= 1  # words, not the code login_failed
    assert "<td>Logged in</td>" not in only_failed
    by_actor = client.get(f"/admin/audit?actor={focal.email[:8]}").get_data(as_text=True)
    assert focal.email in by_actor


@pytest.mark.parametrize("query", ["since=yesterday", "until=2026-13-45", "before=-3",
                                   "actor=" + "x" * 200])
def test_audit_filters_refuse_bad_input(client, query: str) -> None:
    sign_in(client, build_user("admin"))
    response = client.get(f"/admin/audit?{query}")
    assert response.status_code == 422
    assert 'class="error-summary"' in response.get_data(as_text=True)


def test_audit_log_pages_by_keyset(client) -> None:
    for n in range(audit.PER_PAGE + 5):
        audit.record(None, "bulk", details={"n": n})
    db.session.commit()
    sign_in(client, build_user("admin"))
    first = client.get("/admin/audit?action=bulk").get_data(as_text=True)
    assert first.count("<td>bulk</td>") == audit.PER_PAGE
    older_links = [c.split('"')[0] for c in first.split('href="') if "before=" in c.split('"')[0]]
    assert len(older_links) == 1
    second = client.get(older_links[0].replace("&amp;", "&")).get_data(as_text=True)
    assert second.count("<td>bulk</td>") == 5


def test_audit_page_is_for_administrators_only(client) -> None:
    sign_in(client, build_user("staff"))
    assert client.get("/admin/audit").status_code == 403
