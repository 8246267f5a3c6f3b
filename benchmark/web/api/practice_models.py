"""Request and response models of the good-practice resources (the API contract, docs/api.md)."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field, StrictInt, StrictStr

from benchmark.web.api.schemas import PageQuery

STATUS_HELP = "draft, submitted, published, returned or withdrawn"


class YearsIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    start: StrictInt | None = Field(default=None, ge=1950, le=2100, description="First year")
    end: StrictInt | None = Field(default=None, ge=1950, le=2100,
                                  description="Last year; null while it runs")


class YearsOut(BaseModel):
    start: int | None
    end: int | None


class TextsIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    title: StrictStr = Field(min_length=1, max_length=200)
    summary: StrictStr = Field(min_length=1, max_length=500)
    description: StrictStr = Field(default="", max_length=20000)
    results: StrictStr = Field(default="", max_length=10000)


class TextsOut(BaseModel):
    title: str
    summary: str
    description: str
    results: str


class PracticeIn(BaseModel):
    """A practice as written: texts in `language`, optional translations, facts, topics."""

    model_config = ConfigDict(extra="forbid")

    city: StrictStr | None = Field(default=None, max_length=64, description=(
        "City slug; default the caller's city (staff must name one). Ignored on PUT"))
    language: StrictStr = Field(max_length=5, description="Language of the texts: en, fr or ar")
    title: StrictStr = Field(min_length=1, max_length=200)
    summary: StrictStr = Field(min_length=1, max_length=500, description="At most 500 characters")
    description: StrictStr = Field(default="", max_length=20000)
    results: StrictStr = Field(default="", max_length=10000, description="Results or evaluation")
    translations: dict[str, TextsIn] = Field(default_factory=dict, description=(
        "Texts in other languages, by language code"))
    dimensions: list[StrictStr] = Field(default_factory=list, max_length=20, description=(
        "Dimension ids; the dimensions of `questions` are added"))
    questions: list[StrictStr] = Field(default_factory=list, max_length=50,
                                       description="Question ids the practice answers")
    years: YearsIn = Field(default_factory=YearsIn)
    department: StrictStr = Field(default="", max_length=300)
    partners: StrictStr = Field(default="", max_length=2000)
    budget_band: StrictStr | None = Field(default=None, max_length=20, description=(
        "none, under_10k, 10k_100k, 100k_1m or over_1m (euros over the whole run)"))
    links: list[StrictStr] = Field(default_factory=list, max_length=10,
                                   description="http(s) web addresses")
    contact: StrictStr = Field(default="", max_length=300,
                               description="A contact person who agreed to be named")


class PracticeOut(BaseModel):
    id: int
    city: str = Field(description="City slug")
    city_name: str
    country: str
    title: str
    summary: str
    description: str
    results: str
    shown_language: str = Field(description="Language of title/summary/description/results: "
                                "the requested one (?lang=) when the practice has it, else "
                                "the original")
    language: str = Field(description="The language the practice was written in (original)")
    translations: dict[str, TextsOut] = Field(description="Every language's texts")
    dimensions: list[str]
    questions: list[str]
    years: YearsOut
    department: str
    partners: str
    budget_band: str | None
    links: list[str]
    contact: str
    status: str = Field(description=STATUS_HELP)
    return_message: str = Field(description="Staff's message while the practice is returned")
    revision: int = Field(description="Starts at 1, +1 per change or step; the ETag")
    created_at: datetime
    updated_at: datetime
    published_at: datetime | None


class PracticeQuery(PageQuery):
    q: str | None = Field(default=None, max_length=200, description="Words (full text, en/fr/ar)")
    dimension: str | None = Field(default=None, max_length=64)
    question: str | None = Field(default=None, max_length=64)
    country: str | None = Field(default=None, max_length=100)
    size: str | None = Field(default=None, max_length=30, description=(
        "Size group of the city, e.g. pop-100k-250k"))
    language: str | None = Field(default=None, max_length=5,
                                 description="Practices with texts in this language")
    year: int | None = Field(default=None, ge=1950, le=2100, description="Running in this year")
    city: str | None = Field(default=None, max_length=64, description="City slug")
    status: str | None = Field(default=None, max_length=20, description=(
        STATUS_HELP + "; default published plus the caller's own city's practices"))
    lang: str | None = Field(default=None, max_length=5,
                             description="Language to show the texts in (en, fr, ar)")


class PracticeLangQuery(BaseModel):
    model_config = ConfigDict(extra="forbid")

    lang: str | None = Field(default=None, max_length=5,
                             description="Language to show the texts in (en, fr, ar)")


class PracticePage(BaseModel):
    items: list[PracticeOut]
    next: str | None = None


class PracticeMessageIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    comment: StrictStr = Field(min_length=1, max_length=5000, description="Message to the city")
