"""How complete an assessment is: answered questions, skip logic, progress, what blocks submission.

The one home of "is this question answered": a stored answer counts when it has a value
or says "not applicable"; a row holding only a comment or evidence does not. Progress,
the pages and the submission check all ask `is_answered`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from flask_babel import get_locale
from flask_babel import gettext as _

from benchmark.questionnaire import InvalidAnswer, Question, Questionnaire, get_type, localize
from benchmark.scoring import AnswerInput, is_visible


class StoredAnswer(Protocol):
    """What these rules read of an answer (an `Answer` row or its read-model copy)."""

    value: Any
    na: bool
    confirmed: bool


def is_answered(answer: StoredAnswer | None) -> bool:
    """Whether a stored answer answers its question: a value, or "not applicable"."""
    return answer is not None and (answer.value is not None or answer.na)


def hidden_questions(edition: Questionnaire, answers: Mapping[str, StoredAnswer]) -> frozenset[str]:
    """Ids of questions that skip logic hides given the stored answers."""
    inputs = {qid: AnswerInput(a.value, a.na) for qid, a in answers.items()}
    return frozenset(q.id for q in edition.questions if not is_visible(edition, q, inputs))


def is_hidden(edition: Questionnaire, question: Question, answers: Mapping[str, StoredAnswer]) -> bool:
    """Whether skip logic hides `question`; `answers` needs only its show_if chain
    (`show_if_targets`), none for a question without show_if."""
    if question.show_if is None:
        return False
    inputs = {qid: AnswerInput(a.value, a.na) for qid, a in answers.items()}
    return not is_visible(edition, question, inputs)


@dataclass(frozen=True)
class DimensionProgress:
    id: str
    title: Mapping[str, str]
    #: Confirmed answers among the questions skip logic shows.
    answered: int
    total: int
    #: Prefilled answers waiting for a person's confirmation.
    to_confirm: int

    @property
    def percent(self) -> int:
        return round(100 * self.answered / self.total) if self.total else 100


def progress(edition: Questionnaire, answers: Mapping[str, StoredAnswer],
             dimension_ids: Sequence[str] | None = None,
             hidden: frozenset[str] | None = None) -> tuple[DimensionProgress, ...]:
    """Per dimension (all, or those of `dimension_ids`): confirmed answers out of shown questions."""
    if hidden is None:
        hidden = hidden_questions(edition, answers)
    out = []
    for d in edition.dimensions:
        if dimension_ids is not None and d.id not in dimension_ids:
            continue
        shown = [q for q in d.questions if q.id not in hidden]
        given = [a for q in shown if is_answered(a := answers.get(q.id))]
        out.append(DimensionProgress(
            id=d.id, title=d.title, total=len(shown),
            answered=sum(1 for a in given if a.confirmed),
            to_confirm=sum(1 for a in given if not a.confirmed),
        ))
    return tuple(out)


def problems(edition: Questionnaire, answers: Mapping[str, StoredAnswer],
             profile: Mapping[str, Any] | None) -> dict[str, str]:
    """Question (or "profile.<field>") id → why the assessment cannot be submitted; {} when ready."""
    found: dict[str, str] = {}
    hidden = hidden_questions(edition, answers)
    for q in edition.questions:
        if q.id in hidden:
            continue
        answer = answers.get(q.id)
        if answer is None or not is_answered(answer):
            if q.required:
                found[q.id] = _("This question needs an answer.")
            continue
        if not answer.confirmed:
            found[q.id] = _("Confirm or change the answer copied from the previous round.")
        elif answer.na and not q.allow_na:
            found[q.id] = _("This question cannot be answered “not applicable”.")
        elif answer.value is not None:
            try:
                get_type(q.type).parse(q, answer.value)
            except InvalidAnswer as err:
                found[q.id] = answer_problem(q, err)
    for f in edition.profile:
        if f.required and (profile or {}).get(f.id) in (None, ""):
            found[f"profile.{f.id}"] = _("This city profile field is required.")
    return found


def outcome_problems(missing: Sequence[tuple[int, str]]) -> dict[str, str]:
    """"commitment.<id>" → a problem per commitment of an earlier round without an outcome.

    Submission lists these beside missing answers (services/commitment_followup.py says
    which commitments are due in an assessment).
    """
    return {f"commitment.{cid}": _("Record the outcome of the commitment “%(title)s”.",
                                   title=title)
            for cid, title in missing}


def answer_problem(q: Question, err: InvalidAnswer) -> str:
    """What is wrong with an answer value, in the reader's language where the type gave a code."""
    if err.code == "exclusive_combined":
        option = q.option(err.params.get("option", ""))
        label = localize(option.label, str(get_locale() or "en")) if option else ""
        return _("“%(option)s” cannot be chosen together with other options: untick it or "
                 "untick the others.", option=label or err.params.get("option", ""))
    return err.message
