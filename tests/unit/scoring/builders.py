"""Small builders for hand-written questionnaires and answers in scoring tests."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping

from benchmark.questionnaire.model import (
    Band,
    Dimension,
    Option,
    Previous,
    Question,
    Questionnaire,
    Scale,
    ShowIf,
)
from benchmark.scoring import AnswerInput

#: Pass as an answer value to mean "not applicable".
NA = object()

_DEFAULT_OPTIONS = {
    "yes_no": {"yes": 1, "no": 0},
    "single_choice": {"full": 2, "partly": 1, "none": 0},
    "multi_choice": {"a": 1, "b": 1, "c": 1},
}


def question(
    qid: str,
    type: str = "single_choice",
    *,
    options: Mapping[str, float] | None = None,
    weight: float = 1.0,
    max_points: float | None = None,
    bands: tuple[tuple[float, float | None, float], ...] = (),
    scale: tuple[float, float, str] | None = None,
    show_if: tuple[str, tuple[str, ...]] | None = None,
    previous: tuple[str, str] | None = None,
    allow_na: bool = False,
) -> Question:
    """A question of `type`; choice types get default options unless given."""
    if options is None:
        options = _DEFAULT_OPTIONS.get(type, {})
    return Question(
        id=qid,
        type=type,
        dimension_id="",
        text={"en": qid},
        weight=weight,
        allow_na=allow_na,
        options=tuple(Option(o, {"en": o}, p) for o, p in options.items()),
        max_points=max_points,
        bands=tuple(Band(lo, hi, p) for lo, hi, p in bands),
        scale=Scale(scale[0], scale[1], scale[2]) if scale else None,  # type: ignore[arg-type]
        show_if=ShowIf(show_if[0], show_if[1]) if show_if else None,
        previous=Previous(*previous) if previous else None,
    )


def dimension(did: str, *questions: Question, weight: float = 1.0) -> Dimension:
    """A dimension holding `questions` (their dimension_id set to `did`)."""
    return Dimension(
        id=did,
        title={"en": did},
        questions=tuple(dataclasses.replace(q, dimension_id=did) for q in questions),
        weight=weight,
    )


def questionnaire(*dimensions: Dimension, version: str = "2024") -> Questionnaire:
    return Questionnaire(version=version, title={"en": version}, languages=("en",), dimensions=dimensions)


def answers(**values: object) -> dict[str, AnswerInput]:
    """Answers by question id; `NA` means not applicable, None unanswered."""
    return {
        qid: AnswerInput(None, na=True) if value is NA else AnswerInput(value)
        for qid, value in values.items()
    }
