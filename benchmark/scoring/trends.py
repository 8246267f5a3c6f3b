"""A city's trend across rounds, and where it crossed the network average.

Rounds on the same edition compare directly. Rounds on different editions only
compare on their *comparable subset*: the questions of the current edition that
map (`previous`) to a question of the earlier one. Both assessments are then
re-scored on that subset with the current edition's dimensions and weights,
each answer by its own edition's points, and the result is labelled
`comparable_subset=True`. Indices are 0–100 and unrounded.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

from benchmark.questionnaire.model import Dimension, Question, Questionnaire
from benchmark.scoring.engine import AnswerInput, AssessmentScore, is_visible, score_assessment
from benchmark.scoring.network import NetworkStatistics


@dataclass(frozen=True)
class RoundResult:
    """A city's indices in one round beside that round's network averages (all 0–100)."""

    round: int
    version: str
    overall: float | None
    dimensions: Mapping[str, float | None]
    network_overall: float | None = None
    network_averages: Mapping[str, float | None] = field(default_factory=dict)
    comparable_subset: bool = False

    @classmethod
    def from_score(
        cls,
        round: int,
        score: AssessmentScore,
        *,
        network: NetworkStatistics | None = None,
        comparable_subset: bool = False,
    ) -> RoundResult:
        """The round as scored by the engine, with the network means of `network`."""
        return cls(
            round=round,
            version=score.questionnaire,
            overall=score.overall,
            dimensions=score.indices,
            network_overall=network.overall.mean if network else None,
            network_averages={d: s.mean for d, s in network.dimensions.items()} if network else {},
            comparable_subset=comparable_subset,
        )


@dataclass(frozen=True)
class ComparableScores:
    """Two rounds scored so that their indices can be compared."""

    previous: AssessmentScore
    current: AssessmentScore
    comparable_subset: bool


@dataclass(frozen=True)
class Change:
    """An index (0–100) in two rounds; `delta` = current − previous in index points."""

    id: str
    previous: float | None
    current: float | None
    delta: float | None


@dataclass(frozen=True)
class Trend:
    """How a city's overall and dimension indices changed between two rounds."""

    previous_round: int
    current_round: int
    comparable_subset: bool
    overall: Change
    dimensions: tuple[Change, ...]


@dataclass(frozen=True)
class Crossing:
    """The city moved "above" or "below" the network average in a dimension."""

    dimension: str
    direction: Literal["above", "below"]


def previous_mapping(questionnaire: Questionnaire, previous_version: str) -> dict[str, str]:
    """Question id → id in `previous_version`, from the questions' `previous` fields."""
    return {
        q.id: q.previous.question
        for q in questionnaire.questions
        if q.previous is not None and q.previous.version == previous_version
    }


def comparable_scores(
    previous_questionnaire: Questionnaire,
    previous_answers: Mapping[str, AnswerInput],
    current_questionnaire: Questionnaire,
    current_answers: Mapping[str, AnswerInput],
    mapping: Mapping[str, str],
    *,
    provisional: bool,
    previous_provisional: bool = False,
) -> ComparableScores:
    """Score two rounds comparably: in full on one edition, else on the mapped subset.

    `mapping` is current question id → previous question id (see
    `previous_mapping`); pairs naming a question missing from either edition are
    ignored. On the subset, both scores use the current edition's question and
    dimension ids, dimensions and weights; a question hidden by `show_if` in its
    own full edition stays excluded. `provisional` labels the current round.
    """
    if previous_questionnaire.version == current_questionnaire.version:
        return ComparableScores(
            previous=score_assessment(
                previous_questionnaire, previous_answers, provisional=previous_provisional
            ),
            current=score_assessment(current_questionnaire, current_answers, provisional=provisional),
            comparable_subset=False,
        )
    sources = {
        new_id: previous_questionnaire.find_question(old_id)
        for new_id, old_id in mapping.items()
        if current_questionnaire.find_question(new_id) is not None
    }
    pairs = {new_id: old for new_id, old in sources.items() if old is not None}
    prev_q, prev_a = _subset(current_questionnaire, previous_questionnaire, previous_answers, pairs)
    curr_q, curr_a = _subset(
        current_questionnaire,
        current_questionnaire,
        current_answers,
        {new_id: current_questionnaire.question(new_id) for new_id in pairs},
    )
    return ComparableScores(
        previous=score_assessment(prev_q, prev_a, provisional=previous_provisional),
        current=score_assessment(curr_q, curr_a, provisional=provisional),
        comparable_subset=True,
    )


def trend(previous: RoundResult, current: RoundResult) -> Trend:
    """Changes from `previous` to `current`, per dimension in the current round's order.

    Raises ValueError for rounds on different editions that were not re-scored
    on their comparable subset.
    """
    subset = previous.comparable_subset and current.comparable_subset
    if previous.version != current.version and not subset:
        raise ValueError("rounds on different editions compare only on their comparable subset")
    ids = list(dict.fromkeys([*current.dimensions, *previous.dimensions]))
    return Trend(
        previous_round=previous.round,
        current_round=current.round,
        comparable_subset=subset,
        overall=_change("overall", previous.overall, current.overall),
        dimensions=tuple(_change(d, previous.dimensions.get(d), current.dimensions.get(d)) for d in ids),
    )


def crossings(previous_round: RoundResult, current_round: RoundResult) -> list[Crossing]:
    """Dimensions where the city moved above or below the network average since last round.

    Each round is compared with its own network average, so rounds on different
    editions may be given in full. "above" means strictly above now and not
    above before; "below" strictly below now and not below before. Dimensions
    missing an index or an average in either round are skipped.
    """
    found: list[Crossing] = []
    for dimension, now in current_round.dimensions.items():
        before = previous_round.dimensions.get(dimension)
        avg_now = current_round.network_averages.get(dimension)
        avg_before = previous_round.network_averages.get(dimension)
        if now is None or before is None or avg_now is None or avg_before is None:
            continue
        if now > avg_now and before <= avg_before:
            found.append(Crossing(dimension, "above"))
        elif now < avg_now and before >= avg_before:
            found.append(Crossing(dimension, "below"))
    return found


def _change(change_id: str, previous: float | None, current: float | None) -> Change:
    delta = current - previous if current is not None and previous is not None else None
    return Change(change_id, previous, current, delta)


def _subset(
    layout: Questionnaire,
    source: Questionnaire,
    answers: Mapping[str, AnswerInput],
    pairs: Mapping[str, Question],
) -> tuple[Questionnaire, dict[str, AnswerInput]]:
    """`source`'s questions of `pairs` (layout id → source question) in `layout`'s dimensions.

    Skip logic is resolved on the full `source` edition first: hidden questions
    are dropped, the others lose their `show_if` (its target may be outside the subset).
    """
    subset_answers: dict[str, AnswerInput] = {}
    dimensions: list[Dimension] = []
    for dimension in layout.dimensions:
        questions: list[Question] = []
        for layout_question in dimension.questions:
            src = pairs.get(layout_question.id)
            if src is None or not is_visible(source, src, answers):
                continue
            questions.append(
                dataclasses.replace(
                    src,
                    id=layout_question.id,
                    dimension_id=dimension.id,
                    weight=layout_question.weight,
                    show_if=None,
                    previous=None,
                )
            )
            if src.id in answers:
                subset_answers[layout_question.id] = answers[src.id]
        dimensions.append(dataclasses.replace(dimension, questions=tuple(questions)))
    questionnaire = Questionnaire(
        version=source.version,
        title=source.title,
        languages=source.languages,
        dimensions=tuple(dimensions),
    )
    return questionnaire, subset_answers
