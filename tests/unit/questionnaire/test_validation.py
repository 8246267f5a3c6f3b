"""The validator: a corpus of broken files (one defect each) and rules across problems."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import pytest

from benchmark.questionnaire.errors import Problem, QuestionnaireError
from benchmark.questionnaire.loader import load_file, load_text, validate_file, validate_text
from benchmark.questionnaire.model import Questionnaire, Scale

HERE = Path(__file__).parent
BROKEN = sorted((HERE / "broken").glob("*.yaml"))
MINIMAL = HERE / "valid" / "minimal.yaml"
EXPECT = re.compile(r"# expect: (\d+): (.+)")


def expectation(path: Path) -> tuple[int, str]:
    match = EXPECT.fullmatch(path.read_text(encoding="utf-8").splitlines()[0])
    assert match, f"{path.name} must begin with '# expect: <line>: <message>'"
    return int(match[1]), match[2]


@pytest.fixture(scope="module")
def known() -> dict[str, Questionnaire]:
    return {"2019": load_file(MINIMAL)}


def test_corpus_is_large_enough():
    assert len(BROKEN) >= 35


@pytest.mark.parametrize("path", BROKEN, ids=[p.stem for p in BROKEN])
def test_broken_file_reports_its_one_defect(path: Path, known: dict[str, Questionnaire]):
    line, message = expectation(path)

    problems = validate_file(path, known=known)

    assert [(p.line, message in p.message) for p in problems] == [(line, True)], problems
    assert str(problems[0]).startswith(f"{path}:{line}: ")


@pytest.mark.parametrize("path", BROKEN, ids=[p.stem for p in BROKEN])
def test_broken_file_does_not_load(path: Path, known: dict[str, Questionnaire]):
    line, message = expectation(path)

    with pytest.raises(QuestionnaireError) as err:
        load_file(path, known=known)

    assert any(p.line == line and message in p.message for p in err.value.problems)


BASE = """\
version: "1"
title: {en: T}
languages: [en]
dimensions:
  - id: d
    title: {en: D}
    questions:
