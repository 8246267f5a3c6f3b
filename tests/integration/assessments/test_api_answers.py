"""PUT /api/v1/assessments/{id}/answers/{question_id}: preconditions, validation, rights."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from benchmark.extensions import db
from benchmark.models import Answer, Assessment, AuditEvent
from tests.builders import build_assessment
from tests.integration.assessments.conftest import put


def _answer(assessment_id: int, qid: str) -> Answer | None:
    db.session.expire_all()
    return db.session.scalar(select(Answer).where(Answer.assessment_id == assessment_id,
                                                  Answer.question_id == qid))


def test_creating_an_answer_returns_revision_1_and_an_etag(client, team) -> None:
    response = put(client, team, "commitment_01", {"value": "yes"}, create=True)
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["revision"] == 1 and body["value"] == "yes" and body["hidden"] is False
    assert response.headers["ETag"] == '"1"'
    assert body["updated_by"] and body["updated_at"]


def test_updating_with_the_current_revision_bumps_it(client, team) -> None:
    put(client, team, "commitment_01", {"value": "yes"}, create=True)
    before = db.session.get(Assessment, team.assessment.id).revision
    response = put(client, team, "commitment_01", {"value": "no", "comment": "changed"},
                   revision=1)
    assert response.status_code == 200
    assert response.get_json()["revision"] == 2
    answer = _answer(team.assessment.id, "commitment_01")
    assert (answer.value, answer.comment, answer.revision) == ("no", "changed", 2)
    assert db.session.get(Assessment, team.assessment.id).revision == before + 1


def test_weak_etag_is_accepted_as_if_match(client, team) -> None:
    put(client, team, "commitment_01", {"value": "yes"}, create=True)
    headers = team.headers(team.focal, **{"If-Match": 'W/"1"'})
    response = client.put(f"/api/v1/assessments/{team.assessment.id}/answers/commitment_01",
                          json={"value": "no"}, headers=headers)
    assert response.status_code == 200


def test_missing_precondition_on_an_existing_answer_is_428(client, team) -> None:
    put(client, team, "commitment_01", {"value": "yes"}, create=True)
    response = put(client, team, "commitment_01", {"value": "no"})
    assert response.status_code == 428
    assert response.get_json()["error"]["code"] == "precondition_required"
    assert _answer(team.assessment.id, "commitment_01").value == "yes"


def test_if_match_star_is_refused(client, team) -> None:
    put(client, team, "commitment_01", {"value": "yes"}, create=True)
    headers = team.headers(team.focal, **{"If-Match": "*"})
    response = client.put(f"/api/v1/assessments/{team.assessment.id}/answers/commitment_01",
                          json={"value": "no"}, headers=headers)
    assert response.status_code == 428


def test_malformed_if_match_is_400(client, team) -> None:
    headers = team.headers(team.focal, **{"If-Match": "abc"})
    response = client.put(f"/api/v1/assessments/{team.assessment.id}/answers/commitment_01",
                          json={"value": "no"}, headers=headers)
    assert response.status_code == 400


def test_stale_revision_is_409_with_the_current_answer(client, team) -> None:
    put(client, team, "commitment_01", {"value": "yes", "comment": "first"}, create=True)
    put(client, team, "commitment_01", {"value": "no"}, revision=1, user=team.focal)
    response = put(client, team, "commitment_01", {"value": "yes"}, revision=1)
    assert response.status_code == 409
    error = response.get_json()["error"]
    assert error["code"] == "stale"
    assert error["current"]["value"] == "no" and error["current"]["revision"] == 2
    assert error["current"]["updated_by"]
    assert _answer(team.assessment.id, "commitment_01").value == "no"


def test_create_when_an_answer_exists_is_409(client, team) -> None:
    put(client, team, "commitment_01", {"value": "yes"}, create=True)
    response = put(client, team, "commitment_01", {"value": "no"}, create=True)
    assert response.status_code == 409
    assert response.get_json()["error"]["current"]["value"] == "yes"


def test_if_match_on_a_missing_answer_is_409(client, team) -> None:
    response = put(client, team, "commitment_01", {"value": "no"}, revision=3)
    assert response.status_code == 409
    assert response.get_json()["error"]["current"] is None


def test_omitted_comment_and_evidence_are_kept(client, team) -> None:
    put(client, team, "education_01", {"value": 30, "comment": "c", "evidence": "census",
                                       "evidence_url": "https://stat.example/x",
                                       "evidence_year": 2023}, create=True)
    put(client, team, "education_01", {"value": 31}, revision=1)
    answer = _answer(team.assessment.id, "education_01")
    assert (answer.value, answer.comment, answer.evidence, answer.evidence_url,
            answer.evidence_year) == (31, "c", "census", "https://stat.example/x", 2023)


def test_not_applicable_is_stored_without_a_value(client, team) -> None:
    response = put(client, team, "education_01", {"value": None, "na": True}, create=True)
    assert response.status_code == 200
    answer = _answer(team.assessment.id, "education_01")
    assert answer.na is True and answer.value is None


def test_every_save_writes_an_audit_row_with_old_and_new(client, team) -> None:
    put(client, team, "commitment_01", {"value": "yes"}, create=True)
    put(client, team, "commitment_01", {"value": "no"}, revision=1)
    rows = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "answer_saved")
                              .order_by(AuditEvent.id)).all()
    assert [r.details["changes"]["value"] for r in rows] == [[None, "yes"], ["yes", "no"]]
    assert rows[-1].city_id == team.city.id and rows[-1].user_id == team.focal.id


def test_a_save_moves_the_scores_and_the_audit_log_together(client, team) -> None:
    scores = f"/api/v1/assessments/{team.assessment.id}/scores"
    headers = team.headers(team.focal)

    def education() -> float | None:
        dims = client.get(scores, headers=headers).get_json()["dimensions"]
        return next(d["index"] for d in dims if d["id"] == "education")

    before = education()
    assert put(client, team, "education_01", {"value": 30}, create=True).status_code == 200
    assert education() != before
    saved = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "answer_saved")).all()
    assert [r.details["question"] for r in saved] == ["education_01"]
    # a refused save changes neither: no score, no audit row, no revision
    revision = db.session.get(Assessment, team.assessment.id).revision
    moved = education()
    assert put(client, team, "education_01", {"value": 31}, revision=7).status_code == 409
    db.session.expire_all()
    assert education() == moved
    assert db.session.get(Assessment, team.assessment.id).revision == revision
    assert db.session.scalar(select(func.count()).select_from(AuditEvent)
                             .where(AuditEvent.action == "answer_saved")) == 1


def test_answer_to_a_question_hidden_by_skip_logic_is_stored_and_marked_hidden(client, team) -> None:
    put(client, team, "commitment_01", {"value": "no"}, create=True)
    response = put(client, team, "commitment_02", {"value": "full"}, create=True)
    assert response.status_code == 200
    assert response.get_json()["hidden"] is True
    assert "commitment_02" in client.get(f"/api/v1/assessments/{team.assessment.id}",
                                         headers=team.headers(team.focal)).get_json()["hidden"]


# -- bad input: 422 with a message per field, nothing changed ---------------------------------

BAD_VALUES = [
    ("commitment_01", {"value": "maybe"}, "value"),              # yes_no: wrong option id
    ("commitment_02", {"value": "most"}, "value"),               # single_choice: wrong option
    ("commitment_02", {"value": 1}, "value"),                    # single_choice: not a string
    ("commitment_03", {"value": ["council", "mayor"]}, "value"),  # multi_choice: unknown option
    ("commitment_03", {"value": "council"}, "value"),            # multi_choice: not a list
    ("education_02", {"value": "twelve"}, "value"),              # number: text
    ("education_02", {"value": True}, "value"),                  # number: boolean
    ("education_02", {"value": 1e300}, "value"),                 # number: absurd magnitude
    ("education_01", {"value": 140}, "value"),                   # percent: out of range
    ("education_01", {"value": -1}, "value"),                    # percent: out of range
    ("education_02", {"value": None, "na": True}, "na"),         # N/A not allowed
    ("education_01", {"value": 10, "na": True}, "value"),        # N/A with a value
    ("commitment_04", {"value": "x" * 5001}, "value"),           # text over its length limit
    ("commitment_04", {"value": 12}, "value"),                   # text: not a string
    ("commitment_04", {"value": "\ud800"}, "value"),             # text: not valid Unicode
    ("commitment_01", {"value": "yes", "comment": "x" * 5001}, "comment"),
    ("commitment_01", {"value": "yes", "evidence_url": "javascript:alert(1)"}, "evidence_url"),
    ("commitment_01", {"value": "yes", "evidence_year": 1200}, "evidence_year"),
    ("commitment_01", {"value": "yes", "evidence_year": "2020"}, "evidence_year"),
    ("commitment_01", {"value": "yes", "na": "no"}, "na"),
    ("commitment_01", {"value": "yes", "colour": "red"}, "colour"),
]


@pytest.mark.parametrize(("qid", "body", "field"), BAD_VALUES,
                         ids=[f"{q}-{f}-{i}" for i, (q, _, f) in enumerate(BAD_VALUES)])
def test_bad_input_is_422_with_a_message_for_the_field(client, team, qid, body, field) -> None:
    response = put(client, team, qid, body, create=True)
    assert response.status_code == 422, response.get_json()
    fields = response.get_json()["error"]["fields"]
    assert fields.get(field)
    assert _answer(team.assessment.id, qid) is None


def test_bad_input_on_an_existing_answer_changes_nothing(client, team) -> None:
    put(client, team, "education_01", {"value": 40, "comment": "keep"}, create=True)
    response = put(client, team, "education_01", {"value": 400, "comment": "lost?"}, revision=1)
    assert response.status_code == 422
    answer = _answer(team.assessment.id, "education_01")
    assert (answer.value, answer.comment, answer.revision) == (40, "keep", 1)


def test_invalid_utf8_bytes_are_422_for_that_field(client, team) -> None:
    headers = {**team.headers(team.focal), "Content-Type": "application/json",
               "If-None-Match": "*"}
    response = client.put(f"/api/v1/assessments/{team.assessment.id}/answers/commitment_04",
                          data=b'{"value": "caf\xe9", "comment": "ok"}', headers=headers)
    assert response.status_code == 422
    assert set(response.get_json()["error"]["fields"]) == {"value"}
    assert _answer(team.assessment.id, "commitment_04") is None


def test_question_of_another_edition_is_422(client, team) -> None:
    response = put(client, team, "no_such_question", {"value": "yes"}, create=True)
    assert response.status_code == 422
    assert "question_id" in response.get_json()["error"]["fields"]


def test_body_over_64_kb_is_413(client, team) -> None:
    response = put(client, team, "commitment_04", {"value": "x" * (65 * 1024)}, create=True)
    assert response.status_code == 413
    assert _answer(team.assessment.id, "commitment_04") is None


def test_malformed_json_is_400(client, team) -> None:
    headers = {**team.headers(team.focal), "Content-Type": "application/json"}
    response = client.put(f"/api/v1/assessments/{team.assessment.id}/answers/commitment_04",
                          data=b'{"value": ', headers=headers)
    assert response.status_code == 400


# -- who may save ---------------------------------------------------------------------------


def test_contributor_saves_in_their_dimension(client, team) -> None:
    response = put(client, team, "education_01", {"value": 10}, create=True, user=team.contributor)
    assert response.status_code == 200


def test_contributor_may_not_save_other_dimensions(client, team) -> None:
    response = put(client, team, "commitment_01", {"value": "yes"}, create=True,
                   user=team.contributor)
    assert response.status_code == 403


def test_staff_may_not_edit_answers(client, team) -> None:
    response = put(client, team, "commitment_01", {"value": "yes"}, create=True, user=team.staff)
    assert response.status_code == 403


def test_another_citys_assessment_is_404(client, team) -> None:
    response = put(client, team, "commitment_01", {"value": "yes"}, create=True,
                   user=team.outsider)
    assert response.status_code == 404


def test_without_a_token_it_is_401(client, team) -> None:
    response = client.put(f"/api/v1/assessments/{team.assessment.id}/answers/commitment_01",
                          json={"value": "yes"})
    assert response.status_code == 401


@pytest.mark.parametrize("status", ["submitted", "validated"])
def test_read_only_assessment_refuses_edits_with_409_and_a_reason(client, team, status) -> None:
    frozen = build_assessment(team.city, version="2024", round=2023, status=status)
    response = put(client, team, "commitment_01", {"value": "yes"}, create=True, aid=frozen.id)
    assert response.status_code == 409
    assert response.get_json()["error"]["code"] == "read_only"
    assert status in response.get_json()["error"]["message"]
    assert db.session.scalar(select(func.count()).select_from(Answer)
                             .where(Answer.assessment_id == frozen.id)) == 0
