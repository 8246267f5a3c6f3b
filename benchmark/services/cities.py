"""Cities of the network: who may see which, their profile and peer group, and their upkeep."""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select

from benchmark import authz
from benchmark.authz import Actor
from benchmark.errors import Invalid, NotFound
from benchmark.extensions import db
from benchmark.models import City
from benchmark.scoring.peers import peer_group_from
from benchmark.services import audit, reports, scores
from benchmark.services._tx import flush_unique, transaction
from benchmark.services.paging import Page, paginate

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
#: Fields of a city's record that other cities' results and reports show or group by
#: (peers to learn from by name with consent, peer groups by profile, the staff network
#: report's list of cities with their countries): a change moves
#: the network stamp of the editions the city counts in.
SHOWN_TO_OTHER_CITIES = frozenset({"slug", "name", "country", "population",
                                   "foreign_born_share", "consent_named"})


@dataclass(frozen=True)
class CityData:
    """What an administrator edits about a city."""

    slug: str
    name: str
    country: str
    population: int | None = None
    #: Percent of the population born abroad, 0–100.
    foreign_born_share: float | None = None
    consent_named: bool = False


def peer_group(city: City, round_profile: Mapping[str, Any] | None = None) -> str | None:
    """The city's peer group key (population band × foreign-born share band), or None;
    the rule is `scoring.peers.peer_group_from`: a round's profile first, then the record."""
    return peer_group_from(round_profile, city.population, city.foreign_born_share)


@dataclass(frozen=True)
class CityView:
    """A city as the API shows it: slug, name, country, profile, peer group."""

    slug: str
    name: str
    country: str
    population: int | None
    foreign_born_share: float | None
    peer_group: str | None

    @classmethod
    def of(cls, city: City) -> CityView:
        return cls(city.slug, city.name, city.country, city.population,
                   city.foreign_born_share, peer_group(city))


def visible(actor: Actor, *, after: str | None = None, limit: int = 50) -> list[CityView]:
    """Cities the actor may see, by slug, starting after `after`; at most limit + 1 rows."""
    authz.require(actor, "view_cities")
    query = select(City).where(authz.city_filter(actor, City.id)).order_by(City.slug)
    if after is not None:
        query = query.where(City.slug > str(after))
    return [CityView.of(c) for c in db.session.scalars(query.limit(limit + 1))]


def view(actor: Actor, slug: str) -> CityView:
    """The city with this slug as the API shows it; NotFound also when the actor may not see it."""
    return CityView.of(get_by_slug(actor, slug))


def get_by_slug(actor: Actor, slug: str) -> City:
    """The city with this slug; NotFound also when the actor may not see it."""
    city = db.session.scalar(select(City).where(City.slug == slug))
    if city is None:
        raise NotFound(_("There is no such city."))
    authz.require(actor, "view_city", city)
    return city


@dataclass(frozen=True)
class CityRow:
    """A line of the administration's city list."""

    city: City
    peer_group: str | None


def list_all(actor: Actor, page: int = 1) -> Page[CityRow]:
    """The cities, by name, with their peer group, a page at a time (administration)."""
    authz.require(actor, "manage_cities")
    return paginate(select(City).order_by(City.name, City.id), page,
                    convert=lambda c: CityRow(c, peer_group(c)))


def blank(actor: Actor) -> CityData:
    """Defaults of the new-city form (administrators only)."""
    authz.require(actor, "manage_cities")
    return CityData(slug="", name="", country="")


def get_for_admin(actor: Actor, city_id: int) -> City:
    authz.require(actor, "manage_cities")
    city = db.session.get(City, city_id)
    if city is None:
        raise NotFound(_("There is no such city."))
    return city


def _validate(data: CityData, *, city_id: int | None) -> None:
    fields: dict[str, str] = {}
    if not SLUG.match(data.slug) or len(data.slug) > 64:
        fields["slug"] = _("Use lower-case letters, digits and single hyphens, e.g. ville-de-lyon.")
    elif db.session.scalar(select(City.id).where(City.slug == data.slug, City.id != (city_id or 0))):
        fields["slug"] = _slug_taken().fields["slug"]
    if not data.name.strip() or len(data.name) > 200:
        fields["name"] = _("Enter the city's name (at most 200 characters).")
    if not data.country.strip() or len(data.country) > 100:
        fields["country"] = _("Enter the country (at most 100 characters).")
    if data.population is not None and not 0 <= data.population <= 100_000_000:
        fields["population"] = _("Enter a number of inhabitants between 0 and 100,000,000.")
    share = data.foreign_born_share
    if share is not None and (not math.isfinite(share) or not 0 <= share <= 100):
        fields["foreign_born_share"] = _("Enter a percentage between 0 and 100.")
    if fields:
        raise Invalid(_("Some values are invalid."), fields=fields)


def _slug_taken() -> Invalid:
    message = _("Another city already uses this short name.")
    return Invalid(_("Some values are invalid."), fields={"slug": message})


def _snapshot(city: City) -> dict[str, object]:
    return {"slug": city.slug, "name": city.name, "country": city.country,
            "population": city.population, "foreign_born_share": city.foreign_born_share,
            "consent_named": city.consent_named}


def _apply(city: City, data: CityData) -> None:
    city.slug = data.slug
    city.name = data.name.strip()
    city.country = data.country.strip()
    city.population = data.population
    city.foreign_born_share = data.foreign_born_share
    city.consent_named = data.consent_named


def create(actor: Actor, data: CityData) -> City:
    """Add a city to the network."""
    authz.require(actor, "manage_cities")
    with transaction():
        _validate(data, city_id=None)
        city = City()
        _apply(city, data)
        db.session.add(city)
        flush_unique(_slug_taken())  # a concurrent create of the same slug passed the check too
        audit.record(actor, "city_created", target=city, details=_snapshot(city))
    return city


def update(actor: Actor, city_id: int, data: CityData) -> City:
    """Change a city's name, slug, country, profile or consent (audited as old → new)."""
    authz.require(actor, "manage_cities")
    with transaction():
        city = db.session.get(City, city_id)
        if city is None:
            raise NotFound(_("There is no such city."))
        _validate(data, city_id=city.id)
        before = _snapshot(city)
        _apply(city, data)
        flush_unique(_slug_taken())
        moved: list[int] = []
        if diff := audit.changes(before, _snapshot(city)):
            audit.record(actor, "city_updated", target=city, details=diff)
            if diff.keys() & SHOWN_TO_OTHER_CITIES:
                db.session.flush()
                moved = scores.refresh_city_networks(city.id)
    reports.schedule_refresh(moved)
    return city
