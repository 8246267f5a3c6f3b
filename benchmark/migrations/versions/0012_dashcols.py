"""The staff dashboard at 10,000 cities: cities in name order from an index; each round's
declared population and foreign-born share as plain columns; a flag on each city's latest
round; the filters and sorts read from indexes.

The dashboard's first page sorted every city by lower(name) (4 ms at 10,000 cities); its
size and diversity filters parsed every round's JSON profile (5 ms a statement) and looked
up each city's latest round. The columns are filled here and kept by the model.

Revision ID: dashcols
Revises: perfscale
"""

import sqlalchemy as sa
from alembic import op

revision = "dashcols"
down_revision = "perfscale"
branch_labels = None
depends_on = None

# Plain ALTER TABLE, not batch mode: on SQLite a batch rebuilds the table, and dropping the
# old copy of `assessments` with foreign keys on deletes every row that cascades from it
# (answers, scores, comments, commitments). tests/integration/test_migrations.py keeps them.
COLUMNS = ("declared_population", "declared_foreign_born_share")


def _number(value):
    # The rule of benchmark.scoring.peers.declared at this revision (migrations do not
    # import application code).
    try:
        return float(value) if value is not None else None
    except (TypeError, ValueError):
        return None


def upgrade():
    for name in COLUMNS:
        op.add_column("assessments", sa.Column(name, sa.Float(), nullable=True))
    op.add_column("assessments", sa.Column("is_latest", sa.Boolean(), nullable=False,
                                           server_default=sa.true()))
    op.create_index("ix_cities_name_order", "cities", [sa.text("lower(name)"), "name", "id"])
    op.execute("UPDATE assessments SET is_latest = (round = (SELECT max(b.round) FROM assessments b"
               " WHERE b.city_id = assessments.city_id AND b.edition_id = assessments.edition_id))")
    op.create_index("ix_assessments_edition_status_latest", "assessments",
                    ["edition_id", "status", "is_latest", *COLUMNS, "city_id"])
    assessments = sa.table("assessments", sa.column("id", sa.Integer), sa.column("profile", sa.JSON),
                           *(sa.column(name, sa.Float) for name in COLUMNS))
    connection = op.get_bind()
    rows = [{"key": aid, "declared_population": _number((profile or {}).get("population")),
             "declared_foreign_born_share": _number((profile or {}).get("foreign_born_share"))}
            for aid, profile in connection.execute(sa.select(assessments.c.id, assessments.c.profile))]
    if rows:
        connection.execute(
            assessments.update().where(assessments.c.id == sa.bindparam("key"))
            .values({name: sa.bindparam(name) for name in COLUMNS}), rows)


def downgrade():
    op.drop_index("ix_assessments_edition_status_latest", table_name="assessments")
    op.drop_index("ix_cities_name_order", table_name="cities")
    for name in ("is_latest", *COLUMNS):
        op.drop_column("assessments", name)
