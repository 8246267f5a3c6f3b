"""Texts for translators, the two-column translation workbook, and the diff between editions."""

from __future__ import annotations

import io
from dataclasses import replace
from pathlib import Path

import pytest
from openpyxl import load_workbook

from benchmark.questionnaire.diff import compare, propose_previous, with_previous
from benchmark.questionnaire.loader import load_file
from benchmark.questionnaire.model import Previous, Questionnaire
from benchmark.questionnaire.texts import text_entries, translation_report, with_translations
from benchmark.questionnaire.translation_workbook import (
    read_translation_workbook,
    write_translation_workbook,
)

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "questionnaires"


@pytest.fixture(scope="module")
def mini() -> tuple[Questionnaire, Questionnaire]:
    old = load_file(FIXTURES / "mini-2019.yaml")
    new = load_file(FIXTURES / "mini-2024.yaml", known={"2019": old})
    return old, new


def _without_arabic(q: Questionnaire, key: str) -> Questionnaire:
    return with_translations(q, "ar", {key: ""})


# -- texts --------------------------------------------------------------------------------------


def test_every_text_has_a_key_in_document_order(mini) -> None:
    old, _ = mini

    keys = [e.key for e in text_entries(old)]

    assert keys[:3] == ["title", "profile/population/label", "profile/foreign_born_share/label"]
    assert "question/commitment_02/option/partly/label" in keys
    assert keys.index("dimension/education/title") < keys.index("question/education_01/text")


def test_report_lists_missing_and_identical_texts_per_language(mini) -> None:
    old, _ = mini
    draft = with_translations(_without_arabic(old, "question/commitment_01/text"), "fr",
                              {"dimension/language/title": "Language"})

    report = {r.language: r for r in translation_report(draft)}

    assert [e.key for e in report["ar"].missing] == ["question/commitment_01/text"]
    # "Population" is the same word in French: shown for a translator's attention, not missing.
    assert [e.key for e in report["fr"].identical] == ["profile/population/label",
                                                        "dimension/language/title"]
    assert report["fr"].missing == [] and report["ar"].translated == report["ar"].total - 1


def test_with_translations_replaces_and_removes_texts(mini) -> None:
    old, _ = mini

    changed = with_translations(old, "ar", {"question/commitment_02/option/partly/label": "جزئيًا",
                                            "question/education_01/text": ""})

    assert changed.question("commitment_02").option("partly").label["ar"] == "جزئيًا"
    assert "ar" not in changed.question("education_01").text
    assert changed.question("education_01").text["en"] == old.question("education_01").text["en"]


# -- the two-column workbook ------------------------------------------------------------------------


def test_translation_workbook_has_english_beside_the_language_missing_first(mini) -> None:
    old, _ = mini
    draft = _without_arabic(old, "question/language_02/text")

    book = load_workbook(io.BytesIO(write_translation_workbook(draft, "ar")))
    sheet = book["translations"]

    assert (sheet["A1"].value, sheet["B1"].value) == ("en", "ar")
    assert sheet["A2"].value == "Days of waiting for an interpreter" and sheet["B2"].value is None
    assert sheet["B3"].alignment.readingOrder == 2
    assert book["keys"]["A2"].value == "question/language_02/text"
    assert book["keys"].sheet_state == "hidden"
    assert sheet.max_column == 2


def test_translation_workbook_reads_back_what_the_translator_typed(mini) -> None:
    old, _ = mini
    draft = _without_arabic(old, "question/language_02/text")
    book = load_workbook(io.BytesIO(write_translation_workbook(draft, "ar")))
    book["translations"]["B2"] = "أيام انتظار المترجم"
    out = io.BytesIO()
    book.save(out)

    found, problems = read_translation_workbook(out.getvalue(), draft, "ar")

    assert problems == []
    assert found["question/language_02/text"] == "أيام انتظار المترجم"
    assert found["title"] == old.title["ar"]


def test_translation_workbook_for_another_language_or_changed_english_is_refused(mini) -> None:
    old, _ = mini
    book = load_workbook(io.BytesIO(write_translation_workbook(old, "fr")))
    book["translations"]["A3"] = "Something else"
    out = io.BytesIO()
    book.save(out)

    _, wrong_language = read_translation_workbook(out.getvalue(), old, "ar")
    found, changed = read_translation_workbook(out.getvalue(), old, "fr")

    assert [(p.code, p.location) for p in wrong_language] == [("wrong_language",
                                                                "translations!B1")]
    assert [(p.code, p.location) for p in changed] == [("english_changed", "translations!A3")]
    assert len(found) == len(text_entries(old)) - 1


def test_a_file_that_is_not_a_workbook_is_one_problem(mini) -> None:
    old, _ = mini

    found, problems = read_translation_workbook(b"not a workbook", old, "fr")

    assert found == {} and [p.code for p in problems] == ["not_a_workbook"]


# -- diff and proposed mappings ----------------------------------------------------------------------


def _reworded_and_added(old: Questionnaire) -> Questionnaire:
    """2019 as a new edition: commitment_01 reworded, education_02 renamed, one question more."""
    commitment = old.dimension("commitment")
    first = commitment.questions[0]
    reworded = replace(first, text={**first.text, "en": "Has the city council adopted an"
                                                        " intercultural strategy?"})
    added = replace(first, id="commitment_05", text={"en": "Is there a welcome office?"})
    education = old.dimension("education")
    renamed = replace(education.questions[1], id="education_09")
    return replace(old, version="2026", dimensions=(
        replace(commitment, questions=(reworded, *commitment.questions[1:], added)),
        replace(education, questions=(education.questions[0], renamed)),
        *old.dimensions[2:]))


def test_proposals_map_the_same_id_then_a_close_text(mini) -> None:
    old, _ = mini

    proposals = propose_previous(_reworded_and_added(old), old)

    assert proposals["commitment_01"].reason == "same_id"
    assert (proposals["education_09"].old_question_id, proposals["education_09"].reason) == (
        "education_02", "close_text")
    assert "commitment_05" not in proposals  # its text is like no unmapped old question
    assert "commitment_04" not in proposals  # unscored text questions are never compared


def test_diff_names_added_removed_reworded_and_changed_points(mini) -> None:
    old, _ = mini
    new = _reworded_and_added(old)
    cheaper = replace(new, dimensions=(replace(new.dimensions[0], questions=(
        new.dimensions[0].questions[0],
        replace(new.dimensions[0].questions[1], options=tuple(
            replace(o, points=o.points / 2) for o in new.dimensions[0].questions[1].options)),
        *new.dimensions[0].questions[2:])), *new.dimensions[1:]))

    diff = compare(cheaper, old)

    assert [c.question_id for c in diff.of_kind("added")] == ["commitment_05"]
    assert [c.question_id for c in diff.of_kind("reworded")] == ["commitment_01"]
    assert [c.question_id for c in diff.of_kind("points")] == ["commitment_02"]
    assert diff.of_kind("removed") == []  # education_02 lives on as education_09


def test_with_previous_sets_and_removes_mappings(mini) -> None:
    _, new = mini

    mapped = with_previous(new, {"commitment_02": Previous("2019", "commitment_02"),
                                 "commitment_01": None})

    assert mapped.question("commitment_02").previous == Previous("2019", "commitment_02")
    assert mapped.question("commitment_01").previous is None
    assert mapped.question("education_01").previous == new.question("education_01").previous
