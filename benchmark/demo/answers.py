"""Realistic answers for any questionnaire edition (pure: no Flask, no database).

Nothing here knows a question id or branches on a type name: the candidate answers of
a question come from its definition (options, bands, scale) and are checked with the
type registry (`get_type(q.type).parse`), and each candidate's achievement share
(achieved / max points) comes from `get_type(q.type).score`. A city picks, per
question, candidates near a target share driven by its latent level in the dimension
(a city "maturity" plus per-dimension noise) and the question's difficulty, so
dimension indices are correlated across a city and spread realistically across cities.
"""

from __future__ import annotations

import itertools
import math
import random
from bisect import bisect
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from benchmark.demo.names import COMMENTS, EVIDENCE_SOURCES, TEXT_ANSWERS
from benchmark.questionnaire import InvalidAnswer, Question, Questionnaire, get_type
from benchmark.scoring import AnswerInput, is_visible

#: Spread of chosen shares around the target (smaller: cities answer more "to type").
SHARE_SPREAD = 0.2
#: Most candidate subsets tried for a question that takes a list of options.
MAX_SUBSETS = 40
#: Candidate values placed along a numeric scale.
SCALE_STEPS = 12
#: Target shares are binned so that choice weights are computed once per question.
TARGET_BINS = 101


@dataclass(frozen=True)
class Candidate:
    """A value a person could send (JSON shape) and the share of the points it earns (0–1)."""

    raw: Any
    share: float


@dataclass(frozen=True)
class QuestionPlan:
    question: Question
    candidates: tuple[Candidate, ...]
    difficulty: float
    scored: bool
    #: Cumulative choice weights of the candidates for each target share bin (TARGET_BINS).
    cumulative: tuple[tuple[float, ...], ...] = ()

    def pick(self, rng: random.Random, target: float) -> Candidate:
        """A candidate whose share is near `target` (0–1), drawn with Gaussian weights."""
        cumulative = self.cumulative[round(target * (TARGET_BINS - 1))]
        return self.candidates[bisect(cumulative, rng.random() * cumulative[-1])]


@dataclass(frozen=True)
class GeneratedAnswer:
    """One answer, its value parsed by the type registry (None with `na`)."""

    question_id: str
    dimension_id: str
    value: Any
    na: bool
    comment: str
    evidence: str
    evidence_url: str
    evidence_year: int | None
    revision: int


def _parses(q: Question, raw: Any) -> Any | None:
    try:
        return get_type(q.type).parse(q, raw)
    except InvalidAnswer:
        return None


def _share(q: Question, value: Any) -> float:
    qtype = get_type(q.type)
    if not qtype.scored:
        return 0.0
    maximum = qtype.max_points(q)
    if maximum <= 0:
        return 0.0
    return min(1.0, max(0.0, qtype.score(q, value).achieved / maximum))


def _number(value: float, step: float) -> float | int:
    """Round like a person would: whole numbers on coarse ranges, else two decimals."""
    if step >= 1 or float(value).is_integer():
        return round(value)
    return round(value, 2)


def _numeric_raws(q: Question) -> list[float | int]:
    qtype = get_type(q.type)
    low_limit, high_limit = qtype.value_range or (-math.inf, math.inf)
    raws: list[float] = []
    if q.scale is not None:
        low, high = sorted((q.scale.min, q.scale.max))
        step = (high - low) / SCALE_STEPS
        raws = [low + i * step for i in range(SCALE_STEPS + 1)]
        raws += [high + step, high + 3 * step]  # beyond the scale: clamps to 0 or 1
    elif q.bands:
        for i, band in enumerate(q.bands):
            top = band.max
            if top is None:
                previous = q.bands[i - 1].min if i else band.min - 10
                top = band.min + max(band.min - previous, 1.0)
            width = top - band.min
            raws += [band.min + width * f for f in (0.1, 0.45, 0.8)]
        step = min((b.max - b.min) for b in q.bands if b.max is not None) / 3 if any(
            b.max is not None for b in q.bands) else 1.0
    else:
        step = 5.0
        raws = [float(v) for v in range(0, 101, 5)]
    clamped = [min(high_limit, max(low_limit, v)) for v in raws]
    return list(dict.fromkeys(_number(v, step) for v in clamped))


def _option_raws(q: Question) -> list[Any]:
    singles = [o.id for o in q.options if _parses(q, o.id) is not None]
    if singles:
        return singles
    # The type takes a list of option ids: the empty list, each option alone, then
    # growing sets in points order and a few more, all checked by the registry. An
    # exclusive option ("None of these") is only ever chosen alone.
    alone = [[o.id] for o in q.options if o.exclusive]
    ids = [o.id for o in sorted(q.options, key=lambda o: -o.points) if not o.exclusive]
    subsets: list[list[str]] = [[], *alone]
    if len(ids) <= 5:
        subsets += [list(c) for k in range(1, len(ids) + 1) for c in itertools.combinations(ids, k)]
    else:
        subsets += [[i] for i in ids]
        subsets += [ids[:k] for k in range(2, len(ids) + 1)]
        subsets += [ids[-k:] for k in range(2, len(ids))]
        subsets += [ids[::2], ids[1::2]]
    return subsets[:MAX_SUBSETS]


