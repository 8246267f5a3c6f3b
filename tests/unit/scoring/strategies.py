"""Hypothesis strategies: valid questionnaires (built directly) and answer sets for them.

Covers every type, N/A, skip-logic chains (also forward references), multi-choice
caps with negative options, bands with gaps and an open last band, scales in both
directions, question and dimension weights, empty dimensions, and unanswered,
stale or N/A answers.
"""

from __future__ import annotations

import dataclasses
import itertools

from hypothesis import strategies as st

from benchmark.questionnaire.model import (
    Band,
    Dimension,
    Option,
    Question,
    Questionnaire,
    Scale,
    ShowIf,
)
from benchmark.scoring import AnswerInput

CHOICE_TYPES = ("yes_no", "single_choice", "multi_choice")
TYPES = (*CHOICE_TYPES, "number", "percent", "text")

points = st.one_of(st.integers(0, 12).map(lambda i: i / 4), st.floats(0.01, 10, allow_nan=False))
weights = st.one_of(st.sampled_from([0.5, 1.0, 2.0, 3.0]), st.floats(0.1, 5))


def _ensure_positive(values: list[float]) -> list[float]:
    # The validator requires max > 0: a question nobody can score on is refused.
    if max(values) <= 0:
        values[0] = 1.0
    return values


@st.composite
def _options(draw: st.DrawFn, qtype: str) -> tuple[tuple[Option, ...], float | None]:
    if qtype == "yes_no":
        values = _ensure_positive([draw(points), draw(points)])
        ids = ["yes", "no"]
    else:
        n = draw(st.integers(2, 5))
        signed = points if qtype == "single_choice" else st.one_of(points, points.map(lambda p: -p))
        values = _ensure_positive([draw(signed) for _ in range(n)])
        ids = [f"o{i}" for i in range(n)]
    options = tuple(Option(i, {"en": i}, p) for i, p in zip(ids, values, strict=True))
    cap = None
    if qtype == "multi_choice" and draw(st.booleans()):
        cap = draw(st.floats(0.25, sum(p for p in values if p > 0) + 2))
    return options, cap


@st.composite
def _bands(draw: st.DrawFn, low: float, high: float) -> tuple[Band, ...]:
    cuts = sorted(draw(st.sets(st.integers(int(low), int(high)), min_size=2, max_size=6)))
    bands = [Band(float(a), float(b), draw(points)) for a, b in itertools.pairwise(cuts)]
    if len(bands) > 2 and draw(st.booleans()):
        del bands[draw(st.integers(1, len(bands) - 2))]  # a gap scores 0
    if draw(st.booleans()):
        last = bands[-1]
        bands[-1] = Band(last.min, None, last.points)  # open last band
    values = _ensure_positive([b.points for b in bands])
    return tuple(Band(b.min, b.max, p) for b, p in zip(bands, values, strict=True))


@st.composite
def _question(draw: st.DrawFn, qid: str, dimension_id: str) -> Question:
    qtype = draw(st.sampled_from(TYPES))
    options: tuple[Option, ...] = ()
    cap = None
    bands: tuple[Band, ...] = ()
    scale = None
    if qtype in CHOICE_TYPES:
        options, cap = draw(_options(qtype))
    elif qtype in ("number", "percent"):
        low, high = (0, 100) if qtype == "percent" else (-50, 1000)
        if draw(st.booleans()):
            bands = draw(_bands(low, high))
        else:
            a, b = sorted(draw(st.lists(st.integers(low, high), min_size=2, max_size=2, unique=True)))
            better = draw(st.sampled_from(["higher", "lower"]))
            scale = Scale(float(a), float(b), better)
    return Question(
        id=qid,
        type=qtype,
        dimension_id=dimension_id,
        text={"en": qid},
        weight=draw(weights),
        allow_na=draw(st.booleans()),
        options=options,
        max_points=cap,
        bands=bands,
        scale=scale,
    )


