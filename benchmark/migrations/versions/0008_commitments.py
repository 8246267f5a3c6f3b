"""commitments and commitment_notes: policy commitments prompted by results, followed up next round.

Revision ID: commitments
Revises: practices
"""

import sqlalchemy as sa
from alembic import op

revision = "commitments"
down_revision = "practices"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "commitments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("city_id", sa.Integer(), nullable=False),
        sa.Column("assessment_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("dimension_id", sa.String(length=64), nullable=False),
        sa.Column("questions", sa.JSON(), nullable=False),
        sa.Column("department", sa.String(length=200), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=True),
        sa.Column("start_date", sa.Date(), nullable=True),
        sa.Column("target_date", sa.Date(), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("outcome", sa.String(length=20), nullable=True),
        sa.Column("outcome_note", sa.Text(), nullable=False),
        sa.Column("outcome_assessment_id", sa.Integer(), nullable=True),
        sa.Column("outcome_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("practices", sa.JSON(), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("status IN ('planned', 'in_progress', 'done', 'dropped')",
                           name=op.f("ck_commitments_commitment_status_known")),
        sa.CheckConstraint("outcome IS NULL OR outcome IN ('done', 'partly', 'not_done', 'dropped')",
                           name=op.f("ck_commitments_commitment_outcome_known")),
        sa.CheckConstraint("revision > 0", name=op.f("ck_commitments_commitment_revision_positive")),
        sa.ForeignKeyConstraint(["city_id"], ["cities.id"],
                                name=op.f("fk_commitments_city_id_cities")),
        sa.ForeignKeyConstraint(["assessment_id"], ["assessments.id"], ondelete="CASCADE",
                                name=op.f("fk_commitments_assessment_id_assessments")),
        sa.ForeignKeyConstraint(["outcome_assessment_id"], ["assessments.id"], ondelete="SET NULL",
                                name=op.f("fk_commitments_outcome_assessment_id_assessments")),
        sa.ForeignKeyConstraint(["owner_id"], ["users.id"], name=op.f("fk_commitments_owner_id_users")),
        sa.ForeignKeyConstraint(["created_by_id"], ["users.id"],
                                name=op.f("fk_commitments_created_by_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_commitments")),
    )
    with op.batch_alter_table("commitments", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_commitments_city_id"), ["city_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_commitments_assessment_id"), ["assessment_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_commitments_dimension_id"), ["dimension_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_commitments_status"), ["status"], unique=False)
        batch_op.create_index(batch_op.f("ix_commitments_outcome_assessment_id"),
                              ["outcome_assessment_id"], unique=False)
    op.create_table(
        "commitment_notes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("commitment_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("on_date", sa.Date(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("evidence", sa.String(length=2000), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("kind IN ('progress', 'comment')",
                           name=op.f("ck_commitment_notes_note_kind_known")),
        sa.ForeignKeyConstraint(["commitment_id"], ["commitments.id"], ondelete="CASCADE",
                                name=op.f("fk_commitment_notes_commitment_id_commitments")),
        sa.ForeignKeyConstraint(["author_id"], ["users.id"],
                                name=op.f("fk_commitment_notes_author_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_commitment_notes")),
    )
    with op.batch_alter_table("commitment_notes", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_commitment_notes_commitment_id"), ["commitment_id"],
                              unique=False)


def downgrade():
    op.drop_table("commitment_notes")
    op.drop_table("commitments")
