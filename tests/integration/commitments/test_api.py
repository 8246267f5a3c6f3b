"""The commitments API: access rules, If-Match (409 stale, 428 missing), 422 with fields."""

from __future__ import annotations

from tests.integration.commitments.conftest import body, create


def _put(client, team, cid, user, revision=None, **changes):  # type: ignore[no-untyped-def]
    data = body(team, **changes)
    data.pop("assessment")
    headers = team.headers(user)
    if revision is not None:
        headers["If-Match"] = f'"{revision}"'
    return client.put(f"/api/v1/commitments/{cid}", json=data, headers=headers)


def test_focal_point_creates_and_reads_a_commitment(client, team) -> None:
    created = create(client, team)
    assert created.status_code == 201, created.get_json()
    data = created.get_json()
    assert created.headers["ETag"] == '"1"'
    assert data["city"] == "lyon" and data["round"] == 2022 and data["status"] == "planned"
    assert data["questions"] == ["commitment_02"] and data["owner"] == team.focal.email
    listed = client.get("/api/v1/cities/lyon/commitments", headers=team.headers(team.contributor))
    assert [c["title"] for c in listed.get_json()["items"]] == ["Open planning to migrant associations"]
    assert client.get(f"/api/v1/commitments/{data['id']}",
                      headers=team.headers(team.staff)).status_code == 200


def test_another_citys_commitments_answer_404(client, team) -> None:
    cid = create(client, team).get_json()["id"]
    outsider = team.headers(team.outsider)
    assert client.get(f"/api/v1/commitments/{cid}", headers=outsider).status_code == 404
    assert client.get("/api/v1/cities/lyon/commitments", headers=outsider).status_code == 404
    assert client.post("/api/v1/cities/lyon/commitments", json=body(team),
                       headers=outsider).status_code == 404
    assert _put(client, team, cid, team.outsider, 1).status_code == 404
    assert client.post(f"/api/v1/commitments/{cid}/notes", json={"text": "x"},
                       headers=outsider).status_code == 404


def test_contributors_add_notes_only_to_commitments_of_their_dimensions(client, team) -> None:
    mine = create(client, team, dimension="education", questions=["education_01"]).get_json()["id"]
    other = create(client, team).get_json()["id"]
    headers = team.headers(team.contributor)
    noted = client.post(f"/api/v1/commitments/{mine}/notes",
                        json={"text": "Two schools joined.", "evidence": "https://example.org/r",
                              "date": "2024-03-01"}, headers=headers)
    assert noted.status_code == 201
    assert noted.get_json()["notes"][0] == {
        "id": noted.get_json()["notes"][0]["id"], "kind": "progress", "date": "2024-03-01",
        "text": "Two schools joined.", "evidence": "https://example.org/r",
        "author": team.contributor.email}
    assert client.post(f"/api/v1/commitments/{other}/notes", json={"text": "x"},
                       headers=headers).status_code == 403
    assert _put(client, team, mine, team.contributor, 2).status_code == 403
    assert client.post("/api/v1/cities/lyon/commitments", json=body(team),
                       headers=headers).status_code == 403


def test_staff_read_and_comment_but_do_not_edit(client, team) -> None:
    cid = create(client, team).get_json()["id"]
    comment = client.post(f"/api/v1/commitments/{cid}/notes", json={"text": "Well chosen."},
                          headers=team.headers(team.staff))
    assert comment.status_code == 201 and comment.get_json()["notes"][0]["kind"] == "comment"
    assert _put(client, team, cid, team.staff, 2).status_code == 403
    assert client.post("/api/v1/cities/lyon/commitments", json=body(team),
                       headers=team.headers(team.staff)).status_code == 403


def test_two_writers_with_the_same_revision_one_gets_409(client, team) -> None:
    cid = create(client, team).get_json()["id"]
    first = _put(client, team, cid, team.focal, 1, status="in_progress")
    second = _put(client, team, cid, team.focal, 1, title="Another title")
    assert first.status_code == 200 and first.headers["ETag"] == '"2"'
    assert second.status_code == 409
    assert second.get_json()["error"]["code"] == "stale"
    assert second.get_json()["error"]["current"]["revision"] == 2
    kept = client.get(f"/api/v1/commitments/{cid}", headers=team.headers(team.focal)).get_json()
    assert (kept["title"], kept["status"]) == ("Open planning to migrant associations", "in_progress")


def test_a_change_without_if_match_answers_428(client, team) -> None:
    cid = create(client, team).get_json()["id"]
    response = _put(client, team, cid, team.focal)
    assert response.status_code == 428
    assert response.get_json()["error"]["code"] == "precondition_required"


def test_bad_input_answers_422_naming_every_field(client, team) -> None:
    response = create(client, team, title="  ", dimension="commitment",
                      questions=["education_01"], owner="nobody@example.org",
                      start_date="2025-01-01", target_date="2024-01-01")
    assert response.status_code == 422
    fields = response.get_json()["error"]["fields"]
    assert set(fields) == {"title", "questions", "owner", "target_date"}
    wrong_type = create(client, team, status="finished", target_date="not a date")
    assert wrong_type.status_code == 422
    assert {"status", "target_date"} <= set(wrong_type.get_json()["error"]["fields"])
    unknown_dimension = create(client, team, dimension="sports", questions=[])
    assert unknown_dimension.get_json()["error"]["fields"] == {
        "dimension": "is not a dimension of questionnaire 2019"}


def test_commitments_appear_in_the_openapi_document(client) -> None:
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]
    assert set(paths["/api/v1/cities/{slug}/commitments"]) == {"get", "post"}
    assert set(paths["/api/v1/commitments/{commitment_id}"]) == {"get", "put"}
    assert set(paths["/api/v1/commitments/{commitment_id}/notes"]) == {"post"}


def test_text_a_database_cannot_store_is_422_not_500(client, team) -> None:
    response = create(client, team, title="Open\x00planning", owner="a\x00@example.org",
                      assessment=2**31 - 1)
    assert response.status_code == 422
    too_big = create(client, team, assessment=2**40)
    assert too_big.status_code == 422 and "assessment" in too_big.get_json()["error"]["fields"]


def test_ids_written_as_whole_decimals_are_ids(client, team) -> None:
    """JSON Schema calls 12.0 an integer, as the document's `integer` ids promise."""
    created = create(client, team, assessment=float(team.first.id))
    assert created.status_code == 201, created.get_json()
    assert created.get_json()["assessment"] == team.first.id
    for bad in (True, "1", 1.5, 0):
        refused = create(client, team, assessment=bad)
        assert refused.status_code == 422 and "assessment" in refused.get_json()["error"]["fields"]


def test_dates_are_iso_strings_not_numbers(client, team) -> None:
    """The document says format: date; pydantic alone reads 0 as 1970-01-01."""
    assert create(client, team, start_date=0).status_code == 422
    cid = create(client, team).get_json()["id"]
    note = client.post(f"/api/v1/commitments/{cid}/notes", json={"text": "Met", "date": 0},
                       headers=team.headers(team.focal))
    assert note.status_code == 422 and set(note.get_json()["error"]["fields"]) == {"date"}
    dated = client.post(f"/api/v1/commitments/{cid}/notes", json={"text": "Met", "date": "2024-05-02"},
                        headers=team.headers(team.focal))
    assert dated.status_code == 201 and dated.get_json()["notes"][-1]["date"] == "2024-05-02"
