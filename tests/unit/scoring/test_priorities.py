"""Improvement priorities and network achievement shares."""

from __future__ import annotations

import pytest

from benchmark.scoring import achievement_shares, priorities, score_assessment

from .builders import NA, answers, dimension, question, questionnaire

QN = questionnaire(
    dimension(
        "a",
        question("a1", weight=2),
        question("a2"),
        question("a3"),
        question("a4", allow_na=True),
    ),
    dimension("b", question("b1"), question("b2")),
)


def test_achievement_shares_count_only_cities_where_the_question_is_included():
    network = [
        answers(a1="full", a2="full", a4=NA),
        answers(a1="partly", a2="full", a4=NA),
        answers(a1="full", a2="none", a4=NA),
        answers(a1="full", a4=NA),
    ]

    shares = achievement_shares(QN, network)

    assert shares["a1"] == 0.75
    assert shares["a2"] == 0.5
    assert shares["a3"] == 0.0
    assert "a4" not in shares  # N/A everywhere


def test_priorities_rank_by_dimension_gain_then_network_share():
    score = score_assessment(
        QN, answers(a1="partly", a2="none", a3="none", a4="full", b1="full"), provisional=True
    )
    shares = {"a2": 0.2, "a3": 0.9, "b2": 0.5}

    found = priorities(QN, score, shares)

    assert [p.question_id for p in found] == ["b2", "a3", "a2", "a1"]
    gains = {p.question_id: p.potential_gain for p in found}
    # dimension a: weights 2+1+1+1 = 5; a1 at 1/2 of weight 2 → 100·2·0.5/5
    assert gains == pytest.approx({"b2": 50.0, "a3": 20.0, "a2": 20.0, "a1": 20.0})
    assert found[3].network_share is None  # unknown shares rank last among equal gains
    assert found[0].answered is False


def test_priorities_skip_questions_at_full_points_or_excluded():
    score = score_assessment(
        QN,
        answers(a1="full", a2="full", a3="full", a4=NA, b1="full", b2="partly"),
        provisional=False,
    )

    found = priorities(QN, score, {})

    assert [(p.question_id, p.potential_gain) for p in found] == [("b2", 25.0)]


def test_priorities_are_limited():
    score = score_assessment(QN, {}, provisional=True)

    assert len(priorities(QN, score, {}, limit=2)) == 2


def test_reaching_the_potential_gain_raises_the_index_by_that_much():
    given = answers(a1="partly", a2="none", a3="full", a4="partly")
    before = score_assessment(QN, given, provisional=True)
    top = priorities(QN, before, {})[0]

    after = score_assessment(QN, {**given, **answers(**{top.question_id: "full"})}, provisional=True)

    gain = after.dimension(top.dimension_id).index - before.dimension(top.dimension_id).index
    assert gain == pytest.approx(top.potential_gain)
