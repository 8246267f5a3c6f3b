"""The report's own wording in English, French and Arabic, and number formats."""

from __future__ import annotations

import re
from datetime import date

import pytest

from benchmark.reporting.i18n import (
    CATALOGUES,
    format_date,
    format_number,
    format_percent,
    is_rtl,
    text_direction,
    translator,
)


def test_every_language_has_the_same_keys_and_placeholders():
    english = CATALOGUES["en"]
    for lang, catalogue in CATALOGUES.items():
        assert catalogue.keys() == english.keys(), lang
        for key, text in catalogue.items():
            assert set(re.findall(r"{(\w+)}", text)) == set(
                re.findall(r"{(\w+)}", english[key])), (lang, key)


def test_no_label_is_left_untranslated():
    same = {key for key, text in CATALOGUES["ar"].items() if text == CATALOGUES["en"][key]}
    assert same <= {"app_name", "colon", "n", "n_cities", "q1", "q3", "dimension_code"}, same


def test_unknown_language_falls_back_to_english():
    assert translator("de")("summary") == "Summary"
    assert translator("fr")("change_since", round=2022) == "Évolution depuis le cycle 2022"


@pytest.mark.parametrize(("value", "lang", "signed", "expected"), [
    (65.34, "en", False, "65.3"),
    (65.35, "fr", False, "65,3"),  # binary 65.35 is below the tie: rounds down
    (None, "en", False, "–"),
    (3.25, "en", True, "+3.2"),
    (-3.26, "en", True, "-3.3"),
    (-0.04, "en", True, "±0.0"),
    (-3.26, "fr", False, "-3,3"),
    (4.0, "ar", True, "\u2066+4.0\u2069"),  # isolated so the sign stays left of the digits
    (65.3, "ar", False, "65.3"),
])
def test_format_number(value, lang, signed, expected):
    assert format_number(value, lang, signed=signed) == expected


def test_format_percent_and_date():
    assert format_percent(0.426, "en") == "43%"
    assert format_percent(0.426, "fr") == "43\u202f%"
    assert format_percent(None, "ar") == "–"
    assert format_date(date(2026, 5, 12), "fr") == "12 mai 2026"
    assert format_date(date(2026, 5, 12), "ar") == "12 مايو 2026"


def test_direction_of_user_text_follows_its_first_strong_character():
    assert text_direction("Lyon") == "ltr"
    assert text_direction("الدار البيضاء") == "rtl"
    assert text_direction("2024 — الرباط") == "rtl"
    assert text_direction("123", default="rtl") == "rtl"
    assert is_rtl("ar") and not is_rtl("fr")
