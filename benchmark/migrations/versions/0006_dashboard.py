"""Staff dashboard: review assignment (reviewer, due date), status and return stamps.

`status_changed_at` is filled for existing rows from the stamps they have (validation,
submission, creation); `returned_at` is left empty for rows returned before it existed.

Revision ID: dashboard
Revises: editions
"""

import sqlalchemy as sa
from alembic import op

revision = "dashboard"
down_revision = "editions"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("assessments") as batch:
        batch.add_column(sa.Column("status_changed_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("returned_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("reviewer_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("review_due", sa.Date(), nullable=True))
        batch.create_foreign_key(batch.f("fk_assessments_reviewer_id_users"), "users", ["reviewer_id"], ["id"])
        batch.create_index(batch.f("ix_assessments_reviewer_id"), ["reviewer_id"])
        batch.create_index("ix_assessments_edition_city_round", ["edition_id", "city_id", "round"])
    op.execute("UPDATE assessments SET status_changed_at = "
               "COALESCE(validated_at, submitted_at, created_at)")


def downgrade():
    with op.batch_alter_table("assessments") as batch:
        batch.drop_index("ix_assessments_edition_city_round")
        batch.drop_index(batch.f("ix_assessments_reviewer_id"))
        batch.drop_constraint(batch.f("fk_assessments_reviewer_id_users"), type_="foreignkey")
        batch.drop_column("review_due")
        batch.drop_column("reviewer_id")
        batch.drop_column("returned_at")
        batch.drop_column("status_changed_at")
