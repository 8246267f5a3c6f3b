"""Practice texts are people's input: escaped in pages, inert in PDFs, neutralised in exports."""

from __future__ import annotations

import csv
import io

from pypdf import PdfReader

from tests.builders import (
    api_token,
    build_assessment,
    build_city,
    build_practice,
    build_user,
    login,
)

HOSTILE = '<img src="http://127.0.0.1:9/x.png"> =HYPERLINK("http://evil.example")'


def test_a_hostile_title_is_text_in_the_page_and_the_csv(app, client) -> None:
    build_practice(title=HOSTILE, summary="@SUM(A1:A9)")
    login(client, build_user("staff"))
    page = client.get("/practices").get_data(as_text=True)
    assert "<img src" not in page and "&lt;img src=" in page
    exported = client.get("/practices/export.csv")
    assert exported.status_code == 200 and exported.mimetype == "text/csv"
    row = next(r for r in csv.DictReader(io.StringIO(exported.get_data(as_text=True))))
    assert row["title"] == HOSTILE  # starts with "<": nothing to neutralise
    assert row["summary"] == "'@SUM(A1:A9)"


def test_a_hostile_practice_is_inert_text_in_the_pdf(app, client) -> None:
    full = {"commitment_01": "yes", "commitment_02": "full", "commitment_03": ["council", "board"],
            "education_01": 60, "education_02": 20, "language_01": "yes", "language_02": 0}
    city = build_city()
    assessment = build_assessment(city, status="validated", answers={**full, "language_01": "no"})
    build_practice(build_city(), title=HOSTILE, summary="Plain words.", questions=("language_01",))
    pdf = client.get(f"/api/v1/assessments/{assessment.id}/report.pdf?lang=en",
                     headers=api_token(build_user("focal_point", city)))
    assert pdf.status_code == 200
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.data)).pages).split())
    assert '<img src="http://127.0.0.1:9/x.png">' in text