"""


def yes_no(qid: str, extra: str = "") -> str:
    return textwrap.indent(textwrap.dedent(f"""\
        - id: {qid}
          type: yes_no
          text: {{en: Q}}
          options:
            - {{id: "yes", label: {{en: "Yes"}}, points: 1}}
            - {{id: "no", label: {{en: "No"}}, points: 0}}
        """) + extra, "      ")


def test_every_problem_is_reported_not_only_the_first():
    text = BASE.replace('"1"', "2019") + yes_no("q1", "  weight: 0\n") + yes_no("Q2")

    problems = validate_text(text, "multi.yaml")

    assert [p.line for p in problems] == [1, 14, 15]
    assert "quote it" in problems[0].message
    assert "weight must be a positive number" in problems[1].message
    assert "question id 'Q2' is not valid" in problems[2].message


def test_problems_are_sorted_by_line():
    text = BASE + yes_no("q1", '  show_if: {question: q9, in: ["yes"]}\n') + yes_no("q1")

    problems = validate_text(text)

    assert [p.line for p in problems] == sorted(p.line for p in problems)
    assert len(problems) == 2


def test_two_questions_showing_each_other_are_one_cycle():
    text = (BASE + yes_no("a", '  show_if: {question: b, in: ["yes"]}\n')
            + yes_no("b", '  show_if: {question: a, in: ["no"]}\n'))

    problems = validate_text(text)

    assert len(problems) == 1
    assert "cycle: a → b → a" in problems[0].message


def test_show_if_chain_to_an_earlier_question_is_valid():
    text = (BASE + yes_no("a") + yes_no("b", '  show_if: {question: a, in: ["yes"]}\n')
            + yes_no("c", '  show_if: {question: b, in: ["yes", "no"]}\n'))

    assert validate_text(text) == []


def test_previous_is_not_checked_without_known_editions():
    text = BASE + yes_no("q1", '  previous: {version: "2015", question: gone}\n')

    assert validate_text(text) == []


def test_previous_to_an_unknown_edition_is_reported_when_editions_are_given():
    text = BASE + yes_no("q1", '  previous: {version: "2015", question: gone}\n')

    problems = validate_text(text, known={})

    assert ["unknown edition '2015' (known editions: none)" in p.message for p in problems] \
        == [True]


def test_previous_to_a_known_edition_question_is_valid(known: dict[str, Questionnaire]):
    text = BASE + yes_no("q1", '  previous: {version: "2019", question: commitment_01}\n')

    assert validate_text(text, known=known) == []


def test_yaml_anchors_and_merge_keys_are_accepted():
    text = BASE + textwrap.indent(textwrap.dedent("""\
        - id: q1
          type: single_choice
          text: &q {en: Q}
          options: &agree
            - {id: agree, label: {en: Agree}, points: 1}
            - {id: disagree, label: {en: Disagree}, points: 0}
        - id: q2
          type: single_choice
          text: *q
          options: *agree
        - id: q3
          type: number
          text: *q
          scale: &s {min: 0, max: 10}
        - id: q4
          type: number
          text: *q
          scale:
            <<: *s
            better: lower
        """), "      ")

    questionnaire = load_text(text)

    assert questionnaire.question("q2").options == questionnaire.question("q1").options
    assert questionnaire.question("q4").scale == Scale(0, 10, "lower")


def test_unreadable_file_is_one_problem(tmp_path: Path):
    missing = tmp_path / "missing.yaml"

    problems = validate_file(missing)

    assert len(problems) == 1
    assert str(problems[0]).startswith(f"{missing}:1: cannot read the file")


def test_file_that_is_not_utf8_reports_the_line(tmp_path: Path):
    path = tmp_path / "latin1.yaml"
    path.write_bytes(b'version: "1"\ntitle: {en: "Caf\xe9"}\n')

    problems = validate_file(path)

    assert [(p.line, "not UTF-8" in p.message) for p in problems] == [(2, True)]


def test_questionnaire_error_lists_problems_one_per_line():
    with pytest.raises(QuestionnaireError) as err:
        load_text("version: 1\n", "x.yaml")

    assert str(err.value).splitlines() == [str(p) for p in err.value.problems]
    assert str(err.value).splitlines()[0].startswith("x.yaml:1: ")


def test_problem_reads_path_line_message():
    assert str(Problem("q.yaml", 7, "bad")) == "q.yaml:7: bad"


def test_questionnaire_error_survives_pickling():
    import pickle

    error = QuestionnaireError([Problem("q.yaml", 7, "bad")])

    assert pickle.loads(pickle.dumps(error)).problems == error.problems


def test_three_questions_in_a_cycle_are_reported_once_from_the_first():
    text = (BASE + yes_no("a", '  show_if: {question: b, in: ["yes"]}\n')
            + yes_no("b", '  show_if: {question: c, in: ["yes"]}\n')
            + yes_no("c", '  show_if: {question: a, in: ["yes"]}\n'))

    problems = validate_text(text)

    assert [p.message.split(": ", 1)[1] for p in problems] == [
        "questions depend on each other in a cycle: a → b → c → a; show_if may only depend"
        " on earlier questions"]


def test_a_chain_of_forward_references_reports_each_one():
    text = BASE + "".join(
        yes_no(f"q{i}", f'  show_if: {{question: q{i + 1}, in: ["yes"]}}\n' if i < 59 else "")
        for i in range(60))

    problems = validate_text(text)

    assert len(problems) == 59
    assert all("comes later (line" in p.message for p in problems)


def test_a_forward_reference_into_a_cycle_is_not_itself_a_cycle():
    text = (BASE + yes_no("a", '  show_if: {question: b, in: ["yes"]}\n')
            + yes_no("b", '  show_if: {question: c, in: ["yes"]}\n')
            + yes_no("c", '  show_if: {question: b, in: ["yes"]}\n'))

    problems = validate_text(text)

    assert ["comes later" in p.message for p in problems] == [True, False]
    assert "cycle: b → c → b" in problems[1].message


def test_a_file_over_the_size_cap_is_refused_before_it_is_read(tmp_path: Path):
    from benchmark.questionnaire.loader import MAX_FILE_BYTES

    path = tmp_path / "huge.yaml"
    path.write_bytes(b"# padding\n" * (MAX_FILE_BYTES // 10 + 1))

    problems = validate_file(path)

    assert [p.line for p in problems] == [1]
    assert "a questionnaire file may be at most 5 MB (5,242,880 bytes)" in problems[0].message
    assert str(problems[0]).startswith(f"{path}:1: the file is 5.0 MB")


def test_text_over_the_size_cap_is_refused():
    from benchmark.questionnaire.loader import MAX_FILE_BYTES

    with pytest.raises(QuestionnaireError) as err:
        load_text("#" * (MAX_FILE_BYTES + 1), "big.yaml")

    assert "may be at most 5 MB" in str(err.value)
