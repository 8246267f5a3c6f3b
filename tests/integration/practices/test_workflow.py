"""The practice workflow: every step × role × starting status, through the one service
(practices.take_step), what each records, and who sees a practice in which status."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from benchmark import practice_workflow
from benchmark.errors import Conflict, Forbidden, NotFound
from benchmark.extensions import db
from benchmark.models import AuditEvent
from benchmark.services import accounts, practices
from tests.builders import build_city, build_edition, build_practice, build_user, login

ROLES = ("contributor", "focal_point", "other_focal_point", "staff")
ALLOWED = {("submit", "draft"): "submitted", ("submit", "returned"): "submitted",
           ("return", "submitted"): "returned", ("publish", "submitted"): "published",
           ("withdraw", "published"): "withdrawn"}
#: Who may take each step (whatever the status); the others get this error.
MAY = {"submit": {"contributor", "focal_point"}, "return": {"staff"}, "publish": {"staff"},
       "withdraw": {"focal_point", "staff"}}


def _actor(role: str, city):  # type: ignore[no-untyped-def]
    if role == "other_focal_point":
        return accounts.actor_for(build_user("focal_point", build_city()))
    return accounts.actor_for(build_user(role, city if role != "staff" else None))


@pytest.mark.parametrize("action", practice_workflow.ACTIONS)
@pytest.mark.parametrize("status", practice_workflow.STATUSES)
def test_each_step_from_each_status_for_each_role(app, action: str, status: str) -> None:
    city = build_city()
    for role in ROLES:
        practice = build_practice(city, status=status)
        actor = _actor(role, city)
        may = role in MAY[action]
        target = ALLOWED.get((action, status))
        if role == "other_focal_point" and status != "published":
            expected: type[Exception] | None = NotFound
        elif not may:
            expected = Forbidden
        elif target is None:
            expected = Conflict
        else:
            expected = None
        if expected is not None:
            with pytest.raises(expected):
                practices.take_step(actor, practice.id, action, "Add the budget, please.")
            continue
        moved = practices.take_step(actor, practice.id, action, "Add the budget, please.")
        assert moved.status == target
        event = db.session.scalars(select(AuditEvent).where(
            AuditEvent.target_type == "Practice", AuditEvent.target_id == str(practice.id))
            .order_by(AuditEvent.id.desc())).first()
        assert event.action == practice_workflow.step(action).audit
        assert event.user_id == actor.user_id


def test_another_citys_draft_is_not_found_but_its_published_practice_is_visible(app, client) -> None:
    draft = build_practice(status="draft", title="Secret draft")
    published = build_practice(draft.city, status="published", title="Open practice")
    login(client, build_user("focal_point"))
    assert client.get(f"/practices/{draft.id}").status_code == 404
    page = client.get(f"/practices/{published.id}")
    assert page.status_code == 200 and "Open practice" in page.get_data(as_text=True)
    listing = client.get("/practices").get_data(as_text=True)
    assert "Open practice" in listing and "Secret draft" not in listing


def test_a_contributor_drafts_and_submits_but_cannot_publish(app, client) -> None:
    build_edition()
    contributor = build_user("contributor")
    login(client, contributor)
    form = client.get("/practices/new")
    assert form.status_code == 200
    token = form.get_data(as_text=True).split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    response = client.post("/practices/new", data={
        "csrf_token": token, "language": "en", "title": "Neighbourhood welcome walks",
        "summary": "Volunteers walk newcomers through their district.", "dimensions": "commitment",
        "budget_band": "", "start_year": "2021"})
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    practice_id = int(response.headers["Location"].rstrip("/").split("/")[-1])
    page = client.get(f"/practices/{practice_id}").get_data(as_text=True)
    assert "Neighbourhood welcome walks" in page and "Publish" not in page
    assert client.post(f"/practices/{practice_id}/submit", data={"csrf_token": token}).status_code == 302
    assert practices.get(accounts.actor_for(contributor), practice_id).status == "submitted"
    assert client.post(f"/practices/{practice_id}/publish", data={"csrf_token": token}).status_code == 403


def test_the_reader_sees_their_language_or_the_original_marked_as_such(app, client) -> None:
    practice = build_practice(language="fr", title="Cafés des langues",
                              summary="Des rencontres pour pratiquer le français.",
                              translations={"ar": {"title": "مقاهي اللغات",
                                                   "summary": "لقاءات لممارسة اللغة."}})
    login(client, build_user("staff"))
    english = client.get(f"/practices/{practice.id}").get_data(as_text=True)
    assert "Cafés des langues" in english and "shown in the original (Français)" in english
    client.get("/language/ar")
    arabic = client.get(f"/practices/{practice.id}").get_data(as_text=True)
    assert "مقاهي اللغات" in arabic and "Cafés des langues" not in arabic


def test_an_edit_with_a_stale_revision_is_refused(app) -> None:
    practice = build_practice(status="draft")
    actor = accounts.actor_for(build_user("focal_point", practice.city))
    data = practices.PracticeData(language="en", texts={"en": practices.Texts("New title", "S")},
                                  dimensions=("commitment",))
    saved = practices.update(actor, practice.id, data, practice.revision)
    assert saved.revision == 2
    with pytest.raises(Conflict):
        practices.update(actor, practice.id, data, 1)


def test_staff_find_the_submitted_practices_to_review(app, client) -> None:
    build_practice(status="submitted", title="Waiting for review")
    build_practice(title="Already out")
    login(client, build_user("staff"))
    waiting = client.get("/practices?status=submitted").get_data(as_text=True)
    assert "Waiting for review" in waiting and "Already out" not in waiting


def test_how_other_cities_do_it_leaves_the_readers_own_city_out(app, client) -> None:
    city = build_city()
    build_practice(city, title="Our own classes", questions=("language_01",))
    build_practice(title="Their classes", questions=("language_01",))
    login(client, build_user("focal_point", city))
    shown = client.get("/practices/for-question/language_01?fragment=1").get_data(as_text=True)
    assert "Their classes" in shown and "Our own classes" not in shown


def test_the_form_names_each_problem_and_keeps_what_was_typed(app, client) -> None:
    build_edition()
    login(client, build_user("focal_point"))
    form = client.get("/practices/new").get_data(as_text=True)
    token = form.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    response = client.post("/practices/new", data={
        "csrf_token": token, "language": "en", "summary": "Kept summary", "budget_band": "",
        "tr_fr-title": "Titre seul", "dimensions": "commitment"})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'href="#title">Title: must not be empty' in html
    assert 'href="#tr_fr-summary">Summary (at most 500 characters) (Français): must not be empty' in html
    assert "Kept summary" in html and "Titre seul" in html
