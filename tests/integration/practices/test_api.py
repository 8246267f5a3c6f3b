"""The practice API: the contract's shape, If-Match, access rules and the workflow steps."""

from __future__ import annotations

from benchmark.extensions import db
from tests.builders import api_token, build_city, build_edition, build_practice, build_user

BODY = {"language": "fr", "title": "Cafés des langues", "summary": "Des rencontres pour parler.",
        "questions": ["language_01"], "years": {"start": 2019, "end": None},
        "budget_band": "under_10k", "links": ["https://example.org/cafes"],
        "translations": {"en": {"title": "Language cafés", "summary": "Meetings to talk."}}}


def test_a_focal_point_writes_edits_and_submits_and_staff_publish(app, client) -> None:
    build_edition()
    city = build_city("lille")
    focal = api_token(build_user("focal_point", city))
    created = client.post("/api/v1/practices", json=BODY, headers=focal)
    assert created.status_code == 201, created.get_json()
    body = created.get_json()
    assert created.headers["ETag"] == '"1"' and body["status"] == "draft"
    assert body["city"] == "lille" and body["dimensions"] == ["language"]
    assert body["years"] == {"start": 2019, "end": None} and body["language"] == "fr"
    path = f"/api/v1/practices/{body['id']}"
    english = client.get(path + "?lang=en", headers=focal).get_json()
    assert english["title"] == "Language cafés" and english["shown_language"] == "en"

    assert client.put(path, json=BODY, headers=focal).status_code == 428
    changed = client.put(path, json={**BODY, "title": "Cafés des langues du samedi"},
                         headers={**focal, "If-Match": '"1"'})
    assert changed.status_code == 200 and changed.headers["ETag"] == '"2"'
    stale = client.put(path, json=BODY, headers={**focal, "If-Match": '"1"'})
    assert stale.status_code == 409 and stale.get_json()["error"]["code"] == "stale"

    assert client.post(path + "/publish", headers=focal).status_code == 403
    assert client.post(path + "/submit", headers=focal).get_json()["status"] == "submitted"
    staff = api_token(build_user("staff"))
    assert client.post(path + "/return", json={"comment": ""}, headers=staff).status_code == 422
    assert client.post(path + "/publish", headers=staff).get_json()["status"] == "published"
    assert client.post(path + "/submit", headers=focal).status_code == 409


def test_another_citys_draft_is_404_and_lists_hide_it(app, client) -> None:
    draft = build_practice(status="draft", title="Hidden draft")
    published = build_practice(draft.city, title="Shared practice")
    stranger = api_token(build_user("focal_point"))
    contributor = api_token(build_user("contributor", draft.city))
    assert client.get(f"/api/v1/practices/{draft.id}", headers=stranger).status_code == 404
    assert client.put(f"/api/v1/practices/{draft.id}", json=BODY,
                      headers={**stranger, "If-Match": '"1"'}).status_code == 404
    assert client.post(f"/api/v1/practices/{draft.id}/submit", headers=stranger).status_code == 404
    assert client.get(f"/api/v1/practices/{published.id}", headers=stranger).status_code == 200
    titles = [p["title"] for p in client.get("/api/v1/practices", headers=stranger).get_json()["items"]]
    assert titles == ["Shared practice"]
    own = client.get("/api/v1/practices", headers=contributor).get_json()["items"]
    assert {p["title"] for p in own} == {"Hidden draft", "Shared practice"}


def test_the_list_is_paged_and_searched(app, client) -> None:
    city = build_city(country="Morocco")
    for n in range(3):
        build_practice(city, title=f"Quartier {n}", summary="Médiation dans les quartiers.",
                       language="fr")
    build_practice(city, title="Other", summary="Nothing alike.")
    headers = api_token(build_user("staff"))
    first = client.get("/api/v1/practices?q=quartiers&country=Morocco&limit=2",
                       headers=headers).get_json()
    assert len(first["items"]) == 2 and first["next"]
    second = client.get(first["next"], headers=headers).get_json()
    assert len(second["items"]) == 1 and second["next"] is None
    assert client.get("/api/v1/practices?cursor=xyz", headers=headers).status_code == 422
    db.session.rollback()


def test_the_year_filter_reads_the_query_string_and_its_bounds_are_documented(app, client) -> None:
    city = build_city()
    build_practice(city, title="Since 2019", start_year=2019)
    build_practice(city, title="From 2024", start_year=2024)
    headers = api_token(build_user("staff"))
    running = client.get("/api/v1/practices?year=2020", headers=headers)
    assert running.status_code == 200, running.get_json()
    assert [p["title"] for p in running.get_json()["items"]] == ["Since 2019"]
    too_early = client.get("/api/v1/practices?year=1949", headers=headers)
    assert too_early.status_code == 422 and set(too_early.get_json()["error"]["fields"]) == {"year"}
    parameters = client.get("/api/v1/openapi.json").get_json()["paths"]["/api/v1/practices"]["get"]
    year = next(p for p in parameters["parameters"] if p["name"] == "year")
    assert year["schema"] == {"type": "integer", "minimum": 1950, "maximum": 2100}


def test_years_written_as_whole_decimals_are_years(app, client) -> None:
    build_edition()
    focal = api_token(build_user("focal_point", build_city("lille")))
    created = client.post("/api/v1/practices", json={**BODY, "years": {"start": 2019.0}},
                          headers=focal)
    assert created.status_code == 201, created.get_json()
    assert created.get_json()["years"] == {"start": 2019, "end": None}
    too_early = client.post("/api/v1/practices", json={**BODY, "years": {"start": 1949}},
                            headers=focal)
    assert too_early.status_code == 422
    assert set(too_early.get_json()["error"]["fields"]) == {"years.start"}
