"""Score one assessment: per-question points, dimension indices and the overall index.

Implements the scoring contract (docs/architecture.md, Contracts). Points and maxima come from the
question-type registry (`get_type(q.type)`); nothing here branches on a type name.

Decisions where the contract is silent:

- An answer is *given* when it is N/A or its value is not None. Values must be
  parsed, canonical values (`QuestionType.parse`); an empty multi-choice list is
  an answer ("none of these"), scoring 0.
- Unanswered included questions score 0 in every assessment, not only in drafts:
  a submitted assessment can only lack optional questions, and skipping one must
  not raise an index. `provisional` only labels the result.
- A question whose `max` is not positive cannot be normalised (achieved/max); it
  is reported as "unscored" and excluded. The questionnaire validator forbids it.
- `na=True` excludes a question whether or not it allows N/A; the answer
  service refuses N/A where it is not allowed.
- A question hidden by `show_if` is excluded even when it holds a stale answer.
  A `show_if` naming an unknown question, or a cycle, hides the question.
- A dimension or overall whose weights sum to 0 has no index (None).
- Completeness with nothing to answer is 1.0.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, MutableMapping, Sequence
from dataclasses import dataclass
from typing import Literal

from benchmark.questionnaire.model import Dimension, Question, Questionnaire
from benchmark.questionnaire.types import get_type

QuestionStatus = Literal["included", "not_applicable", "hidden", "unscored"]


@dataclass(frozen=True)
class AnswerInput:
    """One answer as the engine sees it: a parsed value (None: unanswered) or N/A."""

    value: object | None
    na: bool = False

    @property
    def is_given(self) -> bool:
        """Whether the question has been answered, N/A counting as an answer."""
        return self.na or self.value is not None


@dataclass(frozen=True)
class QuestionScore:
    """Points of one question; `achieved` and `max` only count when status is "included".

    `achieved` is in [0, max]; `max` is the type's maximum points (0 for unscored).
    `answered` says whether a value or N/A was given.
    """

    question_id: str
    dimension_id: str
    status: QuestionStatus
    answered: bool
    achieved: float
    max: float

    @property
    def is_included(self) -> bool:
        return self.status == "included"


@dataclass(frozen=True)
class DimensionScore:
    """A dimension's index, 0–100 unrounded, or None when no question is included.

    `included` counts included questions, `answered` those of them answered;
    `completeness` = answered / included in [0, 1] (1.0 when none is included).
    """

    id: str
    index: float | None
    included: int
    answered: int
    completeness: float


@dataclass(frozen=True)
class AssessmentScore:
    """Scores of one assessment; indices 0–100 unrounded, None when nothing counts.

    `completeness` in [0, 1] is answered included questions / included questions
    over the whole questionnaire. `provisional` marks a draft's scores.
    """

    questionnaire: str
    provisional: bool
    overall: float | None
    completeness: float
    dimensions: tuple[DimensionScore, ...]
    questions: tuple[QuestionScore, ...]

    def dimension(self, dimension_id: str) -> DimensionScore:
        """The score of this dimension; KeyError when the edition has none."""
        for d in self.dimensions:
            if d.id == dimension_id:
                return d
        raise KeyError(dimension_id)

    def question(self, question_id: str) -> QuestionScore:
        """The score of this question; KeyError when the edition has none."""
        for q in self.questions:
            if q.question_id == question_id:
                return q
        raise KeyError(question_id)

    @property
    def indices(self) -> dict[str, float | None]:
        """Dimension id → index (0–100, unrounded, None when no index), in edition order."""
        return {d.id: d.index for d in self.dimensions}


def is_visible(questionnaire: Questionnaire, question: Question, answers: Mapping[str, AnswerInput]) -> bool:
    """Whether `question` is shown: no `show_if`, or its target is visible and selects a value.

    A target that is unanswered or N/A hides the question.
    """
    return _is_visible(questionnaire, question, answers, {}, frozenset())


def score_assessment(
    questionnaire: Questionnaire,
    answers: Mapping[str, AnswerInput],
    *,
    provisional: bool,
) -> AssessmentScore:
    """Score `answers` (question id → answer) against `questionnaire`; unknown ids are ignored.

    Dimension index = 100 · Σ w_q·achieved/max ÷ Σ w_q over included questions;
    overall = Σ w_d·index_d ÷ Σ w_d over dimensions with an index (both 0–100).
    """
    visibility: dict[str, bool] = {}
    question_scores: list[QuestionScore] = []
    dimension_scores: list[DimensionScore] = []
    for dimension in questionnaire.dimensions:
        rows = [
            _score_question(questionnaire, dimension, q, answers, visibility) for q in dimension.questions
        ]
        question_scores.extend(rows)
        dimension_scores.append(_score_dimension(dimension, rows))
    included = sum(d.included for d in dimension_scores)
    answered = sum(d.answered for d in dimension_scores)
    return AssessmentScore(
        questionnaire=questionnaire.version,
        provisional=provisional,
        overall=_overall(questionnaire.dimensions, dimension_scores),
        completeness=answered / included if included else 1.0,
        dimensions=tuple(dimension_scores),
        questions=tuple(question_scores),
    )


def score_dimensions(
    questionnaire: Questionnaire,
    answers: Mapping[str, AnswerInput],
    dimension_ids: Iterable[str],
) -> tuple[DimensionScore, ...]:
    """The scores of these dimensions only (edition order), as `score_assessment` gives them.

    `answers` needs only the questions of those dimensions and the questions their
    `show_if` chains name (`answers_needed`).
    """
    wanted = set(dimension_ids)
    visibility: dict[str, bool] = {}
    return tuple(
        _score_dimension(dimension, [_score_question(questionnaire, dimension, q, answers, visibility)
                                     for q in dimension.questions])
        for dimension in questionnaire.dimensions if dimension.id in wanted
    )


def overall_index(questionnaire: Questionnaire, dimensions: Sequence[DimensionScore]) -> float | None:
    """The overall index (0–100) of these dimension scores, one per dimension in edition order."""
    return _overall(questionnaire.dimensions, dimensions)


def _show_if_chain(questionnaire: Questionnaire, question: Question) -> list[str]:
    """The questions whose answers decide whether `question` is shown, nearest first."""
    chain: list[str] = []
    current: Question | None = question
    while current is not None and current.show_if is not None:
        target = current.show_if.question
        if target in chain or target == question.id:
            break  # a cycle (the validator forbids them): hidden anyway
        chain.append(target)
        current = questionnaire.find_question(target)
    return chain


def show_if_targets(questionnaire: Questionnaire, question: Question) -> list[str]:
    """Ids of the questions whose answers decide whether `question` is shown (none: always)."""
    return _show_if_chain(questionnaire, question)


def affected_dimensions(questionnaire: Questionnaire, question_id: str) -> frozenset[str]:
    """Dimensions whose index may change when this question's answer changes: its own, and
    those of the questions its answer shows or hides (directly or down a show_if chain)."""
    found = set()
    own = questionnaire.find_question(question_id)
    if own is not None:
        found.add(own.dimension_id)
    for q in questionnaire.questions:
        if q.show_if is not None and question_id in _show_if_chain(questionnaire, q):
            found.add(q.dimension_id)
    return frozenset(found)


def answers_needed(questionnaire: Questionnaire, dimension_ids: Iterable[str]) -> frozenset[str]:
    """Question ids `score_dimensions` reads for these dimensions: their questions and the
    questions their show_if chains name."""
    needed: set[str] = set()
    for dimension_id in dimension_ids:
        for q in questionnaire.dimension(dimension_id).questions:
            needed.add(q.id)
            needed.update(_show_if_chain(questionnaire, q))
    return frozenset(needed)


def _is_visible(
    questionnaire: Questionnaire,
    question: Question,
    answers: Mapping[str, AnswerInput],
    cache: MutableMapping[str, bool],
    chain: frozenset[str],
) -> bool:
    condition = question.show_if
    if condition is None:
        return True
    if question.id in cache:
        return cache[question.id]
    if question.id in chain:
        return False  # a show_if cycle (the validator forbids them): hide rather than loop
    target = questionnaire.find_question(condition.question)
    visible = False
    if target is not None and _is_visible(questionnaire, target, answers, cache, chain | {question.id}):
        answer = answers.get(target.id)
        if answer is not None and not answer.na and answer.value is not None:
            selected = get_type(target.type).selected(answer.value)
            visible = not set(selected).isdisjoint(condition.values)
    cache[question.id] = visible
    return visible


def _score_question(
    questionnaire: Questionnaire,
    dimension: Dimension,
    question: Question,
    answers: Mapping[str, AnswerInput],
    visibility: MutableMapping[str, bool],
) -> QuestionScore:
    qtype = get_type(question.type)
    answer = answers.get(question.id)
    answered = answer is not None and answer.is_given
    max_points = qtype.max_points(question) if qtype.scored else 0.0

    def row(status: QuestionStatus, achieved: float = 0.0) -> QuestionScore:
        return QuestionScore(question.id, dimension.id, status, answered, achieved, max_points)

    # The scoring contract: excluded = unscored, N/A, or hidden by show_if.
    if not qtype.scored or max_points <= 0:
        return row("unscored")
    if not _is_visible(questionnaire, question, answers, visibility, frozenset()):
        return row("hidden")
    if answer is not None and answer.na:
        return row("not_applicable")
    if answer is None or answer.value is None:
        return row("included")  # unanswered: 0 achieved
    return row("included", qtype.score(question, answer.value).achieved)


def _score_dimension(dimension: Dimension, rows: Sequence[QuestionScore]) -> DimensionScore:
    weighted = 0.0
    total_weight = 0.0
    included = answered = 0
    for question, row in zip(dimension.questions, rows, strict=True):
        if not row.is_included:
            continue
        included += 1
        answered += row.answered
        weighted += question.weight * row.achieved / row.max
        total_weight += question.weight
    index = _clamp(100.0 * weighted / total_weight) if total_weight > 0 else None
    return DimensionScore(
        id=dimension.id,
        index=index,
        included=included,
        answered=answered,
        completeness=answered / included if included else 1.0,
    )


def _overall(dimensions: Iterable[Dimension], scores: Iterable[DimensionScore]) -> float | None:
    weighted = 0.0
    total_weight = 0.0
    for dimension, score in zip(dimensions, scores, strict=True):
        if score.index is None:
            continue
        weighted += dimension.weight * score.index
        total_weight += dimension.weight
    return _clamp(weighted / total_weight) if total_weight > 0 else None


def _clamp(index: float) -> float:
    # Valid questionnaires give 0 ≤ achieved ≤ max; this only trims float rounding.
    return min(100.0, max(0.0, index))
