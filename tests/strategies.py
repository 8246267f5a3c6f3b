"""Hypothesis strategies shared by the unit tests: valid questionnaire definitions.

`questionnaires()` draws plain dicts in the file format (docs/questionnaire.md);
`build_questionnaire(definition)` loads one through the real loader. Questions are drawn
from the type registry's flags, so a new question type is generated without changes here.
"""

from __future__ import annotations

from itertools import pairwise
from typing import Any

import yaml
from hypothesis import strategies as st

from benchmark.questionnaire.loader import load_text
from benchmark.questionnaire.model import Questionnaire
from benchmark.questionnaire.types import QuestionType, get_type, type_names

EXTRA_LANGUAGES = ("fr", "ar", "de")
PROFILE_TYPES = ("integer", "number", "percent", "text")
#: An earlier edition that `previous:` points to; never equal to a drawn version.
PREVIOUS_VERSION = "1999"

ids = st.from_regex(r"[a-z][a-z0-9_]{0,11}", fullmatch=True)
option_ids = st.from_regex(r"[a-z0-9][a-z0-9_-]{0,7}", fullmatch=True)
versions = st.from_regex(r"20[0-9]{2}(\.[0-9])?", fullmatch=True)
# Any Unicode an author might type (Arabic, accents, quotes, line breaks), never blank.
words = st.builds(
    lambda head, visible, tail: head + visible + tail,
    st.text(max_size=3),
    st.characters(codec="utf-8").filter(lambda c: not c.isspace()),
    st.text(max_size=12),
)
points = st.integers(0, 10) | st.floats(0, 10, allow_nan=False)
weights = st.integers(1, 5) | st.floats(0.1, 10, allow_nan=False)


# libyaml writes YAML about ten times faster than the pure-Python emitter.
_Dumper: Any = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def to_yaml(data: dict[str, Any]) -> str:
    """YAML text of a definition (or of a dump), as an author would write it."""
    return yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False)


def build_questionnaire(definition: dict[str, Any]) -> Questionnaire:
    """Load a drawn definition through the real loader (YAML text → Questionnaire)."""
    return load_text(to_yaml(definition), source="<hypothesis>")


@st.composite
def texts(draw: st.DrawFn, languages: tuple[str, ...]) -> dict[str, str]:
    """A text in every declared language."""
    return {lang: draw(words) for lang in languages}


@st.composite
def _positive_somewhere(draw: st.DrawFn, values: st.SearchStrategy[float],
                        n: int) -> list[float]:
    # The validator forbids questions that cannot score: one value must be > 0.
    drawn = draw(st.lists(values, min_size=n, max_size=n))
    if not any(v > 0 for v in drawn):
        drawn[draw(st.integers(0, n - 1))] = draw(st.integers(1, 5))
    return drawn


@st.composite
def _options(draw: st.DrawFn, qtype: QuestionType, languages: tuple[str, ...]) -> list[dict]:
    if qtype.fixed_options is not None:
        option_list = list(qtype.fixed_options)
    else:
        option_list = draw(st.lists(option_ids, min_size=1, max_size=6, unique=True))
    values = st.integers(-3, 5) | points if qtype.allows_negative_points else points
    scores = draw(_positive_somewhere(values, len(option_list)))
    options = [
        {"id": oid, "label": draw(texts(languages)), "points": score}
        for oid, score in zip(option_list, scores, strict=True)
    ]
    # An option chosen alone ("None of these") gives 0 points.
    zero = [o for o in options if o["points"] == 0]
    if qtype.has_exclusive_options and zero and draw(st.booleans()):
        draw(st.sampled_from(zero))["exclusive"] = True
    return options


@st.composite
def _bands(draw: st.DrawFn, qtype: QuestionType) -> list[dict]:
    low, high = qtype.value_range or (-1000.0, 1000.0)
    bound = st.integers(int(low), int(high)) | st.floats(low, high, allow_nan=False)
    is_open = draw(st.booleans())
    cuts = sorted(draw(st.lists(bound, min_size=1 if is_open else 2, max_size=6, unique=True)))
    ranges: list[tuple[float, float | None]] = list(pairwise(cuts))
    if is_open:
        ranges.append((cuts[-1], None))
    scores = draw(_positive_somewhere(points, len(ranges)))
    return [
        {"min": lo, **({"max": hi} if hi is not None else {}), "points": score}
        for (lo, hi), score in zip(ranges, scores, strict=True)
    ]


