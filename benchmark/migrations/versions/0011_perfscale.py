"""An index for the review queue: submitted assessments, the longest-waiting first.

The queue's page (WHERE status = 'submitted' ORDER BY submitted_at, id LIMIT 50) and its
count read this index instead of every assessment of the network (11,629 at 10,000
cities).

Revision ID: perfscale
Revises: perfpages
"""

from alembic import op

revision = "perfscale"
down_revision = "perfpages"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("assessments") as batch:
        batch.create_index("ix_assessments_status_submitted", ["status", "submitted_at", "id"])


def downgrade():
    with op.batch_alter_table("assessments") as batch:
        batch.drop_index("ix_assessments_status_submitted")
