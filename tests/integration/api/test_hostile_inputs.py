"""Hostile inputs answer 4xx with the error shape, never 500, on both databases (issue 21).

Deeply nested JSON and integer literals beyond Python's digit limit (400), control
characters in bodies (422), query strings (422) and path segments (404), ids beyond the
columns' range on every <int:> route (404), tampered cursors (422), If-Match with other
digits than 0-9 (400).
"""

from __future__ import annotations

import base64
import json

import pytest
from flask import Flask
from sqlalchemy import func, select

from benchmark.extensions import db
from benchmark.models import Answer, ReviewComment
from tests.builders import build_assessment, csrf_token, login
from tests.integration.assessments.conftest import put

NESTED = "[" * 1000 + "]" * 1000
HUGE_INT = "9" * 5000


def _error(response, status: int, code: str) -> dict:  # type: ignore[no-untyped-def]
    assert response.status_code == status, response.get_data(as_text=True)[:300]
    body = response.get_json()
    assert set(body) == {"error"} and body["error"]["code"] == code
    assert isinstance(body["error"]["message"], str) and body["error"]["message"]
    return body["error"]


def _json_bodies(team) -> list[tuple[str, str, dict[str, str]]]:  # type: ignore[no-untyped-def]
    aid = team.assessment.id
    return [
        ("PUT", f"/api/v1/assessments/{aid}/answers/commitment_01",
         team.headers(team.focal, **{"If-None-Match": "*"})),
        ("POST", "/api/v1/assessments", team.headers(team.focal)),
        ("POST", f"/api/v1/assessments/{aid}/comments", team.headers(team.staff)),
    ]


@pytest.mark.parametrize("raw", [NESTED, '{"value": ' + NESTED + "}",
                                 '{"value": ' + HUGE_INT + "}", '{"round": -' + HUGE_INT + "}"],
                         ids=["nested", "nested-value", "huge-int", "huge-negative-int"])
def test_deep_json_and_huge_integers_are_bad_requests(client, team, raw: str) -> None:
    for method, path, headers in _json_bodies(team):
        response = client.open(path, method=method, data=raw,
                               headers={**headers, "Content-Type": "application/json"})
        _error(response, 400, "bad_request")


@pytest.mark.parametrize("field", ["comment", "evidence", "evidence_url"])
def test_control_characters_in_answer_texts_are_refused(client, team, field: str) -> None:
    response = put(client, team, "commitment_01", {"value": "yes", field: "a\x00b"}, create=True)
    error = _error(response, 422, "invalid")
    assert field in error["fields"]
    assert db.session.scalar(select(func.count()).select_from(Answer)) == 0


def test_tab_and_line_breaks_are_kept_in_long_text(client, team) -> None:
    response = put(client, team, "commitment_01",
                   {"value": "yes", "comment": "one\r\ntwo\tthree"}, create=True)
    assert response.status_code == 200
    assert response.get_json()["comment"] == "one\r\ntwo\tthree"


def test_control_characters_in_a_text_answer_are_refused(client, team) -> None:
    build_assessment(team.city, version="2024", round=2030)
    response = put(client, team, "commitment_01", {"value": "yes\x1b[31m"}, create=True)
    assert _error(response, 422, "invalid")["fields"]


def test_control_characters_in_staff_messages_are_refused(client, team) -> None:
    aid = team.assessment.id
    staff = team.headers(team.staff)
    _error(client.post(f"/api/v1/assessments/{aid}/comments", json={"body": "x\x00"},
                       headers=staff), 422, "invalid")
    _error(client.post(f"/api/v1/assessments/{aid}/return", json={"comment": "\x00"},
                       headers=staff), 422, "invalid")
    _error(client.post(f"/api/v1/assessments/{aid}/reopen", json={"reason": "a\x07"},
                       headers=staff), 422, "invalid")
    assert db.session.scalar(select(func.count()).select_from(ReviewComment)) == 0


def test_empty_messages_are_refused_by_the_schema(client, team) -> None:
    aid = team.assessment.id
    error = _error(client.post(f"/api/v1/assessments/{aid}/comments", json={"body": ""},
                               headers=team.headers(team.staff)), 422, "invalid")
    assert "body" in error["fields"]


def test_control_characters_in_a_new_assessment_city_are_refused(client, team) -> None:
    response = client.post("/api/v1/assessments", headers=team.headers(team.focal),
                           json={"city": "lyon\x00", "questionnaire": "2019", "round": 2030})
    assert "city" in _error(response, 422, "invalid")["fields"]


def test_a_round_written_as_a_whole_decimal_is_an_integer(client, team) -> None:
    response = client.post("/api/v1/assessments", headers=team.headers(team.focal),
                           json={"city": "lyon", "questionnaire": "2019", "round": 2031.0})
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["round"] == 2031
    response = client.post("/api/v1/assessments", headers=team.headers(team.focal),
                           json={"city": "lyon", "questionnaire": "2019", "round": 2031.5})
    assert "round" in _error(response, 422, "invalid")["fields"]


@pytest.mark.parametrize("query", ["city=ly%00on", "questionnaire=20%0019", "status=draft%00",
                                   "cursor=%00", "city=%1b"])
def test_control_characters_in_query_strings_are_refused(client, team, query: str) -> None:
    _error(client.get(f"/api/v1/assessments?{query}", headers=team.headers(team.staff)),
           422, "invalid")


@pytest.mark.parametrize("path", ["/api/v1/cities/ly%00on", "/api/v1/questionnaires/20%0019",
                                  "/api/v1/network/20%0019/averages",
                                  "/api/v1/network/2019%01/report.pdf"])
