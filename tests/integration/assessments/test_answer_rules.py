"""What saving an answer means: scores follow, identical saves are no-ops (except confirming),
stale preconditions never overwrite, a comment alone is not an answer, and read-only pages say why."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from benchmark.extensions import db
from benchmark.models import OVERALL, Answer, AuditEvent
from benchmark.services import scores
from tests.builders import build_assessment, csrf_token, login
from tests.integration.assessments.conftest import put
from tests.integration.conftest import COMPLETE_2019

API = "/api/v1/assessments"


def _answer(aid: int, qid: str) -> Answer | None:
    return db.session.scalar(select(Answer).where(Answer.assessment_id == aid,
                                                  Answer.question_id == qid))


def _saves(aid: int) -> int:
    return db.session.scalar(select(func.count()).select_from(AuditEvent).where(
        AuditEvent.action == "answer_saved", AuditEvent.target_id == str(aid))) or 0


def _post_page(client, aid: int, dim: str, data: dict):  # type: ignore[no-untyped-def]
    path = f"/assessments/{aid}/dimensions/{dim}"
    return client.post(path, data={"csrf_token": csrf_token(client, path), "then": "stay", **data})


# -- cached scores follow every save -----------------------------------------------------------


def test_an_api_save_refreshes_the_cached_scores(client, team) -> None:
    aid = team.assessment.id
    assert scores.stored_indices(aid)["commitment"] == 0
    assert put(client, team, "commitment_01", {"value": "yes"}, create=True).status_code == 200
    after = scores.stored_indices(aid)
    assert after["commitment"] > 0 and after[OVERALL] > 0
    assert after == {**scores.score_of(team.assessment).indices, OVERALL: after[OVERALL]}


def test_a_page_save_refreshes_the_cached_scores(client, team) -> None:
    aid = team.assessment.id
    login(client, team.focal)
    assert scores.stored_indices(aid)["language"] == 0
    response = _post_page(client, aid, "language", {"language_01:value": "yes",
                                                   "language_01:revision": "0"})
    assert response.status_code == 302
    assert scores.stored_indices(aid)["language"] > 0


# -- identical saves ---------------------------------------------------------------------------


def test_resending_the_stored_answer_changes_nothing(client, team) -> None:
    aid = team.assessment.id
    body = {"value": "yes", "comment": "council decision"}
    first = put(client, team, "commitment_01", body, create=True).get_json()
    assert first["changed"] is True
    saves = _saves(aid)
    again = put(client, team, "commitment_01", body, revision=1)
    assert again.status_code == 200
    assert again.get_json()["changed"] is False and again.get_json()["revision"] == 1
    assert again.headers["ETag"] == '"1"'
    assert _saves(aid) == saves
    assert again.get_json()["assessment_revision"] == first["assessment_revision"]


def test_resending_a_prefilled_answer_confirms_it(client, team) -> None:
    aid = team.assessment.id
    put(client, team, "commitment_01", {"value": "yes"}, create=True)
    row = _answer(aid, "commitment_01")
    row.confirmed = False
    db.session.commit()
    response = put(client, team, "commitment_01", {"value": "yes"}, revision=1)
    body = response.get_json()
    assert (body["changed"], body["confirmed"], body["revision"]) == (True, True, 2)
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "answer_saved")
                              .order_by(AuditEvent.id.desc()))
    assert event.details["confirmed"] is True and event.details["changes"] == {}


def test_the_still_right_box_confirms_an_unchanged_prefilled_answer(client, team) -> None:
    aid = team.assessment.id
    put(client, team, "language_01", {"value": "yes"}, create=True)
    row = _answer(aid, "language_01")
    row.confirmed = False
    db.session.commit()
    login(client, team.focal)
    unticked = _post_page(client, aid, "language", {"language_01:value": "yes",
                                                   "language_01:revision": "1"})
    assert unticked.status_code == 302
    assert (_answer(aid, "language_01").confirmed, _answer(aid, "language_01").revision) == (False, 1)
    ticked = _post_page(client, aid, "language", {"language_01:value": "yes",
                                                 "language_01:confirm": "1",
                                                 "language_01:revision": "1"})
    assert ticked.status_code == 302
    assert (_answer(aid, "language_01").confirmed, _answer(aid, "language_01").revision) == (True, 2)


# -- preconditions never overwrite or create ---------------------------------------------------


@pytest.mark.parametrize("revision", [99, 0])
def test_if_match_naming_no_current_revision_is_stale(client, team, revision: int) -> None:
    aid = team.assessment.id
    put(client, team, "commitment_01", {"value": "yes"}, create=True)
    response = put(client, team, "commitment_01", {"value": "no"}, revision=revision)
    assert response.status_code == 409
    assert response.get_json()["error"]["code"] == "stale"
    assert (_answer(aid, "commitment_01").value, _answer(aid, "commitment_01").revision) == ("yes", 1)


@pytest.mark.parametrize("revision", [99, 0])
def test_if_match_on_a_question_without_answer_never_creates_one(client, team, revision: int) -> None:
    response = put(client, team, "commitment_01", {"value": "no"}, revision=revision)
    assert response.status_code == 409
    assert _answer(team.assessment.id, "commitment_01") is None


# -- a comment alone is not an answer ----------------------------------------------------------


def test_a_comment_or_evidence_alone_does_not_count_as_answered(client, team) -> None:
    answers = {**COMPLETE_2019, "education_01": {"value": None, "comment": "asking the schools"},
               "education_02": {"value": None, "evidence": "census 2021"}}
    aid = build_assessment(team.city, version="2019", round=2026, answers=answers).id
    body = client.get(f"{API}/{aid}", headers=team.headers(team.focal)).get_json()
    education = next(p for p in body["progress"] if p["id"] == "education")
    assert (education["answered"], education["total"]) == (0, 2)
    submit = client.post(f"{API}/{aid}/submit", headers=team.headers(team.focal))
    assert submit.status_code == 422
    assert set(submit.get_json()["error"]["fields"]) == {"education_01", "education_02"}


# -- read-only assessments say so on every page --------------------------------------------------


@pytest.mark.parametrize(("status", "reason"), [
    ("submitted", "submitted for review"), ("validated", "validated and read-only")])
def test_read_only_pages_render_read_only_with_the_reason(client, team, status: str,
                                                           reason: str) -> None:
    aid = build_assessment(team.city, version="2019", round=2026, status=status,
                           answers=COMPLETE_2019).id
    login(client, team.focal)
    for path in (f"/assessments/{aid}/dimensions/education", f"/assessments/{aid}/profile",
                 f"/assessments/{aid}"):
        html = client.get(path).get_data(as_text=True)
        assert reason in html, path
        assert ":revision" not in html and "Save the profile" not in html
        assert "Submit the assessment" not in html
    form = client.get(f"/assessments/{aid}/dimensions/education").get_data(as_text=True)
    assert re.search(r'name="education_01:value"[^>]*disabled', form)
    profile = client.get(f"/assessments/{aid}/profile").get_data(as_text=True)
    assert re.search(r'id="profile-population"[^>]*disabled', profile)
