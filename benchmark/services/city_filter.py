"""Choosing a city by typing part of its name: the city filter of the administrators' lists
(users, audit log).

A `<select>` of every city would be 10,000 options (about 0.5 MB of HTML, built from a
query of every city) on a 10,000-city network; a text field matched here costs one
subquery over the cities table whatever its size.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, or_, select

from benchmark.extensions import db
from benchmark.models import City
from benchmark.services.audit import contains

#: Longest text the filter accepts (a city's name is at most 200 characters).
MAX_LENGTH = 200


def matching(text: str) -> Any:
    """Ids of the cities whose name or short name contains `text` (any case), as a subquery."""
    pattern = contains(text)
    return select(City.id).where(or_(func.lower(City.name).like(pattern, escape="\\"),
                                     func.lower(City.slug).like(pattern, escape="\\")))


def any_matches(text: str) -> bool:
    """Whether some city's name or short name contains `text`."""
    return db.session.scalar(matching(text).limit(1)) is not None


def names(city_ids: set[int | None]) -> dict[int, str]:
    """The names of these cities (the ones a page of a list shows): one query."""
    wanted = {i for i in city_ids if i is not None}
    if not wanted:
        return {}
    rows = db.session.execute(select(City.id, City.name).where(City.id.in_(wanted)))
    return {city_id: name for city_id, name in rows}
