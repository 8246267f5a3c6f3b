"""Loading the valid minimal fixture, and dumping questionnaires back to plain data."""

from __future__ import annotations

import dataclasses
import hashlib
from pathlib import Path

import pytest
import yaml

from benchmark.questionnaire.loader import dump, load_file, load_text, localized_dump
from benchmark.questionnaire.model import (
    Band,
    Dimension,
    Option,
    Previous,
    Question,
    Questionnaire,
    Scale,
    ShowIf,
)

MINIMAL = Path(__file__).parent / "valid" / "minimal.yaml"


@pytest.fixture(scope="module")
def minimal() -> Questionnaire:
    return load_file(MINIMAL)


def line_of(fragment: str) -> int:
    """The 1-based line of the fixture where `fragment` first appears."""
    lines = MINIMAL.read_text(encoding="utf-8").splitlines()
    return next(n for n, line in enumerate(lines, 1) if fragment in line)


def test_edition_values(minimal: Questionnaire):
    assert minimal.version == "2019"
    assert minimal.title == {"en": "Minimal benchmark", "fr": "Référentiel minimal"}
    assert minimal.languages == ("en", "fr")
    assert [d.id for d in minimal.dimensions] == ["commitment", "education"]
    assert [q.id for q in minimal.questions] == [
        "commitment_01", "commitment_02", "commitment_03",
        "education_01", "education_02", "education_03", "education_04",
    ]


def test_profile_fields(minimal: Questionnaire):
    population, share = minimal.profile

    assert (population.id, population.type, population.required) == ("population", "integer", True)
    assert (share.id, share.type, share.required) == ("foreign_born_share", "percent", False)
    assert share.label["fr"] == "Part des personnes nées à l'étranger"


def test_defaults_apply_when_keys_are_left_out(minimal: Questionnaire):
    question = minimal.question("commitment_01")

    assert question.weight == 1.0
    assert question.required is True
    assert question.allow_na is False
    assert question.max_points is None
    assert question.show_if is None
    assert question.previous is None
    assert minimal.question("education_01").help == {}
    assert minimal.dimension("commitment").weight == 1.0
    assert minimal.question("education_03").scale == Scale(0, 20, "higher")


def test_given_values_override_defaults(minimal: Questionnaire):
    question = minimal.question("commitment_02")

    assert (question.weight, question.allow_na) == (2, True)
    assert minimal.question("commitment_03").required is False
    assert minimal.dimension("education").weight == 0.5


def test_choice_questions(minimal: Questionnaire):
    single = minimal.question("commitment_02")
    multi = minimal.question("commitment_03")

    assert single.options[1] == Option("partly", {"en": "Partly", "fr": "En partie"}, 1)
    assert single.show_if == ShowIf("commitment_01", ("yes",))
    assert [o.points for o in multi.options] == [2, 2, -1]
    assert multi.max_points == 3
    assert minimal.question("commitment_01").option_ids == ("yes", "no")


def test_numeric_questions(minimal: Questionnaire):
    assert minimal.question("education_01").bands == (
        Band(0, 10, 0), Band(10, 50, 1), Band(50, None, 2)
    )
    assert minimal.question("education_02").scale == Scale(0, 50, "lower")


def test_text_question_is_unscored(minimal: Questionnaire):
    assert not minimal.question("education_04").is_scored
    assert "education_04" not in [q.id for q in minimal.scored_questions]


def test_questions_know_their_dimension(minimal: Questionnaire):
    assert minimal.question("education_02").dimension_id == "education"


def test_line_numbers_point_at_each_item(minimal: Questionnaire):
    assert minimal.question("commitment_02").line == line_of("- id: commitment_02")
    assert minimal.question("education_04").line == line_of("- id: education_04")
    assert minimal.dimension("education").line == line_of("- id: education")
    assert minimal.profile[1].line == line_of("- {id: foreign_born_share")


def test_checksum_is_sha256_of_the_file_bytes(minimal: Questionnaire):
    assert minimal.checksum == hashlib.sha256(MINIMAL.read_bytes()).hexdigest()


def test_checksum_of_text_is_sha256_of_its_utf8_bytes():
    text = MINIMAL.read_text(encoding="utf-8")

    assert load_text(text).checksum == hashlib.sha256(text.encode("utf-8")).hexdigest()


