"""Publishing editions: import through the CLI, idempotence, immutability."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from sqlalchemy import func, select

from benchmark.extensions import db
from benchmark.models import QuestionnaireEdition, QuestionRow
from tests.builders import FIXTURES

pytestmark = pytest.mark.config(QUESTIONNAIRE_DIR=str(FIXTURES))


def _counts() -> tuple[int, int]:
    return (db.session.scalar(select(func.count()).select_from(QuestionnaireEdition)),
            db.session.scalar(select(func.count()).select_from(QuestionRow)))


def test_import_publishes_every_edition_with_its_questions(runner) -> None:
    result = runner.invoke(args=["questionnaire", "import"])
    assert result.exit_code == 0, result.output
    assert "2019: imported 7 questions in 3 dimensions" in result.output
    assert "2024: imported" in result.output
    assert _counts() == (2, 12)


def test_importing_the_same_files_again_changes_nothing(runner) -> None:
    runner.invoke(args=["questionnaire", "import"])
    before = _counts()
    result = runner.invoke(args=["questionnaire", "import"])
    assert result.exit_code == 0
    assert "2019: unchanged" in result.output
    assert _counts() == before


def test_a_changed_file_for_a_published_version_is_refused(runner, tmp_path: Path) -> None:
    runner.invoke(args=["questionnaire", "import"])
    changed = tmp_path / "mini-2019.yaml"
    text = (FIXTURES / "mini-2019.yaml").read_text()
    changed.write_text(text.replace("Has the council adopted", "Did the council adopt"))
    before = _counts()
    result = runner.invoke(args=["questionnaire", "import", str(changed)])
    assert result.exit_code == 1
    assert "already published" in result.output
    assert _counts() == before
    stored = db.session.scalar(select(QuestionnaireEdition).where(QuestionnaireEdition.version == "2019"))
    assert "Has the council adopted" in stored.source


def test_a_broken_file_is_never_imported(runner, tmp_path: Path) -> None:
    broken = tmp_path / "broken.yaml"
    text = (FIXTURES / "mini-2019.yaml").read_text().replace('version: "2019"', 'version: "2030"')
    broken.write_text(text.replace("points: 2}", "points: lots}", 1))
    result = runner.invoke(args=["questionnaire", "import", str(broken)])
    assert result.exit_code == 1
    assert "broken.yaml:" in result.output
    assert _counts() == (0, 0)


def test_one_broken_file_in_a_batch_stops_the_whole_batch(runner, tmp_path: Path) -> None:
    good = tmp_path / "mini-2019.yaml"
    shutil.copy(FIXTURES / "mini-2019.yaml", good)
    bad = tmp_path / "bad.yaml"
    bad.write_text('version: "2030"\n')
    result = runner.invoke(args=["questionnaire", "import", str(good), str(bad)])
    assert result.exit_code == 1
    assert _counts() == (0, 0)


def test_validate_reports_path_line_and_message(runner, tmp_path: Path) -> None:
    broken = tmp_path / "typo.yaml"
    lines = (FIXTURES / "mini-2019.yaml").read_text().splitlines()
    lines[12] = lines[12].replace("type: yes_no", "type: yes_or_no")
    broken.write_text("\n".join(lines) + "\n")
    result = runner.invoke(args=["questionnaire", "validate", str(broken)])
    assert result.exit_code == 1
    assert f"{broken}:13:" in result.output
    assert "yes_or_no" in result.output


def test_validate_accepts_good_files(runner) -> None:
    result = runner.invoke(args=["questionnaire", "validate", *map(str, sorted(FIXTURES.glob("*.yaml")))])
    assert result.exit_code == 0, result.output
    assert "ok (edition 2019" in result.output


def test_list_shows_counts_and_checksum(runner) -> None:
    runner.invoke(args=["questionnaire", "import"])
    result = runner.invoke(args=["questionnaire", "list"])
    lines = result.output.strip().splitlines()
    assert lines[0].startswith("2019\t7 questions\t3 dimensions\t")
    assert len(lines[0].split("\t")[3]) == 64


def test_init_migrates_and_imports(runner) -> None:
    result = runner.invoke(args=["init"])
    assert result.exit_code == 0, result.output
    assert "database: up to date" in result.output
    assert _counts()[0] == 2
