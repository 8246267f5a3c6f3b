"""Review comments a reviewer chose to show in the city's report ("show in the report").

Existing comments stay out of the reports (the default), as they were written without
that choice.

Revision ID: reports
Revises: commitments
"""

import sqlalchemy as sa
from alembic import op

revision = "reports"
down_revision = "commitments"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("review_comments") as batch:
        batch.add_column(sa.Column("in_report", sa.Boolean(), nullable=False,
                                   server_default=sa.false()))


def downgrade():
    with op.batch_alter_table("review_comments") as batch:
        batch.drop_column("in_report")
