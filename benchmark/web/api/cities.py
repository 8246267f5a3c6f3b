"""Cities the caller may see: slug, name, country, profile and peer group."""

from __future__ import annotations

from pydantic import BaseModel, Field

from benchmark.services import cities
from benchmark.services.cities import CityView
from benchmark.web.api import bp
from benchmark.web.api.pagination import decode_cursor, next_url
from benchmark.web.api.schemas import CURSOR_NOTE, Page, PageQuery
from benchmark.web.identity import current_actor


class CityProfileOut(BaseModel):
    population: int | None = Field(description="Inhabitants")
    foreign_born_share: float | None = Field(description="Percent of the population born abroad, 0–100")


class CityOut(BaseModel):
    slug: str
    name: str
    country: str
    profile: CityProfileOut
    peer_group: str | None = Field(
        description="Peer group key (population band × foreign-born share band), "
        "e.g. pop-100k-250k.fb-10-20; null while the profile is incomplete")


class CityPage(Page[CityOut]):
    """A page of cities, by slug."""


def city_out(city: CityView) -> CityOut:
    return CityOut(
        slug=city.slug, name=city.name, country=city.country,
        profile=CityProfileOut(population=city.population,
                               foreign_born_share=city.foreign_born_share),
        peer_group=city.peer_group,
    )


@bp.get("/cities", summary="Cities the caller may see: staff all, a city's team their own",
        query=PageQuery, out=CityPage, tags=("cities",), errors=(422,), notes={422: CURSOR_NOTE})
def list_cities(query: PageQuery) -> CityPage:
    rows = cities.visible(current_actor(), after=decode_cursor(query.cursor, str),
                          limit=query.limit)
    return CityPage(items=[city_out(c) for c in rows[:query.limit]],
                    next=next_url(rows, query.limit, lambda c: c.slug))


@bp.get("/cities/<slug>", summary="One city (404 when the caller may not see it)", out=CityOut,
        tags=("cities",), errors=(404,))
def get_city(slug: str) -> CityOut:
    return city_out(cities.view(current_actor(), slug))
