"""Migrations: one head, and the chain builds exactly the schema the models describe."""

from __future__ import annotations

import warnings

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory


def test_exactly_one_alembic_head(app) -> None:
    config = app.extensions["migrate"].migrate.get_config(app.extensions["migrate"].directory)
    assert len(ScriptDirectory.from_config(config).get_heads()) == 1


def test_migrated_schema_matches_the_models(app) -> None:
    from benchmark.extensions import db
    from benchmark.models import is_mapped_schema_name

    with db.engine.connect() as connection, warnings.catch_warnings():
        # Neither SQLAlchemy nor Alembic reflects an index on an expression
        # (ix_cities_name_order); both skip it with this warning, on either engine.
        warnings.filterwarnings("ignore", "Skipped unsupported reflection of expression-based index")
        warnings.filterwarnings("ignore", "autogenerate skipping metadata-specified expression-based")
        # The full-text search structures (FTS5 table, GIN index) live in the migration only.
        context = MigrationContext.configure(connection, opts={
            "compare_type": True,
            "include_name": lambda name, type_, parents: is_mapped_schema_name(name)})
        differences = compare_metadata(context, db.metadata)
    assert differences == []


def test_the_expression_index_the_comparison_cannot_see_is_built(app) -> None:
    """ix_cities_name_order (lower(name), name, id) is skipped by the comparison above."""
    from sqlalchemy import text

    from benchmark.extensions import db

    with db.engine.connect() as connection:
        if connection.dialect.name == "sqlite":
            found = connection.scalar(text(
                "SELECT sql FROM sqlite_master WHERE type = 'index' AND name = 'ix_cities_name_order'"))
        else:
            found = connection.scalar(text(
                "SELECT indexdef FROM pg_indexes WHERE indexname = 'ix_cities_name_order'"))
    assert found is not None and "lower(" in found.lower() and "name, id)" in found


def test_migrating_down_and_up_keeps_every_row(app) -> None:
    """0006, 0012 and 0013 change `assessments`: no row of the tables that cascade from it is
    lost (on SQLite a batch rebuild of the table with foreign keys on deleted them all), and
    0012's and 0013's columns are filled from the rounds already there."""
    from flask_migrate import downgrade, upgrade
    from sqlalchemy import text

    from benchmark.extensions import db
    from tests.builders import build_assessment, build_city

    city = build_city(population=90_000, foreign_born_share=5.0)
    build_assessment(city, round=2024, status="validated", answers={"commitment_01": "yes"},
                     profile={"population": 120_000})
    build_assessment(city, round=2026, answers={"commitment_01": "no"})
    tables = ("answers", "assessment_scores", "assessments")

    def counts() -> list[int]:
        return [db.session.scalar(text(f"SELECT count(*) FROM {t}")) for t in tables]

    before = counts()
    assert all(before)
    directory = app.extensions["migrate"].directory
    db.session.remove()
    downgrade(directory=directory, revision="editions")  # before 0006
    assert counts() == before
    db.session.remove()
    upgrade(directory=directory)
    assert counts() == before
    rows = db.session.execute(text(
        "SELECT round, is_latest, declared_population FROM assessments ORDER BY round")).all()
    assert [(r, bool(latest), population) for r, latest, population in rows] == [
        (2024, False, 120_000), (2026, True, 90_000)]
    # 0013: the round's population or share, else the city's record; its overall index.
    rows = db.session.execute(text(
        "SELECT a.round, a.effective_population, a.effective_foreign_born_share,"
        " a.overall_index = s.\"index\" FROM assessments a JOIN assessment_scores s"
        " ON s.assessment_id = a.id AND s.dimension_id = '_overall' ORDER BY a.round")).all()
    assert [tuple(r) for r in rows] == [(2024, 120_000, 5.0, True), (2026, 90_000, 5.0, True)]
