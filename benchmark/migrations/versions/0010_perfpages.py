"""Indexes for the staff dashboard at 10,000 cities: the counts' stamp, the countries, the staff.

- assessments (edition_id, status_changed_at): the stamp the dashboard's status and round
  counts are kept under is read from this index alone (count, newest id, latest status
  change of an edition's assessments);
- cities (country): the country filter's distinct countries without sorting every city;
- users (role): the staff who may review, without reading every city's users.

Revision ID: perfpages
Revises: reports
"""

from alembic import op

revision = "perfpages"
down_revision = "reports"
branch_labels = None
depends_on = None


def upgrade():
    op.create_index("ix_assessments_edition_status_changed", "assessments",
                    ["edition_id", "status_changed_at"])
    op.create_index("ix_cities_country", "cities", ["country"])
    op.create_index("ix_users_role", "users", ["role"])


def downgrade():
    op.drop_index("ix_users_role", table_name="users")
    op.drop_index("ix_cities_country", table_name="cities")
    op.drop_index("ix_assessments_edition_status_changed", table_name="assessments")