def candidates(q: Question) -> tuple[Candidate, ...]:
    """Every answer worth generating for `q`, each accepted by the registry."""
    qtype = get_type(q.type)
    if not qtype.scored:
        raws: list[Any] = list(TEXT_ANSWERS)
    elif qtype.has_options:
        raws = _option_raws(q)
    elif qtype.has_bands:
        raws = _numeric_raws(q)
    else:
        raws = []
    found = []
    for raw in raws:
        value = _parses(q, raw)
        if value is not None:
            found.append(Candidate(raw, _share(q, value)))
    return tuple(found)


def _plan(q: Question, difficulty: float) -> QuestionPlan:
    found = candidates(q)
    cumulative = []
    for b in range(TARGET_BINS):
        target = b / (TARGET_BINS - 1)
        weights = [math.exp(-((c.share - target) ** 2) / (2 * SHARE_SPREAD ** 2)) + 1e-6 for c in found]
        cumulative.append(tuple(itertools.accumulate(weights)))
    return QuestionPlan(q, found, difficulty, get_type(q.type).scored, tuple(cumulative))


class AnswerGenerator:
    """Generates answers to one edition; plans (candidates, difficulty) are built once."""

    def __init__(self, edition: Questionnaire, seed: int) -> None:
        self.edition = edition
        self.plans: tuple[QuestionPlan, ...] = tuple(
            _plan(q, random.Random(f"{seed}:{edition.version}:{q.id}").gauss(0.0, 0.55))  # noqa: S311
            for q in edition.questions
        )
        self._by_dimension: dict[str, list[QuestionPlan]] = {}
        for plan in self.plans:
            self._by_dimension.setdefault(plan.question.dimension_id, []).append(plan)

    def _in_scope(self, rng: random.Random, fraction: float) -> set[str]:
        """Question ids a team has reached: whole dimensions in some order, then part of one."""
        if fraction >= 1:
            return {p.question.id for p in self.plans}
        dimensions = list(self._by_dimension)
        rng.shuffle(dimensions)
        wanted = round(fraction * len(self.plans))
        chosen: set[str] = set()
        for dim in dimensions:
            for plan in self._by_dimension[dim]:
                if len(chosen) >= wanted:
                    return chosen
                chosen.add(plan.question.id)
        return chosen

    def answers(self, rng: random.Random, levels: Mapping[str, float], *, year: int,
                website: str, fraction: float = 1.0) -> list[GeneratedAnswer]:
        """A city's answers: levels map dimension id → latent level (about −2…2).

        With `fraction` 1 every visible required question is answered (as for a
        submitted round); below 1 only that share of the questionnaire is reached.
        """
        scope = self._in_scope(rng, fraction)
        complete = fraction >= 1
        chosen: dict[str, tuple[QuestionPlan, Candidate | None, Any]] = {}
        for plan in self.plans:
            q = plan.question
            if q.id not in scope or not plan.candidates:
                continue
            if not q.required and rng.random() < (0.45 if not plan.scored else 0.15):
                continue
            if not complete and rng.random() < 0.08:
                continue  # drafts have gaps
            if q.allow_na and rng.random() < 0.06:
                chosen[q.id] = (plan, None, None)  # not applicable
                continue
            level = levels.get(q.dimension_id, 0.0)
            target = 1.0 / (1.0 + math.exp(-(1.4 * (level - plan.difficulty) + rng.gauss(0.0, 0.45))))
            candidate = plan.pick(rng, target)
            # Validated like every saved answer: the registry turns the raw value into the stored one.
            chosen[q.id] = (plan, candidate, get_type(q.type).parse(q, candidate.raw))
        engine_view = {qid: AnswerInput(value, candidate is None)
                       for qid, (_, candidate, value) in chosen.items()}
        result = []
        for plan, candidate, value in chosen.values():
            q = plan.question
            if q.show_if is not None and not is_visible(self.edition, q, engine_view):
                continue  # skip logic: a hidden question is not answered
            result.append(self._answer(rng, plan, candidate, value, year, website))
        return result

    def _answer(self, rng: random.Random, plan: QuestionPlan, candidate: Candidate | None,
                value: Any, year: int, website: str) -> GeneratedAnswer:
        q = plan.question
        na = candidate is None
        evidence = url = ""
        evidence_year = None
        if plan.scored and not na and candidate.share > 0 and rng.random() < 0.5:
            evidence_year = year - rng.choice((0, 0, 1, 1, 2, 3))
            evidence = rng.choice(EVIDENCE_SOURCES).format(
                year=evidence_year, year2=evidence_year + 4, n=rng.randint(2, 240))
            if rng.random() < 0.6:
                url = f"https://www.{website}/documents/{evidence_year}/{q.id.replace('_', '-')}"
        comment = rng.choice(COMMENTS) if rng.random() < 0.07 else ""
        revision = 1 + (rng.random() < 0.15) + (rng.random() < 0.05)
        return GeneratedAnswer(q.id, q.dimension_id, value, na, comment, evidence, url,
                               evidence_year, revision)


def dimension_levels(rng: random.Random, maturity: float, dimension_ids: Sequence[str],
                     correlation: float = 0.75) -> dict[str, float]:
    """Latent level per dimension: `correlation`·maturity plus independent noise (unit variance)."""
    noise = math.sqrt(1 - correlation ** 2)
    return {d: correlation * maturity + noise * rng.gauss(0.0, 1.0) for d in dimension_ids}
