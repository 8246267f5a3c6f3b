"""Trends across rounds: same edition directly, across editions on the comparable subset."""

from __future__ import annotations

import pytest

from benchmark.scoring import (
    CityResult,
    Crossing,
    RoundResult,
    comparable_scores,
    crossings,
    network_statistics,
    previous_mapping,
    score_assessment,
    trend,
)

from .builders import answers, dimension, question, questionnaire

OLD = questionnaire(
    dimension(
        "policy",
        question("p_old_1", "yes_no", options={"yes": 2, "no": 0}),
        question("p_dropped"),
        question("p_old_2", "number", bands=((0, 10, 0), (10, None, 1))),
    ),
    dimension("renamed", question("r_old")),
    version="2019",
)
NEW = questionnaire(
    dimension(
        "policy",
        question("p1", "yes_no", previous=("2019", "p_old_1"), weight=3),
        question("p_new"),
        question("p2", "number", scale=(0, 20, "higher"), previous=("2019", "p_old_2")),
        question("p_gated", show_if=("p_new", ("full",)), previous=("2019", "r_old")),
    ),
    dimension("outreach", question("o1", previous=("2019", "r_old")), weight=2),
    dimension("fresh", question("f1")),
    version="2024",
)


def test_previous_mapping_reads_the_previous_fields():
    assert previous_mapping(NEW, "2019") == {
        "p1": "p_old_1",
        "p2": "p_old_2",
        "p_gated": "r_old",
        "o1": "r_old",
    }
    assert previous_mapping(NEW, "2010") == {}


def test_same_edition_rounds_are_scored_in_full():
    first = answers(p_old_1="no", p_dropped="full", p_old_2=5, r_old="none")
    second = answers(p_old_1="yes", p_dropped="full", p_old_2=15, r_old="full")

    scores = comparable_scores(OLD, first, OLD, second, {}, provisional=True)

    assert scores.comparable_subset is False
    assert scores.previous == score_assessment(OLD, first, provisional=False)
    assert scores.current == score_assessment(OLD, second, provisional=True)


def test_different_editions_are_rescored_on_the_mapped_subset():
    old = answers(p_old_1="yes", p_dropped="none", p_old_2=5, r_old="partly")
    new = answers(p1="yes", p_new="none", p2=5, p_gated="full", o1="full", f1="none")

    scores = comparable_scores(OLD, old, NEW, new, previous_mapping(NEW, "2019"), provisional=True)

    assert scores.comparable_subset is True
    # Each answer keeps its own edition's points; weights and dimensions are the new ones.
    # policy, old: p1 ← p_old_1 yes (1.0, w3), p2 ← p_old_2 = 5 (0/1, w1), p_gated ← r_old
    # (partly = 0.5, w1; visible in 2019, which has no skip logic) → 100·3.5/5.
    assert scores.previous.indices == pytest.approx({"policy": 70.0, "outreach": 50.0, "fresh": None})
    # policy, new: p1 yes (1, w3), p2 = 5 on the scale (0.25, w1); p_gated hidden (p_new none).
    assert scores.current.indices == pytest.approx({"policy": 81.25, "outreach": 100.0, "fresh": None})
    assert {q.question_id for q in scores.current.questions} == {"p1", "p2", "o1"}
    assert scores.current.provisional and not scores.previous.provisional


def test_mapped_questions_missing_from_an_edition_are_ignored():
    scores = comparable_scores(
        OLD, {}, NEW, {}, {"p1": "p_old_1", "o1": "nowhere", "ghost": "r_old"}, provisional=False
    )

    assert [q.question_id for q in scores.previous.questions] == ["p1"]


def test_trend_reports_changes_per_dimension():
    previous = RoundResult(2022, "2024", 40.0, {"a": 40.0, "b": None})
    current = RoundResult(2026, "2024", 55.5, {"a": 60.0, "b": 10.0})

    result = trend(previous, current)

    assert (result.overall.delta, result.comparable_subset) == (15.5, False)
    assert [(c.id, c.delta) for c in result.dimensions] == [("a", 20.0), ("b", None)]


def test_trend_across_editions_needs_the_comparable_subset():
    old = RoundResult(2019, "2019", 40.0, {"a": 40.0})
    new = RoundResult(2024, "2024", 50.0, {"a": 50.0})

    with pytest.raises(ValueError):
        trend(old, new)

    subset = trend(
        RoundResult(2019, "2019", 40.0, {"a": 40.0}, comparable_subset=True),
        RoundResult(2024, "2024", 50.0, {"a": 50.0}, comparable_subset=True),
    )
    assert subset.comparable_subset is True
    assert subset.overall.delta == 10.0


@pytest.mark.parametrize(
    ("before", "avg_before", "now", "avg_now", "expected"),
    [
        pytest.param(40, 50, 60, 50, [Crossing("d", "above")], id="moved above"),
        pytest.param(60, 50, 40, 50, [Crossing("d", "below")], id="moved below"),
        pytest.param(50, 50, 51, 50, [Crossing("d", "above")], id="from the average to above"),
        pytest.param(60, 50, 50, 50, [], id="down to the average is no crossing"),
        pytest.param(60, 50, 70, 65, [], id="stayed above"),
        pytest.param(40, 50, 60, 70, [], id="stayed below while the network rose"),
        pytest.param(60, 70, 60, 50, [Crossing("d", "above")], id="network fell under the city"),
        pytest.param(None, 50, 60, 50, [], id="no previous index"),
        pytest.param(40, None, 60, 50, [], id="no previous average"),
    ],
)
def test_crossings(before, avg_before, now, avg_now, expected):
    previous = RoundResult(1, "v", None, {"d": before}, network_averages={"d": avg_before})
    current = RoundResult(2, "v", None, {"d": now}, network_averages={"d": avg_now})

    assert crossings(previous, current) == expected


def test_round_result_from_score_takes_network_means():
    qn = questionnaire(dimension("d", question("q")))
    score = score_assessment(qn, answers(q="partly"), provisional=False)
    network = network_statistics([CityResult("x", None, 20.0, {"d": 20.0})])

    result = RoundResult.from_score(2026, score, network=network)

    assert (result.version, result.dimensions, result.overall) == ("2024", {"d": 50.0}, 50.0)
    assert (result.network_overall, result.network_averages) == (20.0, {"d": 20.0})
