"""The dimension page's form is kept rendered (web/fragments.py): what a user must still see.

Each test loads a page first, so that its form is kept, then changes what the page shows
(an answer, the reader, the language, a review comment) and loads it again.
"""

from __future__ import annotations

import re

from benchmark.services import accounts, reviews
from tests.builders import build_assessment, login
from tests.integration.assessments.conftest import put


def _page(client, aid: int, dim: str, lang: str = "en") -> str:  # type: ignore[no-untyped-def]
    response = client.get(f"/assessments/{aid}/dimensions/{dim}?lang={lang}")
    assert response.status_code == 200, response.get_data(as_text=True)[:2000]
    return response.get_data(as_text=True)


def _form_token(html: str) -> str:
    return re.search(r'<input type="hidden" name="csrf_token" value="([^"]+)"', html)[1]  # type: ignore[index]


def test_a_saved_answer_appears_on_the_next_page_load(client, team) -> None:
    login(client, team.focal)
    aid = team.assessment.id
    before = _page(client, aid, "education")
    assert 'value="45.5"' not in before
    saved = put(client, team, "education_01", {"value": 45.5}, create=True)
    assert saved.status_code in (200, 201), saved.get_json()
    after = _page(client, aid, "education")
    assert 'value="45.5"' in after
    assert 'name="education_01:revision" value="1"' in after


def test_each_reader_gets_the_form_of_their_own_rights(app, client, team) -> None:
    aid = team.assessment.id
    login(client, team.focal)
    focal = _page(client, aid, "education")
    assert 'name="education_01:revision"' in focal and f"/assessments/{aid}/dimensions/commitment" in focal
    staff_client = app.test_client()
    login(staff_client, team.staff)
    staff = _page(staff_client, aid, "education")
    assert ":revision" not in staff and "disabled" in staff
    contributor_client = app.test_client()
    login(contributor_client, team.contributor)
    contributor = _page(contributor_client, aid, "education")
    assert 'name="education_01:revision"' in contributor
    assert f"/assessments/{aid}/dimensions/commitment" not in contributor
    again = _page(client, aid, "education")  # after the two others' forms were kept
    assert 'name="education_01:revision"' in again and "/dimensions/commitment" in again


def test_the_form_follows_a_language_switch(client, team) -> None:
    login(client, team.focal)
    aid = team.assessment.id
    english = _page(client, aid, "education", "en")
    french = _page(client, aid, "education", "fr")
    assert "Evidence and comment" in english
    assert "Evidence and comment" not in french and 'lang="fr"' in french
    assert "Evidence and comment" in _page(client, aid, "education", "en")


def test_a_new_review_comment_appears(client, team) -> None:
    submitted = build_assessment(team.city, version="2019", round=2023, status="submitted")
    login(client, team.focal)
    assert "Please name the source" not in _page(client, submitted.id, "commitment")
    reviews.add_comment(accounts.actor_for(team.staff), submitted.id, "commitment_01",
                        "Please name the source")
    assert "Please name the source" in _page(client, submitted.id, "commitment")


def test_each_page_carries_its_own_sessions_csrf_token(app, client, team) -> None:
    aid = team.assessment.id
    login(client, team.focal)
    first = _page(client, aid, "education")
    other = app.test_client()
    login(other, team.focal)
    second = _page(other, aid, "education")
    meta = re.search(r'name="csrf-token" content="([^"]+)"', second)[1]  # type: ignore[index]
    assert _form_token(second) == meta != _form_token(first)
    posted = other.post(f"/assessments/{aid}/dimensions/education",
                        data={"csrf_token": _form_token(second), "then": "stay",
                              "education_01:value": "12", "education_01:revision": "0"})
    assert posted.status_code == 302
