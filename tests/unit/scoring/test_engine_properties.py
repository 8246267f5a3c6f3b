"""The engine agrees with a plain reference implementation of the scoring contract
(docs/architecture.md, Contracts).

The reference below reads the question fields directly (option points, caps,
bands, scales) and never calls the engine or the type registry.
"""

from __future__ import annotations

import dataclasses

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from benchmark.questionnaire.model import Question, Questionnaire
from benchmark.scoring import AnswerInput, score_assessment

from .strategies import scenarios

TOLERANCE = 1e-9


# --- reference implementation -------------------------------------------------------------


def ref_selected(value: object) -> set[str]:
    if isinstance(value, str):
        return {value}
    if isinstance(value, list):
        return set(value)
    return set()


def ref_visible(qn: Questionnaire, q: Question, answers: dict[str, AnswerInput]) -> bool:
    if q.show_if is None:
        return True
    target = next(t for d in qn.dimensions for t in d.questions if t.id == q.show_if.question)
    if not ref_visible(qn, target, answers):
        return False
    answer = answers.get(target.id)
    if answer is None or answer.na or answer.value is None:
        return False
    return bool(ref_selected(answer.value) & set(q.show_if.values))


def ref_points(q: Question, value: object | None) -> tuple[float, float] | None:
    """(achieved, max) for a scored question; None for unscored (text) questions."""
    points = {o.id: o.points for o in q.options}
    if q.type in ("yes_no", "single_choice"):
        top = max(points.values())
        return (points.get(value, 0.0) if value is not None else 0.0), top  # type: ignore[arg-type]
    if q.type == "multi_choice":
        top = sum(p for p in points.values() if p > 0)
        if q.max_points is not None:
            top = min(top, q.max_points)
        if value is None:
            return 0.0, top
        total = sum(points[o] for o in value)  # type: ignore[union-attr]
        if q.max_points is not None:
            total = min(total, q.max_points)
        return max(0.0, total), top
    if q.type in ("number", "percent"):
        if q.scale is not None:
            if value is None:
                return 0.0, 1.0
            s = q.scale
            share = (float(value) - s.min) / (s.max - s.min)  # type: ignore[arg-type]
            share = min(1.0, max(0.0, share))
            return (1.0 - share if s.better == "lower" else share), 1.0
        top = max(b.points for b in q.bands)
        if value is None:
            return 0.0, top
        v = float(value)  # type: ignore[arg-type]
        for band in q.bands:
            if band.min <= v and (band.max is None or v < band.max):
                return band.points, top
        return 0.0, top
    return None  # text


def reference(
    qn: Questionnaire, answers: dict[str, AnswerInput]
) -> tuple[dict[str, float | None], float | None]:
    indices: dict[str, float | None] = {}
    for dimension in qn.dimensions:
        numerator = denominator = 0.0
        for q in dimension.questions:
            answer = answers.get(q.id, AnswerInput(None))
            if ref_points(q, None) is None or answer.na or not ref_visible(qn, q, answers):
                continue  # excluded: unscored, N/A, hidden
            achieved, top = ref_points(q, answer.value)  # type: ignore[misc]
            numerator += q.weight * achieved / top
            denominator += q.weight
        indices[dimension.id] = 100 * numerator / denominator if denominator else None
    weighted = [(d.weight, indices[d.id]) for d in qn.dimensions if indices[d.id] is not None]
    total = sum(w for w, _ in weighted)
    overall = sum(w * i for w, i in weighted) / total if weighted else None  # type: ignore[operator]
    return indices, overall


def assert_close(actual: float | None, expected: float | None) -> None:
    if expected is None:
        assert actual is None
    else:
        assert actual == pytest.approx(expected, abs=TOLERANCE, rel=0)


# --- properties ---------------------------------------------------------------------------


@settings(max_examples=1000, deadline=None)
@given(scenarios(), st.booleans())
def test_engine_agrees_with_reference_on_every_index(scenario, provisional):
    qn, answers = scenario
    expected_indices, expected_overall = reference(qn, answers)

    score = score_assessment(qn, answers, provisional=provisional)

    for dimension_id, expected in expected_indices.items():
        assert_close(score.dimension(dimension_id).index, expected)
    assert_close(score.overall, expected_overall)
    assert score.provisional is provisional


@settings(max_examples=500, deadline=None)
@given(scenarios())
def test_indices_and_completeness_stay_in_range(scenario):
    qn, answers = scenario

    score = score_assessment(qn, answers, provisional=True)

    for index in [score.overall, *score.indices.values()]:
        assert index is None or 0.0 <= index <= 100.0
    for d in [*score.dimensions]:
        assert 0 <= d.answered <= d.included
        assert 0.0 <= d.completeness <= 1.0
    assert 0.0 <= score.completeness <= 1.0


@settings(max_examples=500, deadline=None)
@given(scenarios(), st.data())
def test_choosing_a_higher_points_option_never_lowers_the_indices(scenario, data):
    qn, answers = scenario
    targets = {q.show_if.question for q in qn.questions if q.show_if}
    # Revealing follow-up questions may lower an index; so no question may depend on this one.
    candidates = [q for q in qn.questions if q.type in ("yes_no", "single_choice") and q.id not in targets]
    assume(candidates)
    q = data.draw(st.sampled_from(candidates))
    low, high = sorted(
        data.draw(st.lists(st.sampled_from(q.options), min_size=2, max_size=2)),
        key=lambda o: o.points,
    )
    worse = score_assessment(qn, {**answers, q.id: AnswerInput(low.id)}, provisional=True)
    better = score_assessment(qn, {**answers, q.id: AnswerInput(high.id)}, provisional=True)

    dimension = q.dimension_id
    before, after = worse.dimension(dimension).index, better.dimension(dimension).index
    assert (before is None) == (after is None)
    if before is not None:
        assert after >= before
        assert better.overall >= worse.overall


@settings(max_examples=100, deadline=None)
@given(scenarios())
def test_text_answers_never_move_an_index(scenario):
    """Text answers never move an index, whatever they say."""
    qn, answers = scenario
    texts = {q.id for q in qn.questions if q.type == "text"}
    cleared = {k: v for k, v in answers.items() if k not in texts}
    rewritten = {**answers, **{k: AnswerInput("anything") for k in texts}}

    a = score_assessment(qn, cleared, provisional=True)
    b = score_assessment(qn, rewritten, provisional=True)

    assert dataclasses.replace(a, questions=()) == dataclasses.replace(b, questions=())
