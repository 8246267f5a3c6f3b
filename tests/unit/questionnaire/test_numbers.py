"""parse_decimal: the one reader of numbers people type (answers and the city profile)."""

from __future__ import annotations

import math

import pytest

from benchmark.questionnaire.numbers import parse_decimal


@pytest.mark.parametrize(("text", "expected"), [
    ("12", 12.0),
    ("3.25", 3.25),
    ("3,25", 3.25),  # French decimal comma
    ("12 345,5", 12345.5),  # French digit groups, plain space
    ("12\u202f345", 12345.0),  # narrow no-break space
    ("12\xa0345", 12345.0),  # no-break space
    ("١٢", 12.0),  # Arabic-Indic digits
    ("٣٫٥", 3.5),  # Arabic-Indic digits, Arabic decimal separator
    ("3\u066b5", 3.5),  # Western digits, Arabic decimal separator
    ("١٢٬٣٤٥٫٥", 12345.5),  # Arabic thousands and decimal separators
    ("۱۲٫۵", 12.5),  # Extended Arabic-Indic (Persian, Urdu) digits
    ("  7  ", 7.0),
    ("-4.5", -4.5),
])
def test_reads_numbers_as_typed_in_english_french_and_arabic(text: str, expected: float) -> None:
    assert parse_decimal(text) == expected


@pytest.mark.parametrize("text", ["", "twelve", "1,234.5", "3٫5٫1", "12%", "--1"])
def test_refuses_text_that_spells_no_number(text: str) -> None:
    with pytest.raises(ValueError):
        parse_decimal(text)


def test_leaves_range_checks_to_the_caller() -> None:
    assert math.isinf(parse_decimal("1e400"))
    assert math.isnan(parse_decimal("nan"))
