"""The questionnaire pages without JavaScript: render, post a page, errors, conflicts."""

from __future__ import annotations

import re

from sqlalchemy import select

from benchmark.extensions import db
from benchmark.models import Answer
from tests.builders import csrf_token, login


def _answers(aid: int) -> dict[str, Answer]:
    db.session.expire_all()
    return {a.question_id: a for a in db.session.scalars(select(Answer).where(
        Answer.assessment_id == aid))}


def _page(client, aid: int, dim: str) -> str:
    response = client.get(f"/assessments/{aid}/dimensions/{dim}")
    assert response.status_code == 200, response.get_data(as_text=True)[:3000]
    return response.get_data(as_text=True)


def _revisions(html: str) -> dict[str, str]:
    return dict(re.findall(r'name="(\w+):revision" value="(\d+)"', html))


def test_dimension_page_renders_every_question_in_a_fieldset(client, team) -> None:
    login(client, team.focal)
    html = _page(client, team.assessment.id, "commitment")
    for qid in ("commitment_01", "commitment_02", "commitment_03", "commitment_04"):
        assert f'id="q-{qid}"' in html
    assert html.count("<legend>") >= 4
    assert 'type="radio" name="commitment_01:value"' in html
    assert 'type="checkbox" name="commitment_03:value"' in html
    assert 'aria-live="polite"' in html and "js/assessment.js" in html



def _post(client, aid: int, dim: str, data: dict, then: str = "stay"):  # type: ignore[no-untyped-def]
    data = {"csrf_token": csrf_token(client, f"/assessments/{aid}/dimensions/{dim}"),
            "then": then, **data}
    return client.post(f"/assessments/{aid}/dimensions/{dim}", data=data)


def test_posting_a_page_saves_its_answers(client, team) -> None:
    login(client, team.focal)
    aid = team.assessment.id
    response = _post(client, aid, "education", {
        "education_01:value": "45,5", "education_01:revision": "0",
        "education_01:evidence": "School census", "education_01:evidence_year": "2023",
        "education_02:value": "12", "education_02:revision": "0",
        "education_02:comment": "Estimated",
    })
    assert response.status_code == 302
    stored = _answers(aid)
    assert stored["education_01"].value == 45.5
    assert stored["education_01"].evidence_year == 2023
    assert (stored["education_02"].value, stored["education_02"].comment) == (12, "Estimated")


def test_unchanged_answers_are_not_saved_again(client, team) -> None:
    login(client, team.focal)
    aid = team.assessment.id
    _post(client, aid, "language", {"language_01:value": "yes", "language_01:revision": "0",
                                    "language_02:revision": "0"})
    html = _page(client, aid, "language")
    revisions = _revisions(html)
    _post(client, aid, "language", {"language_01:value": "yes",
                                    "language_01:revision": revisions["language_01"],
                                    "language_02:revision": revisions["language_02"]})
    assert _answers(aid)["language_01"].revision == 1
    assert "language_02" not in _answers(aid)


def test_invalid_values_rerender_with_errors_and_keep_what_was_typed(client, team) -> None:
    login(client, team.focal)
    aid = team.assessment.id
    response = _post(client, aid, "education", {
        "education_01:value": "140", "education_01:revision": "0",
        "education_02:value": "twelve", "education_02:revision": "0",
        "education_02:comment": "my long explanation",
    })
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert 'class="error-summary"' in html
    assert 'href="#q-education_01-value"' in html and 'href="#q-education_02-value"' in html
    assert 'value="twelve"' in html and "my long explanation" in html
    assert _answers(aid) == {}


def test_stale_page_post_is_reported_with_the_other_answer_and_saves_nothing(client, team) -> None:
    from tests.integration.assessments.conftest import put

    login(client, team.focal)
    aid = team.assessment.id
    html = _page(client, aid, "language")
    put(client, team, "language_01", {"value": "no"}, create=True, user=team.focal)
    response = _post(client, aid, "language", {
        "language_01:value": "yes", "language_01:revision": _revisions(html)["language_01"],
        "language_02:value": "3", "language_02:revision": "0",
    })
    assert response.status_code == 409
    page = response.get_data(as_text=True)
    assert "Someone else changed this answer" in page and "“No”" in page
    assert _answers(aid)["language_01"].value == "no" and "language_02" not in _answers(aid)
    # The person has now seen their answer: posting again keeps theirs or replaces it knowingly.
    again = _post(client, aid, "language", {
        "language_01:value": "yes", "language_01:revision": _revisions(page)["language_01"],
        "language_02:value": "3", "language_02:revision": "0",
    })
    assert again.status_code == 302
    assert _answers(aid)["language_01"].value == "yes"


