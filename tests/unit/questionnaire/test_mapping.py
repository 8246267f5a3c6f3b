"""map_questions: which question of an older edition a question continues."""

from __future__ import annotations

from benchmark.questionnaire.mapping import map_questions
from benchmark.questionnaire.model import (
    Dimension,
    Option,
    Previous,
    Question,
    Questionnaire,
    Scale,
)

YES_NO = (Option("yes", {"en": "Yes"}, 1), Option("no", {"en": "No"}, 0))


def question(qid: str, qtype: str = "yes_no", previous: Previous | None = None) -> Question:
    options = YES_NO if qtype == "yes_no" else ()
    scale = Scale(0, 10) if qtype == "number" else None
    return Question(id=qid, type=qtype, dimension_id="d", text={"en": qid}, options=options,
                    scale=scale, previous=previous)


def edition(version: str, *questions: Question) -> Questionnaire:
    return Questionnaire(version=version, title={"en": version}, languages=("en",),
                         dimensions=(Dimension("d", {"en": "D"}, questions),))


OLD = edition("2019", question("a"), question("b"), question("n", "number"),
              question("t", "text"))


def test_maps_questions_whose_previous_points_into_the_old_edition():
    new = edition("2024", question("a2", previous=Previous("2019", "a")),
                  question("b2", previous=Previous("2019", "b")), question("fresh"))

    assert map_questions(new, OLD) == {"a2": "a", "b2": "b"}


def test_ignores_previous_pointing_to_another_edition():
    new = edition("2024", question("a2", previous=Previous("2015", "a")))

    assert map_questions(new, OLD) == {}


def test_ignores_previous_to_a_question_the_old_edition_lacks():
    new = edition("2024", question("a2", previous=Previous("2019", "gone")))

    assert map_questions(new, OLD) == {}


def test_ignores_questions_whose_type_changed():
    new = edition("2024", question("n2", "yes_no", previous=Previous("2019", "n")))

    assert map_questions(new, OLD) == {}


def test_maps_unscored_questions_too():
    new = edition("2024", question("t2", "text", previous=Previous("2019", "t")))

    assert map_questions(new, OLD) == {"t2": "t"}


def test_on_the_same_edition_every_question_maps_to_itself():
    assert map_questions(OLD, OLD) == {"a": "a", "b": "b", "n": "n", "t": "t"}
