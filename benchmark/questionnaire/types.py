"""The question-type registry: one class per YAML `type:` (parse, score, display).

A new type is one class decorated with `@register`; no other code branches on a
type name. Views render `templates/questions/<name>.html`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar

from benchmark.questionnaire.model import Question, localize
from benchmark.questionnaire.numbers import parse_decimal

#: Longest accepted free-text answer, in characters.
MAX_TEXT_LENGTH = 5000
#: Numbers beyond this magnitude are typing mistakes, not city indicators.
MAX_NUMBER_MAGNITUDE = 1e12


class InvalidAnswer(ValueError):
    """An answer value that does not fit its question.

    `message` is English for logs and the command line; `code` and `params` let the edge
    say it in the reader's language (services/answers.py).
    """

    def __init__(self, question_id: str, message: str, *, code: str = "",
                 params: dict[str, str] | None = None) -> None:
        super().__init__(f"{question_id}: {message}")
        self.question_id = question_id
        self.message = message
        self.code = code
        self.params = dict(params or {})


@dataclass(frozen=True)
class Points:
    """Points achieved by an answer out of the question's maximum."""

    achieved: float
    max: float


class QuestionType:
    """Behaviour shared by every question of one `type:`."""

    name: ClassVar[str]
    #: Unscored types (free text) never count in an index.
    scored: ClassVar[bool] = True
    #: Whether a definition needs `options`.
    has_options: ClassVar[bool] = False
    #: Option ids a definition must use, exactly (yes_no); None when free.
    fixed_options: ClassVar[tuple[str, ...] | None] = None
    #: Whether an option may carry negative points (it subtracts).
    allows_negative_points: ClassVar[bool] = False
    #: Whether a definition may cap the summed points with `max_points`.
    has_max_points: ClassVar[bool] = False
    #: Whether an option may be `exclusive` (chosen alone, e.g. "None of these").
    has_exclusive_options: ClassVar[bool] = False
    #: Whether a definition is scored by `bands` or a `scale` on a numeric value.
    has_bands: ClassVar[bool] = False
    #: Inclusive range of accepted values (and of bands and scales); None when unbounded.
    value_range: ClassVar[tuple[float, float] | None] = None

    def parse(self, q: Question, raw: object) -> object:
        """Validate a JSON value for `q`; return the canonical value or raise InvalidAnswer."""
        raise NotImplementedError

    def parse_form(self, q: Question, values: Sequence[str]) -> object | None:
        """Turn the strings of an HTML form field into a value (None: left empty)."""
        first = values[0].strip() if values else ""
        return self.parse(q, first) if first else None

    def max_points(self, q: Question) -> float:
        """The most points an answer can achieve (the scoring contract: `max`)."""
        return 0.0

    def score(self, q: Question, value: object) -> Points:
        """Points of a parsed, non-empty value."""
        return Points(0.0, self.max_points(q))

    def display(self, q: Question, value: object, lang: str) -> str:
        """The answer as a person reads it."""
        return "" if value is None else str(value)

    def selected(self, value: object) -> tuple[str, ...]:
        """Option ids a value selects (for show_if); empty for non-choice types."""
        return ()


_REGISTRY: dict[str, QuestionType] = {}


def register(cls: type[QuestionType]) -> type[QuestionType]:
    """Class decorator adding a question type; a duplicate name fails at import."""
    if cls.name in _REGISTRY:
        raise RuntimeError(f"question type {cls.name!r} registered twice")
    _REGISTRY[cls.name] = cls()
    return cls


def get_type(name: str) -> QuestionType:
    """The registered type called `name`; KeyError when unknown."""
    return _REGISTRY[name]


def type_names() -> tuple[str, ...]:
    return tuple(_REGISTRY)


def _as_number(q: Question, raw: object) -> float:
    if isinstance(raw, str):
        try:
            raw = parse_decimal(raw)
        except ValueError:
            raise InvalidAnswer(q.id, "must be a number") from None
    if isinstance(raw, bool) or not isinstance(raw, int | float):
        raise InvalidAnswer(q.id, "must be a number")
    # float() of a huge JSON integer raises OverflowError instead of failing the check.
    if isinstance(raw, int) and abs(raw) > MAX_NUMBER_MAGNITUDE:
        raise InvalidAnswer(q.id, "must be a finite number")
    value = float(raw)
    if not math.isfinite(value) or abs(value) > MAX_NUMBER_MAGNITUDE:
        raise InvalidAnswer(q.id, "must be a finite number")
    return int(value) if value.is_integer() and abs(value) < 2**53 else value


def _format_number(value: object) -> str:
    if isinstance(value, float) and not value.is_integer():
        # "g" alone keeps 6 digits: 1234567.5 would read "1.23457e+06".
        return f"{value:.15g}"
    return str(int(value)) if isinstance(value, int | float) else str(value)


