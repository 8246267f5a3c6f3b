"""The command line on workbooks: validate, import (and --draft), list --drafts, export."""

from __future__ import annotations

import hashlib
import io
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from benchmark.extensions import db
from benchmark.models import QuestionnaireDraft, QuestionnaireEdition
from benchmark.questionnaire.loader import load_file
from benchmark.questionnaire.workbook import write_workbook
from benchmark.services import questionnaires
from tests.builders import FIXTURES, REAL

pytestmark = pytest.mark.config(QUESTIONNAIRE_DIR=str(FIXTURES))


def _workbook(tmp_path: Path, name: str = "mini-2019.xlsx", **cells: object) -> Path:
    book = load_workbook(io.BytesIO(write_workbook(load_file(FIXTURES / "mini-2019.yaml"))))
    for where, value in cells.items():
        sheet, cell = where.split("!")
        book[sheet][cell] = value
    path = tmp_path / name
    book.save(path)
    return path


def test_validate_accepts_a_workbook(runner, tmp_path: Path) -> None:
    result = runner.invoke(args=["questionnaire", "validate", str(_workbook(tmp_path))])

    assert result.exit_code == 0, result.output
    assert "ok (edition 2019, 7 questions, 3 dimensions)" in result.output


def test_validate_reports_a_workbook_problem_at_its_cell(runner, tmp_path: Path) -> None:
    path = _workbook(tmp_path, **{"questions!D2": "agree5"})

    result = runner.invoke(args=["questionnaire", "validate", str(path)])

    assert result.exit_code == 1
    assert f'{path}: questions!D2: unknown option list "agree5"' in result.output
    assert "1 problem(s) found" in result.output


def test_import_publishes_a_workbook_and_again_is_unchanged(runner, tmp_path: Path) -> None:
    path = _workbook(tmp_path)

    first = runner.invoke(args=["questionnaire", "import", str(path)])
    again = runner.invoke(args=["questionnaire", "import", str(path)])

    assert first.exit_code == 0, first.output
    assert "2019: imported 7 questions in 3 dimensions (mini-2019.xlsx)" in first.output
    assert "2019: unchanged (mini-2019.xlsx)" in again.output
    assert questionnaires.get_edition("2019").question("commitment_02").weight == 2


def test_import_draft_stores_a_draft_that_is_not_published(runner, tmp_path: Path) -> None:
    path = _workbook(tmp_path, **{"settings!A2": "2030", "questions!G2": None})

    result = runner.invoke(args=["questionnaire", "import", "--draft", str(path)])
    listed = runner.invoke(args=["questionnaire", "list", "--drafts"])

    assert result.exit_code == 0, result.output
    assert "edition 2030 from mini-2019.xlsx (1 problem(s))" in result.output
    assert "questions!G2: question 'commitment_01': text is missing the translation for ar" \
        in result.output
    assert db.session.scalar(select(func.count()).select_from(QuestionnaireEdition)) == 0
    assert db.session.scalar(select(QuestionnaireDraft.version)) == "2030"
    assert "draft 1\t2030\tmini-2019.xlsx\txlsx" in listed.output


def test_export_writes_the_published_yaml_byte_for_byte_and_its_checksums_line(
        runner, tmp_path: Path) -> None:
    runner.invoke(args=["questionnaire", "import"])
    out = tmp_path / "icc-2024.yaml"

    result = runner.invoke(args=["questionnaire", "export", "--version", "2024", "--format",
                                 "yaml", "--out", str(out), "--checksums"])
    again = runner.invoke(args=["questionnaire", "export", "--version", "2024", "--format",
                                "yaml", "--out", str(out), "--checksums"])

    assert result.exit_code == 0, result.output
    assert out.read_bytes() == (FIXTURES / "mini-2024.yaml").read_bytes()
    digest = hashlib.sha256(out.read_bytes()).hexdigest()
    assert (tmp_path / "CHECKSUMS").read_text() == f"{digest}  icc-2024.yaml\n"
    assert digest == questionnaires.find_row("2024").checksum
    assert "already listed" in again.output


def test_export_refuses_to_relist_a_file_under_another_checksum(runner, tmp_path: Path) -> None:
    runner.invoke(args=["questionnaire", "import"])
    (tmp_path / "CHECKSUMS").write_text(f"{'0' * 64}  icc-2024.yaml\n")

    result = runner.invoke(args=["questionnaire", "export", "--version", "2024", "--format",
                                 "yaml", "--out", str(tmp_path / "icc-2024.yaml"), "--checksums"])

    assert result.exit_code == 1
    assert "a published file never changes" in result.output
    assert (tmp_path / "CHECKSUMS").read_text() == f"{'0' * 64}  icc-2024.yaml\n"


@pytest.mark.config(QUESTIONNAIRE_DIR=str(REAL))
@pytest.mark.parametrize("version", ["2019", "2024"])
def test_export_as_a_workbook_round_trips_to_the_same_edition(runner, tmp_path: Path,
                                                              version: str) -> None:
    from benchmark.questionnaire.canonical import canonical_checksum

    runner.invoke(args=["questionnaire", "import"])
    out = tmp_path / f"icc-{version}.xlsx"

    result = runner.invoke(args=["questionnaire", "export", "--version", version,
                                 "--format", "xlsx", "--out", str(out)])

    assert result.exit_code == 0, result.output
    known = questionnaires.known_editions()
    assert canonical_checksum(load_file(out, known=known)) == canonical_checksum(known[version])


def test_export_of_an_unknown_edition_fails_with_one_line(runner, tmp_path: Path) -> None:
    result = runner.invoke(args=["questionnaire", "export", "--version", "1999", "--format",
                                 "xlsx", "--out", str(tmp_path / "x.xlsx")])

    assert result.exit_code != 0
    assert "There is no questionnaire edition 1999." in result.output
    assert not (tmp_path / "x.xlsx").exists()
