"""The workbook format: round trips, what a spreadsheet program shows, and broken workbooks."""

from __future__ import annotations

import hashlib
import io
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from benchmark.questionnaire.canonical import canonical_checksum, to_yaml
from benchmark.questionnaire.errors import Problem, QuestionnaireError
from benchmark.questionnaire.loader import (
    dump,
    load_bytes,
    load_file,
    load_text,
    validate_bytes,
    validate_file,
    validate_text,
)
from benchmark.questionnaire.model import Questionnaire
from benchmark.questionnaire.workbook import write_workbook

ROOT = Path(__file__).resolve().parents[3]
SHIPPED = ROOT / "questionnaires"
MINI = ROOT / "tests" / "fixtures" / "questionnaires" / "mini-2019.yaml"


@pytest.fixture(scope="module")
def shipped() -> dict[str, Questionnaire]:
    known: dict[str, Questionnaire] = {}
    for path in sorted(SHIPPED.glob("*.yaml")):
        edition = load_file(path, known=known)
        known[edition.version] = edition
    return known


@pytest.fixture(scope="module")
def mini_workbook() -> bytes:
    return write_workbook(load_file(MINI))


def _edit(data: bytes, change: Callable[[Workbook], None]) -> bytes:
    book = load_workbook(io.BytesIO(data))
    change(book)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# -- round trips ------------------------------------------------------------------------------


@pytest.mark.parametrize("version", ["2019", "2024"])
def test_shipped_edition_round_trips_through_a_workbook(shipped, version: str) -> None:
    edition = shipped[version]

    from_workbook = load_bytes(write_workbook(edition), f"icc-{version}.xlsx", known=shipped)
    back_to_yaml = load_text(to_yaml(from_workbook), known=shipped)

    assert canonical_checksum(from_workbook) == canonical_checksum(edition)
    assert canonical_checksum(back_to_yaml) == canonical_checksum(edition)
    assert dump(from_workbook) == dump(edition)


def test_a_workbook_edited_in_a_spreadsheet_imports_with_the_change(mini_workbook) -> None:
    def change(book: Workbook) -> None:
        questions = book["questions"]
        questions["F2"] = "Le conseil municipal a-t-il adopté une stratégie interculturelle ?"
        questions.append(["language", "language_03", "yes_no", "commitment_01",
                          "Is there a welcome guide?", "Existe-t-il un guide d’accueil ?",
                          "هل يوجد دليل ترحيب؟"])
        book["options"]["C7"] = 3  # council: 1 → 3 points

    edition = load_bytes(_edit(mini_workbook, change), "edited.xlsx")

    assert edition.question("commitment_01").text["fr"].startswith("Le conseil municipal")
    added = edition.question("language_03")
    assert (added.dimension_id, added.type, added.option_ids) == ("language", "yes_no",
                                                                   ("yes", "no"))
    assert added.options[0].points == 2  # shares commitment_01's option list
    assert edition.question("commitment_03").option("council").points == 3


def test_a_workbook_imports_again_with_the_same_checksum(mini_workbook) -> None:
    first = load_bytes(mini_workbook, "a.xlsx")
    again = load_bytes(write_workbook(first), "b.xlsx")

    assert first.checksum == again.checksum == hashlib.sha256(to_yaml(first).encode()).hexdigest()


def test_exclusive_options_and_texts_that_look_like_formulas_survive(shipped) -> None:
    edition = shipped["2024"]
    data = write_workbook(edition)

    back = load_bytes(data, "2024.xlsx", known=shipped)

    assert back.question("commitment_06").option("none").exclusive is True
    assert load_workbook(io.BytesIO(data))["options"]["D2"].value is None  # only where true


def test_a_text_starting_with_equals_is_written_as_text_not_a_formula(mini_workbook) -> None:
    edition = load_bytes(mini_workbook, "x.xlsx")
    text = "=HYPERLINK(\"http://evil.example\")"
    data = write_workbook(replace(edition, title={**edition.title, "en": text}))

    cell = load_workbook(io.BytesIO(data))["settings"]["C2"]

    assert (cell.value, cell.data_type) == (text, "s")
    assert load_bytes(data, "x.xlsx").title["en"] == text


