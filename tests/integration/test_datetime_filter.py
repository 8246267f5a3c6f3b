"""The templates' `datetimeformat` filter formats as Flask-Babel's `format_datetime`."""

from __future__ import annotations

import datetime as dt

import flask_babel
import pytest
from flask_babel import force_locale

from benchmark.web.locale import format_datetime

MOMENTS = [dt.datetime(2026, 11, 30, 7, 5, 9), dt.datetime(2026, 1, 1, 23, 59, 59, 999999),
           dt.datetime(2025, 6, 15, 12, 0, tzinfo=dt.UTC),
           dt.datetime(2024, 2, 29, 0, 0, tzinfo=dt.timezone(dt.timedelta(hours=-5))),
           dt.datetime(2026, 3, 29, 1, 30)]


@pytest.mark.parametrize("lang", ["en", "fr", "ar", "es"])
@pytest.mark.parametrize("timezone", ["UTC", "Europe/Paris", "America/Sao_Paulo"])
def test_the_same_text_as_flask_babel(app, lang: str, timezone: str) -> None:
    from pytz import timezone as zone

    with app.test_request_context("/"), force_locale(lang):
        # The request's time zone, as Flask-Babel keeps it once selected.
        flask_babel._get_current_context().babel_tzinfo = zone(timezone)
        for moment in MOMENTS:
            for fmt in (None, "short", "medium", "long", "full", "yyyy-MM-dd HH:mm"):
                for _ in range(2):  # the second from the kept patterns
                    assert format_datetime(moment, fmt) == flask_babel.format_datetime(
                        moment, fmt), (moment, fmt)
        assert format_datetime(dt.date(2026, 5, 1), "medium") == flask_babel.format_datetime(
            dt.date(2026, 5, 1), "medium")
        assert str(flask_babel.get_timezone()) == timezone

def test_the_filter_of_the_templates(app) -> None:
    assert app.jinja_env.filters["datetimeformat"] is format_datetime
