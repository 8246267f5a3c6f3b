"""Assessments through the API: create, list, read, submit, return, validate, reopen."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from benchmark.extensions import db
from benchmark.models import AuditEvent, Notification, ReviewComment
from tests.builders import build_assessment, build_city, build_user
from tests.integration.conftest import COMPLETE_2019
from tests.queries import count_queries

API = "/api/v1/assessments"


def _create(client, team, body, user=None):  # type: ignore[no-untyped-def]
    return client.post(API, json=body, headers=team.headers(user or team.focal))


def test_focal_point_creates_an_assessment(client, team) -> None:
    response = _create(client, team, {"city": "lyon", "questionnaire": "2024", "round": 2026})
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert (body["city"], body["questionnaire"], body["round"], body["status"]) == (
        "lyon", "2024", 2026, "draft")
    assert response.headers["Location"].endswith(f"/assessments/{body['id']}")
    assert body["profile"] == {"population": 200000, "foreign_born_share": 15.0}


def test_same_city_edition_and_round_twice_is_409(client, team) -> None:
    _create(client, team, {"city": "lyon", "questionnaire": "2024", "round": 2026})
    response = _create(client, team, {"city": "lyon", "questionnaire": "2024", "round": 2026})
    assert response.status_code == 409


@pytest.mark.parametrize(("body", "field"), [
    ({"city": "lyon", "questionnaire": "1999", "round": 2026}, "questionnaire"),
    ({"city": "lyon", "questionnaire": "2024", "round": 0}, "round"),
    ({"city": "lyon", "questionnaire": "2024", "round": "2026"}, "round"),
    ({"city": "lyon", "questionnaire": "2024", "round": 10**6}, "round"),
    ({"city": "lyon", "questionnaire": "2024"}, "round"),
])
def test_unknown_edition_or_bad_round_is_422(client, team, body, field) -> None:
    response = _create(client, team, body)
    assert response.status_code == 422
    assert field in response.get_json()["error"]["fields"]


def test_creating_for_another_city_is_404_and_for_staff_403(client, team) -> None:
    body = {"city": "lyon", "questionnaire": "2024", "round": 2026}
    assert _create(client, team, body, team.outsider).status_code == 404
    assert _create(client, team, body, team.staff).status_code == 403
    assert _create(client, team, body, team.contributor).status_code == 403


def test_prefill_copies_mapped_answers_unconfirmed(client, team) -> None:
    old = build_assessment(team.city, version="2019", round=2020, answers={
        "commitment_01": {"value": "yes", "comment": "since 2018"}, "education_01": 55,
        "language_01": {"value": None, "na": True}, "commitment_02": "full"})
    assert old.id
    response = _create(client, team, {"city": "lyon", "questionnaire": "2024", "round": 2023,
                                      "prefill": True})
    answers = response.get_json()["answers"]
    # The 2022 round (team.assessment, empty) is the previous one: nothing to copy from it.
    assert answers == {}
    response = _create(client, team, {"city": "lyon", "questionnaire": "2024", "round": 2021,
                                      "prefill": True})
    answers = response.get_json()["answers"]
    assert set(answers) == {"commitment_01", "education_01", "language_01"}
    assert answers["commitment_01"]["comment"] == "since 2018"
    assert all(a["confirmed"] is False for a in answers.values())
    assert answers["language_01"]["na"] is True


def test_list_shows_only_what_the_caller_may_see(client, team) -> None:
    build_assessment(build_city("oslo-2"), version="2019", round=2022)
    own = client.get(API, headers=team.headers(team.focal)).get_json()["items"]
    assert {a["city"] for a in own} == {"lyon"}
    everything = client.get(API, headers=team.headers(team.staff)).get_json()["items"]
    assert {a["city"] for a in everything} == {"lyon", "oslo-2"}
    assert client.get(API, headers=team.headers(team.outsider)).get_json()["items"] == []


def test_list_filters_and_paginates(client, team) -> None:
    for r in range(2000, 2005):
        build_assessment(team.city, version="2024", round=r, status="validated")
    headers = team.headers(team.staff)
    page = client.get(f"{API}?status=validated&questionnaire=2024&city=lyon&limit=2",
                      headers=headers).get_json()
    assert len(page["items"]) == 2 and page["next"]
    seen = [a["round"] for a in page["items"]]
    while page["next"]:
        page = client.get(page["next"], headers=headers).get_json()
        seen += [a["round"] for a in page["items"]]
    assert sorted(seen) == list(range(2000, 2005))
    assert client.get(f"{API}?status=lost", headers=headers).status_code == 422
    assert client.get(f"{API}?cursor=%%%", headers=headers).status_code == 422


def test_list_runs_a_fixed_number_of_queries(client, team) -> None:
    for r in range(2000, 2010):
        build_assessment(team.city, version="2024", round=r)
    headers = team.headers(team.staff)
    client.get(API, headers=headers)  # warm up
    with count_queries() as queries:
        assert len(client.get(API, headers=headers).get_json()["items"]) == 11
    # the token with its user, the list (with cities and editions)
    assert queries.count <= 3, queries.report()


def test_get_shows_answers_with_revisions_and_contributors_only_their_dimensions(client, team) -> None:
    aid = build_assessment(team.city, version="2019", round=2019, answers={
        "commitment_01": "yes", "education_01": 12}).id
    full = client.get(f"{API}/{aid}", headers=team.headers(team.focal))
    assert full.headers["ETag"]
    assert set(full.get_json()["answers"]) == {"commitment_01", "education_01"}
    assert full.get_json()["answers"]["commitment_01"]["revision"] == 1
    mine = client.get(f"{API}/{aid}", headers=team.headers(team.contributor)).get_json()
    assert set(mine["answers"]) == {"education_01"}
    assert [p["id"] for p in mine["progress"]] == ["education"]
    assert client.get(f"{API}/{aid}", headers=team.headers(team.outsider)).status_code == 404


# -- the status workflow --------------------------------------------------------------------


def _complete(team):  # type: ignore[no-untyped-def]
    return build_assessment(team.city, version="2019", round=2026, answers=COMPLETE_2019)


def test_submit_with_missing_answers_is_422_listing_each_question(client, team) -> None:
    aid = build_assessment(team.city, version="2019", round=2026,
                           answers={"commitment_01": "no"}).id
    response = client.post(f"{API}/{aid}/submit", headers=team.headers(team.focal))
    assert response.status_code == 422
    fields = response.get_json()["error"]["fields"]
    # commitment_02 is hidden by skip logic, commitment_04 optional: neither is required.
    assert set(fields) == {"commitment_03", "education_01", "education_02", "language_01",
                           "language_02"}


def test_submit_notifies_staff_and_freezes_the_assessment(app, client, team) -> None:
    aid = _complete(team).id
    response = client.post(f"{API}/{aid}/submit", headers=team.headers(team.focal))
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["status"] == "submitted"
    notes = db.session.scalars(select(Notification).where(
        Notification.kind == "assessment_submitted")).all()
    assert [n.user_id for n in notes] == [team.staff.id]
    outbox = Path(app.instance_path) / "outbox"
    assert any("Lyon" in p.read_text() for p in outbox.glob("*.eml"))
    edit = client.put(f"{API}/{aid}/answers/commitment_01", json={"value": "no"},
                      headers=team.headers(team.focal, **{"If-Match": '"1"'}))
    assert edit.status_code == 409
    again = client.post(f"{API}/{aid}/submit", headers=team.headers(team.focal))
    assert again.status_code == 409


def test_only_the_focal_point_submits(client, team) -> None:
    aid = _complete(team).id
    assert client.post(f"{API}/{aid}/submit",
                       headers=team.headers(team.contributor)).status_code == 403
    assert client.post(f"{API}/{aid}/submit", headers=team.headers(team.staff)).status_code == 403


def test_unconfirmed_prefilled_answer_blocks_submission(client, team) -> None:
    from benchmark.models import Answer

    aid = _complete(team).id
    row = db.session.scalar(select(Answer).where(Answer.assessment_id == aid,
                                                 Answer.question_id == "education_02"))
    row.confirmed = False
    db.session.commit()
    response = client.post(f"{API}/{aid}/submit", headers=team.headers(team.focal))
    assert response.status_code == 422
    assert set(response.get_json()["error"]["fields"]) == {"education_02"}


def test_validating_a_draft_is_409_with_a_reason(client, team) -> None:
    response = client.post(f"{API}/{team.assessment.id}/validate", headers=team.headers(team.staff))
    assert response.status_code == 409
    assert "draft" in response.get_json()["error"]["message"]


def test_return_then_resubmit_then_validate(client, team) -> None:
    aid = _complete(team).id
    client.post(f"{API}/{aid}/submit", headers=team.headers(team.focal))
    bad = client.post(f"{API}/{aid}/return", json={"comment": "  "}, headers=team.headers(team.staff))
    assert bad.status_code == 422
    returned = client.post(f"{API}/{aid}/return", json={"comment": "Add evidence for 2.1"},
                           headers=team.headers(team.staff))
    assert returned.status_code == 200 and returned.get_json()["status"] == "returned"
    assert returned.get_json()["comments"][-1]["kind"] == "return"
    assert db.session.scalars(select(Notification.user_id).where(
        Notification.kind == "assessment_returned")).all() == [team.focal.id, team.contributor.id]
    edit = client.put(f"{API}/{aid}/answers/education_01", json={"value": 41},
                      headers=team.headers(team.contributor, **{"If-Match": '"1"'}))
    assert edit.status_code == 200
    assert client.post(f"{API}/{aid}/submit", headers=team.headers(team.focal)).status_code == 200
    assert client.post(f"{API}/{aid}/validate",
                       headers=team.headers(team.focal)).status_code == 403
    validated = client.post(f"{API}/{aid}/validate", headers=team.headers(team.staff))
    assert validated.status_code == 200 and validated.get_json()["status"] == "validated"
    assert validated.get_json()["validated_at"]
    assert db.session.scalar(select(Notification.kind).where(
        Notification.kind == "assessment_validated"))


def test_validated_assessment_is_read_only_until_reopened_with_a_reason(client, team) -> None:
    aid = build_assessment(team.city, version="2019", round=2026, status="validated",
                           answers=COMPLETE_2019).id
    edit = client.put(f"{API}/{aid}/answers/education_01", json={"value": 41},
                      headers=team.headers(team.focal, **{"If-Match": '"1"'}))
    assert edit.status_code == 409 and "validated" in edit.get_json()["error"]["message"]
    assert client.post(f"{API}/{aid}/reopen", json={"reason": "x"},
                       headers=team.headers(team.focal)).status_code == 403
    assert client.post(f"{API}/{aid}/reopen", json={"reason": ""},
                       headers=team.headers(team.staff)).status_code == 422
    reopened = client.post(f"{API}/{aid}/reopen", json={"reason": "Census figures corrected"},
                           headers=team.headers(team.staff))
    assert reopened.status_code == 200 and reopened.get_json()["status"] == "returned"
    audit = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "assessment_reopened"))
    assert audit.details == {"reason": "Census figures corrected"}
    assert audit.user_id == team.staff.id
    again = client.put(f"{API}/{aid}/answers/education_01", json={"value": 41},
                       headers=team.headers(team.focal, **{"If-Match": '"1"'}))
    assert again.status_code == 200
    assert client.post(f"{API}/{aid}/reopen", json={"reason": "again"},
                       headers=team.headers(team.staff)).status_code == 409


def test_staff_comment_per_question_is_visible_to_the_city(client, team) -> None:
    aid = build_assessment(team.city, version="2019", round=2026, status="submitted",
                           answers=COMPLETE_2019).id
    response = client.post(f"{API}/{aid}/comments", json={"question_id": "education_01",
                                                          "body": "Which year?"},
                           headers=team.headers(team.staff))
    assert response.status_code == 201
    assert client.post(f"{API}/{aid}/comments", json={"question_id": "nope", "body": "x"},
                       headers=team.headers(team.staff)).status_code == 422
    assert client.post(f"{API}/{aid}/comments", json={"body": "x"},
                       headers=team.headers(team.focal)).status_code == 403
    seen = client.get(f"{API}/{aid}", headers=team.headers(team.focal)).get_json()["comments"]
    assert [(c["question_id"], c["body"]) for c in seen] == [("education_01", "Which year?")]
    assert db.session.scalar(select(ReviewComment.author_id)) == team.staff.id


def test_review_actions_on_another_staff_invisible_assessment_are_404_for_cities(client, team) -> None:
    other = build_assessment(build_city("nice"), version="2019", round=2026, status="submitted")
    for action in ("submit", "validate"):
        assert client.post(f"{API}/{other.id}/{action}",
                           headers=team.headers(team.focal)).status_code == 404
    assert build_user("admin")
