"""practices: good practices of cities, their texts per language, the questions they answer,
and a full-text index of each database's own engine.

SQLite: an FTS5 table over practices.search_text (external content, kept in step by
triggers); PostgreSQL: a GIN index over to_tsvector('simple', search_text). The text is
normalised by the service (services/practice_search.py), so neither needs an extension.

Revision ID: practices
Revises: dashboard
"""

import sqlalchemy as sa
from alembic import op


revision = "practices"
down_revision = "dashboard"
branch_labels = None
depends_on = None

STATUSES = "('draft', 'submitted', 'published', 'returned', 'withdrawn')"
BANDS = "('none', 'under_10k', '10k_100k', '100k_1m', 'over_1m')"


def upgrade():
    op.create_table(
        "practices",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("city_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("language", sa.String(length=5), nullable=False),
        sa.Column("start_year", sa.Integer(), nullable=True),
        sa.Column("end_year", sa.Integer(), nullable=True),
        sa.Column("department", sa.String(length=200), nullable=False),
        sa.Column("partners", sa.Text(), nullable=False),
        sa.Column("budget_band", sa.String(length=20), nullable=True),
        sa.Column("links", sa.JSON(), nullable=False),
        sa.Column("contact", sa.String(length=300), nullable=False),
        sa.Column("return_message", sa.Text(), nullable=False),
        sa.Column("search_text", sa.Text(), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(f"status IN {STATUSES}", name="practice_status_known"),
        sa.CheckConstraint(f"budget_band IS NULL OR budget_band IN {BANDS}",
                           name="practice_budget_band_known"),
        sa.CheckConstraint("start_year IS NULL OR end_year IS NULL OR start_year <= end_year",
                           name="practice_years_ordered"),
        sa.CheckConstraint("revision > 0", name="practice_revision_positive"),
        sa.ForeignKeyConstraint(["city_id"], ["cities.id"]),
        sa.ForeignKeyConstraint(["created_by_id"], ["users.id"]),
        sa.ForeignKeyConstraint(["updated_by_id"], ["users.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_practices_city_id", "practices", ["city_id"])
    op.create_index("ix_practices_status", "practices", ["status"])
    op.create_index("ix_practices_published_at", "practices", ["published_at"])
    op.create_table(
        "practice_texts",
        sa.Column("practice_id", sa.Integer(), nullable=False),
        sa.Column("language", sa.String(length=5), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("summary", sa.String(length=500), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("results", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["practice_id"], ["practices.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("practice_id", "language"),
    )
    op.create_table(
        "practice_dimensions",
        sa.Column("practice_id", sa.Integer(), nullable=False),
        sa.Column("dimension_id", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(["practice_id"], ["practices.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("practice_id", "dimension_id"),
    )
    op.create_index("ix_practice_dimensions_dimension", "practice_dimensions",
                    ["dimension_id", "practice_id"])
    op.create_table(
        "practice_questions",
        sa.Column("practice_id", sa.Integer(), nullable=False),
        sa.Column("question_id", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(["practice_id"], ["practices.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("practice_id", "question_id"),
    )
    op.create_index("ix_practice_questions_question", "practice_questions",
                    ["question_id", "practice_id"])
    if op.get_bind().dialect.name == "postgresql":
        op.execute("CREATE INDEX ix_practices_search ON practices "
                   "USING gin (to_tsvector('simple', search_text))")
    else:
        # External content: the index reads practices.search_text; triggers keep it in step.
        op.execute("CREATE VIRTUAL TABLE practices_fts USING fts5(search_text, "
                   "content='practices', content_rowid='id', "
                   "tokenize='unicode61 remove_diacritics 2')")
        op.execute("CREATE TRIGGER practices_fts_insert AFTER INSERT ON practices BEGIN "
                   "INSERT INTO practices_fts(rowid, search_text) "
                   "VALUES (new.id, new.search_text); END")
        op.execute("CREATE TRIGGER practices_fts_delete AFTER DELETE ON practices BEGIN "
                   "INSERT INTO practices_fts(practices_fts, rowid, search_text) "
                   "VALUES ('delete', old.id, old.search_text); END")
        op.execute("CREATE TRIGGER practices_fts_update AFTER UPDATE OF search_text "
                   "ON practices BEGIN "
                   "INSERT INTO practices_fts(practices_fts, rowid, search_text) "
                   "VALUES ('delete', old.id, old.search_text); "
                   "INSERT INTO practices_fts(rowid, search_text) "
                   "VALUES (new.id, new.search_text); END")


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_practices_search")
    else:
        for trigger in ("insert", "delete", "update"):
            op.execute(f"DROP TRIGGER IF EXISTS practices_fts_{trigger}")
        op.execute("DROP TABLE IF EXISTS practices_fts")
    op.drop_table("practice_questions")
    op.drop_table("practice_dimensions")
    op.drop_table("practice_texts")
    op.drop_table("practices")
