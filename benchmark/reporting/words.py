"""Codes of the cores turned into words of one language (pure: no Flask).

The cores (scoring, questionnaire, report model) return codes and data — a question
status, a rank band, a withheld reason, a peer-group key — and never English
sentences. Both edges, the web pages and the PDF reports, call these functions, so a
code reads the same everywhere. Texts live in the gettext domain ``reports``
(``reporting.i18n``).
"""

from __future__ import annotations

from functools import cache
from typing import Any

from babel import Locale

from benchmark.questionnaire import Question, get_type
from benchmark.reporting.i18n import (
    LRI,
    N_,
    PDI,
    babel_locale,
    format_amount,
    is_rtl,
    language_of,
    translate,
)
from benchmark.reporting.model import QuestionStatus, RankBand

QUESTION_STATUS: dict[str, str] = {
    QuestionStatus.INCLUDED: N_("Included"),
    QuestionStatus.NOT_APPLICABLE: N_("Not applicable"),
    QuestionStatus.HIDDEN: N_("Not asked (skip logic)"),
    QuestionStatus.UNSCORED: N_("Not scored"),
    QuestionStatus.UNANSWERED: N_("Not answered (0 points)"),
}
RANK_BAND: dict[str, str] = {
    RankBand.TOP_QUARTILE: N_("Top quartile"),
    RankBand.SECOND_QUARTILE: N_("Second quartile (above the median)"),
    RankBand.THIRD_QUARTILE: N_("Third quartile (below the median)"),
    RankBand.BOTTOM_QUARTILE: N_("Bottom quartile"),
}
ASSESSMENT_STATUS: dict[str, str] = {
    "draft": N_("Draft"),
    "submitted": N_("Submitted for review"),
    "returned": N_("Returned for changes"),
    "validated": N_("Validated"),
}

COMMITMENT_STATUS: dict[str, str] = {
    "planned": N_("Planned"),
    "in_progress": N_("In progress"),
    "done": N_("Done"),
    "dropped": N_("Dropped"),
}
#: What became of a commitment, recorded in the city's next round.
COMMITMENT_OUTCOME: dict[str, str] = {
    "done": N_("Done"),
    "partly": N_("Partly done"),
    "not_done": N_("Not done"),
    "dropped": N_("Dropped"),
}


def commitment_status(status: str, lang: str) -> str:
    """A commitment's status in words; an unknown code is shown as is."""
    message = COMMITMENT_STATUS.get(status)
    return translate(lang, message) if message else status


def commitment_outcome(outcome: str | None, lang: str) -> str:
    """A commitment's outcome in words; none yet reads "not recorded yet"."""
    if outcome is None:
        return translate(lang, "not recorded yet")
    message = COMMITMENT_OUTCOME.get(outcome)
    return translate(lang, message) if message else outcome


def answer_text(question: Question, value: Any, na: bool, lang: str) -> str:
    """An answer as a person reads it in ``lang`` ("" when unanswered): the one way
    the review page, the questionnaire and the report show an answer."""
    if na:
        return translate(lang, "Not applicable")
    return "" if value is None else get_type(question.type).display(question, value, lang)


def question_status(status: str, lang: str) -> str:
    return translate(lang, QUESTION_STATUS[QuestionStatus(status)])


def rank_band(band: str, lang: str) -> str:
    return translate(lang, RANK_BAND[RankBand(band)])


def assessment_status(status: str, lang: str) -> str:
    """An assessment status in words; an unknown status is shown as its code."""
    message = ASSESSMENT_STATUS.get(status)
    return translate(lang, message) if message else status


def withheld(reason: str | None, k: int, lang: str) -> str:
    """Why an average is not shown: ``k_anonymity`` (fewer than k cities) or no data."""
    if reason == "k_anonymity":
        return translate(lang, "not shown: fewer than %(k)s cities", k=k)
    if reason in (None, "no_data"):
        return translate(lang, "no data")
    return translate(lang, "not shown")


