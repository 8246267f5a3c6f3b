"""Cities side by side: GET /api/v1/compare?questionnaire=V&city=a&city=b[...] (2 to 5 cities)."""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StrictStr

from benchmark.models import utctoday
from benchmark.services import compare
from benchmark.web.api import bp
from benchmark.web.api.schemas import Lang, LineText
from benchmark.web.identity import current_actor

#: A city's slug as stored (services/cities.SLUG).
CitySlug = Annotated[StrictStr, Field(min_length=1, max_length=64,
                                      pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$")]


def _different(slugs: list[str]) -> list[str]:
    if len(set(slugs)) != len(slugs):
        raise ValueError("must name different cities")
    return slugs


class CompareQuery(BaseModel):
    model_config = ConfigDict(extra="forbid")
    questionnaire: LineText | None = Field(default=None, max_length=20,
                                      description="Edition version (default: the latest)")
    city: Annotated[list[CitySlug], AfterValidator(_different)] = Field(
        min_length=compare.MIN_CITIES, max_length=compare.MAX_CITIES,
        json_schema_extra={"uniqueItems": True},
        description="City slug, repeated: 2 to 5 different cities")
    lang: Lang | None = Field(default=None, description="Language of the titles")


class ComparedCityOut(BaseModel):
    name: str
    country: str
    round: int | None = Field(description="Its latest validated round on the edition; null if none")


class ComparedIndexOut(BaseModel):
    id: str
    title: str
    values: list[float | None] = Field(description="One index (0–100, unrounded) per city, "
                                                   "in the order of `cities`")


class ComparedQuestionOut(BaseModel):
    id: str
    text: str
    answers: list[str] = Field(description="Each city's answer in words (\"\" when none)")
    achievements: list[float | None] = Field(description="Share of the maximum points, 0–1, "
                                                         "null where the question does not count")
    spread: float = Field(description="Highest minus lowest achievement, 0–1")


class CompareOut(BaseModel):
    questionnaire: str
    cities: list[ComparedCityOut]
    overall: ComparedIndexOut
    dimensions: list[ComparedIndexOut]
    questions: list[ComparedQuestionOut] = Field(description="Where the cities differ most, "
                                                             "largest spread first (at most 10)")


@bp.get("/compare", query=CompareQuery, out=CompareOut, errors=(404, 422), tags=("scores",),
        summary="Two to five cities side by side on one edition (staff: any; a city team: "
                "cities that consented to be named)")
def get_compare(query: CompareQuery) -> CompareOut:
    report = compare.build(current_actor(), query.questionnaire, query.city,
                           query.lang or "en", utctoday())
    return CompareOut(
        questionnaire=report.edition_version,
        cities=[ComparedCityOut(name=c.name, country=c.country, round=c.round) for c in report.cities],
        overall=ComparedIndexOut(id="overall", title=report.overall.title,
                                 values=list(report.overall.values)),
        dimensions=[ComparedIndexOut(id=d.id, title=d.title, values=list(d.values))
                    for d in report.dimensions],
        questions=[ComparedQuestionOut(id=q.id, text=q.text, answers=list(q.answers),
                                       achievements=list(q.achievements), spread=q.spread)
                   for q in report.questions],
    )
