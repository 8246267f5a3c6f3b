"""Choosing a city by typing: the city fields of the administrators' pages and the staff's.

A `<select>` of every city would be 10,000 options (about 0.5 MB of HTML, built from a
query of every city) on a 10,000-city network. One rule for every city field:

- `named` / `choose`: the city whose short name (slug) or whole name (any case) is the
  text: the users and audit log filters, the invitation and account forms, the staff's
  commitments filter. Both conditions read an index (the slug's unique index; `ix_cities_name_order`,
  whose first column is lower(name)), so the cost does not grow with the network. Text
  that names no city, or several homonyms, is an error that lists the cities it could
  mean (`problem`). (A substring match, which the filters had, reads every city's name.)

A `<datalist>` of the names (`small_network_names`) helps typing on networks of up to
DATALIST_MAX cities and is left out above (10,000 options would be megabytes of HTML).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import func, literal, or_, select

from benchmark.extensions import db
from benchmark.models import City

#: Longest text the filter accepts (a city's name is at most 200 characters).
MAX_LENGTH = 200
#: Networks of at most this many cities get a <datalist> of their names.
DATALIST_MAX = 200
#: Cities an error message proposes at most.
SUGGESTIONS = 5


def _is_named(text: str) -> Any:
    # lower() on both sides in SQL: the same folding as the index (SQLite's lower() folds
    # ASCII only; a Python lower() of "Évry" would never meet SQLite's "Évry").
    return or_(City.slug == text.strip().lower(),
               func.lower(City.name) == func.lower(literal(text.strip())))


def named(text: str) -> Any:
    """Ids of the cities whose short name is `text` or whose name is `text` (any case), as
    a subquery (homonyms: all of them)."""
    return select(City.id).where(_is_named(text))


@dataclass(frozen=True)
class Choice:
    """What a typed city means: one city, or none with the cities it could mean."""

    city: City | None
    #: (name, slug) of the homonyms (`several`) or of the cities whose name starts with the text.
    candidates: tuple[tuple[str, str], ...] = ()
    several: bool = False


def choose(text: str, keep: int | None = None) -> Choice:
    """The one city `text` names (short name first, then whole name, any case). Among
    homonyms, `keep` (the city already chosen) stays chosen, so an unchanged form saves."""
    found = list(db.session.scalars(select(City).where(_is_named(text))
                                    .order_by(City.name, City.slug).limit(SUGGESTIONS + 1)))
    slug = text.strip().lower()
    exact = [c for c in found if c.slug == slug] or [c for c in found if c.id == keep]
    if len(found) == 1 or exact:
        return Choice((exact or found)[0])
    if found:
        return Choice(None, tuple((c.name, c.slug) for c in found[:SUGGESTIONS]), several=True)
    return Choice(None, starting_with(text))


def starting_with(text: str) -> tuple[tuple[str, str], ...]:
    """(name, slug) of up to SUGGESTIONS cities whose name starts with `text` (any case).

    A range on lower(name) reads `ix_cities_name_order` (LIKE alone cannot use it on
    SQLite); the LIKE keeps the range to true prefixes.
    """
    key = db.session.scalar(select(func.lower(literal(text.strip()))))
    if not key:
        return ()
    upper = key[:-1] + chr(ord(key[-1]) + 1)
    escaped = key.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    lowered = func.lower(City.name)
    rows = db.session.execute(
        select(City.name, City.slug).where(lowered >= key, lowered < upper,
                                           lowered.like(f"{escaped}%", escape="\\"))
        .order_by(lowered, City.slug).limit(SUGGESTIONS))
    return tuple((name, slug) for name, slug in rows)


def problem(text: str, choice: Choice) -> str:
    """The error message of a typed city that names no city or several."""
    options = ", ".join(f"{name} ({slug})" for name, slug in choice.candidates)
    if choice.several:
        return _("Several cities are called “%(text)s”: type the short name of the one you "
                 "mean: %(options)s.", text=text.strip(), options=options)
    if options:
        return _("No city is called “%(text)s”. Cities whose name starts with it (short name "
                 "in brackets): %(options)s. Type a whole name or a short name.",
                 text=text.strip(), options=options)
    return _("No city is called “%(text)s”, and no city's name starts with it. Check the "
             "spelling, or type the city's short name (as in its web address).",
             text=text.strip())


def small_network_names() -> list[str]:
    """Every city's name when the network has at most DATALIST_MAX cities, else [] (one
    query: reading one more than the limit tells which)."""
    names = list(db.session.scalars(select(City.name).order_by(City.name).limit(DATALIST_MAX + 1)))
    return [] if len(names) > DATALIST_MAX else list(dict.fromkeys(names))


def names(city_ids: set[int | None]) -> dict[int, str]:
    """The names of these cities (the ones a page of a list shows): one query."""
    wanted = {i for i in city_ids if i is not None}
    if not wanted:
        return {}
    rows = db.session.execute(select(City.id, City.name).where(City.id.in_(wanted)))
    return {city_id: name for city_id, name in rows}
