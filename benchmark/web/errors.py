"""One place turning errors into the API's JSON shape or an HTML page in the site's layout."""

from __future__ import annotations

import logging

from flask import Flask, Response, jsonify, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from benchmark.errors import DomainError, Unauthenticated

log = logging.getLogger(__name__)

HTTP_CODES = {
    400: "bad_request",
    401: "unauthenticated",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "too_large",
    415: "unsupported_media_type",
    422: "invalid",
    428: "precondition_required",
    429: "rate_limited",
    500: "internal_error",
    503: "unavailable",
}


#: Paths answering JSON only (the API; the session endpoints called by static/js/session.js).
JSON_PATH_PREFIXES = ("/api/", "/session/")


def wants_json() -> bool:
    """JSON paths, and web-UI calls made with fetch() that ask for JSON."""
    return (request.path.startswith(JSON_PATH_PREFIXES)
            or request.accept_mimetypes.best == "application/json")


def error_response(status: int, code: str, message: str,
                   fields: dict[str, str] | None = None, **extra: object) -> Response:
    body: dict[str, object] = {"code": code, "message": message, "fields": fields or {}}
    body.update(extra)
    response = jsonify({"error": body})
    response.status_code = status
    return response


def _html(status: int, title: str, message: str) -> tuple[str, int]:
    return render_template("errors/error.html", status=status, title=title, message=message), status


def _titles() -> dict[int, str]:
    return {
        400: _("Bad request"),
        401: _("Please log in"),
        403: _("Not allowed"),
        404: _("Page not found"),
        405: _("Method not allowed"),
        409: _("Conflict"),
        413: _("Too large"),
        422: _("Invalid input"),
        428: _("Precondition required"),
        429: _("Too many requests"),
        500: _("Something went wrong"),
        503: _("Temporarily unavailable"),
    }


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(DomainError)
    def _domain(err: DomainError):  # type: ignore[no-untyped-def]
        if wants_json():
            return error_response(err.status, err.code, err.message, err.fields, **err.details)
        if isinstance(err, Unauthenticated):
            return app.login_manager.unauthorized()  # type: ignore[attr-defined]
        return _html(err.status, _titles().get(err.status, _("Error")), err.message)

    @app.errorhandler(CSRFError)
    def _csrf(err: CSRFError):  # type: ignore[no-untyped-def]
        message = _("Your form expired or was sent from another site. Reload the page and try again.")
        if wants_json():
            return error_response(400, "csrf_failed", message)
        return _html(400, _("Form expired"), message)

    @app.errorhandler(HTTPException)
    def _http(err: HTTPException):  # type: ignore[no-untyped-def]
        status = err.code or 500
        if wants_json():
            message = err.description or ""
            if status == 429:
                retry = _retry_after(err)
                message = _("Too many requests: try again in %(n)s seconds.", n=retry["Retry-After"])
            response = error_response(status, HTTP_CODES.get(status, "error"), message)
            allowed = getattr(err, "valid_methods", None)
            if status == 405 and allowed:
                response.headers["Allow"] = ", ".join(allowed)
            if status == 429:
                response.headers.update(retry)
            return response
        response = _html(status, _titles().get(status, _("Error")), _describe(status))
        if status == 429:
            return response[0], status, _retry_after(err)
        return response

    @app.errorhandler(Exception)
    def _unexpected(err: Exception):  # type: ignore[no-untyped-def]
        log.exception("unhandled error on %s %s", request.method, request.path)
        if wants_json():
            return error_response(500, "internal_error", "An unexpected error occurred.")
        return _html(500, _titles()[500], _describe(500))


def _retry_after(err: HTTPException) -> dict[str, str]:
    """Seconds until the breached window resets (Flask-Limiter knows; else the window length)."""
    import time

    from benchmark.extensions import limiter

    seconds = 60
    current = limiter.current_limit
    if isinstance(getattr(err, "retry_after", None), int):  # a wait the view computed
        seconds = err.retry_after  # type: ignore[attr-defined]
    elif current is not None:
        seconds = int(current.reset_at - time.time())
    elif (limit := getattr(err, "limit", None)) is not None:
        seconds = int(limit.limit.get_expiry())
    return {"Retry-After": str(max(1, seconds))}


def _describe(status: int) -> str:
    return {
        403: _("You do not have access to this page."),
        404: _("There is no page at this address, or you may not see it."),
        405: _("This address does not accept that kind of request."),
        413: _("What you sent is too large."),
        429: _("Too many attempts. Please wait a little and try again."),
        500: _("The error has been logged. Please try again later."),
    }.get(status, _("The request could not be processed."))
