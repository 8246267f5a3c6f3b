"""What changed between two editions, and which `previous` mappings to propose (pure).

A question "compares" with one of the older edition when it keeps its meaning: the same
id, or a close English text, with the same type (mapping.comparable_subset then scores
the pair on the comparable subset). The administrator confirms or edits the proposals
before a draft is published.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from dataclasses import dataclass, replace

from benchmark.questionnaire.model import (
    FALLBACK_LANGUAGE,
    Dimension,
    Previous,
    Question,
    Questionnaire,
)

#: Smallest similarity (difflib ratio, 0–1) of two English texts proposed as "close text".
CLOSE_TEXT = 0.75


@dataclass(frozen=True)
class QuestionChange:
    """One question's differences; `kinds` among added, removed, reworded, type, moved,
    options, points, weight, required, allow_na, show_if."""

    question_id: str
    kinds: tuple[str, ...]
    new: Question | None
    old: Question | None


@dataclass(frozen=True)
class Proposal:
    """A proposed `previous` mapping of a new question; reason "same_id" or "close_text"."""

    question_id: str
    old_question_id: str
    reason: str
    similarity: float


@dataclass(frozen=True)
class EditionDiff:
    new_version: str
    old_version: str
    changes: tuple[QuestionChange, ...]
    proposals: Mapping[str, Proposal]

    def of_kind(self, kind: str) -> list[QuestionChange]:
        return [c for c in self.changes if kind in c.kinds]

    @property
    def unchanged(self) -> int:
        return sum(1 for c in self.changes if not c.kinds)


def _english(q: Question) -> str:
    return q.text.get(FALLBACK_LANGUAGE, "").strip()


def similarity(a: str, b: str) -> float:
    """How alike two texts are, 0–1, ignoring case and surrounding blanks."""
    return difflib.SequenceMatcher(None, a.strip().lower(), b.strip().lower()).ratio()


def _option_sets(q: Question) -> tuple[tuple[str, ...], tuple[tuple[str, str], ...]]:
    return q.option_ids, tuple((o.id, o.label.get(FALLBACK_LANGUAGE, "")) for o in q.options)


def _points(q: Question) -> tuple[object, ...]:
    return (tuple((o.id, o.points, o.exclusive) for o in q.options), q.max_points, q.bands,
            q.scale)


def _kinds(new: Question, old: Question) -> tuple[str, ...]:
    kinds = []
    if _english(new) != _english(old):
        kinds.append("reworded")
    if new.type != old.type:
        kinds.append("type")
    if new.dimension_id != old.dimension_id:
        kinds.append("moved")
    if _option_sets(new) != _option_sets(old):
        kinds.append("options")
    if _points(new) != _points(old):
        kinds.append("points")
    for name in ("weight", "required", "allow_na", "show_if"):
        if getattr(new, name) != getattr(old, name):
            kinds.append(name)
    return tuple(kinds)


def propose_previous(new: Questionnaire, old: Questionnaire) -> dict[str, Proposal]:
    """New question id → the old question it should map to: the same id and type first,
    else the closest English text of the same type (at least CLOSE_TEXT alike)."""
    proposals: dict[str, Proposal] = {}
    taken: set[str] = set()
    for question in new.questions:
        same = old.find_question(question.id)
        if same is not None and same.type == question.type and question.is_scored:
            proposals[question.id] = Proposal(question.id, same.id, "same_id",
                                              similarity(_english(question), _english(same)))
            taken.add(same.id)
    for question in new.questions:
        if question.id in proposals or not question.is_scored:
            continue
        best: tuple[float, Question] | None = None
        for candidate in old.questions:
            if candidate.id in taken or candidate.type != question.type:
                continue
            score = similarity(_english(question), _english(candidate))
            if score >= CLOSE_TEXT and (best is None or score > best[0]):
                best = (score, candidate)
        if best is not None:
            proposals[question.id] = Proposal(question.id, best[1].id, "close_text", best[0])
            taken.add(best[1].id)
    return proposals


def compare(new: Questionnaire, old: Questionnaire) -> EditionDiff:
    """Questions added, removed, reworded, retyped, moved, with other options or points.

    A new question is compared with the old question its proposal points to, failing
    that its `previous` on this old edition, failing that the old question of the same
    id (a changed type shows); old questions nothing points to are removed.
    """
    proposals = propose_previous(new, old)
    changes: list[QuestionChange] = []
    matched: set[str] = set()
    for question in new.questions:
        old_id = proposals[question.id].old_question_id if question.id in proposals else (
            question.previous.question if question.previous is not None
            and question.previous.version == old.version else question.id)
        counterpart = old.find_question(old_id) if old_id else None
        if counterpart is None:
            changes.append(QuestionChange(question.id, ("added",), question, None))
            continue
        matched.add(counterpart.id)
        changes.append(QuestionChange(question.id, _kinds(question, counterpart), question,
                                      counterpart))
    for question in old.questions:
        if question.id not in matched:
            changes.append(QuestionChange(question.id, ("removed",), None, question))
    return EditionDiff(new.version, old.version, tuple(changes), proposals)


def with_previous(q: Questionnaire, mapping: Mapping[str, Previous | None]) -> Questionnaire:
    """The edition with the `previous` of the given questions set (None removes it)."""

    def dimension(d: Dimension) -> Dimension:
        return replace(d, questions=tuple(
            replace(question, previous=mapping[question.id]) if question.id in mapping
            else question for question in d.questions))

    return replace(q, dimensions=tuple(dimension(d) for d in q.dimensions))
