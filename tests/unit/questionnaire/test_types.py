"""The question-type registry: parsing answers and scoring them, type by type."""

from __future__ import annotations

import math

import pytest

from benchmark.questionnaire.model import Band, Option, Question, Scale
from benchmark.questionnaire.types import (
    MAX_TEXT_LENGTH,
    InvalidAnswer,
    Points,
    QuestionType,
    get_type,
    register,
    type_names,
)


def question(qtype: str, options: dict[str, float] | None = None, **fields: object) -> Question:
    opts = tuple(Option(oid, {"en": oid.title()}, pts) for oid, pts in (options or {}).items())
    return Question(id="q", type=qtype, dimension_id="d", text={"en": "Q"}, options=opts,
                    **fields)  # type: ignore[arg-type]


def parse(q: Question, raw: object) -> object:
    return get_type(q.type).parse(q, raw)


def score(q: Question, value: object) -> Points:
    return get_type(q.type).score(q, value)


YES_NO = question("yes_no", {"yes": 2, "no": 0})
SINGLE = question("single_choice", {"yes": 2, "partly": 1, "no": 0})
MULTI = question("multi_choice", {"a": 2, "b": 2, "c": 1, "bad": -3})
CAPPED = question("multi_choice", {"a": 2, "b": 2, "c": 1, "bad": -3}, max_points=3)
BANDS = question("number", bands=(Band(0, 10, 0), Band(10, 50, 1), Band(50, None, 3)))
SCALE_UP = question("number", scale=Scale(10, 60, "higher"))
SCALE_DOWN = question("percent", scale=Scale(0, 50, "lower"))
PERCENT = question("percent", bands=(Band(0, 50, 1), Band(50, 100, 2)))
TEXT = question("text")


# -- registry ---------------------------------------------------------------------------------


def test_registry_knows_the_contract_types():
    assert set(type_names()) >= {"yes_no", "single_choice", "multi_choice", "number",
                                 "percent", "text"}


def test_unknown_type_is_a_key_error():
    with pytest.raises(KeyError):
        get_type("slider")


def test_registering_a_name_twice_fails():
    class Again(QuestionType):
        name = "yes_no"

    with pytest.raises(RuntimeError, match="registered twice"):
        register(Again)
    assert not isinstance(get_type("yes_no"), Again)


def test_only_text_is_unscored():
    assert [n for n in type_names() if not get_type(n).scored] == ["text"]


# -- yes_no and single_choice ------------------------------------------------------------------


@pytest.mark.parametrize("q", [YES_NO, SINGLE], ids=["yes_no", "single_choice"])
def test_choice_accepts_an_option_id(q: Question):
    assert parse(q, "yes") == "yes"


@pytest.mark.parametrize("raw", ["maybe", "", True, 1, None, ["yes"]])
def test_single_choice_refuses_anything_but_an_option_id(raw: object):
    with pytest.raises(InvalidAnswer, match="not one of the question's options"):
        parse(SINGLE, raw)


def test_choice_form_value_is_stripped_and_empty_is_none():
    kind = get_type("single_choice")

    assert kind.parse_form(SINGLE, [" partly "]) == "partly"
    assert kind.parse_form(SINGLE, ["  "]) is None
    assert kind.parse_form(SINGLE, []) is None


def test_single_choice_scores_the_option_out_of_the_best_option():
    assert score(SINGLE, "partly") == Points(1, 2)
    assert score(YES_NO, "no") == Points(0, 2)
    assert get_type("single_choice").max_points(SINGLE) == 2


def test_choice_displays_the_label_and_selects_the_option():
    kind = get_type("single_choice")

    assert kind.display(SINGLE, "partly", "fr") == "Partly"
    assert kind.selected("partly") == ("partly",)
    assert kind.selected(None) == ()


# -- multi_choice -----------------------------------------------------------------------------


def test_multi_choice_returns_options_in_questionnaire_order():
    assert parse(MULTI, ["c", "a"]) == ["a", "c"]


def test_multi_choice_accepts_none_of_them():
    assert parse(MULTI, []) == []


@pytest.mark.parametrize(("raw", "message"), [
    ("a", "must be a list of option ids"),
    (["a", 1], "must be a list of option ids"),
    (["a", "zzz"], "unknown option"),
    (["a", "a"], "lists an option twice"),
])
def test_multi_choice_refuses_bad_lists(raw: object, message: str):
    with pytest.raises(InvalidAnswer, match=message):
        parse(MULTI, raw)


def test_multi_choice_form_ignores_empty_values():
    kind = get_type("multi_choice")

    assert kind.parse_form(MULTI, ["b", "", "a"]) == ["a", "b"]
    assert kind.parse_form(MULTI, [""]) is None


def test_multi_choice_sums_points_out_of_the_positive_sum():
    assert score(MULTI, ["a", "c"]) == Points(3, 5)


def test_multi_choice_points_are_capped():
    assert score(CAPPED, ["a", "b"]) == Points(3, 3)
    assert get_type("multi_choice").max_points(CAPPED) == 3


def test_multi_choice_negative_option_subtracts():
    assert score(MULTI, ["a", "b", "bad"]) == Points(1, 5)


def test_multi_choice_never_scores_below_zero():
    assert score(MULTI, ["bad"]) == Points(0, 5)
    assert score(CAPPED, ["c", "bad"]) == Points(0, 3)


NONE_OF_THESE = Question(
    id="q", type="multi_choice", dimension_id="d", text={"en": "Q"},
    options=(Option("plan", {"en": "Local housing plan"}, 1), Option("map", {"en": "Map"}, 1),
             Option("none", {"en": "None of these"}, 0, exclusive=True)))