# -- what a spreadsheet program shows ------------------------------------------------------------


def test_header_rows_are_frozen_and_columns_sized(mini_workbook) -> None:
    book = load_workbook(io.BytesIO(mini_workbook))

    assert book["questions"].freeze_panes == "C2"  # header row and dimension/id columns
    assert book["options"].freeze_panes == "C2"
    assert book["settings"].freeze_panes == "A2"
    assert book["questions"].column_dimensions["E"].width == 60  # text::en
    assert book["questions"].column_dimensions["K"].width == 9  # weight
    assert book["questions"]["A1"].font.bold


def test_arabic_columns_read_right_to_left(mini_workbook) -> None:
    questions = load_workbook(io.BytesIO(mini_workbook))["questions"]

    assert questions["G1"].value == "text::ar"
    assert questions["G2"].alignment.readingOrder == 2
    assert questions["G2"].alignment.horizontal == "right"
    assert questions["F2"].alignment.readingOrder != 2  # French stays left to right


def test_types_option_lists_and_yes_no_columns_have_drop_down_lists(mini_workbook) -> None:
    book = load_workbook(io.BytesIO(mini_workbook))
    rules = {str(rule.sqref).split(":")[0]: rule for rule in
             book["questions"].data_validations.dataValidation}

    assert rules["C2"].formula1 == "=lists!$A$2:$A$7"  # the six question types
    assert [book["lists"].cell(row=r, column=1).value for r in range(2, 8)] == [
        "yes_no", "single_choice", "multi_choice", "number", "percent", "text"]
    assert rules["D2"].formula1.startswith("=lists!$B$2")  # option lists
    assert rules["L2"].formula1 == '"TRUE,FALSE"'
    assert book["lists"].sheet_state == "hidden"


# -- broken workbooks: one defect each, found at its cell with the validator's message ------------


def _set(cell: str, value: object, sheet: str = "questions") -> Callable[[Workbook], None]:
    return lambda book: book[sheet].__setitem__(cell, value)


def _delete_sheet(name: str) -> Callable[[Workbook], None]:
    return lambda book: book.remove(book[name])


BROKEN: dict[str, tuple[Callable[[Workbook], None], str, str]] = {
    "unknown_option_list": (_set("D2", "agree5"), "questions!D2",
                            'unknown option list "agree5"'),
    "points_not_a_number": (_set("C7", "two", "options"), "options!C7",
                            "option 'council': points must be a number, got 'two'"),
    "unknown_question_type": (_set("C3", "slider"), "questions!C3",
                              "unknown question type 'slider'"),
    "missing_arabic_text": (_set("G2", None), "questions!G2",
                            "text is missing the translation for ar"),
    "duplicate_question_id": (_set("B4", "commitment_01"), "questions!B4",
                              "duplicate question id 'commitment_01' (already used on"
                              " questions!B2)"),
    "show_if_later_question": (_set("S3", "commitment_03"), "questions!S3",
                               "question 'commitment_03' comes later (questions!B4)"),
    "unknown_dimension": (_set("A6", "educaton"), "questions!A6",
                          "unknown dimension \"educaton\" (did you mean 'education'?)"),
    "weight_zero": (_set("K3", 0), "questions!K3", "weight must be a positive number, got 0"),
    "required_not_boolean": (_set("L2", "maybe"), "questions!L2",
                             "required must be true or false, got 'maybe'"),
    "bands_overlap": (_set("B3", 20, "bands"), "bands!A3",
                      "bands overlap: this band starts at 20 but the previous one ends at 25"),
    "scale_min_equals_max": (_set("Q7", 0), "questions!Q7",
                             "scale: max (0) must be greater than min (0)"),
    "missing_type_column": (_set("C1", None), "questions!A1",
                            "the questions sheet has no 'type' column"),
    "missing_dimensions_sheet": (_delete_sheet("dimensions"), "dimensions!A1",
                                 "the workbook has no 'dimensions' sheet"),
    "misspelt_column": (_set("N1", "max_point"), "questions!N1",
                        "unknown column 'max_point' (did you mean 'max_points'?)"),
    "formula_in_a_cell": (_set("K2", "=1+1"), "questions!K2",
                          "formulas are not read: type the value itself"),
    "language_listed_twice": (_set("B2", "en, fr, ar, fr", "settings"), "settings!B2",
                              "language 'fr' is listed twice"),
    "version_missing": (_set("A2", None, "settings"), "settings!A2",
                        "missing required key 'version'"),
    "option_id_invalid": (_set("B4", "Full Funding", "options"), "options!B4",
                          "option id 'Full Funding' is not valid"),
    "exclusive_on_single_choice": (_set("D6", True, "options"), "options!D6",
                                   "exclusive is only allowed on options of multi_choice"),
    "list_name_empty": (_set("A5", None, "options"), "options!A5",
                        "list_name is empty"),
    "unknown_band_list": (_set("O6", "bands9"), "questions!O6", 'unknown band list "bands9"'),
}


