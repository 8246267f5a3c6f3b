"""Exports read a fixed number of statements whatever the number of assessments, and stream."""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import load_workbook

from tests.builders import FIXTURES, api_token, build_assessment, build_city, build_user
from tests.queries import count_queries

pytestmark = pytest.mark.config(QUESTIONNAIRE_DIR=str(FIXTURES))

ANSWERS = {"commitment_01": "yes", "education_01": 30, "language_02": 15}


def _export(client, path: str, headers: dict[str, str]) -> tuple[bytes, int]:  # type: ignore[no-untyped-def]
    with count_queries() as queries:
        response = client.get(path, headers=headers)
        body = response.get_data()  # a streamed body is read (and queried) here
    assert response.status_code == 200
    return body, queries.count


@pytest.mark.parametrize(("path", "expected"), [
    # the token with its user; the editions, the edition, the audit row; the answers (one
    # streamed query)
    ("/api/v1/exports/answers.csv?questionnaire=2019", 5),
    # the token with its user; the editions, the edition; the indices, the assessments with
    # cities; the audit row
    ("/api/v1/exports/scores.xlsx?questionnaire=2019", 6),
])
def test_an_export_costs_the_same_statements_for_2_or_8_assessments(client, path, expected) -> None:
    headers = api_token(build_user("staff"))
    counts = []
    for more in (2, 6):
        for _ in range(more):
            build_assessment(build_city(), status="validated", answers=ANSWERS)
        client.get(path, headers=headers)  # warm-up (token last use, parsed edition)
        counts.append(_export(client, path, headers)[1])
    assert counts == [expected, expected]


def test_the_streamed_csv_and_the_workbook_hold_every_assessment(client) -> None:
    for _ in range(3):
        build_assessment(build_city(), status="validated", answers=ANSWERS)
    headers = api_token(build_user("staff"))
    body, _ = _export(client, "/api/v1/exports/answers.csv?questionnaire=2019", headers)
    rows = list(csv.DictReader(io.StringIO(body.decode())))
    assert len(rows) == 9 and {r["question"] for r in rows} == set(ANSWERS)
    body, _ = _export(client, "/api/v1/exports/scores.xlsx?questionnaire=2019", headers)
    sheet = load_workbook(io.BytesIO(body))["Edition 2019"]
    assert sheet.max_row == 4 and sheet["A1"].font.bold