@st.composite
def _scale(draw: st.DrawFn, qtype: QuestionType) -> dict:
    low, high = qtype.value_range or (-1e6, 1e6)
    ends = draw(st.lists(st.integers(int(low), int(high)) | st.floats(low, high, allow_nan=False),
                         min_size=2, max_size=2, unique=True))
    scale: dict[str, Any] = {"min": min(ends), "max": max(ends)}
    if better := draw(st.sampled_from([None, "higher", "lower"])):
        scale["better"] = better
    return scale


@st.composite
def _question(draw: st.DrawFn, qid: str, languages: tuple[str, ...],
              earlier_choices: list[dict]) -> dict:
    qtype = get_type(draw(st.sampled_from(type_names())))
    question: dict[str, Any] = {"id": qid, "type": qtype.name, "text": draw(texts(languages))}
    if draw(st.booleans()):
        question["help"] = draw(texts(languages))
    for key, values in (("weight", weights), ("required", st.booleans()),
                        ("allow_na", st.booleans())):
        if draw(st.booleans()):
            question[key] = draw(values)
    if qtype.has_options:
        question["options"] = draw(_options(qtype, languages))
    if qtype.has_max_points and draw(st.booleans()):
        reachable = sum(o["points"] for o in question["options"] if o["points"] > 0)
        caps = st.floats(0, reachable, exclude_min=True, allow_nan=False)
        if reachable >= 1:
            caps = caps | st.integers(1, int(reachable))
        question["max_points"] = draw(caps)
    if qtype.has_bands:
        if draw(st.booleans()):
            question["bands"] = draw(_bands(qtype))
        else:
            question["scale"] = draw(_scale(qtype))
    if earlier_choices and draw(st.booleans()):
        target = draw(st.sampled_from(earlier_choices))
        target_ids = [o["id"] for o in target["options"]]
        chosen = draw(st.lists(st.sampled_from(target_ids), min_size=1, unique=True))
        question["show_if"] = {"question": target["id"], "in": chosen}
    if draw(st.integers(0, 4)) == 0:
        question["previous"] = {"version": PREVIOUS_VERSION, "question": draw(ids)}
    return question


@st.composite
def questionnaires(draw: st.DrawFn, max_dimensions: int = 3,
                   max_questions: int = 4) -> dict[str, Any]:
    """A valid questionnaire definition as a plain dict, ready for yaml.safe_dump."""
    extra = draw(st.lists(st.sampled_from(EXTRA_LANGUAGES), unique=True, max_size=2))
    languages = ("en", *extra)
    counts = draw(st.lists(st.integers(1, max_questions), min_size=1, max_size=max_dimensions))
    dimension_ids = draw(st.lists(ids, min_size=len(counts), max_size=len(counts), unique=True))
    question_ids = iter(draw(st.lists(ids, min_size=sum(counts), max_size=sum(counts),
                                      unique=True)))
    choices: list[dict] = []
    dimensions = []
    for dimension_id, count in zip(dimension_ids, counts, strict=True):
        questions = []
        for _ in range(count):
            question = draw(_question(next(question_ids), languages, list(choices)))
            questions.append(question)
            if "options" in question:
                choices.append(question)
        dimension: dict[str, Any] = {"id": dimension_id, "title": draw(texts(languages))}
        if draw(st.booleans()):
            dimension["weight"] = draw(weights)
        dimension["questions"] = questions
        dimensions.append(dimension)
    definition: dict[str, Any] = {
        "version": draw(versions),
        "title": draw(texts(languages)),
        "languages": list(languages),
    }
    profile_ids = draw(st.lists(ids, max_size=3, unique=True))
    if profile_ids:
        definition["profile"] = [
            {"id": pid, "type": draw(st.sampled_from(PROFILE_TYPES)),
             "label": draw(texts(languages)), "required": draw(st.booleans())}
            for pid in profile_ids
        ]
    definition["dimensions"] = dimensions
    return definition