def test_multi_choice_refuses_an_exclusive_option_with_others():
    with pytest.raises(InvalidAnswer) as err:
        parse(NONE_OF_THESE, ["plan", "none"])

    assert err.value.code == "exclusive_combined"
    assert err.value.params == {"option": "none"}
    assert "'none' (None of these) cannot be chosen together with other options" \
        in err.value.message


def test_multi_choice_accepts_an_exclusive_option_alone_and_others_together():
    assert parse(NONE_OF_THESE, ["none"]) == ["none"]
    assert parse(NONE_OF_THESE, ["map", "plan"]) == ["plan", "map"]


def test_multi_choice_scoring_of_an_exclusive_option_follows_the_contract():
    # The scoring contract: max = sum of positive points; the exclusive option scores 0.
    assert score(NONE_OF_THESE, ["none"]) == Points(0, 2)
    assert score(NONE_OF_THESE, ["plan", "map"]) == Points(2, 2)


def test_multi_choice_display_and_selection():
    kind = get_type("multi_choice")

    assert kind.display(MULTI, ["a", "c"], "en") == "A; C"
    assert kind.display(MULTI, [], "en") == "—"
    assert kind.selected(["a", "c"]) == ("a", "c")


# -- number and percent -----------------------------------------------------------------------


@pytest.mark.parametrize(("raw", "value"), [
    (12, 12), (12.5, 12.5), (12.0, 12), ("12", 12), (" 7.25 ", 7.25), ("-3", -3),
    ("1,5", 1.5), ("1 234,5", 1234.5), ("1\u202f234,5", 1234.5), ("1\xa0234", 1234),
    ("3\u066b5", 3.5), (10**12, 10**12),
])
def test_number_parses(raw: object, value: float):
    parsed = parse(BANDS, raw)

    assert parsed == value
    assert type(parsed) is type(value)


@pytest.mark.parametrize("raw", [
    True, False, None, [], "twelve", "", "1,234.5", math.nan, math.inf, -math.inf, "nan",
    "inf", "1e400", 10**400, 1e13, -(10**13),
])
def test_number_refuses_non_numbers(raw: object):
    with pytest.raises(InvalidAnswer, match="number"):
        parse(BANDS, raw)


def test_number_form_accepts_decimal_comma_and_empty_is_none():
    kind = get_type("number")

    assert kind.parse_form(BANDS, ["2,75"]) == 2.75
    assert kind.parse_form(BANDS, [" "]) is None


@pytest.mark.parametrize(("value", "achieved"), [
    (-1, 0), (0, 0), (9.99, 0), (10, 1), (49.9, 1), (50, 3), (10**9, 3),
])
def test_bands_score_the_band_holding_the_value(value: float, achieved: float):
    assert score(BANDS, value) == Points(achieved, 3)


def test_value_outside_every_band_scores_zero():
    assert score(PERCENT, 100) == Points(0, 2)


@pytest.mark.parametrize(("value", "achieved"), [
    (10, 0.0), (35, 0.5), (60, 1.0), (0, 0.0), (100, 1.0),
])
def test_scale_higher_is_linear_and_clamped(value: float, achieved: float):
    assert score(SCALE_UP, value) == Points(achieved, 1.0)


@pytest.mark.parametrize(("value", "achieved"), [
    (0, 1.0), (12.5, 0.75), (50, 0.0), (80, 0.0),
])
def test_scale_lower_is_reversed_and_clamped(value: float, achieved: float):
    assert score(SCALE_DOWN, value) == Points(achieved, 1.0)


def test_numeric_max_points():
    assert get_type("number").max_points(BANDS) == 3
    assert get_type("number").max_points(SCALE_UP) == 1.0


@pytest.mark.parametrize(("raw", "value"), [
    (0, 0), (100, 100), ("12,5 %", 12.5), ("40%", 40), (33.3, 33.3),
])
def test_percent_parses_within_0_to_100(raw: object, value: float):
    assert parse(PERCENT, raw) == value


@pytest.mark.parametrize("raw", [-0.1, 100.5, "101 %", 1000])
def test_percent_refuses_values_out_of_range(raw: object):
    with pytest.raises(InvalidAnswer, match="between 0 and 100"):
        parse(PERCENT, raw)


@pytest.mark.parametrize("raw", [True, math.nan, "n/a"])
def test_percent_refuses_non_numbers(raw: object):
    with pytest.raises(InvalidAnswer, match="number"):
        parse(PERCENT, raw)


def test_numbers_display_without_needless_decimals_or_exponents():
    assert get_type("number").display(BANDS, 12, "en") == "12"
    assert get_type("number").display(BANDS, 1234567.5, "en") == "1234567.5"
    assert get_type("percent").display(PERCENT, 12.5, "en") == "12.5 %"


# -- text -------------------------------------------------------------------------------------


def test_text_accepts_up_to_the_limit():
    assert parse(TEXT, "x" * MAX_TEXT_LENGTH) == "x" * MAX_TEXT_LENGTH


def test_text_refuses_longer_answers():
    with pytest.raises(InvalidAnswer, match=f"longer than {MAX_TEXT_LENGTH}"):
        parse(TEXT, "x" * (MAX_TEXT_LENGTH + 1))


@pytest.mark.parametrize("raw", [12, None, ["a"], True])
def test_text_refuses_non_strings(raw: object):
    with pytest.raises(InvalidAnswer, match="must be text"):
        parse(TEXT, raw)


def test_text_form_keeps_the_text_and_blank_is_none():
    kind = get_type("text")

    assert kind.parse_form(TEXT, ["  Our plan\n"]) == "  Our plan\n"
    assert kind.parse_form(TEXT, [" \n "]) is None


def test_text_is_unscored():
    assert score(TEXT, "anything") == Points(0, 0)
    assert not TEXT.is_scored
