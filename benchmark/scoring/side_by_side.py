"""Cities side by side: the questions where their scores differ most (pure).

A question's *achievement* for a city is achieved ÷ max points (0–1) when the question
counts for it (included: scored, asked, not N/A); the *spread* of a question is the
highest achievement minus the lowest over the cities where it counts, and needs at
least two of them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from benchmark.scoring.engine import AssessmentScore


@dataclass(frozen=True)
class QuestionSpread:
    """One question across the compared cities: achievement per city (None where it does
    not count), and the spread (0–1)."""

    question_id: str
    dimension_id: str
    achievements: tuple[float | None, ...]
    spread: float


def achievement(score: AssessmentScore, question_id: str) -> float | None:
    """achieved ÷ max of a question that counts for this score; None otherwise."""
    row = score.question(question_id)
    if row.status != "included" or not row.max:
        return None
    return row.achieved / row.max


def largest_differences(question_ids: Sequence[str], dimension_of: dict[str, str],
                        scores: Sequence[AssessmentScore | None], limit: int = 10,
                        ) -> list[QuestionSpread]:
    """The `limit` questions with the largest spread (> 0), largest first; ties in
    questionnaire order (the order of `question_ids`). A None score (a city without a
    validated round) counts nowhere."""
    found = []
    for position, qid in enumerate(question_ids):
        values = tuple(achievement(s, qid) if s is not None else None for s in scores)
        present = [v for v in values if v is not None]
        if len(present) < 2:
            continue
        spread = max(present) - min(present)
        if spread > 0:
            found.append((-spread, position, QuestionSpread(qid, dimension_of[qid], values, spread)))
    found.sort(key=lambda item: (item[0], item[1]))
    return [item[2] for item in found[:limit]]
