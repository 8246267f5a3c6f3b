"""The reports' wording through gettext (domain "reports"), and Babel's number formats."""

from __future__ import annotations

import re
from datetime import date

import pytest
from babel.messages.pofile import read_po

from benchmark.reporting import words
from benchmark.reporting.i18n import (
    CATALOGUE_DIR,
    format_date,
    format_number,
    format_percent,
    is_rtl,
    text_direction,
    translate,
)


@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_every_report_text_is_translated_with_the_same_placeholders(lang):
    with (CATALOGUE_DIR / lang / "LC_MESSAGES" / "reports.po").open("rb") as handle:
        catalog = read_po(handle, locale=lang)
    messages = [m for m in catalog if m.id]
    assert len(messages) > 100
    for message in messages:
        assert message.string, message.id
        assert set(re.findall(r"%\((\w+)\)", message.string)) == set(
            re.findall(r"%\((\w+)\)", message.id)), message.id


def test_unknown_language_falls_back_to_english():
    assert translate("de", "Summary") == "Summary"
    assert translate("fr", "Change since round %(round)s", round=2022) == (
        "Évolution depuis le cycle 2022")


def test_codes_of_the_cores_become_words_of_each_language():
    assert words.not_available("fr") == "s.o."
    assert words.withheld("k_anonymity", 5, "fr") == "non communiquée : moins de 5 villes"
    assert words.withheld("k_anonymity", 5, "ar") == "غير معروض: أقل من 5 مدن"
    assert words.question_status("not_applicable", "ar") == "لا ينطبق"
    assert words.rank_band("top_quartile", "fr") == "Quartile supérieur"
    assert words.assessment_status("returned", "fr") == "Renvoyé pour modifications"


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
    assert format_percent(0.426, "fr") == "43\u00a0%"  # CLDR: no-break space
    assert format_percent(None, "ar") == "–"
    assert format_date(date(2026, 5, 12), "fr") == "12 mai 2026"
    assert format_date(date(2026, 5, 12), "ar") == "12 مايو 2026"


def test_direction_of_user_text_follows_its_first_strong_character():
    assert text_direction("Lyon") == "ltr"
    assert text_direction("الدار البيضاء") == "rtl"
    assert text_direction("2024 — الرباط") == "rtl"
    assert text_direction("123", default="rtl") == "rtl"
    assert is_rtl("ar") and not is_rtl("fr")


def test_countries_are_named_in_the_readers_language_and_unknown_ones_as_typed() -> None:
    from benchmark.reporting.words import country_name

    assert country_name("Germany", "fr") == "Allemagne"
    assert country_name("Germany", "ar") == "ألمانيا"
    assert country_name(" united kingdom ", "fr") == "Royaume-Uni"
    assert country_name("Germany", "en") == "Germany"
    assert country_name("Atlantis", "ar") == "Atlantis"  # not a CLDR name: as typed
