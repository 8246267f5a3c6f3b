"""Words for the codes users see (roles, ...), translated; also offered to templates."""

from __future__ import annotations

from flask import Flask
from flask_babel import lazy_gettext as _l

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


def role_label(role: str | None) -> str:
    return str(ROLE_LABELS.get(role or "", role or ""))


def status_labels() -> dict[str, str]:
    """Every status in words, translated once per call (a page reads it per row)."""
    return {code: str(label) for code, label in STATUS_LABELS.items()}


def group_labels(keys: list[str] | tuple[str, ...], lang: str) -> dict[str, str]:
    """Size and diversity group keys in words ("100,000–250,000 inhabitants")."""
    from benchmark.reporting import i18n

    return {key: i18n.band_label(key, lang) for key in keys}


def init_labels(app: Flask) -> None:
    app.context_processor(lambda: {"role_label": role_label})
