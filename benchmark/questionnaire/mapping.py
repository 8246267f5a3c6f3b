"""Cross-edition mapping: which questions of a new edition compare with an older one."""

from __future__ import annotations

from benchmark.questionnaire.model import Questionnaire


def comparable_subset(new: Questionnaire, old: Questionnaire) -> dict[str, str]:
    """New question id → old question id, for scored same-type pairs linked by `previous`."""
    subset: dict[str, str] = {}
    for question in new.questions:
        previous = question.previous
        if previous is None or previous.version != old.version:
            continue
        counterpart = old.find_question(previous.question)
        if (
            counterpart is not None
            and question.is_scored
            and counterpart.is_scored
            and question.type == counterpart.type
        ):
            subset[question.id] = counterpart.id
    return subset
