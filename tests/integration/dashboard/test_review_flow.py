"""Review assignment, a resubmission opening on its changes, notifications, the staff city page."""

from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace

import babel.dates
import pytest
from sqlalchemy import select

from benchmark.extensions import db
from benchmark.models import Notification, utcnow
from benchmark.services import accounts, answers, assignments, reviews
from benchmark.services.transitions import take_step
from tests.builders import FIXTURES, build_assessment, build_city, build_user, csrf_token, login

pytestmark = pytest.mark.config(QUESTIONNAIRE_DIR=str(FIXTURES))

COMPLETE = {"commitment_01": "yes", "commitment_02": "partly", "commitment_03": ["council"],
            "education_01": 40, "education_02": 12, "language_01": "yes", "language_02": 5}


def _notification(user_id: int, kind: str) -> Notification:
    return db.session.scalars(select(Notification).where(
        Notification.user_id == user_id, Notification.kind == kind)).one()


@pytest.fixture
def flow(app):  # type: ignore[no-untyped-def]
    city = build_city(name="Lumenport")
    focal = build_user("focal_point", city)
    staff, reviewer = build_user("staff"), build_user("staff")
    draft = build_assessment(city, answers=COMPLETE)
    take_step(accounts.actor_for(focal), draft.id, "submit")
    return SimpleNamespace(city=city, focal=focal, staff=staff, reviewer=reviewer, aid=draft.id)


def test_staff_assign_a_reviewer_who_is_notified_and_sees_it_in_my_reviews(client, flow) -> None:
    staff = flow.staff
    reviewer = flow.reviewer
    aid = flow.aid
    login(client, staff)
    due = (utcnow() + timedelta(days=7)).date()
    response = client.post(f"/review/{aid}/assign", data={
        "csrf_token": csrf_token(client, f"/review/{aid}"), "reviewer": reviewer.id,
        "due": due.isoformat()})
    assert response.status_code == 302
    page = client.get(f"/review/{aid}").get_data(as_text=True)
    # The date as the language writes it ("Dec 7, 2026"), as every other date on the page.
    shown = babel.dates.format_date(due, "medium", locale="en")
    assert f"Reviewer: {reviewer.name}" in page and f"due {shown}" in page

    client.post("/logout", data={"csrf_token": csrf_token(client)})
    login(client, reviewer)
    assert "Lumenport" in client.get("/review/mine").get_data(as_text=True)
    header = client.get("/notifications").get_data(as_text=True)
    assert "2 unread" in header  # the submission (every staff member) and the assignment
    assert "You review the 2026 assessment of Lumenport" in header
    note = _notification(reviewer.id, "review_assigned")
    assert client.get(f"/notifications/{note.id}").headers["Location"] == f"/review/{aid}"
    assert "1 unread" in client.get("/notifications").get_data(as_text=True).split("<main")[0]


def test_the_review_box_names_its_reviewer_even_once_they_have_left(client, flow) -> None:
    """The name comes from the list of active staff; a deactivated reviewer from their row
    (by email when they have no name), as before."""
    assignments.assign(accounts.actor_for(flow.staff), flow.aid, flow.reviewer.id, None,
                       utcnow().date())
    login(client, flow.staff)
    assert f"Reviewer: {flow.reviewer.name}" in client.get(f"/review/{flow.aid}").get_data(as_text=True)
    flow.reviewer.is_active, flow.reviewer.name = False, ""
    db.session.commit()
    assert f"Reviewer: {flow.reviewer.email}" in client.get(f"/review/{flow.aid}").get_data(as_text=True)


def test_a_due_date_in_the_past_is_refused_and_an_overdue_review_is_flagged(app, flow) -> None:
    staff = flow.staff
    reviewer = flow.reviewer
    aid = flow.aid
    actor, today = accounts.actor_for(staff), utcnow().date()
    with pytest.raises(Exception, match="past"):
        assignments.assign(actor, aid, reviewer.id, today - timedelta(days=1), today)
    assignments.assign(actor, aid, reviewer.id, today, today)
    later = today + timedelta(days=3)
    mine = assignments.my_reviews(accounts.actor_for(reviewer), later)
    assert [(m.assessment_id, m.is_overdue) for m in mine] == [(aid, True)]


def test_a_resubmission_opens_on_the_answers_changed_since_the_return(client, flow) -> None:
    focal = flow.focal
    staff = flow.staff
    aid = flow.aid
    take_step(accounts.actor_for(staff), aid, "return", "Please check education.")
    stored = answers.stored_answers(aid)["education_01"]
    answers.save(accounts.actor_for(focal), aid, "education_01",
                 answers.AnswerChange(value=55), answers.Precondition(if_match=stored.revision))
    take_step(accounts.actor_for(focal), aid, "submit")

    page = reviews.review_page(accounts.actor_for(staff), aid)
    assert page.assignment.is_resubmitted
    assert page.assignment.changed_since_return == ("education_01",)
    login(client, staff)
    html = client.get(f"/review/{aid}").get_data(as_text=True)
    assert "Resubmitted: what changed since the return" in html
    assert html.index("Resubmitted: what changed") < html.index('id="decision-title"')
    assert 'href="#q-education_01"' in html and "Changed since the return" in html


def test_a_comment_notifies_the_city_team(app, flow) -> None:
    focal = flow.focal
    staff = flow.staff
    aid = flow.aid
    reviews.add_comment(accounts.actor_for(staff), aid, "education_01", "Which year?")
    note = _notification(focal.id, "review_comment")
    assert "Which year?" in note.body


def test_the_staff_city_page_tells_the_history_in_words(client, flow) -> None:
    city = flow.city
    staff = flow.staff
    aid = flow.aid
    take_step(accounts.actor_for(staff), aid, "return", "Please check education.")
    build_assessment(city, round=2024, status="validated", answers=COMPLETE)
    login(client, staff)
    html = client.get(f"/staff/cities/{city.slug}").get_data(as_text=True)
    assert "Submitted for review" in html and "Returned for changes" in html
    assert "Please check education." in html
    assert "<svg" in html and "Overall and dimension indices by round" in html
    assert f'href="/review/{aid}"' in html and f'href="/results/{aid}"' in html
    french = client.get(f"/staff/cities/{city.slug}?lang=fr").get_data(as_text=True)
    assert "Renvoyée pour modifications" in french or "Soumise pour examen" in french
