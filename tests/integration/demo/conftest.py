"""Helpers for demo-network tests: seed, count, and fingerprint what a seed wrote."""

from __future__ import annotations

import hashlib
import json
import shutil
from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import func, select

from benchmark.extensions import db
from benchmark.models import (
    Answer,
    Assessment,
    City,
    QuestionnaireEdition,
)
from tests.builders import build_edition


@pytest.fixture
def mini(app):  # type: ignore[no-untyped-def]
    """The mini 2019 and 2024 editions (fast: 7 and 4 questions)."""
    build_edition("2024")
    return app


def row_counts() -> dict[str, int]:
    """Rows per table."""
    return {table.name: db.session.scalar(select(func.count()).select_from(table))
            for table in db.metadata.sorted_tables}


def answers_checksum() -> str:
    """A fingerprint of every answer, independent of row ids."""
    rows = db.session.execute(
        select(City.slug, QuestionnaireEdition.version, Assessment.round, Assessment.status,
               Answer.question_id, Answer.value, Answer.na, Answer.comment, Answer.evidence,
               Answer.evidence_url, Answer.evidence_year, Answer.revision)
        .join(Assessment, Assessment.id == Answer.assessment_id)
        .join(City, City.id == Assessment.city_id)
        .join(QuestionnaireEdition, QuestionnaireEdition.id == Assessment.edition_id)
    ).all()
    lines = sorted(json.dumps([*row], sort_keys=True, default=str) for row in rows)
    return hashlib.sha256("\n".join(lines).encode()).hexdigest()


def statuses_by_version() -> Counter[tuple[str, str]]:
    return Counter(tuple(row) for row in db.session.execute(
        select(QuestionnaireEdition.version, Assessment.status)
        .join(QuestionnaireEdition, QuestionnaireEdition.id == Assessment.edition_id)
    ).all())


def seeded_elsewhere(template: Path, folder: Path, cities: int, seed: int) -> str:
    """Seed a separate, fresh SQLite database (mini editions); the checksum of its answers."""
    from benchmark.app import create_app
    from tests.conftest import base_overrides

    folder.mkdir(parents=True)
    path = folder / "other.sqlite3"
    shutil.copy(template, path)
    other = create_app({**base_overrides(folder), "DATABASE_URL": f"sqlite:///{path}"})
    with other.app_context():
        from benchmark.demo import seeding as demo

        build_edition("2024")
        demo.seed(cities, seed)
        checksum = answers_checksum()
        db.session.remove()
        db.engine.dispose()
    return checksum