@st.composite
def questionnaires(draw: st.DrawFn) -> Questionnaire:
    """A valid questionnaire: 1–4 dimensions (possibly empty) of up to 6 questions."""
    sizes = draw(st.lists(st.integers(0, 6), min_size=1, max_size=4))
    drafted: list[list[Question]] = []
    count = 0
    for d, size in enumerate(sizes):
        drafted.append([draw(_question(f"q{count + i}", f"d{d}")) for i in range(size)])
        count += size
    flat = [q for qs in drafted for q in qs]
    # Skip logic points "down" a random order, so chains are acyclic but may point forward.
    order = draw(st.permutations(range(len(flat)))) if flat else []
    rank = {q.id: order[i] for i, q in enumerate(flat)}
    conditions: dict[str, ShowIf] = {}
    for q in flat:
        targets = [t for t in flat if t.type in CHOICE_TYPES and rank[t.id] < rank[q.id]]
        if targets and draw(st.integers(0, 2)) > 0:
            target = draw(st.sampled_from(targets))
            values = draw(st.lists(st.sampled_from(target.option_ids), min_size=1, unique=True))
            conditions[q.id] = ShowIf(target.id, tuple(values))
    dimensions = tuple(
        Dimension(
            id=f"d{d}",
            title={"en": f"d{d}"},
            questions=tuple(_with_show_if(q, conditions.get(q.id)) for q in qs),
            weight=draw(weights),
        )
        for d, qs in enumerate(drafted)
    )
    return Questionnaire(version="test", title={"en": "t"}, languages=("en",), dimensions=dimensions)


def _with_show_if(q: Question, condition: ShowIf | None) -> Question:
    return q if condition is None else dataclasses.replace(q, show_if=condition)


def values_for(q: Question) -> st.SearchStrategy[object]:
    """Parsed, valid values for `q` (what `QuestionType.parse` returns)."""
    if q.type in ("yes_no", "single_choice"):
        return st.sampled_from(q.option_ids)
    if q.type == "multi_choice":
        return st.lists(st.sampled_from(q.option_ids), unique=True).map(
            lambda chosen: [o for o in q.option_ids if o in chosen]
        )
    if q.type == "text":
        return st.text(max_size=5)
    edges = [b.min for b in q.bands] + [b.max for b in q.bands if b.max is not None]
    if q.scale is not None:
        edges += [q.scale.min, q.scale.max]
    low, high = (0.0, 100.0) if q.type == "percent" else (-100.0, 2000.0)
    near_edges = st.sampled_from(edges).flatmap(lambda e: st.sampled_from([e, e - 0.5, e + 0.5, e - 1e-9]))
    return st.one_of(near_edges, st.floats(low, high)).map(lambda v: min(high, max(low, v)))


@st.composite
def answer_sets(draw: st.DrawFn, questionnaire: Questionnaire) -> dict[str, AnswerInput]:
    """Answers for some questions: a value, N/A, or an explicit empty answer (draft)."""
    result: dict[str, AnswerInput] = {}
    for q in questionnaire.questions:
        kind = draw(st.sampled_from(["value", "value", "value", "missing", "none", "na"]))
        if kind == "value":
            result[q.id] = AnswerInput(draw(values_for(q)))
        elif kind == "none":
            result[q.id] = AnswerInput(None)
        elif kind == "na" and (q.allow_na or draw(st.booleans())):
            # N/A normally comes with value None; a stale value must not count either.
            stale = draw(st.one_of(st.none(), values_for(q)))
            result[q.id] = AnswerInput(stale, na=True)
    return result


@st.composite
def scenarios(draw: st.DrawFn) -> tuple[Questionnaire, dict[str, AnswerInput]]:
    """A questionnaire and an answer set for it."""
    questionnaire = draw(questionnaires())
    return questionnaire, draw(answer_sets(questionnaire))
