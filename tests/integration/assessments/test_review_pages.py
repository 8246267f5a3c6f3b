"""Staff review pages: queue (oldest first), review page, comment, return, validate, reopen, diff."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import update

from benchmark.extensions import db
from benchmark.models import Assessment, ReviewComment, utcnow
from benchmark.services import accounts, reviews
from tests.builders import build_assessment, build_city, build_user, csrf_token, login
from tests.integration.conftest import COMPLETE_2019


def _submitted(city, round_, days_ago):  # type: ignore[no-untyped-def]
    a = build_assessment(city, version="2019", round=round_, status="submitted",
                         answers=COMPLETE_2019)
    a.submitted_at = utcnow() - timedelta(days=days_ago)
    db.session.commit()
    return a


def test_queue_lists_submitted_assessments_oldest_first(client, team) -> None:
    newer = _submitted(build_city("berlin", name="Berlin"), 2026, 1)
    older = _submitted(build_city("porto", name="Porto"), 2026, 9)
    login(client, team.staff)
    html = client.get("/review").get_data(as_text=True)
    assert html.index(f"/review/{older.id}") < html.index(f"/review/{newer.id}")
    assert f"/review/{team.assessment.id}" not in html  # a draft


def test_queue_shows_who_reviews_by_when_and_what_needs_attention(client, team) -> None:
    import re
    from datetime import date

    late = _submitted(build_city("berlin", name="Berlin"), 2026, 9)
    late.reviewer_id, late.review_due = team.staff.id, date(2026, 1, 5)
    back = _submitted(build_city("porto", name="Porto"), 2026, 3)
    back.returned_at = utcnow() - timedelta(days=5)
    db.session.commit()
    login(client, team.staff)
    html = client.get("/review").get_data(as_text=True)
    row = re.compile(r'<tr><th scope="row"><a href="/review/(\d+)".*?</tr>', re.S)
    rows = {m.group(1): m.group(0) for m in row.finditer(html)}
    assert team.staff.name in rows[str(late.id)] and "Jan 5, 2026" in rows[str(late.id)]
    assert "Overdue" in rows[str(late.id)] and "Resubmitted" not in rows[str(late.id)]
    assert "Nobody yet" in rows[str(back.id)] and "Resubmitted" in rows[str(back.id)]
    assert "Overdue" not in rows[str(back.id)]
    html_fr = client.get("/review?lang=fr").get_data(as_text=True)
    assert "5 janv. 2026" in html_fr and "En retard" in html_fr


def test_city_users_cannot_open_review_pages(client, team) -> None:
    login(client, team.focal)
    assert client.get("/review").status_code == 403
    assert client.get(f"/review/{team.assessment.id}").status_code == 403


def test_review_page_shows_answers_scores_and_takes_decisions(client, team) -> None:
    a = _submitted(team.city, 2026, 2)
    login(client, team.staff)
    html = client.get(f"/review/{a.id}").get_data(as_text=True)
    assert "Provisional scores" in html and "Partly" in html and "40 %" in html
    token = csrf_token(client, f"/review/{a.id}")
    response = client.post(f"/review/{a.id}/comments", data={
        "csrf_token": token, "question_id": "education_01", "body": "Source?"})
    assert response.status_code == 302
    assert "Source?" in client.get(f"/review/{a.id}").get_data(as_text=True)
    empty = client.post(f"/review/{a.id}/return", data={"csrf_token": token, "comment": ""})
    assert empty.status_code == 422
    client.post(f"/review/{a.id}/return", data={"csrf_token": token, "comment": "Please fix 2.1"})
    db.session.expire_all()
    assert db.session.get(Assessment, a.id).status == "returned"
    refused = client.post(f"/review/{a.id}/validate", data={"csrf_token": token})
    assert refused.status_code == 302
    assert "Only a submitted assessment" in client.get(f"/review/{a.id}").get_data(as_text=True)


def test_city_sees_staff_comments_on_the_overview_and_the_form(app, client, team) -> None:
    a = _submitted(team.city, 2026, 2)
    login(client, team.staff)
    token = csrf_token(client, f"/review/{a.id}")
    client.post(f"/review/{a.id}/comments", data={"csrf_token": token,
                                                  "question_id": "education_01", "body": "Source?"})
    client.post(f"/review/{a.id}/return", data={"csrf_token": token, "comment": "Please fix 2.1"})
    city = app.test_client()
    login(city, team.focal)
    overview = city.get(f"/assessments/{a.id}").get_data(as_text=True)
    assert "Please fix 2.1" in overview and "Source?" in overview
    assert "Source?" in city.get(f"/assessments/{a.id}/dimensions/education").get_data(as_text=True)


def test_comments_name_their_author_else_the_email_oldest_first(client, team) -> None:
    """Read as plain rows: the author by name, by email without one, none without an
    author; the oldest first, and of two at the same moment the first written."""
    a = _submitted(team.city, 2026, 2)
    nameless = build_user("staff")
    nameless.name = ""
    db.session.commit()
    reviews.add_comment(accounts.actor_for(team.staff), a.id, "education_01", "Which year?")
    reviews.add_comment(accounts.actor_for(nameless), a.id, None, "Sources?")
    db.session.execute(update(ReviewComment).values(created_at=utcnow() - timedelta(hours=1)))
    db.session.add(ReviewComment(assessment_id=a.id, author_id=None, body="Imported",
                                 created_at=utcnow() - timedelta(days=1)))
    db.session.commit()
    expected = [("Imported", None), ("Which year?", team.staff.name), ("Sources?", nameless.email)]
    assert [(c.body, c.author) for c in reviews.comments_of(a.id)] == expected
    shown = client.get(f"/api/v1/assessments/{a.id}", headers=team.headers(team.focal)).get_json()
    assert [(c["body"], c["author"]) for c in shown["comments"]] == expected


def test_validate_and_reopen_from_the_review_page(client, team) -> None:
    a = _submitted(team.city, 2026, 2)
    login(client, team.staff)
    token = csrf_token(client, f"/review/{a.id}")
    client.post(f"/review/{a.id}/validate", data={"csrf_token": token})
    db.session.expire_all()
    assert db.session.get(Assessment, a.id).status == "validated"
    assert client.post(f"/review/{a.id}/reopen", data={"csrf_token": token,
                                                       "reason": ""}).status_code == 422
    client.post(f"/review/{a.id}/reopen", data={"csrf_token": token, "reason": "Typo in 3.2"})
    db.session.expire_all()
    assert db.session.get(Assessment, a.id).status == "returned"


def test_submit_page_lists_missing_questions_with_links(client, team) -> None:
    login(client, team.focal)
    aid = team.assessment.id
    response = client.post(f"/assessments/{aid}/submit",
                           data={"csrf_token": csrf_token(client, f"/assessments/{aid}")})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert f'href="/assessments/{aid}/dimensions/education#q-education_02"' in html
    assert "needs an answer" in html


def test_diff_with_the_previous_round(client, team) -> None:
    build_assessment(team.city, version="2019", round=2019,
                     answers={"commitment_01": "no", "education_01": 30})
    current = build_assessment(team.city, version="2024", round=2025,
                               answers={"commitment_01": "yes", "education_01": 30})
    login(client, team.staff)
    html = client.get(f"/review/{current.id}/diff").get_data(as_text=True)
    assert "Round 2022" in html  # the latest earlier round is team.assessment (2022)
    first = build_assessment(build_city("bonn"), version="2024", round=2025)
    assert "no earlier round" in client.get(f"/review/{first.id}/diff").get_data(as_text=True)
