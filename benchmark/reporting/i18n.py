"""The reports' own wording, translated through gettext, and number and date formats (pure).

One translation mechanism for the whole service: the web interface's texts live in the
gettext domain ``messages`` (Flask-Babel), the reports' texts in the domain ``reports``
(catalogues ``benchmark/translations/<lang>/LC_MESSAGES/reports.po``, extracted by
``make translations`` with ``babel-reports.cfg``). This module loads that domain with
``babel.support.Translations`` — no Flask — so the PDF renderer, the worker and the web
pages (charts, peer-group labels) translate report words the same way. The English
message ids are the English texts; a missing catalogue falls back to them.

Questionnaire texts (dimension titles, questions, answers) arrive already localised in
the report model. The pure cores return codes and data (a peer-group key, a withheld
reason, a question status); ``reporting.words`` turns them into words here, at the edge.

Numbers and dates come from Babel's CLDR data (``babel.numbers``, ``babel.dates``).
"""

from __future__ import annotations

import gettext as _gettext
import io
import unicodedata
from datetime import date
from functools import cache
from pathlib import Path

from babel.core import Locale
from babel.dates import format_date as _babel_date
from babel.numbers import format_decimal
from babel.support import NullTranslations, Translations

from benchmark.languages import DEFAULT_LANGUAGE, LANGUAGES, is_rtl

DOMAIN = "reports"
CATALOGUE_DIR = Path(__file__).resolve().parent.parent / "translations"
# ASCII hyphen-minus: Noto Sans has no U+2212, and "-" is what screen readers and
# copy-paste understand as a minus.
_MINUS = "-"
#: Left-to-right isolate … pop directional isolate: keeps "+1.5" or "1 / 2" in order
#: inside right-to-left text.
LRI, PDI = "\u2066", "\u2069"

__all__ = ["DOMAIN", "N_", "format_amount", "format_date", "format_number", "format_percent",
           "is_rtl", "language_of", "list_separator", "text_direction",
           "translate", "translations"]


def N_(message: str) -> str:
    """Mark ``message`` for extraction; it is translated where it is shown."""
    return message


def language_of(lang: str) -> str:
    """``lang`` if the service speaks it, else the default language (English)."""
    return lang if lang in LANGUAGES else DEFAULT_LANGUAGE


@cache
def translations(lang: str) -> _gettext.NullTranslations:
    """The compiled ``reports`` catalogue of ``lang`` (English: the message ids themselves).

    Reads ``reports.mo``; when only ``reports.po`` exists (a fresh clone before
    ``make``), compiles it in memory, as ``make`` would on disk.
    """
    lang = language_of(lang)
    if lang == DEFAULT_LANGUAGE:
        return NullTranslations()
    folder = CATALOGUE_DIR / lang / "LC_MESSAGES"
    mo, po = folder / f"{DOMAIN}.mo", folder / f"{DOMAIN}.po"
    if mo.exists() and (not po.exists() or mo.stat().st_mtime >= po.stat().st_mtime):
        with mo.open("rb") as handle:
            return Translations(handle, domain=DOMAIN)
    if not po.exists():
        return NullTranslations()
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with po.open("rb") as handle:
        catalog = read_po(handle, locale=lang)
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=True)
    buffer.seek(0)
    return Translations(buffer, domain=DOMAIN)


@cache
def babel_locale(lang: str) -> Locale:
    """Babel's Locale of a language, parsed once: parsing the identifier on every number
    cost more than formatting it (a 50-row dashboard page formats ~700 numbers)."""
    return Locale.parse(lang)


@cache
def _decimal_sign(lang: str) -> str:
    from babel.numbers import get_decimal_symbol

    return get_decimal_symbol(babel_locale(lang), numbering_system="latn")


def translate(lang: str, message: str, **values: object) -> str:
    """``message`` in ``lang``, with ``%(name)s`` placeholders filled from ``values``."""
    text = translations(lang).gettext(message)
    return text % values if values else text


def format_number(value: float | None, lang: str, *, decimals: int = 1,
                  signed: bool = False, missing: str = "\u2013") -> str:
    """``65.3`` (``65,3`` in French); ``signed`` adds +/− so sign never needs colour.

    Digits stay Western in every language (the reports' fonts and the network's habit).
    """
    if value is None:
        return missing
    lang = language_of(lang)
    # Rounded as Python rounds the float (what the charts and the API show), then
    # written with the language's decimal sign.
    digits = f"{abs(value):.{decimals}f}"
    # The pattern has no grouping: the CLDR decimal sign is all it takes (Babel's
    # format_decimal costs ~0.3 ms a number, and a page may show hundreds).
    text = digits.replace(".", _decimal_sign(lang))
    if not digits.strip("0."):  # rounds to zero
        return ("\u00b1" if signed else "") + text
    if value < 0:
        text = _MINUS + text
    elif signed:
        text = "+" + text
    else:
        return text
    # In right-to-left text a leading sign would drift to the number's right:
    # isolate it as a left-to-right run.
    return f"{LRI}{text}{PDI}" if is_rtl(lang) else text


def format_amount(value: float, lang: str) -> str:
    """A plain quantity with the language's grouping: ``250,000`` / ``250 000``."""
    return format_decimal(value, locale=babel_locale(language_of(lang)), numbering_system="latn")


def format_percent(share: float | None, lang: str) -> str:
    """A 0–1 share as a whole percentage: ``42%``, ``42 %`` in French (CLDR patterns)."""
    if share is None:
        return "\u2013"
    from babel.numbers import format_percent as _babel_percent

    text = _babel_percent(share, format=None, locale=babel_locale(language_of(lang)),
                          numbering_system="latn")
    # CLDR wraps Arabic percentages in left-to-right marks; an isolate does the same
    # job and is what the rest of the reports use.
    text = text.replace("\u200e", "").replace("\u200f", "")
    return f"{LRI}{text}{PDI}" if is_rtl(lang) else text


def format_date(day: date, lang: str) -> str:
    """The CLDR long date: ``May 12, 2026`` / ``12 mai 2026`` / ``12 مايو 2026``."""
    return _babel_date(day, format="long", locale=babel_locale(language_of(lang)))


def list_separator(lang: str) -> str:
    """What separates the items of a list in running text (", " or the Arabic comma)."""
    return "\u060c " if is_rtl(lang) else ", "


def text_direction(text: str, default: str = "ltr") -> str:
    """"rtl" or "ltr" from the first strong character (HTML's dir=auto, which
    WeasyPrint does not implement); ``default`` when there is none."""
    for char in text:
        kind = unicodedata.bidirectional(char)
        if kind == "L":
            return "ltr"
        if kind in ("R", "AL"):
            return "rtl"
    return default