class _ChoiceType(QuestionType):
    has_options = True

    def parse(self, q: Question, raw: object) -> str:
        if not isinstance(raw, str) or raw not in q.option_ids:
            raise InvalidAnswer(q.id, "is not one of the question's options")
        return raw

    def max_points(self, q: Question) -> float:
        return q.max_option_points

    def score(self, q: Question, value: object) -> Points:
        return Points(q.points_of(str(value)), q.max_option_points)

    def display(self, q: Question, value: object, lang: str) -> str:
        option = q.option(str(value))
        return localize(option.label, lang) if option else str(value)

    def selected(self, value: object) -> tuple[str, ...]:
        return (value,) if isinstance(value, str) else ()


@register
class YesNo(_ChoiceType):
    name = "yes_no"
    fixed_options = ("yes", "no")


@register
class SingleChoice(_ChoiceType):
    name = "single_choice"


@register
class MultiChoice(QuestionType):
    name = "multi_choice"
    has_options = True
    allows_negative_points = True
    has_max_points = True
    has_exclusive_options = True

    def parse(self, q: Question, raw: object) -> list[str]:
        if not isinstance(raw, list) or not all(isinstance(v, str) for v in raw):
            raise InvalidAnswer(q.id, "must be a list of option ids")
        unknown = [v for v in raw if v not in q.option_ids]
        if unknown:
            raise InvalidAnswer(q.id, f"unknown option(s): {', '.join(unknown)}")
        if len(set(raw)) != len(raw):
            raise InvalidAnswer(q.id, "lists an option twice")
        if len(raw) > 1:
            alone = next((o for o in q.options if o.exclusive and o.id in raw), None)
            if alone is not None:
                raise InvalidAnswer(
                    q.id, f"option '{alone.id}' ({localize(alone.label, 'en')}) cannot be"
                          " chosen together with other options",
                    code="exclusive_combined", params={"option": alone.id})
        # Canonical order is the questionnaire's, so equal answers compare equal.
        return [o for o in q.option_ids if o in raw]

    def parse_form(self, q: Question, values: Sequence[str]) -> list[str] | None:
        chosen = [v for v in values if v]
        return self.parse(q, chosen) if chosen else None

    def max_points(self, q: Question) -> float:
        positive = sum(o.points for o in q.options if o.points > 0)
        return min(positive, q.max_points) if q.max_points is not None else positive

    def score(self, q: Question, value: object) -> Points:
        total = sum(q.points_of(v) for v in value or ())  # type: ignore[union-attr]
        cap = self.max_points(q)
        # The scoring contract: capped at max_points and never below 0.
        return Points(max(0.0, min(total, cap)), cap)

    def display(self, q: Question, value: object, lang: str) -> str:
        labels = [localize(o.label, lang) for o in q.options if o.id in (value or ())]  # type: ignore[operator]
        return "; ".join(labels) if labels else "—"

    def selected(self, value: object) -> tuple[str, ...]:
        return tuple(value) if isinstance(value, list) else ()


class _NumericType(QuestionType):
    has_bands = True

    def parse(self, q: Question, raw: object) -> float:
        return _as_number(q, raw)

    def max_points(self, q: Question) -> float:
        if q.scale is not None:
            return 1.0
        return max((b.points for b in q.bands), default=0.0)

    def score(self, q: Question, value: object) -> Points:
        v = float(value)  # type: ignore[arg-type]
        if q.scale is not None:
            s = q.scale
            ratio = min(1.0, max(0.0, (v - s.min) / (s.max - s.min)))
            return Points(1.0 - ratio if s.better == "lower" else ratio, 1.0)
        band = next((b for b in q.bands if b.contains(v)), None)
        return Points(band.points if band else 0.0, self.max_points(q))

    def display(self, q: Question, value: object, lang: str) -> str:
        return _format_number(value)


@register
class NumberType(_NumericType):
    name = "number"


@register
class PercentType(_NumericType):
    name = "percent"
    value_range = (0.0, 100.0)

    def parse(self, q: Question, raw: object) -> float:
        if isinstance(raw, str):
            raw = raw.strip().rstrip("%").strip()
        value = _as_number(q, raw)
        if not 0 <= value <= 100:
            raise InvalidAnswer(q.id, "must be a percentage between 0 and 100")
        return value

    def display(self, q: Question, value: object, lang: str) -> str:
        return f"{_format_number(value)} %"


@register
class TextType(QuestionType):
    name = "text"
    scored = False

    def parse(self, q: Question, raw: object) -> str:
        if not isinstance(raw, str):
            raise InvalidAnswer(q.id, "must be text")
        if len(raw) > MAX_TEXT_LENGTH:
            raise InvalidAnswer(q.id, f"is longer than {MAX_TEXT_LENGTH} characters")
        return raw

    def parse_form(self, q: Question, values: Sequence[str]) -> str | None:
        text = values[0] if values else ""
        return self.parse(q, text) if text.strip() else None
