"""rendered_reports becomes the shared report store: the PDF bytes, and the edition of a network report.

Rows written before this revision only named files in one instance's folder; they are
a cache and are dropped (the reports render again on their next download).

Revision ID: scaleout
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

revision = "scaleout"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade():
    op.execute("DELETE FROM rendered_reports")
    with op.batch_alter_table("rendered_reports", schema=None) as batch_op:
        batch_op.add_column(sa.Column("edition_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("content", sa.LargeBinary(), nullable=False))
        batch_op.create_index(batch_op.f("ix_rendered_reports_edition_id"), ["edition_id"], unique=False)
        batch_op.create_foreign_key(
            batch_op.f("fk_rendered_reports_edition_id_questionnaire_editions"),
            "questionnaire_editions", ["edition_id"], ["id"], ondelete="CASCADE")


def downgrade():
    op.execute("DELETE FROM rendered_reports")
    with op.batch_alter_table("rendered_reports", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_rendered_reports_edition_id_questionnaire_editions"),
                                 type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_rendered_reports_edition_id"))
        batch_op.drop_column("content")
        batch_op.drop_column("edition_id")
