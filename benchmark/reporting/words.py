"""Codes of the cores turned into words of one language (pure: no Flask).

The cores (scoring, questionnaire, report model) return codes and data — a question
status, a rank band, a withheld reason, a peer-group key — and never English
sentences. Both edges, the web pages and the PDF reports, call these functions, so a
code reads the same everywhere. Texts live in the gettext domain ``reports``
(``reporting.i18n``).
"""

from __future__ import annotations

from benchmark.reporting.i18n import N_, format_amount, is_rtl, language_of, translate
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


def peer_group(key: str | None, lang: str) -> str:
    """A peer-group key ("pop-100k-250k.fb-10-20") as words of ``lang``.

    Numbers are formatted for the language and kept left to right inside Arabic, so
    "100,000–250,000" does not read "250,000–100,000".
    """
    from benchmark.scoring.peers import bands

    if not key:
        return translate(lang, "no peer group")
    try:
        (pop_low, pop_high), (fb_low, fb_high) = bands(key)
    except ValueError:
        return key
    lang = language_of(lang)

    def ltr(text: str) -> str:
        return f"\u2066{text}\u2069" if is_rtl(lang) else text

    def whole(value: float) -> str:
        return ltr(format_amount(value, lang))

    def span(low: float, high: float) -> str:
        return ltr(f"{format_amount(low, lang)}\u2013{format_amount(high, lang)}")

    if pop_high is None:
        population = translate(lang, "%(low)s inhabitants or more", low=whole(pop_low))
    elif pop_low == 0:
        population = translate(lang, "under %(high)s inhabitants", high=whole(pop_high))
    else:
        population = translate(lang, "%(range)s inhabitants", range=span(pop_low, pop_high))
    if fb_high is None:
        share = translate(lang, "%(low)s %% or more foreign-born", low=whole(fb_low))
    elif fb_low == 0:
        share = translate(lang, "under %(high)s %% foreign-born", high=whole(fb_high))
    else:
        share = translate(lang, "%(range)s %% foreign-born", range=span(fb_low, fb_high))
    return translate(lang, "%(population)s, %(share)s", population=population, share=share)
