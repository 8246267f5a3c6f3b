"""The request guard: no control characters in query strings or posted forms, on any page.

PostgreSQL refuses a NUL in text (a 500 if it reached the database) and SQLite would store
it raw; no person types one. Query parameters are one-line text; form fields may hold tab
and line breaks (text areas). Path segments are guarded by the URL converters
(web/converters.py), JSON bodies by the API's reader and types (web/api/routing.py,
web/api/schemas.py). The rule itself lives in benchmark/inputs.py.
"""

from __future__ import annotations

from flask import Flask, request
from flask_babel import gettext as _

from benchmark.errors import Invalid
from benchmark.inputs import has_control_chars


def _bad_fields() -> dict[str, str]:
    message = _("must not contain control characters")
    bad: dict[str, str] = {}
    for key, value in request.args.items(multi=True):
        if key == "next":
            continue  # a return address, never stored: the login's redirect rule makes it safe
        if has_control_chars(key) or has_control_chars(value):
            bad[key if not has_control_chars(key) else "query"] = message
    if request.method in {"POST", "PUT", "PATCH"} and request.mimetype in {
            "application/x-www-form-urlencoded", "multipart/form-data"}:
        for key, value in request.form.items(multi=True):
            if has_control_chars(key) or has_control_chars(value, multiline=True):
                bad[key if not has_control_chars(key) else "form"] = message
    return bad


def init_inputs(app: Flask) -> None:
    @app.before_request
    def _refuse_control_characters() -> None:
        if fields := _bad_fields():
            raise Invalid(_("What was sent contains control characters, which are not "
                            "accepted. Remove them and try again."), fields=fields)
