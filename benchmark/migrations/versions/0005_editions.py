"""questionnaire_drafts: editions authored in the browser or a workbook before they are published.

Drafts live apart from questionnaire_editions, so no query of published editions (the
cities' start page, the public API, the network) can ever see one.

Revision ID: editions
Revises: scaleout
"""

import sqlalchemy as sa
from alembic import op


revision = "editions"
down_revision = "scaleout"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "questionnaire_drafts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version", sa.String(length=20), nullable=True),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("filename", sa.String(length=255), nullable=False),
        sa.Column("source_format", sa.String(length=10), nullable=False),
        sa.Column("source", sa.LargeBinary(), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("mappings_confirmed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("edition_id", sa.Integer(), nullable=True),
        sa.CheckConstraint("source_format IN ('yaml', 'xlsx')", name="draft_source_format"),
        sa.ForeignKeyConstraint(["created_by_id"], ["users.id"]),
        sa.ForeignKeyConstraint(["updated_by_id"], ["users.id"]),
        sa.ForeignKeyConstraint(["edition_id"], ["questionnaire_editions.id"]),
        sa.PrimaryKeyConstraint("id"),
    )


def downgrade():
    op.drop_table("questionnaire_drafts")
