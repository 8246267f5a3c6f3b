"""Published questionnaire editions."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from benchmark import authz
from benchmark.errors import Invalid
from benchmark.questionnaire import localize
from benchmark.questionnaire.loader import localized_dump
from benchmark.services import questionnaires
from benchmark.web.api import bp
from benchmark.web.api.schemas import Lang, Page
from benchmark.web.identity import current_actor


class LangQuery(BaseModel):
    model_config = ConfigDict(extra="forbid")

    lang: Lang = Field(default="en", description="Language of the texts (en, fr, ar)")


class _Localized(BaseModel):
    fallback: bool = Field(default=False, description="A text fell back to English")


class OptionOut(_Localized):
    id: str
    label: str
    points: float
    # As in the file: present (true) only on an exclusive option.
    exclusive: bool = Field(default=False, exclude_if=lambda value: not value,
                            description="multi_choice: chosen only on its own (\"None of "
                            "these\"); a value combining it with others is refused")


class BandOut(BaseModel):
    min: float
    max: float | None = Field(default=None, description="Exclusive; absent on the last band")
    points: float


class ScaleOut(BaseModel):
    min: float
    max: float
    better: Literal["higher", "lower"]


class ShowIfOut(BaseModel):
    model_config = ConfigDict(populate_by_name=True, serialize_by_alias=True)

    question: str
    in_: list[str] = Field(alias="in")


class PreviousOut(BaseModel):
    version: str
    question: str


class QuestionOut(_Localized):
    id: str
    type: str
    text: str
    help: str | None = None
    weight: float
    required: bool
    allow_na: bool
    options: list[OptionOut] | None = None
    max_points: float | None = None
    bands: list[BandOut] | None = None
    scale: ScaleOut | None = None
    show_if: ShowIfOut | None = None
    previous: PreviousOut | None = None


class DimensionOut(_Localized):
    id: str
    title: str
    weight: float
    questions: list[QuestionOut]


class ProfileFieldOut(_Localized):
    id: str
    type: str
    label: str
    help: str | None = None
    required: bool = False


class QuestionnaireOut(_Localized):
    version: str
    title: str
    languages: list[str]
    lang: str
    checksum: str
    profile: list[ProfileFieldOut] = []
    dimensions: list[DimensionOut]


class EditionOut(BaseModel):
    version: str
    title: str
    titles: dict[str, str]
    languages: list[str]
    checksum: str
    questions: int = Field(description="Scored questions")
    dimensions: int
    assessments: int


@bp.get("/questionnaires", query=LangQuery, out=Page[EditionOut], tags=("questionnaires",),
        summary="Published editions: version, title, checksum, counts, languages")
def list_questionnaires(query: LangQuery) -> Page[EditionOut]:
    authz.require(current_actor(), "view_questionnaires")
    return Page[EditionOut](items=[
        EditionOut(version=e.version, title=localize(e.title, query.lang), titles=e.title,
                   languages=e.languages, checksum=e.checksum, questions=e.questions,
                   dimensions=e.dimensions, assessments=e.assessments)
        for e in questionnaires.list_editions()
    ])


@bp.get("/questionnaires/<version>", query=LangQuery, out=QuestionnaireOut, errors=(404, 422),
        notes={422: "Invalid value, or a language this edition is not written in"},
        tags=("questionnaires",), summary="The full definition of an edition, texts in ?lang=")
def get_questionnaire(version: str, query: LangQuery) -> QuestionnaireOut:
    authz.require(current_actor(), "view_questionnaires")
    edition = questionnaires.get_edition(version)
    if query.lang not in edition.languages:
        raise Invalid(f"Edition {version} is not available in {query.lang!r}.",
                      fields={"lang": f"one of {', '.join(edition.languages)}"})
    return QuestionnaireOut.model_validate(localized_dump(edition, query.lang))
