"""Property tests: every valid definition validates, and load → dump → load round-trips."""

from __future__ import annotations

import dataclasses
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from benchmark.questionnaire.loader import dump, load_text, localized_dump, validate_text
from benchmark.questionnaire.model import Questionnaire
from tests.strategies import build_questionnaire, questionnaires, to_yaml

# Each example loads YAML three times; 200 examples stay well under 20 s.
ROUND_TRIP = settings(max_examples=200, deadline=None)


def without_checksum(q: Questionnaire) -> Questionnaire:
    # The checksum is of the file bytes, and a dump is written differently.
    return dataclasses.replace(q, checksum="")


@ROUND_TRIP
@given(questionnaires())
def test_valid_definitions_have_no_problems(definition: dict[str, Any]):
    assert validate_text(to_yaml(definition)) == []


@ROUND_TRIP
@given(questionnaires())
def test_load_dump_load_gives_an_equal_questionnaire(definition: dict[str, Any]):
    first = build_questionnaire(definition)

    second = load_text(to_yaml(dump(first)))

    assert without_checksum(second) == without_checksum(first)
    assert dump(second) == dump(first)


@settings(max_examples=50, deadline=None)
@given(questionnaires())
def test_dump_keeps_every_id_and_text(definition: dict[str, Any]):
    data = dump(build_questionnaire(definition))

    assert data["title"] == definition["title"]
    assert [d["id"] for d in data["dimensions"]] == [d["id"] for d in definition["dimensions"]]
    for dumped, drawn in zip(data["dimensions"], definition["dimensions"], strict=True):
        assert [(q["id"], q["text"]) for q in dumped["questions"]] \
            == [(q["id"], q["text"]) for q in drawn["questions"]]


@settings(max_examples=50, deadline=None)
@given(questionnaires(), st.data())
def test_declared_languages_never_fall_back(definition: dict[str, Any], data: st.DataObject):
    questionnaire = build_questionnaire(definition)
    lang = data.draw(st.sampled_from(questionnaire.languages))

    assert "fallback" not in keys_of(localized_dump(questionnaire, lang))


def keys_of(node: object) -> set[str]:
    """Every dict key anywhere in a nested structure."""
    if isinstance(node, dict):
        return set(node).union(*(keys_of(v) for v in node.values()))
    if isinstance(node, list):
        return set().union(*(keys_of(v) for v in node))
    return set()


junk = st.one_of(
    st.none(), st.booleans(), st.integers(-3, 3), st.floats(), st.text(max_size=4),
    st.sampled_from(["yes", "no", "a", "q1", "en", "number", "", [], {}]),
    st.lists(st.integers(0, 2) | st.text(max_size=2), max_size=2),
    st.dictionaries(st.sampled_from(["id", "min", "en", "x"]), st.integers(-1, 2), max_size=2),
)


def paths(node: object, prefix: tuple = ()) -> list[tuple]:
    """Every path of keys and indexes into a nested structure, the root excluded."""
    children: list[tuple[object, object]] = []
    if isinstance(node, dict):
        children = list(node.items())
    elif isinstance(node, list):
        children = list(enumerate(node))
    found = []
    for key, child in children:
        found.append((*prefix, key))
        found.extend(paths(child, (*prefix, key)))
    return found


@settings(max_examples=100, deadline=None)
@given(questionnaires(max_dimensions=2, max_questions=3), st.data())
def test_validator_never_crashes_and_what_it_accepts_loads(definition: dict[str, Any],
                                                           data: st.DataObject):
    for _ in range(data.draw(st.integers(1, 3))):
        path = data.draw(st.sampled_from(paths(definition)))
        parent: Any = definition
        for key in path[:-1]:
            parent = parent[key]
        if data.draw(st.booleans()):
            del parent[path[-1]]
        else:
            parent[path[-1]] = data.draw(junk)
    text = to_yaml(definition)

    if not validate_text(text):
        load_text(text)
