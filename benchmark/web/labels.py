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


def role_label(role: str | None) -> str:
    return str(ROLE_LABELS.get(role or "", role or ""))


def init_labels(app: Flask) -> None:
    app.context_processor(lambda: {"role_label": role_label})