def test_file_with_byte_order_mark_loads(tmp_path: Path, minimal: Questionnaire):
    path = tmp_path / "bom.yaml"
    data = b"\xef\xbb\xbf" + MINIMAL.read_bytes()
    path.write_bytes(data)

    loaded = load_file(path)

    assert dataclasses.replace(loaded, checksum="") == dataclasses.replace(minimal, checksum="")
    assert loaded.checksum == hashlib.sha256(data).hexdigest()


def test_previous_is_loaded(minimal: Questionnaire):
    text = MINIMAL.read_text(encoding="utf-8").replace('version: "2019"', 'version: "2024"')
    text = text.replace("      - id: commitment_02\n", "      - id: commitment_02\n"
                        '        previous: {version: "2019", question: commitment_02}\n')

    newer = load_text(text, known={"2019": minimal})

    assert newer.question("commitment_02").previous == Previous("2019", "commitment_02")


def test_dump_follows_the_file_format(minimal: Questionnaire):
    data = dump(minimal)

    assert list(data) == ["version", "title", "languages", "profile", "dimensions"]
    assert data["profile"][0] == {"id": "population", "type": "integer",
                                  "label": {"en": "Population", "fr": "Population"},
                                  "required": True}
    single = data["dimensions"][0]["questions"][1]
    assert list(single) == ["id", "type", "text", "weight", "required", "allow_na",
                            "options", "show_if"]
    assert single["show_if"] == {"question": "commitment_01", "in": ["yes"]}
    assert data["dimensions"][1]["questions"][0]["bands"][-1] == {"min": 50, "points": 2}
    assert data["dimensions"][1]["questions"][2]["scale"] == {"min": 0, "max": 20,
                                                              "better": "higher"}


def test_dump_writes_whole_numbers_as_integers(minimal: Questionnaire):
    text = yaml.safe_dump(dump(minimal))

    assert "weight: 1\n" in text
    assert "weight: 1.0" not in text


def test_dump_loads_back_to_an_equal_questionnaire(minimal: Questionnaire):
    again = load_text(yaml.safe_dump(dump(minimal), allow_unicode=True, sort_keys=False))

    assert dataclasses.replace(again, checksum="") == dataclasses.replace(minimal, checksum="")


def test_localized_dump_gives_texts_in_the_language(minimal: Questionnaire):
    data = localized_dump(minimal, "fr")

    assert data["title"] == "Référentiel minimal"
    question = data["dimensions"][0]["questions"][0]
    assert question["text"] == "Le conseil a-t-il adopté une stratégie ?"
    assert question["help"] == "Une stratégie votée par le conseil."
    assert question["options"][0]["label"] == "Oui"
    assert "fallback" not in question
    assert (data["lang"], data["checksum"]) == ("fr", minimal.checksum)


def test_localized_dump_falls_back_to_english_and_marks_it(minimal: Questionnaire):
    data = localized_dump(minimal, "ar")

    question = data["dimensions"][0]["questions"][0]
    assert (question["text"], question["fallback"]) == ("Has the council adopted a strategy?", True)
    assert question["options"][0] == {"id": "yes", "label": "Yes", "points": 1, "fallback": True}
    assert data["fallback"] is True
    assert data["dimensions"][0]["fallback"] is True


def test_localized_dump_marks_only_items_that_fell_back():
    # Built in memory: the loader refuses files with missing translations.
    question = Question(
        id="q", type="yes_no", dimension_id="d", text={"en": "Q", "fr": "Q fr"},
        options=(Option("yes", {"en": "Yes"}, 1), Option("no", {"en": "No", "fr": "Non"}, 0)),
    )
    questionnaire = Questionnaire(
        version="x", title={"en": "T", "fr": "T fr"}, languages=("en", "fr"),
        dimensions=(Dimension(id="d", title={"en": "D"}, questions=(question,)),),
    )

    data = localized_dump(questionnaire, "fr")

    dimension = data["dimensions"][0]
    assert "fallback" not in data
    assert (dimension["title"], dimension["fallback"]) == ("D", True)
    assert "fallback" not in dimension["questions"][0]
    assert [o.get("fallback", False) for o in dimension["questions"][0]["options"]] \
        == [True, False]
