"""Request and response models of the good-practice resources (the API contract, docs/api.md)."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from benchmark.web.api.schemas import (
    Lang,
    LineText,
    LongText,
    PageQuery,
    QueryYear,
    RequiredLine,
    RequiredText,
    Year,
)

BudgetBand = Literal["none", "under_10k", "10k_100k", "100k_1m", "over_1m"]
Status = Literal["draft", "submitted", "published", "returned", "withdrawn"]

STATUS_HELP = "draft, submitted, published, returned or withdrawn"


class YearsIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    start: Year | None = Field(default=None, description="First year")
    end: Year | None = Field(default=None, description="Last year; null while it runs")


class YearsOut(BaseModel):
    start: int | None
    end: int | None


class TextsIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    title: RequiredLine = Field(min_length=1, max_length=200)
    summary: RequiredText = Field(min_length=1, max_length=500)
    description: LongText = Field(default="", max_length=20000)
    results: LongText = Field(default="", max_length=10000)


class TextsOut(BaseModel):
    title: str
    summary: str
    description: str
    results: str


class PracticeIn(BaseModel):
    """A practice as written: texts in `language`, optional translations, facts, topics."""

    model_config = ConfigDict(extra="forbid")

    city: LineText | None = Field(default=None, max_length=64, description=(
        "City slug; default the caller's city (staff must name one). Ignored on PUT"))
    language: Lang = Field(description="Language of the texts: en, fr or ar")
    title: RequiredLine = Field(min_length=1, max_length=200)
    summary: RequiredText = Field(min_length=1, max_length=500, description="At most 500 characters")
    description: LongText = Field(default="", max_length=20000)
    results: LongText = Field(default="", max_length=10000, description="Results or evaluation")
    translations: dict[Lang, TextsIn] = Field(default_factory=dict, description=(
        "Texts in other languages, by language code"))
    dimensions: list[LineText] = Field(default_factory=list, max_length=20, description=(
        "Dimension ids; the dimensions of `questions` are added"))
    questions: list[LineText] = Field(default_factory=list, max_length=50,
                                       description="Question ids the practice answers")
    years: YearsIn = Field(default_factory=YearsIn)
    department: LineText = Field(default="", max_length=300)
    partners: LongText = Field(default="", max_length=2000)
    budget_band: BudgetBand | None = Field(default=None, max_length=20, description=(
        "none, under_10k, 10k_100k, 100k_1m or over_1m (euros over the whole run)"))
    links: list[LineText] = Field(default_factory=list, max_length=10,
                                   description="http(s) web addresses")
    contact: LineText = Field(default="", max_length=300,
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
    q: LineText | None = Field(default=None, max_length=200, description="Words (full text, en/fr/ar)")
    dimension: LineText | None = Field(default=None, max_length=64)
    question: LineText | None = Field(default=None, max_length=64)
    country: LineText | None = Field(default=None, max_length=100)
    size: LineText | None = Field(default=None, max_length=30, description=(
        "Size group of the city, e.g. pop-100k-250k"))
    language: Lang | None = Field(default=None,
                                 description="Practices with texts in this language")
    year: QueryYear | None = Field(default=None, description="Running in this year")
    city: LineText | None = Field(default=None, max_length=64, description="City slug")
    status: Status | None = Field(default=None, description=(
        STATUS_HELP + "; default published plus the caller's own city's practices"))
    lang: Lang | None = Field(default=None,
                             description="Language to show the texts in (en, fr, ar)")


class PracticeLangQuery(BaseModel):
    model_config = ConfigDict(extra="forbid")

    lang: Lang | None = Field(default=None,
                             description="Language to show the texts in (en, fr, ar)")


class PracticePage(BaseModel):
    items: list[PracticeOut]
    next: str | None = None


class PracticeMessageIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    comment: RequiredText = Field(min_length=1, max_length=5000, description="Message to the city")
