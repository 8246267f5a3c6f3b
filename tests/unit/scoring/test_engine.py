"""Table-driven tests of the scoring contract (docs/architecture.md, Contracts) through score_assessment."""

from __future__ import annotations

import pytest

from benchmark.scoring import AnswerInput, is_visible, score_assessment

from .builders import NA, answers, dimension, question, questionnaire

BANDS = ((0, 10, 0), (10, 25, 1), (25, None, 3))  # open last band

# (question, answer value, expected achieved, expected max)
POINTS = [
    pytest.param(question("q"), "full", 2, 2, id="single choice: chosen option"),
    pytest.param(question("q"), "partly", 1, 2, id="single choice: partial"),
    pytest.param(question("q", "yes_no"), "no", 0, 1, id="yes/no: no"),
    pytest.param(
        question("q", "multi_choice", options={"a": 2, "b": 2}, max_points=3),
        ["a", "b"],
        3,
        3,
        id="multi choice: capped at max_points",
    ),
    pytest.param(
        question("q", "multi_choice", options={"a": 2, "b": 1, "bad": -4}),
        ["a", "bad"],
        0,
        3,
        id="multi choice: negative option floors at 0",
    ),
    pytest.param(
        question("q", "multi_choice", options={"a": 2, "b": 1, "bad": -1}),
        ["a", "b", "bad"],
        2,
        3,
        id="multi choice: negative option subtracts",
    ),
    pytest.param(
        question("q", "multi_choice", options={"a": 2, "b": 1}, max_points=10),
        ["a"],
        2,
        3,
        id="multi choice: max is positive sum when cap is higher",
    ),
    pytest.param(question("q", "multi_choice"), [], 0, 3, id="multi choice: none selected"),
    pytest.param(question("q", "number", bands=BANDS), 10, 1, 3, id="band: min inclusive"),
    pytest.param(question("q", "number", bands=BANDS), 24.99, 1, 3, id="band: max exclusive"),
    pytest.param(question("q", "number", bands=BANDS), 1e9, 3, 3, id="band: open last band"),
    pytest.param(question("q", "number", bands=BANDS), -1, 0, 3, id="band: no band gives 0"),
    pytest.param(question("q", "percent", scale=(0, 50, "higher")), 20, 0.4, 1, id="scale: higher"),
    pytest.param(question("q", "percent", scale=(0, 50, "lower")), 20, 0.6, 1, id="scale: lower"),
    pytest.param(question("q", "percent", scale=(0, 50, "higher")), 80, 1, 1, id="scale: clamped above"),
    pytest.param(question("q", "number", scale=(10, 50, "lower")), 5, 1, 1, id="scale: lower, clamped"),
    pytest.param(question("q"), None, 0, 2, id="unanswered in a draft: 0"),
]


@pytest.mark.parametrize(("q", "value", "achieved", "max_points"), POINTS)
def test_question_points_follow_the_contract(q, value, achieved, max_points):
    qn = questionnaire(dimension("d", q))

    score = score_assessment(qn, answers(q=value), provisional=True)

    row = score.question("q")
    assert row.status == "included"
    assert (row.achieved, row.max) == pytest.approx((achieved, max_points))
    assert score.dimension("d").index == pytest.approx(100 * achieved / max_points)


@pytest.mark.parametrize(
    ("questions", "values", "expected_index"),
    [
        pytest.param(
            [question("a", weight=3), question("b", weight=1)],
            {"a": "full", "b": "none"},
            75.0,
            id="question weights",
        ),
        pytest.param(
            [question("a", allow_na=True), question("b")],
            {"a": NA, "b": "partly"},
            50.0,
            id="N/A is excluded",
        ),
        pytest.param(
            [question("a"), question("t", "text")],
            {"a": "full", "t": "long story"},
            100.0,
            id="text is unscored",
        ),
        pytest.param(
            [question("gate", "yes_no"), question("b", show_if=("gate", ("yes",)))],
            {"gate": "no", "b": "full"},
            0.0,
            id="hidden by show_if is excluded even with a stale answer",
        ),
        pytest.param(
            [question("gate", "yes_no"), question("b", show_if=("gate", ("yes",)))],
            {"gate": "yes", "b": "full"},
            100.0,
            id="shown by show_if is included",
        ),
        pytest.param(
            [question("a"), question("b")],
            {"a": "full"},
            50.0,
            id="unanswered in a draft scores 0",
        ),
        pytest.param([question("a", allow_na=True)], {"a": NA}, None, id="all N/A: no index"),
        pytest.param([], {}, None, id="empty dimension: no index"),
    ],
)
def test_dimension_index_follows_the_contract(questions, values, expected_index):
    qn = questionnaire(dimension("d", *questions))

    score = score_assessment(qn, answers(**values), provisional=True)

    assert score.dimension("d").index == pytest.approx(expected_index)


