"""The commitment pages: results → prefilled form → commitment; notes; outcomes; staff list and exports."""

from __future__ import annotations

import io
import re

from sqlalchemy import select

from benchmark.extensions import db
from benchmark.models import AuditEvent
from tests.builders import build_assessment, build_city, build_user, csrf_token, login
from tests.integration.commitments.conftest import body, create
from tests.integration.conftest import COMPLETE_2019


def test_a_priority_becomes_a_prefilled_commitment(client, team) -> None:
    login(client, team.focal)
    results = client.get(f"/results/{team.first.id}").get_data(as_text=True)
    assert "Commit to act on this" in results
    form = client.get(f"/commitments/new?assessment={team.first.id}&question=commitment_02")
    html = form.get_data(as_text=True)
    assert form.status_code == 200
    assert 'value="commitment_02" checked' in html and '<option value="commitment" selected>' in html
    token = csrf_token(client, "/city/commitments")
    posted = client.post("/commitments/new", data={
        "csrf_token": token, "assessment": team.first.id, "title": "Open planning <b>now</b>",
        "dimension": "commitment", "questions": "commitment_02", "status": "planned",
        "target_date": "2027-06-30"})
    assert posted.status_code == 302
    shown = client.get(posted.headers["Location"]).get_data(as_text=True)
    assert "Open planning &lt;b&gt;now&lt;/b&gt;" in shown and "Jun 30, 2027" in shown
    french = client.get(posted.headers["Location"] + "?lang=fr").get_data(as_text=True)
    assert "30 juin 2027" in french  # dates as each language writes them


def test_the_form_shows_every_error_linked_to_its_field(client, team) -> None:
    login(client, team.focal)
    token = csrf_token(client, "/city/commitments")
    response = client.post("/commitments/new", data={
        "csrf_token": token, "assessment": team.first.id, "title": "", "dimension": "commitment",
        "status": "planned", "start_date": "2026-05-01", "target_date": "yesterday"})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'href="#f-title"' in html and 'href="#f-target_date"' in html


def test_contributors_see_no_commit_link_and_cannot_open_the_form(client, team) -> None:
    login(client, team.contributor)
    assert "Commit to act on this" not in client.get(f"/results/{team.first.id}").get_data(as_text=True)
    assert client.get(f"/commitments/new?assessment={team.first.id}").status_code == 403


def test_the_outcome_is_recorded_beside_the_targeted_question(client, team) -> None:
    cid = create(client, team).get_json()["id"]
    second = build_assessment(team.city, version="2019", round=2026, answers=COMPLETE_2019)
    login(client, team.focal)
    page = client.get(f"/assessments/{second.id}/dimensions/commitment").get_data(as_text=True)
    after_question = page[page.index('id="q-commitment_02"'):]
    beside = after_question[:after_question.index('id="q-commitment_03"')]
    assert "Open planning to migrant associations" in beside
    refused = client.post(f"/assessments/{second.id}/submit",
                          data={"csrf_token": csrf_token(client, f"/assessments/{second.id}")})
    assert refused.status_code == 422
    assert f"/assessments/{second.id}/commitments/{cid}/outcome" in refused.get_data(as_text=True)
    token = csrf_token(client, f"/assessments/{second.id}/commitments/{cid}/outcome")
    recorded = client.post(f"/assessments/{second.id}/commitments/{cid}/outcome",
                           data={"csrf_token": token, "outcome": "done", "outcome_note": ""})
    assert recorded.status_code == 302
    assert recorded.headers["Location"].endswith("/dimensions/commitment#q-commitment_02")
    # From the overview, the link brings the person back to the overview.
    overview = client.get(f"/assessments/{second.id}").get_data(as_text=True)
    link = f"/assessments/{second.id}/commitments/{cid}/outcome?back=overview"
    assert link in overview
    form = client.get(link).get_data(as_text=True)
    assert 'name="back" value="overview"' in form
    again = client.post(link, data={"csrf_token": csrf_token(client, link), "back": "overview",
                                     "outcome": "done", "outcome_note": ""})
    assert again.headers["Location"].endswith(f"/assessments/{second.id}")
    elsewhere = client.post(link, data={"csrf_token": csrf_token(client, link),
                                        "back": "https://evil.example/", "outcome": "done"})
    assert "evil" not in elsewhere.headers["Location"]
    submitted = client.post(f"/assessments/{second.id}/submit",
                            data={"csrf_token": csrf_token(client, f"/assessments/{second.id}")})
    assert submitted.status_code == 302
    after = client.get(f"/assessments/{second.id}").get_data(as_text=True)
    assert "Open planning to migrant associations" in after  # still shown, with its outcome,
    assert "Record what became of each commitment" not in after  # but nothing left to do


