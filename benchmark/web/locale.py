"""The language of the current request: chosen once per request, read everywhere from here."""

from __future__ import annotations

from typing import Any

from flask import Flask, current_app, g, has_request_context, request, session
from flask_babel import get_locale

from benchmark.languages import DEFAULT_LANGUAGE, LANGUAGE_NAMES, is_rtl


def select_locale() -> str:
    """Flask-Babel's selector: ?lang=, then the session, the account, the browser."""
    languages = tuple(current_app.config["LANGUAGES"])
    if not has_request_context():  # command line, background jobs: English unless forced
        return DEFAULT_LANGUAGE
    chosen = request.args.get("lang")
    if chosen in languages:
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


def init_locale(app: Flask) -> None:
    @app.context_processor
    def _language_globals() -> dict[str, Any]:
        language = current_language()
        return {
            "current_language": language,
            "text_direction": "rtl" if is_rtl(language) else "ltr",
            "languages": {code: LANGUAGE_NAMES[code] for code in app.config["LANGUAGES"]},
        }
