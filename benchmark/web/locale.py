"""The language of the current request: chosen once per request, read everywhere from here."""

from __future__ import annotations

import datetime as dt
from typing import Any

import flask_babel
from babel import dates
from babel.support import NullTranslations
from flask import Flask, current_app, g, has_app_context, has_request_context, request, session
from flask_babel import get_locale, get_timezone, get_translations
from jinja2 import pass_context
from jinja2.runtime import Context
from markupsafe import Markup

from benchmark.languages import DEFAULT_LANGUAGE, LANGUAGE_NAMES, is_rtl
from benchmark.reporting.i18n import format_number, format_percent
from benchmark.reporting.words import country_name


def select_locale() -> str:
    """Flask-Babel's selector: ?lang=, then the session, the account, the browser."""
    languages = tuple(current_app.config["LANGUAGES"])
    if not has_request_context():  # command line, background jobs: English unless forced
        return DEFAULT_LANGUAGE
    chosen = request.args.get("lang")
    if chosen in languages:
        # A page's ?lang= is the reader's choice, kept in the session; the API's is a
        # parameter of one resource (a report's language): no cookie signed and sent back
        # on every download. Written only when it changes (a write re-signs the cookie).
        if not request.path.startswith("/api/") and session.get("lang") != chosen:
            session["lang"] = chosen
        return chosen
    if session.get("lang") in languages:
        return session["lang"]
    user_lang = getattr(g, "user_language", None)
    if user_lang in languages:
        return user_lang
    return request.accept_languages.best_match(languages) or DEFAULT_LANGUAGE


def current_language() -> str:
    """The language code of this request ("en", "fr", "ar")."""
    return str(get_locale() or DEFAULT_LANGUAGE)


def translations() -> NullTranslations:
    """The catalogue of the request's language, looked up once per request and language.

    Flask-Babel's `get_translations()` resolves the request's state through three context
    lookups and formats the locale's name on every call (~8 µs); a dimension page makes
    ~130 calls. The catalogue found is kept beside Flask-Babel's own state and used again
    while that state still names the same locale and domain objects, so `force_locale`
    (mail in the recipient's language inside a request) and `refresh()` are honoured:
    both replace the locale object, and the next call looks the catalogue up again.
    """
    if not has_app_context():
        return get_translations()
    state = getattr(g, "_flask_babel", None)
    if state is not None:
        kept = getattr(state, "benchmark_translations", None)
        if (kept is not None and kept[0] is getattr(state, "babel_locale", None)
                and kept[1] is getattr(state, "babel_domain", None)):
            return kept[2]
    found = get_translations()
    state = getattr(g, "_flask_babel", None)
    if state is not None and getattr(state, "babel_locale", None) is not None:
        state.benchmark_translations = (state.babel_locale, getattr(state, "babel_domain", None),
                                        found)
    return found


def _format(text: str, autoescape: bool, variables: dict[str, Any]) -> str:
    """Jinja's newstyle rule: the translation is a format string; under autoescape it is
    markup (our catalogues) and the variables are escaped into it."""
    if autoescape:
        text = Markup(text)  # noqa: S704  # nosec B704 - our catalogue's text, as Jinja does
    return text % variables


#: (catalogue, message, autoescape) → the formatted text of a message without variables.
_FORMATTED: dict[tuple[Any, str, bool], str] = {}
_FORMATTED_MAX = 20_000


@pass_context
def _template_gettext(context: Context, message: str, **variables: Any) -> str:
    """`_()` and `gettext()` in templates: what Jinja's "newstyle" gettext does (the text is
    always a format string, escaped when autoescaping), with the catalogue of `translations()`
    and the result of a message without variables kept per catalogue."""
    catalogue = translations()
    autoescape = context.eval_ctx.autoescape
    if variables:
        return _format(catalogue.ugettext(message), autoescape, variables)
    key = (catalogue, message, autoescape)
    found = _FORMATTED.get(key)
    if found is None:
        found = _format(catalogue.ugettext(message), autoescape, variables)
        if len(_FORMATTED) >= _FORMATTED_MAX:  # messages are literals; bounded all the same
            _FORMATTED.clear()
        _FORMATTED[key] = found
    return found