def test_taking_their_version_after_a_conflict_leaves_it(client, team) -> None:
    from tests.integration.assessments.conftest import put

    login(client, team.focal)
    aid = team.assessment.id
    put(client, team, "language_01", {"value": "no"}, create=True)
    _post(client, aid, "language", {"language_01:value": "yes", "language_01:revision": "0",
                                    "language_01:resolve": "theirs"})
    assert _answers(aid)["language_01"].value == "no"


def test_contributor_sees_only_their_dimensions(client, team) -> None:
    login(client, team.contributor)
    aid = team.assessment.id
    html = _page(client, aid, "education")
    assert f"/assessments/{aid}/dimensions/commitment" not in html
    assert client.get(f"/assessments/{aid}/dimensions/commitment").status_code == 403
    assert client.get(f"/assessments/{aid}/dimensions/nope").status_code == 404
    overview = client.get(f"/assessments/{aid}").get_data(as_text=True)
    assert "dimensions/education" in overview and "dimensions/commitment" not in overview


def test_another_citys_assessment_pages_are_404(client, team) -> None:
    login(client, team.outsider)
    aid = team.assessment.id
    for path in (f"/assessments/{aid}", f"/assessments/{aid}/dimensions/education",
                 f"/assessments/{aid}/profile"):
        assert client.get(path).status_code == 404, path


def test_staff_see_the_form_read_only(client, team) -> None:
    login(client, team.staff)
    html = _page(client, team.assessment.id, "commitment")
    assert ":revision" not in html and "disabled" in html


def test_hidden_question_is_rendered_hidden_until_its_condition_holds(client, team) -> None:
    login(client, team.focal)
    aid = team.assessment.id
    html = _page(client, aid, "commitment")
    assert re.search(r'id="q-commitment_02"[^>]*\bhidden\b', html, re.S)
    _post(client, aid, "commitment", {"commitment_01:value": "yes", "commitment_01:revision": "0"})
    html = _page(client, aid, "commitment")
    assert not re.search(r'id="q-commitment_02"[^>]*\bhidden\b', html, re.S)


def test_home_lists_assessments_and_starts_one_prefilled(client, team) -> None:
    from tests.integration.assessments.conftest import put

    login(client, team.focal)
    put(client, team, "commitment_01", {"value": "yes", "evidence": "Council decision"},
        create=True)
    html = client.get("/city").get_data(as_text=True)
    assert "Round 2022" in html and "Start the" in html
    token = csrf_token(client, "/city")
    response = client.post("/city/assessments", data={"csrf_token": token, "questionnaire": "2024",
                                                      "round": "2026", "prefill": "1"})
    assert response.status_code == 302
    new_id = int(response.headers["Location"].rstrip("/").split("/")[-1])
    copied = _answers(new_id)
    assert copied["commitment_01"].value == "yes" and copied["commitment_01"].confirmed is False
    assert copied["commitment_01"].evidence == "Council decision"
    page = _page(client, new_id, "commitment")
    assert "copied from your previous round" in page
    _post(client, new_id, "commitment", {"commitment_01:value": "yes", "commitment_01:confirm": "1",
                                         "commitment_01:revision": "1"})
    assert _answers(new_id)["commitment_01"].confirmed is True


def test_profile_is_saved_and_validated(client, team) -> None:
    login(client, team.focal)
    aid = team.assessment.id
    page = client.get(f"/assessments/{aid}/profile").get_data(as_text=True)
    revision = re.search(r'name="revision" value="(\d+)"', page).group(1)
    bad = client.post(f"/assessments/{aid}/profile", data={
        "csrf_token": csrf_token(client), "revision": revision, "population": "many",
        "foreign_born_share": "120"})
    assert bad.status_code == 422
    ok = client.post(f"/assessments/{aid}/profile", data={
        "csrf_token": csrf_token(client), "revision": revision, "population": "512 000",
        "foreign_born_share": "21,5"})
    assert ok.status_code == 302
    from benchmark.models import Assessment

    db.session.expire_all()
    assert db.session.get(Assessment, aid).profile == {"population": 512000,
                                                       "foreign_born_share": 21.5}


def test_focal_point_assigns_contributor_dimensions_on_the_team_page(app, client, team) -> None:
    from benchmark.models import User

    login(client, team.focal)
    overview = client.get(f"/assessments/{team.assessment.id}").get_data(as_text=True)
    assert 'href="/team"' in overview
    path = f"/team/{team.contributor.id}"
    response = client.post(path, data={"csrf_token": csrf_token(client, path),
                                        "dimensions": ["language", "education"]})
    assert response.status_code == 302
    assert db.session.get(User, team.contributor.id).dimensions == ["education", "language"]
    other = app.test_client()
    login(other, team.contributor)
    assert other.get(path).status_code == 403
    assert 'href="/team"' not in other.get(f"/assessments/{team.assessment.id}").get_data(
        as_text=True)
