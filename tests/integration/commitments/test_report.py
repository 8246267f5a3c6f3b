"""The PDF's "Commitments and progress": its numbers are the API's (text extracted with pypdf)."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from tests.builders import FIXTURES, build_assessment, build_city
from tests.integration.commitments.conftest import body, create
from tests.integration.conftest import COMPLETE_2019

pytestmark = [pytest.mark.config(QUESTIONNAIRE_DIR=str(FIXTURES)), pytest.mark.slow]


def _text(pdf: bytes) -> str:
    return " ".join(" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(pdf)).pages)


def test_the_report_shows_each_commitment_with_the_apis_numbers(client, team) -> None:
    build_assessment(build_city("oslo-2"), status="validated", answers={
        **COMPLETE_2019, "commitment_02": "partly"})
    cid = create(client, team, title="Open planning to migrant associations").get_json()["id"]
    second = build_assessment(team.city, version="2019", round=2026,
                              answers={**COMPLETE_2019, "commitment_02": "full"})
    focal, staff = team.headers(team.focal), team.headers(team.staff)
    data = body(team, outcome="partly", outcome_note="Two of four consultations opened.")
    data.pop("assessment")
    assert client.put(f"/api/v1/commitments/{cid}", json=data,
                      headers={**focal, "If-Match": '"1"'}).status_code == 200
    assert client.post(f"/api/v1/assessments/{second.id}/submit", headers=focal).status_code == 200
    assert client.post(f"/api/v1/assessments/{second.id}/validate", headers=staff).status_code == 200

    commitment = client.get(f"/api/v1/commitments/{cid}", headers=focal).get_json()
    before = client.get(f"/api/v1/assessments/{team.first.id}/scores", headers=focal).get_json()
    after = client.get(f"/api/v1/assessments/{second.id}/scores", headers=focal).get_json()
    index = {s: next(d for d in scores["dimensions"] if d["id"] == "commitment")
             for s, scores in (("before", before), ("after", after))}
    pdf = client.get(f"/api/v1/assessments/{second.id}/report.pdf?lang=en", headers=focal)
    assert pdf.status_code == 200
    text = _text(pdf.data)
    section = text[text.rindex("Commitments and progress"):]
    assert "Open planning to migrant associations" in section
    assert commitment["outcome"] == "partly" and "Partly done" in section
    assert "Two of four consultations opened." in section
    row = (f"{index['before']['index']:.1f} {index['after']['index']:.1f} "
           f"+{index['after']['index'] - index['before']['index']:.1f}")
    assert row in section
    assert "Commitment moved above the network average." in section
    assert "Points: " in section and "0 / 2 2 / 2" in section  # commitment_02: no → full


def test_a_first_round_report_has_no_commitments_section(client, team) -> None:
    pdf = client.get(f"/api/v1/assessments/{team.first.id}/report.pdf?lang=en",
                     headers=team.headers(team.focal))
    assert "Commitments and progress" not in _text(pdf.data)


def test_a_change_to_a_commitment_followed_up_gives_the_report_a_new_etag(client, team) -> None:
    """The key's commitments part (reports._key_statement): an edited commitment due in the
    round is a new report, a commitment made in that round itself is not in it."""
    cid = create(client, team, title="Open planning to migrant associations").get_json()["id"]
    second = build_assessment(team.city, version="2019", round=2026,
                              answers={**COMPLETE_2019, "commitment_02": "full"})
    focal = team.headers(team.focal)
    path = f"/api/v1/assessments/{second.id}/report.pdf?lang=en"
    first = client.get(path, headers=focal)
    assert first.status_code == 200
    assert client.get(path, headers=focal).headers["ETag"] == first.headers["ETag"]
    data = body(team, title="Open planning and budgets to migrant associations")
    data.pop("assessment")  # only the commitment changes, not the round
    assert client.put(f"/api/v1/commitments/{cid}", json=data,
                      headers={**focal, "If-Match": '"1"'}).status_code == 200
    again = client.get(path, headers=focal)
    assert again.status_code == 200 and again.headers["ETag"] != first.headers["ETag"]
    assert "Open planning and budgets to migrant associations" in _text(again.data)
    # the first round's report does not show commitments made after it
    earlier = f"/api/v1/assessments/{team.first.id}/report.pdf?lang=en"
    etag = client.get(earlier, headers=focal).headers["ETag"]
    create(client, team, title="Another commitment")
    assert client.get(earlier, headers=focal).headers["ETag"] == etag
