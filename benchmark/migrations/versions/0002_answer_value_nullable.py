"""answers.value may be NULL: N/A answers and answers with only a comment or evidence.

The CHECK constraint na_has_no_value requires value IS NULL for "not applicable", which a
NOT NULL column made impossible to store.

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("answers", schema=None) as batch_op:
        batch_op.alter_column("value", existing_type=sa.JSON(), nullable=True)


def downgrade():
    with op.batch_alter_table("answers", schema=None) as batch_op:
        batch_op.alter_column("value", existing_type=sa.JSON(), nullable=False)
