"""Words for the codes users see (roles, ...), translated; also offered to templates."""

from __future__ import annotations

from flask import Flask
from flask_babel import format_decimal
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from benchmark.languages import LANGUAGE_NAMES
from benchmark.reporting import words
from benchmark.web.locale import current_language

ROLE_LABELS = {
    "admin": _l("Administrator"),
    "staff": _l("Programme staff"),
    "focal_point": _l("Focal point"),
    "contributor": _l("Contributor"),
}


STATUS_LABELS = {
    "not_started": _l("Not started"),
    "draft": _l("Draft"),
    "submitted": _l("Submitted"),
    "returned": _l("Returned"),
    "validated": _l("Validated"),
}


HISTORY_LABELS = {
    "assessment_created": _l("Started"),
    "assessment_submitted": _l("Submitted for review"),
    "assessment_returned": _l("Returned for changes"),
    "assessment_validated": _l("Validated"),
    "assessment_reopened": _l("Reopened for changes"),
    "review_assigned": _l("Review assigned"),
}


def history_labels() -> dict[str, str]:
    """A round's history steps (audit actions) in words."""
    return {code: str(label) for code, label in HISTORY_LABELS.items()}
def commitment_status_label(status: str | None) -> str:
    return words.commitment_status(status or "", current_language())


def outcome_label(outcome: str | None) -> str:
    return words.commitment_outcome(outcome, current_language())


def role_label(role: str | None) -> str:
    return str(ROLE_LABELS.get(role or "", role or ""))


def status_labels() -> dict[str, str]:
    """Every status in words, translated once per call (a page reads it per row)."""
    return {code: str(label) for code, label in STATUS_LABELS.items()}


def group_labels(keys: list[str] | tuple[str, ...], lang: str) -> dict[str, str]:
    """Size and diversity group keys in words ("100,000–250,000 inhabitants")."""
    from benchmark.reporting import words

    return {key: words.band(key, lang) for key in keys}
PRACTICE_STATUS_LABELS = {
    "draft": _l("draft"), "submitted": _l("submitted"), "returned": _l("returned"),
    "published": _l("published"), "withdrawn": _l("withdrawn"),
}
BUDGET_LABELS = {
    "none": _l("No specific budget"), "under_10k": _l("Under €10,000"),
    "10k_100k": _l("€10,000 to €100,000"), "100k_1m": _l("€100,000 to €1 million"),
    "over_1m": _l("Over €1 million"),
}


def practice_status_label(status: str) -> str:
    return str(PRACTICE_STATUS_LABELS.get(status, status))


def budget_label(band: str | None) -> str:
    return str(BUDGET_LABELS.get(band or "", band or ""))


def language_name(code: str) -> str:
    """A language's name in itself (English, Français, العربية)."""
    return LANGUAGE_NAMES.get(code, code)


def size_label(low: int, high: int | None) -> str:
    """A population band in words: "100,000 to 250,000 inhabitants"."""
    if high is None:
        return _("%(n)s inhabitants or more", n=format_decimal(low))
    if low == 0:
        return _("Under %(n)s inhabitants", n=format_decimal(high))
    return _("%(a)s to %(b)s inhabitants", a=format_decimal(low), b=format_decimal(high))


def init_labels(app: Flask) -> None:
    app.context_processor(lambda: {
        "role_label": role_label, "practice_status_label": practice_status_label,
        "budget_label": budget_label, "language_name": language_name, "size_label": size_label,
        "commitment_status_label": commitment_status_label, "outcome_label": outcome_label,
        "commitment_statuses": tuple(words.COMMITMENT_STATUS),
        "commitment_outcomes": tuple(words.COMMITMENT_OUTCOME),
    })
