"""Distinct values of an indexed column as a walk of its index.

`SELECT DISTINCT` reads every entry of the index (or the table); a recursive query that asks
the index for the next value after the last one costs one probe per distinct value, so the
filter choices of a page (countries of 10,000 cities, actions of a growing audit log) cost
the same whatever the number of rows. Neither SQLite nor PostgreSQL does this "loose index
scan" by itself.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import InstrumentedAttribute


def distinct_values(column: InstrumentedAttribute[Any], name: str) -> Select[Any]:
    """The distinct non-null values of `column` in order; `name` names the recursive CTE."""
    found = select(func.min(column).label("value")).cte(name, recursive=True)
    found = found.union_all(
        select(select(func.min(column)).where(column > found.c.value).scalar_subquery())
        .where(found.c.value.is_not(None)))
    return select(found.c.value).where(found.c.value.is_not(None)).order_by(found.c.value)
