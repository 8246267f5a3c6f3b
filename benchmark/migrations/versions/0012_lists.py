"""An index on lower(cities.name): a city typed by its name is found without reading every city.

The users filter, the invitation and account forms and the staff's commitments filter
take a city's name or short name (services/city_filter.py); the name is compared as
lower(name) = lower(:text), and the error message's suggestions are a range on it.

Revision ID: lists
Revises: perfscale
"""

import sqlalchemy as sa
from alembic import op

revision = "lists"
down_revision = "perfscale"
branch_labels = None
depends_on = None


def upgrade():
    op.create_index("ix_cities_name_lower", "cities", [sa.text("lower(name)")])


def downgrade():
    op.drop_index("ix_cities_name_lower", table_name="cities")