def not_available(lang: str) -> str:
    """What stands for a value that does not exist ("N/A")."""
    return translate(lang, "N/A")


def band(key: str, lang: str) -> str:
    """A size ("pop-100k-250k") or diversity ("fb-10-20") band in words of ``lang``.

    Numbers are formatted for the language, a range is written as the language writes
    it ("100 000 à 250 000", "من 100,000 إلى 250,000"), and each number is isolated
    left to right inside Arabic so its digits and separators keep their order.
    """
    from benchmark.scoring.peers import band_bounds

    kind = key.partition("-")[0]
    low, high = band_bounds(key)
    lang = language_of(lang)

    def ltr(text: str) -> str:
        return f"{LRI}{text}{PDI}" if is_rtl(lang) else text

    def amount(value: float) -> str:
        return ltr(format_amount(value, lang))

    def span(low: float, high: float) -> str:
        return translate(lang, "%(low)s\u2013%(high)s", low=amount(low), high=amount(high))

    if kind == "pop":
        if high is None:
            return translate(lang, "%(low)s inhabitants or more", low=amount(low))
        if low == 0:
            return translate(lang, "under %(high)s inhabitants", high=amount(high))
        return translate(lang, "%(range)s inhabitants", range=span(low, high))
    if high is None:
        return translate(lang, "%(low)s %% or more foreign-born", low=amount(low))
    if low == 0:
        return translate(lang, "under %(high)s %% foreign-born", high=amount(high))
    return translate(lang, "%(range)s %% foreign-born", range=span(low, high))


def peer_group(key: str | None, lang: str) -> str:
    """A peer-group key ("pop-100k-250k.fb-10-20") as words of ``lang``."""
    if not key:
        return translate(lang, "no peer group")
    population, _, share = key.partition(".")
    try:
        return translate(lang, "%(population)s, %(share)s",
                         population=band(population, lang), share=band(share, lang))
    except ValueError:
        return key


def group_label(kind: str, key: str | None, lang: str) -> str:
    """"Whole network", "Cities of similar size (100,000–250,000 inhabitants)", ..."""
    if kind == "network":
        return translate(lang, "Whole network")
    words = band(key, lang) if key else "\u2013"
    if kind == "size":
        return translate(lang, "Cities of similar size (%(band)s)", band=words)
    return translate(lang, "Cities of similar diversity (%(band)s)", band=words)


def ordinal(rank: int, lang: str) -> str:
    """17th / 17e (1er) / 17: a rank as the language writes it."""
    lang = language_of(lang)
    if lang == "en":
        suffix = "th" if 11 <= rank % 100 <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(rank % 10, "th")
        return f"{rank}{suffix}"
    if lang == "fr":
        return f"{rank}er" if rank == 1 else f"{rank}e"
    return str(rank)


def rank_text(rank: int | None, n: int, lang: str) -> str:
    """"17th of 93" in the language; a dash when there is no rank."""
    if rank is None:
        return "\u2013"
    return translate(lang, "%(rank)s of %(n)s", rank=ordinal(rank, lang), n=n)


def group_withheld(reason: str, k: int, lang: str) -> str:
    """Why a comparison group's rank and average are not shown."""
    if reason == "no_group":
        return translate(lang, "no group: population or foreign-born share unknown")
    return withheld(reason, k, lang)


@cache
def _territory_codes() -> dict[str, str]:
    """CLDR's English country names → region codes ("portugal" → "PT")."""
    return {name.casefold(): code for code, name in Locale("en").territories.items()
            if code.isalpha()}


def country_name(country: str, lang: str) -> str:
    """A city's country in the reader's language ("Allemagne" for "Germany" in French).

    Countries are typed by administrators; one that CLDR knows by its English name is
    shown in ``lang``, any other exactly as typed.
    """
    code = _territory_codes().get(country.strip().casefold())
    if code is None:
        return country
    return babel_locale(language_of(lang)).territories.get(code, country)
