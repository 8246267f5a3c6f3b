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

from benchmark.scoring.peers import declared

revision = "dashcols"
down_revision = "perfscale"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("assessments") as batch:
        batch.add_column(sa.Column("declared_population", sa.Float(), nullable=True))
        batch.add_column(sa.Column("declared_foreign_born_share", sa.Float(), nullable=True))
        batch.add_column(sa.Column("is_latest", sa.Boolean(), nullable=False,
                                   server_default=sa.true()))
    op.create_index("ix_cities_name_order", "cities", [sa.text("lower(name)"), "name", "id"])
    op.execute("UPDATE assessments SET is_latest = (round = (SELECT max(b.round) FROM assessments b"
               " WHERE b.city_id = assessments.city_id AND b.edition_id = assessments.edition_id))")
    op.create_index("ix_assessments_edition_status_latest", "assessments",
                    ["edition_id", "status", "is_latest", "declared_population",
                     "declared_foreign_born_share", "city_id"])
    op.create_index("ix_assessment_scores_dimension", "assessment_scores",
                    ["dimension_id", "assessment_id", "index"])
    assessments = sa.table("assessments", sa.column("id", sa.Integer), sa.column("profile", sa.JSON),
                           sa.column("declared_population", sa.Float),
                           sa.column("declared_foreign_born_share", sa.Float))
    connection = op.get_bind()
    rows = [{"key": aid, "declared_population": declared(profile, "population"),
             "declared_foreign_born_share": declared(profile, "foreign_born_share")}
            for aid, profile in connection.execute(sa.select(assessments.c.id, assessments.c.profile))]
    if rows:
        connection.execute(
            assessments.update().where(assessments.c.id == sa.bindparam("key"))
            .values(declared_population=sa.bindparam("declared_population"),
                    declared_foreign_born_share=sa.bindparam("declared_foreign_born_share")),
            rows)


def downgrade():
    op.drop_index("ix_assessment_scores_dimension", table_name="assessment_scores")
    op.drop_index("ix_assessments_edition_status_latest", table_name="assessments")
    op.drop_index("ix_cities_name_order", table_name="cities")
    with op.batch_alter_table("assessments") as batch:
        batch.drop_column("is_latest")
        batch.drop_column("declared_foreign_born_share")
        batch.drop_column("declared_population")
