"""The dashboard's filtered page at 10,000 cities: each round's effective population and
foreign-born share (its profile's, else its city's record) and its overall index stored on
the round, and one index over the latest rounds by status, size, diversity and overall index.

The filtered page (validated rounds of one size group by overall index) looked up every
validated latest round's city and score (1,630 at 10,000 cities) to keep 615 and sort them;
the columns are filled here and kept by the model (city and profile edits) and by
services/scores.py (every write of assessment_scores).

Revision ID: dashfilter
Revises: dashcols
"""

import sqlalchemy as sa
from alembic import op

revision = "dashfilter"
down_revision = "dashcols"
branch_labels = None
depends_on = None

# Plain ALTER TABLE, not batch mode (see 0012: a batch rebuild of `assessments` on SQLite
# deletes every row that cascades from it).
COLUMNS = ("effective_population", "effective_foreign_born_share", "overall_index")
INDEX = ("edition_id", "status", "is_latest", *COLUMNS, "city_id")
OLD_INDEX = ("edition_id", "status", "is_latest", "declared_population",
             "declared_foreign_born_share", "city_id")


def _effective(profile, key, recorded):
    # The rule of benchmark.scoring.peers.effective at this revision (migrations do not
    # import application code): the profile's value when it has the key, else the record's.
    value = (profile or {}).get(key, recorded)
    try:
        return float(value) if value is not None else None
    except (TypeError, ValueError):
        return None


def upgrade():
    op.drop_index("ix_assessments_edition_status_latest", table_name="assessments")
    for name in COLUMNS:
        op.add_column("assessments", sa.Column(name, sa.Float(), nullable=True))
    op.execute("UPDATE assessments SET overall_index = (SELECT s.\"index\" FROM assessment_scores s"
               " WHERE s.assessment_id = assessments.id AND s.dimension_id = '_overall')")
    assessments = sa.table("assessments", sa.column("id", sa.Integer), sa.column("city_id", sa.Integer),
                           sa.column("profile", sa.JSON),
                           *(sa.column(name, sa.Float) for name in COLUMNS))
    cities = sa.table("cities", sa.column("id", sa.Integer), sa.column("population", sa.Integer),
                      sa.column("foreign_born_share", sa.Float))
    connection = op.get_bind()
    rows = [{"key": aid, "effective_population": _effective(profile, "population", population),
             "effective_foreign_born_share": _effective(profile, "foreign_born_share", share)}
            for aid, profile, population, share in connection.execute(
                sa.select(assessments.c.id, assessments.c.profile, cities.c.population,
                          cities.c.foreign_born_share)
                .join(cities, cities.c.id == assessments.c.city_id))]
    if rows:
        connection.execute(
            assessments.update().where(assessments.c.id == sa.bindparam("key"))
            .values({name: sa.bindparam(name) for name in COLUMNS[:2]}), rows)
    op.create_index("ix_assessments_dashboard", "assessments", list(INDEX))


def downgrade():
    op.drop_index("ix_assessments_dashboard", table_name="assessments")
    for name in COLUMNS:
        op.drop_column("assessments", name)
    op.create_index("ix_assessments_edition_status_latest", "assessments", list(OLD_INDEX))
