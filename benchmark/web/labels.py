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


COMMITMENT_STATUS_LABELS = {
    "planned": _l("Planned"),
    "in_progress": _l("In progress"),
    "done": _l("Done"),
    "dropped": _l("Dropped"),
}
OUTCOME_LABELS = {
    "done": _l("Done"),
    "partly": _l("Partly done"),
    "not_done": _l("Not done"),
    "dropped": _l("Dropped"),
}


def commitment_status_label(status: str | None) -> str:
    return str(COMMITMENT_STATUS_LABELS.get(status or "", status or ""))


def outcome_label(outcome: str | None) -> str:
    return str(OUTCOME_LABELS.get(outcome or "", outcome or ""))


def role_label(role: str | None) -> str:
    return str(ROLE_LABELS.get(role or "", role or ""))


def init_labels(app: Flask) -> None:
    app.context_processor(lambda: {"role_label": role_label,
                                   "commitment_status_label": commitment_status_label,
                                   "outcome_label": outcome_label,
                                   "commitment_statuses": tuple(COMMITMENT_STATUS_LABELS),
                                   "commitment_outcomes": tuple(OUTCOME_LABELS)})
