"""Frozen dataclasses describing one questionnaire edition (pure: no Flask, no SQLAlchemy)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

#: Texts per language code, e.g. {"en": "Yes", "fr": "Oui", "ar": "نعم"}.
Localized = Mapping[str, str]

FALLBACK_LANGUAGE = "en"


def localize(texts: Localized | None, lang: str) -> str:
    """The text in `lang`, else English, else any language given, else ""."""
    if not texts:
        return ""
    return texts.get(lang) or texts.get(FALLBACK_LANGUAGE) or next(iter(texts.values()), "")


@dataclass(frozen=True)
class Option:
    id: str
    label: Localized
    points: float
    #: "None of these": a multi_choice option that cannot be chosen together with another.
    exclusive: bool = False


@dataclass(frozen=True)
class Band:
    """A half-open range [min, max) worth `points`; max None means no upper bound."""

    min: float
    max: float | None
    points: float

    def contains(self, value: float) -> bool:
        return value >= self.min and (self.max is None or value < self.max)


@dataclass(frozen=True)
class Scale:
    """Linear normalisation of an indicator onto [0, 1] (CPI-style)."""

    min: float
    max: float
    better: Literal["higher", "lower"] = "higher"


@dataclass(frozen=True)
class ShowIf:
    """Skip logic: the question is shown only when `question`'s answer is one of `values`."""

    question: str
    values: tuple[str, ...]


@dataclass(frozen=True)
class Previous:
    """Maps a question to its comparable counterpart in an earlier edition."""

    version: str
    question: str


@dataclass(frozen=True)
class Question:
    id: str
    type: str
    dimension_id: str
    text: Localized
    help: Localized = field(default_factory=dict)
    weight: float = 1.0
    required: bool = True
    allow_na: bool = False
    options: tuple[Option, ...] = ()
    max_points: float | None = None
    bands: tuple[Band, ...] = ()
    scale: Scale | None = None
    show_if: ShowIf | None = None
    previous: Previous | None = None
    #: 1-based line of the question in its source file, for error messages; 0 when unknown.
    line: int = field(default=0, compare=False)

    @property
    def option_ids(self) -> tuple[str, ...]:
        return tuple(o.id for o in self.options)

    def option(self, option_id: str) -> Option | None:
        return next((o for o in self.options if o.id == option_id), None)

    def points_of(self, option_id: str) -> float:
        option = self.option(option_id)
        return option.points if option else 0.0

    @property
    def max_option_points(self) -> float:
        return max((o.points for o in self.options), default=0.0)

    @property
    def is_scored(self) -> bool:
        from benchmark.questionnaire.types import get_type

        return get_type(self.type).scored


@dataclass(frozen=True)
class Dimension:
    id: str
    title: Localized
    questions: tuple[Question, ...]
    weight: float = 1.0
    line: int = field(default=0, compare=False)

    @property
    def scored_questions(self) -> tuple[Question, ...]:
        return tuple(q for q in self.questions if q.is_scored)


@dataclass(frozen=True)
class ProfileField:
    """Unscored city context (population, foreign-born share, ...), used for peer groups."""

    id: str
    type: Literal["integer", "number", "percent", "text"]
    label: Localized
    help: Localized = field(default_factory=dict)
    required: bool = False
    line: int = field(default=0, compare=False)


@dataclass(frozen=True)
class Questionnaire:
    version: str
    title: Localized
    languages: tuple[str, ...]
    dimensions: tuple[Dimension, ...]
    profile: tuple[ProfileField, ...] = ()
    #: sha256 of the source file's bytes; "" when built in memory.
    checksum: str = ""
    _questions: Mapping[str, Question] = field(
        init=False, repr=False, compare=False, default_factory=dict
    )

    def __post_init__(self) -> None:
        index = {q.id: q for d in self.dimensions for q in d.questions}
        object.__setattr__(self, "_questions", index)

    @property
    def questions(self) -> tuple[Question, ...]:
        """Every question in document order."""
        return tuple(self._questions.values())

    @property
    def scored_questions(self) -> tuple[Question, ...]:
        return tuple(q for q in self._questions.values() if q.is_scored)

    def question(self, question_id: str) -> Question:
        """The question with this id; KeyError when the edition has none."""
        return self._questions[question_id]

    def find_question(self, question_id: str) -> Question | None:
        return self._questions.get(question_id)

    def dimension(self, dimension_id: str) -> Dimension:
        for d in self.dimensions:
            if d.id == dimension_id:
                return d
        raise KeyError(dimension_id)