def test_the_broken_workbook_corpus_is_large_enough() -> None:
    assert len(BROKEN) >= 15


@pytest.mark.parametrize("name", sorted(BROKEN))
def test_broken_workbook_reports_its_one_defect_at_its_cell(mini_workbook, name: str) -> None:
    change, location, message = BROKEN[name]

    problems = validate_bytes(_edit(mini_workbook, change), f"{name}.xlsx")

    assert [(p.location, message in p.message) for p in problems] == [(location, True)], problems
    assert str(problems[0]).startswith(f"{name}.xlsx: {location}: ")


@pytest.mark.parametrize("name", sorted(BROKEN))
def test_broken_workbook_does_not_load(mini_workbook, name: str) -> None:
    change, location, _ = BROKEN[name]

    with pytest.raises(QuestionnaireError) as err:
        load_bytes(_edit(mini_workbook, change), f"{name}.xlsx")

    assert [p.location for p in err.value.problems] == [location]


def test_a_workbook_and_its_yaml_get_the_same_message_for_the_same_defect(mini_workbook) -> None:
    yaml_text = MINI.read_text(encoding="utf-8").replace('type: single_choice', "type: slider")
    from_yaml = validate_text(yaml_text, "mini.yaml")
    from_workbook = validate_bytes(_edit(mini_workbook, _set("C3", "slider")), "mini.xlsx")

    assert [p.message for p in from_yaml] == [p.message for p in from_workbook]
    assert from_yaml[0].location == "" and from_workbook[0].location == "questions!C3"


def test_a_file_that_is_not_a_workbook_is_one_clear_problem(tmp_path: Path) -> None:
    path = tmp_path / "broken.xlsx"
    path.write_bytes(b"PK\x03\x04" + b"not really a zip archive" * 10)

    problems = validate_file(path)

    assert [str(p) for p in problems] == [
        f"{path}: the file is not a readable Excel workbook (.xlsx); save it from your"
        " spreadsheet program as an Excel workbook"]


def test_problem_in_a_workbook_reads_path_cell_message() -> None:
    problem = Problem("e.xlsx", 14, 'unknown option list "agree5"', "questions!D14")

    assert str(problem) == 'e.xlsx: questions!D14: unknown option list "agree5"'
    assert problem.place == "questions!D14"


def test_a_draft_may_miss_translations_but_not_english(mini_workbook) -> None:
    no_arabic = _edit(mini_workbook, _set("G2", None))
    no_english = _edit(mini_workbook, _set("E2", None))

    assert validate_bytes(no_arabic, "d.xlsx", require_translations=False) == []
    assert [p.location for p in validate_bytes(no_english, "d.xlsx",
                                               require_translations=False)] == ["questions!E2"]