def test_control_characters_in_path_segments_are_not_found(client, team, path: str) -> None:
    _error(client.get(path, headers=team.headers(team.staff)), 404, "not_found")


def test_control_characters_in_page_forms_are_refused(client, team) -> None:
    login(client, team.focal)
    aid = team.assessment.id
    page = f"/assessments/{aid}/dimensions/commitment"
    response = client.post(page, data={"csrf_token": csrf_token(client, page), "then": "stay",
                                       "commitment_01:value": "yes",
                                       "commitment_01:revision": "0",
                                       "commitment_01:comment": "a\x00b"})
    assert response.status_code == 422
    assert "control characters" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Answer)) == 0
    assert client.get("/city?x=%00").status_code == 422


def test_control_characters_in_staff_review_forms_are_refused(client, team) -> None:
    login(client, team.staff)
    aid = team.assessment.id
    token = csrf_token(client, f"/review/{aid}")
    for path, field in ((f"/review/{aid}/comments", "body"), (f"/review/{aid}/return", "comment"),
                        (f"/review/{aid}/reopen", "reason")):
        assert client.post(path, data={"csrf_token": token, field: "x\x00"}).status_code == 422
    assert db.session.scalar(select(func.count()).select_from(ReviewComment)) == 0


def _int_routes(app: Flask) -> list[tuple[str, str]]:
    """Every rule with an <int:> argument, API and HTML, with each of its methods (a PUT
    shares its path with a GET: both must be 404, not 405)."""
    found = []
    for rule in app.url_map.iter_rules():
        kinds = {name: type(conv).__name__ for name, conv in rule._converters.items()}
        if "IdConverter" in kinds.values():
            found += [(rule.rule, m) for m in sorted(rule.methods or ()) if m not in {"HEAD", "OPTIONS"}]
    assert len(found) > 20
    assert ("/api/v1/practices/<int:practice_id>", "PUT") in found
    assert ("/api/v1/commitments/<int:commitment_id>", "PUT") in found
    return found


@pytest.mark.parametrize("big", [2**31, 2**63, 10**30])
def test_ids_beyond_the_column_range_are_not_found_on_every_route(app, client, team,
                                                                   big: int) -> None:
    login(client, team.staff)
    api = team.headers(team.staff)
    for rule, method in _int_routes(app):
        path = rule
        while "<" in path:
            start, end = path.index("<"), path.index(">")
            arg = path[start:end + 1]
            path = path.replace(arg, str(big) if arg.startswith("<int:") else "x", 1)
        response = client.open(path, method=method,
                               headers=api if path.startswith("/api/") else {})
        assert response.status_code == 404, (method, path, response.status_code)
        if path.startswith("/api/"):
            _error(response, 404, "not_found")


def test_ids_in_other_digits_are_not_found(client, team) -> None:
    headers = team.headers(team.staff)
    for digits in ("²", "٣", "１"):
        _error(client.get(f"/api/v1/assessments/{digits}", headers=headers), 404, "not_found")


def _cursor(key: object) -> str:
    return base64.urlsafe_b64encode(json.dumps(key).encode()).decode().rstrip("=")


@pytest.mark.parametrize("key", [2**31, 2**63, -1, "lyon", True, None, [1], 1.5])
def test_cursors_of_the_wrong_kind_or_range_are_invalid(client, team, key: object) -> None:
    headers = team.headers(team.staff)
    error = _error(client.get(f"/api/v1/assessments?cursor={_cursor(key)}", headers=headers),
                   422, "invalid")
    assert "cursor" in error["fields"]


@pytest.mark.parametrize("key", [5, "a\x00b", "", "x" * 300])
def test_city_cursors_must_be_slugs(client, team, key: object) -> None:
    headers = team.headers(team.staff)
    response = client.get(f"/api/v1/cities?cursor={_cursor(key)}", headers=headers)
    assert "cursor" in _error(response, 422, "invalid")["fields"]


def test_cursors_that_are_not_base64_json_are_invalid(client, team) -> None:
    headers = team.headers(team.staff)
    for cursor in ("not-a-cursor", "%C3%A9", "a" * 201):
        response = client.get(f"/api/v1/assessments?cursor={cursor}", headers=headers)
        assert "cursor" in _error(response, 422, "invalid")["fields"]


@pytest.mark.parametrize("tag", ['"²"', '"٣"', '"１"', "3", '"3", "4"', '"9999999999"'])
def test_if_match_with_anything_but_one_quoted_ascii_revision_is_400(client, team,
                                                                     tag: str) -> None:
    put(client, team, "commitment_01", {"value": "yes"}, create=True)
    headers = team.headers(team.focal, **{"If-Match": tag})
    response = client.put(f"/api/v1/assessments/{team.assessment.id}/answers/commitment_01",
                          json={"value": "no"}, headers=headers)
    _error(response, 400, "bad_request")


def test_if_none_match_other_than_star_is_400(client, team) -> None:
    headers = team.headers(team.focal, **{"If-None-Match": '"1"'})
    response = client.put(f"/api/v1/assessments/{team.assessment.id}/answers/commitment_01",
                          json={"value": "no"}, headers=headers)
    _error(response, 400, "bad_request")


def test_a_round_typed_in_other_digits_on_the_start_form_is_refused(client, team) -> None:
    login(client, team.focal)
    token = csrf_token(client, "/city")
    response = client.post("/city/assessments", data={"csrf_token": token, "round": "²⁰²⁶",
                                                      "questionnaire": "2024"})
    assert response.status_code == 302
    assert "Enter the round" in client.get("/city").get_data(as_text=True)