def test_staff_filter_the_network_list_and_export_it_formula_safe(client, team) -> None:
    create(client, team, title="=HYPERLINK(\"http://evil\")")
    create(client, team, dimension="education", questions=[], status="done", title="Schools")
    login(client, team.staff)
    page = client.get("/network/commitments?dimension=education").get_data(as_text=True)
    assert "Schools" in page and "HYPERLINK" not in page
    shares = page[page.index('id="shares-h"'):page.index('id="list-h"')]
    rows = re.findall(r'<th scope="row">([^<]+)</th><td class="num">(\d+)</td><td class="num">(\d+)</td>'
                      r'<td class="num">([^<]+)</td>', shares)
    assert [(title, total, done) for title, total, done, _share in rows] == [
        ("Commitment", "1", "0"), ("Education", "1", "1")]
    assert rows[1][3].startswith("100")
    csv_text = client.get("/network/commitments.csv", buffered=True).get_data(as_text=True)
    assert "'=HYPERLINK" in csv_text
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(client.get("/network/commitments.xlsx", buffered=True).get_data()))
    # A text cell keeps the text exactly (no apostrophe) and is never evaluated.
    titles = [row[8] for row in book.active.iter_rows(min_row=2)]
    evil = [c for c in titles if c.value == "=HYPERLINK(\"http://evil\")"]
    assert evil and all(c.data_type == "s" for c in evil)
    exports = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "export")).all()
    assert [e.details["format"] for e in exports] == ["csv", "xlsx"]


def test_city_people_cannot_see_the_network_list(client, team) -> None:
    login(client, team.focal)
    assert client.get("/network/commitments").status_code == 403
    assert client.get("/network/commitments.csv", buffered=True).status_code == 403


def test_the_network_list_reads_a_fixed_number_of_statements(client, team) -> None:
    from tests.queries import count_queries

    login(client, team.staff)
    counts = []
    for _ in range(2):
        for n in range(3):
            create(client, team, title=f"Commitment {n}")
        client.get("/network/commitments")
        with count_queries() as queries:
            assert client.get("/network/commitments?country=Testland").status_code == 200
        counts.append(queries.count)
    # the session with its user, editions (titles), the count, the page's rows, their cities
    # and assessments, the shares, the countries, the cities' names (at most 201, for the
    # city field's <datalist>): the same for 3 and for 6 commitments
    assert counts == [11, 11]


def test_the_staff_city_page_links_to_that_citys_commitments_only(client, team) -> None:
    create(client, team, title="Lyon's plan")
    nice = build_city("nice", name="Nice", country=team.city.country)
    nice_first = build_assessment(nice, version="2019", round=2022, status="validated",
                                  answers={**COMPLETE_2019, "commitment_02": "no"})
    nice_focal = build_user("focal_point", nice)
    made = client.post(f"/api/v1/cities/{nice.slug}/commitments",
                       json={**body(team), "assessment": nice_first.id, "title": "Nice's plan",
                             "owner": nice_focal.email},
                       headers=team.headers(nice_focal))
    assert made.status_code == 201, made.get_json()
    login(client, team.staff)
    city_page = client.get(f"/staff/cities/{team.city.slug}").get_data(as_text=True)
    link = re.search(r'href="(/network/commitments\?[^"]+)">1 policy commitment<', city_page)
    assert link is not None and link.group(1) == "/network/commitments?city=lyon"
    listed = client.get(link.group(1)).get_data(as_text=True)
    assert "Lyon&#39;s plan" in listed and "Nice&#39;s plan" not in listed
    assert "1 commitment matches the filters." in listed
    assert 'name="city" value="lyon"' in listed and '<option value="Lyon">' in listed
    by_name = client.get("/network/commitments?city=NICE").get_data(as_text=True)
    assert "Nice&#39;s plan" in by_name and "Lyon&#39;s plan" not in by_name
    whole_country = client.get(f"/network/commitments?country={team.city.country}").get_data(as_text=True)
    assert "Lyon&#39;s plan" in whole_country and "Nice&#39;s plan" in whole_country
    csv_text = client.get("/network/commitments.csv?city=nice", buffered=True).get_data(as_text=True)
    assert "Nice's plan" in csv_text and "Lyon's plan" not in csv_text


def test_the_city_filter_of_the_network_list_is_typed_and_checked(client, team, monkeypatch) -> None:
    from benchmark.services import city_filter

    create(client, team, title="Lyon's plan")
    login(client, team.staff)
    response = client.get("/network/commitments?city=Atlantis")
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    message = "No city is called “Atlantis”, and no city&#39;s name starts with it."
    assert f'<a href="#f-city">{message}' in html  # the error summary links to the field
    assert f'<p class="error-message" id="f-city-error">{message}' in html
    assert 'aria-invalid="true" aria-describedby="f-city-error"' in html
    assert 'value="Atlantis"' in html  # what was typed stays
    arabic = client.get("/network/commitments?city=Atlantis&lang=ar").get_data(as_text=True)
    assert 'dir="rtl"' in arabic and "لا توجد مدينة باسم" in arabic
    monkeypatch.setattr(city_filter, "DATALIST_MAX", 0)  # a large network: no <datalist>
    large = client.get("/network/commitments").get_data(as_text=True)
    assert "<datalist" not in large and 'list="f-city-names"' not in large


def test_the_commitment_exports_read_a_fixed_number_of_statements(client, team) -> None:
    from tests.queries import count_queries

    login(client, team.staff)
    counts: dict[str, list[int]] = {"csv": [], "xlsx": []}
    for _ in range(2):
        for n in range(3):
            create(client, team, title=f"Commitment {n}")
        for fmt in counts:
            client.get(f"/network/commitments.{fmt}", buffered=True)  # warm-up
            with count_queries() as queries:
                response = client.get(f"/network/commitments.{fmt}", buffered=True)
                assert response.status_code == 200 and response.get_data()
            counts[fmt].append(queries.count)
    # the same for 3 and for 6 commitments
    assert counts["csv"][0] == counts["csv"][1] and counts["xlsx"][0] == counts["xlsx"][1], counts
