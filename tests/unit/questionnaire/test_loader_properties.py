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
