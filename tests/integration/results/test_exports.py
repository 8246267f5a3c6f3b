"""Staff exports: the numbers, formula-safe cells, access, the command line."""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import load_workbook

from benchmark.extensions import db
from benchmark.services import scores
from tests.builders import FIXTURES, api_token, build_assessment, build_city, build_user

pytestmark = pytest.mark.config(QUESTIONNAIRE_DIR=str(FIXTURES))

ANSWERS = {"commitment_01": "yes", "commitment_02": "partly", "commitment_03": ["council"],
           "commitment_04": {"value": "=HYPERLINK(\"http://evil\")"}, "education_01": 30,
           "education_02": 10, "language_01": {"value": None, "na": True}, "language_02": 15}


@pytest.fixture
def assessment(app):
    return build_assessment(build_city(name="@Evil City"), status="validated", answers=ANSWERS)


def test_answers_csv_neutralises_formulas(client, assessment) -> None:
    response = client.get("/api/v1/exports/answers.csv?questionnaire=2019",
                          headers=api_token(build_user("staff")))
    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert len(rows) == 8
    by_question = {r["question"]: r for r in rows}
    assert by_question["commitment_04"]["value"] == "'=HYPERLINK(\"http://evil\")"
    assert by_question["commitment_03"]["value"] == "council"
    assert by_question["language_01"]["na"] == "True"
    assert rows[0]["city_name"] == "'@Evil City"


def test_scores_workbook_holds_the_cached_indices(client, assessment) -> None:
    response = client.get("/api/v1/exports/scores.xlsx", headers=api_token(build_user("admin")))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.data))["Edition 2019"]
    header = [c.value for c in sheet[1]]
    row = [c.value for c in sheet[2]]
    engine = scores.score_of(assessment)
    assert row[header.index("overall")] == pytest.approx(engine.overall)
    assert row[header.index("education")] == pytest.approx(engine.dimension("education").index)


def test_exports_are_for_staff_only(client, assessment) -> None:
    headers = api_token(build_user("focal_point", assessment.city))
    assert client.get("/api/v1/exports/answers.csv", headers=headers).status_code == 403


def test_unknown_edition_export_is_404(client, assessment) -> None:
    response = client.get("/api/v1/exports/answers.csv?questionnaire=1999",
                          headers=api_token(build_user("staff")))
    assert response.status_code == 404


def test_export_command_writes_both_formats(runner, assessment, tmp_path) -> None:
    csv_path, xlsx_path = tmp_path / "a.csv", tmp_path / "s.xlsx"
    assert runner.invoke(args=["export", "--format", "csv", "--out", str(csv_path)]).exit_code == 0
    assert runner.invoke(args=["export", "--format", "xlsx", "--out", str(xlsx_path),
                               "--version", "2019"]).exit_code == 0
    assert "commitment_01" in csv_path.read_text()
    assert load_workbook(xlsx_path).sheetnames == ["Edition 2019"]


def test_xlsx_writes_formula_like_text_as_a_text_cell_kept_exactly(client, assessment) -> None:
    """No visible apostrophe: the cell is typed text, which no spreadsheet evaluates."""
    assessment.city.name = '=HYPERLINK("http://evil")'
    db.session.commit()
    response = client.get("/api/v1/exports/scores.xlsx", headers=api_token(build_user("staff")))
    sheet = load_workbook(io.BytesIO(response.data))["Edition 2019"]
    header = [c.value for c in sheet[1]]
    cell = sheet.cell(row=2, column=header.index("city_name") + 1)
    assert cell.value == '=HYPERLINK("http://evil")' and cell.data_type == "s"
