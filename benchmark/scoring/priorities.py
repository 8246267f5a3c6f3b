"""Improvement priorities: the questions whose full points would raise an index most."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from benchmark.questionnaire.model import Questionnaire
from benchmark.scoring.engine import AnswerInput, AssessmentScore, QuestionScore, score_assessment


@dataclass(frozen=True)
class Priority:
    """An included question below its maximum.

    `potential_gain`: index points (0–100 scale) the question's dimension would
    gain if it reached its max, other answers unchanged. `network_share`: share
    (0–1) of network cities achieving full points on it among those for which it
    is included; None when it is included for none. `achieved`/`max` are points.
    """

    question_id: str
    dimension_id: str
    potential_gain: float
    network_share: float | None
    achieved: float
    max: float
    answered: bool


def achievement_shares(
    questionnaire: Questionnaire, assessments_answers: Sequence[Mapping[str, AnswerInput]]
) -> dict[str, float]:
    """Question id → share (0–1) of the given assessments achieving full points on it.

    Only assessments for which the question is included count (N/A, hidden and
    unscored are left out); a question included in none is absent. Pass the
    network's latest validated assessments.
    """
    included: dict[str, int] = {}
    full: dict[str, int] = {}
    for answers in assessments_answers:
        score = score_assessment(questionnaire, answers, provisional=False)
        for row in score.questions:
            if row.is_included:
                included[row.question_id] = included.get(row.question_id, 0) + 1
                full[row.question_id] = full.get(row.question_id, 0) + _is_full(row)
    return {qid: full[qid] / n for qid, n in included.items()}


def priorities(
    questionnaire: Questionnaire,
    score: AssessmentScore,
    achieved_share: Mapping[str, float],
    *,
    limit: int = 10,
) -> list[Priority]:
    """Up to `limit` included questions short of full points, best opportunity first.

    Ranked by potential dimension-index gain (descending), then by network share
    (descending: what many cities achieve is within reach; unknown last), then
    in questionnaire order. Unanswered questions count as 0 points.
    """
    weights = {q.id: q.weight for q in questionnaire.questions}
    dimension_weight: dict[str, float] = {}
    for row in score.questions:
        if row.is_included:
            dimension_weight[row.dimension_id] = (
                dimension_weight.get(row.dimension_id, 0.0) + weights[row.question_id]
            )
    found: list[tuple[int, Priority]] = []
    for position, row in enumerate(score.questions):
        total = dimension_weight.get(row.dimension_id, 0.0)
        if not row.is_included or _is_full(row) or total <= 0:
            continue
        gain = 100.0 * weights[row.question_id] * (1.0 - row.achieved / row.max) / total
        if gain <= 0:
            continue
        priority = Priority(
            question_id=row.question_id,
            dimension_id=row.dimension_id,
            potential_gain=gain,
            network_share=achieved_share.get(row.question_id),
            achieved=row.achieved,
            max=row.max,
            answered=row.answered,
        )
        found.append((position, priority))

    def rank(item: tuple[int, Priority]) -> tuple[float, float, int]:
        position, p = item
        share = -1.0 if p.network_share is None else p.network_share
        return (-p.potential_gain, -share, position)

    return [p for _, p in sorted(found, key=rank)[:limit]]


def _is_full(row: QuestionScore) -> bool:
    # Points are float sums (multi-choice), so "full" tolerates rounding.
    return row.achieved >= row.max or math.isclose(row.achieved, row.max, rel_tol=1e-9)


def full_achievers(questionnaire: Questionnaire,
                   answers_by_key: Mapping[object, Mapping[str, AnswerInput]]) -> dict[str, set[object]]:
    """Question id → the keys (cities, say) whose answers reach full points on it."""
    found: dict[str, set[object]] = {}
    for key, answers in answers_by_key.items():
        score = score_assessment(questionnaire, answers, provisional=False)
        for row in score.questions:
            if row.is_included and _is_full(row):
                found.setdefault(row.question_id, set()).add(key)
    return found


@dataclass(frozen=True)
class PracticeCandidate:
    """A published practice answering a priority question, with what ranks it."""

    practice_id: int
    #: Its city reaches full points on the question (latest validated assessment).
    city_achieves: bool
    #: Its city is in the reader's size group or diversity group.
    same_group: bool
    #: Publication moment as a sortable number (seconds), newer first.
    published: float


def rank_practices(candidates: Sequence[PracticeCandidate], limit: int = 3) -> list[int]:
    """Ids of the `limit` practices to show under a priority, in order.

    Preferred: cities achieving full points on the question, then cities of the same
    size or diversity group, then the most recently published (issue 15's order).
    """
    ordered = sorted(candidates, key=lambda c: (not c.city_achieves, not c.same_group,
                                                -c.published, c.practice_id))
    return [c.practice_id for c in ordered[:limit]]
