"""Audit rows flushed from the download spool carry the spool's id of their line, unique, so
that a flush interrupted between its commit and emptying the spool (a crash) does not add a
download twice when the next flush reads the same lines again (services/audit_spool.py).

Revision ID: auditspool
Revises: dashfilter
"""

import sqlalchemy as sa
from alembic import op

revision = "auditspool"
down_revision = "dashfilter"
branch_labels = None
depends_on = None


def upgrade():
    # Plain ALTER TABLE (a nullable column): a batch rebuild on SQLite would drop the
    # append-only triggers of audit_events (migration 0003).
    op.add_column("audit_events", sa.Column("spool_id", sa.String(32), nullable=True))
    # Unique among spooled rows; every other row has NULL, which both engines let repeat.
    op.create_index("ux_audit_events_spool_id", "audit_events", ["spool_id"], unique=True)


def downgrade():
    op.drop_index("ux_audit_events_spool_id", table_name="audit_events")
    op.drop_column("audit_events", "spool_id")
