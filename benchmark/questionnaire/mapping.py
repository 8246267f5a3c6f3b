"""Cross-edition mapping: which question of an older edition a question continues.

The one home of this rule. Prefilling a new round, the review's round-to-round diff and
trends across editions all ask `map_questions`.
"""

from __future__ import annotations

from benchmark.questionnaire.model import Questionnaire


def map_questions(new: Questionnaire, old: Questionnaire) -> dict[str, str]:
    """New question id → the id of the question of `old` it continues.

    On the same edition every question maps to itself. Across editions a question's
    `previous: {version, question}` names its counterpart; a pair is kept only when that
    question exists in `old` and has the same type, since an answer means nothing to a
    question of another type. Unscored (text) questions map too: their answers carry
    over, and scoring ignores them anyway.
    """
    mapping: dict[str, str] = {}
    for question in new.questions:
        if new.version == old.version:
            counterpart = old.find_question(question.id)
        elif question.previous is not None and question.previous.version == old.version:
            counterpart = old.find_question(question.previous.question)
        else:
            counterpart = None
        if counterpart is not None and counterpart.type == question.type:
            mapping[question.id] = counterpart.id
    return mapping
