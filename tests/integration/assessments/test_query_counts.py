"""The SQL statements of the hot paths, pinned: a query per answer, comment or row (N+1) fails here.

Counts include the reads of who is asking (session and user, or token and user). Each path
is measured after a first request, so that once-a-minute writes (the token's last use) and
first-time caches are out of the way.
"""

from __future__ import annotations

from typing import Any

import pytest

from benchmark.services import accounts, reviews
from tests.builders import build_assessment, build_user, login
from tests.integration.conftest import COMPLETE_2019
from tests.queries import count_queries


@pytest.fixture
def busy(team) -> int:  # type: ignore[no-untyped-def]
    """A submitted assessment with every answer, by several authors, and several comments."""
    aid = build_assessment(team.city, version="2019", round=2026, status="submitted",
                           answers=COMPLETE_2019).id
    for qid, author in (("education_01", team.staff), ("language_01", build_user("staff")),
                        (None, team.staff)):
        reviews.add_comment(accounts.actor_for(author), aid, qid, "Which year?")
    return aid


def _count(client: Any, method: str, path: str, **kwargs: Any) -> int:
    client.open(path, method=method, **kwargs)  # warm-up
    with count_queries() as queries:
        response = client.open(path, method=method, **kwargs)
    assert response.status_code in {200, 302}, response.get_data(as_text=True)[:500]
    return queries.count


@pytest.mark.parametrize(("page", "expected"), [
    # the session with its user, assessment+city+edition, answers, comments, commitments due
    ("/dimensions/education", 5),
    ("", 5),  # the overview: the same read model
    ("/profile", 2),
])
def test_city_pages(client, team, busy: int, page: str, expected: int) -> None:
    login(client, team.focal)
    assert _count(client, "GET", f"/assessments/{busy}{page}") == expected


def test_dimension_page_of_a_draft(client, team) -> None:
    login(client, team.focal)
    # the session with its user, assessment+city+edition, answers, commitments due: no read of
    # comments, which a draft cannot have (reviews.may_have_comments)
    assert team.assessment.status == "draft"
    assert _count(client, "GET", f"/assessments/{team.assessment.id}/dimensions/education") == 4


def test_city_home(client, team, busy: int) -> None:
    login(client, team.focal)
    # + the city, the city's assessments, their answers, last changes, editions (2)
    assert _count(client, "GET", "/city") == 7


def test_review_page(client, team, busy: int) -> None:
    login(client, team.staff)
    # the read model + cached scores + the staff who may be assigned to review + the previous
    # round (to compare with)
    assert _count(client, "GET", f"/review/{busy}") == 8


def test_api_assessment(client, team, busy: int) -> None:
    headers = team.headers(team.focal)
    assert _count(client, "GET", f"/api/v1/assessments/{busy}", headers=headers) == 5


def test_autosave(client, team, backend: str) -> None:
    token = team.headers(team.focal)
    path = f"/api/v1/assessments/{team.assessment.id}/answers/education_01"
    client.put(path, json={"value": 10}, headers={**token, "If-None-Match": "*"})
    client.put(path, json={"value": 11}, headers={**token, "If-Match": '"1"'})  # warm-up
    with count_queries() as queries:
        response = client.put(path, json={"value": 12}, headers={**token, "If-Match": '"2"'})
    assert response.status_code == 200, response.get_json()
    # the token with its user; then in the write transaction: the locked assessment with its edition,
    # the locked answers with their authors (the saved one and those its dimension's re-score
    # reads) and the cached index rows, in one statement; the writes: the answer, the re-scored
    # dimension's row and the overall row (one upsert), the round, the audit row — on
    # PostgreSQL all in one statement (answers._write_save)
    assert queries.count == (4 if backend == "postgresql" else 7), queries.report()