@pass_context
def _template_ngettext(context: Context, singular: str, plural: str, num: int,
                       **variables: Any) -> str:
    variables.setdefault("num", num)
    return _format(translations().ungettext(singular, plural, num), context.eval_ctx.autoescape,
                   variables)


@pass_context
def _template_pgettext(context: Context, message_context: str, message: str,
                       **variables: Any) -> str:
    variables.setdefault("context", message_context)
    return _format(translations().upgettext(message_context, message), context.eval_ctx.autoescape,
                   variables)


@pass_context
def _template_npgettext(context: Context, message_context: str, singular: str, plural: str,
                        num: int, **variables: Any) -> str:
    variables.setdefault("context", message_context)
    variables.setdefault("num", num)
    return _format(translations().unpgettext(message_context, singular, plural, num),
                   context.eval_ctx.autoescape, variables)


#: (locale, named format) → the locale's date-time pattern (quotes removed) and its time
#: and date patterns, parsed: CLDR data, the same for the life of the process.
_DATETIME_PATTERNS: dict[tuple[str, str], tuple[str, Any, Any]] = {}


def format_datetime(value: Any = None, format: str | None = None) -> str:
    """The `datetimeformat` filter: Flask-Babel's `format_datetime`, with the locale's
    patterns of a named format looked up once per process.

    Babel looked the locale's date-time, time and date patterns up and parsed them on
    every call (~60 µs; a dimension page shows a date per answered question). The steps
    are Babel's `format_datetime` for a named format (the value in the request's time
    zone, the time pattern applied to its time of day, the date pattern to its date); anything else
    (no value, a number, a custom pattern) goes to Flask-Babel itself.
    """
    named = flask_babel._get_format("datetime", format)
    locale = get_locale()
    if (named not in ("full", "long", "medium", "short") or locale is None
            or not isinstance(value, dt.datetime)):
        return flask_babel.format_datetime(value, format)
    key = (str(locale), named)
    patterns = _DATETIME_PATTERNS.get(key)
    if patterns is None:
        patterns = _DATETIME_PATTERNS[key] = (
            dates.get_datetime_format(named, locale=locale).replace("'", ""),
            dates.parse_pattern(dates.get_time_format(named, locale=locale)),
            dates.parse_pattern(dates.get_date_format(named, locale=locale)))
    joined, time_pattern, date_pattern = patterns
    moment = dates._ensure_datetime_tzinfo(value, get_timezone())
    return (joined
            .replace("{0}", time_pattern.apply(moment.timetz(), locale,
                                               reference_date=moment.date()))
            .replace("{1}", date_pattern.apply(moment.date(), locale)))


@pass_context
def _country_filter(context: Context, country: str) -> str:
    # The page's language from its context: resolving the request's locale again per
    # country cost ~20 µs a call, 2 ms on a dashboard page of 50 cities and the country list.
    return country_name(country, context.get("current_language") or current_language())


def init_locale(app: Flask) -> None:
    # Replaces the callables Flask-Babel installed (same behaviour, see `translations`).
    app.jinja_env.globals.update(gettext=_template_gettext, _=_template_gettext,
                                 ngettext=_template_ngettext, pgettext=_template_pgettext,
                                 npgettext=_template_npgettext)
    app.jinja_env.filters["country"] = _country_filter
    app.jinja_env.filters["datetimeformat"] = format_datetime

    @app.context_processor
    def _language_globals() -> dict[str, Any]:
        language = current_language()
        return {
            # Numbers on every page as the reports write them (decimal sign, a sign that
            # stays left of its digits in Arabic): one rule, in reporting/i18n.py.
            "num": lambda value, decimals=1: format_number(value, language, decimals=decimals),
            "num_signed": lambda value: format_number(value, language, signed=True),
            "pct": lambda share: format_percent(share, language),
            "current_language": language,
            "text_direction": "rtl" if is_rtl(language) else "ltr",
            "languages": {code: LANGUAGE_NAMES[code] for code in app.config["LANGUAGES"]},
        }