def test_overall_is_weighted_over_dimensions_that_have_an_index():
    qn = questionnaire(
        dimension("a", question("qa"), weight=3),
        dimension("b", question("qb"), weight=1),
        dimension("empty", question("qc", allow_na=True), weight=100),
    )

    score = score_assessment(qn, answers(qa="full", qb="none", qc=NA), provisional=False)

    assert score.indices == {"a": 100.0, "b": 0.0, "empty": None}
    assert score.overall == pytest.approx(75.0)


def test_overall_is_none_when_no_dimension_has_an_index():
    qn = questionnaire(dimension("a", question("t", "text")))

    assert score_assessment(qn, {}, provisional=True).overall is None


def test_indices_are_kept_unrounded():
    qn = questionnaire(dimension("d", question("a"), question("b"), question("c")))

    score = score_assessment(qn, answers(a="full"), provisional=True)

    assert score.dimension("d").index == pytest.approx(100 / 3, abs=1e-12)


def test_statuses_and_completeness_are_reported_per_question():
    qn = questionnaire(
        dimension(
            "d",
            question("gate", "yes_no"),
            question("hidden", show_if=("gate", ("yes",))),
            question("na", allow_na=True),
            question("open"),
            question("note", "text"),
        )
    )

    score = score_assessment(qn, answers(gate="no", na=NA, note="x"), provisional=True)

    statuses = {q.question_id: (q.status, q.answered) for q in score.questions}
    assert statuses == {
        "gate": ("included", True),
        "hidden": ("hidden", False),
        "na": ("not_applicable", True),
        "open": ("included", False),
        "note": ("unscored", True),
    }
    d = score.dimension("d")
    assert (d.included, d.answered, d.completeness) == (2, 1, 0.5)
    assert score.completeness == 0.5
    assert score.provisional is True


def test_a_question_that_cannot_score_points_is_unscored():
    zero = question("zero", options={"a": 0, "b": 0})
    qn = questionnaire(dimension("d", zero, question("q")))

    score = score_assessment(qn, answers(zero="a", q="full"), provisional=False)

    assert score.question("zero").status == "unscored"
    assert score.dimension("d").index == 100.0


def test_completeness_is_complete_when_nothing_is_to_be_answered():
    qn = questionnaire(dimension("d", question("a", allow_na=True)))

    score = score_assessment(qn, answers(a=NA), provisional=True)

    assert score.dimension("d").completeness == 1.0
    assert score.completeness == 1.0


@pytest.mark.parametrize(
    ("gate_answer", "middle_answer", "visible"),
    [
        pytest.param("yes", "full", True, id="chain shown"),
        pytest.param("no", "full", False, id="target hidden hides the chain"),
        pytest.param("yes", "none", False, id="target answer not listed"),
        pytest.param("yes", None, False, id="target unanswered"),
        pytest.param("yes", NA, False, id="target N/A"),
    ],
)
def test_show_if_chains(gate_answer, middle_answer, visible):
    qn = questionnaire(
        dimension(
            "d",
            question("gate", "yes_no"),
            question("middle", show_if=("gate", ("yes",)), allow_na=True),
            question("last", show_if=("middle", ("full", "partly"))),
        )
    )
    given = answers(gate=gate_answer, middle=middle_answer)

    assert is_visible(qn, qn.question("last"), given) is visible


def test_show_if_on_a_multi_choice_needs_one_listed_option():
    qn = questionnaire(
        dimension(
            "d",
            question("m", "multi_choice"),
            question("q", show_if=("m", ("b", "c"))),
        )
    )

    assert is_visible(qn, qn.question("q"), answers(m=["a", "c"]))
    assert not is_visible(qn, qn.question("q"), answers(m=["a"]))


def test_show_if_cycles_hide_rather_than_loop():
    qn = questionnaire(
        dimension(
            "d",
            question("a", show_if=("b", ("full",))),
            question("b", show_if=("a", ("full",))),
        )
    )

    score = score_assessment(qn, answers(a="full", b="full"), provisional=True)

    assert [q.status for q in score.questions] == ["hidden", "hidden"]


def test_answers_to_unknown_questions_are_ignored():
    qn = questionnaire(dimension("d", question("a")))

    score = score_assessment(qn, {"a": AnswerInput("full"), "gone": AnswerInput("x")}, provisional=True)

    assert score.overall == 100.0
