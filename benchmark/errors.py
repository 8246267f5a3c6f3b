"""Domain errors raised by services and mapped to HTTP once, in app.py (no Flask here)."""

from __future__ import annotations

from collections.abc import Mapping


class DomainError(Exception):
    """Base of every error a user can be told about."""

    code = "error"
    status = 400

    def __init__(self, message: str = "", *, fields: Mapping[str, str] | None = None,
                 code: str | None = None, details: Mapping[str, object] | None = None) -> None:
        super().__init__(message or self.__class__.__doc__ or self.code)
        self.message = message or (self.__class__.__doc__ or self.code).strip()
        self.fields = dict(fields or {})
        self.details = dict(details or {})
        if code:
            self.code = code


class BadRequest(DomainError):
    """The request is malformed."""

    code = "bad_request"
    status = 400


class Unauthenticated(DomainError):
    """Authentication is required."""

    code = "unauthenticated"
    status = 401


class Forbidden(DomainError):
    """You are not allowed to do this."""

    code = "forbidden"
    status = 403


class NotFound(DomainError):
    """Not found."""

    code = "not_found"
    status = 404


class Conflict(DomainError):
    """The resource changed or is in the wrong state."""

    code = "conflict"
    status = 409


class TooLarge(DomainError):
    """The request body is too large."""

    code = "too_large"
    status = 413


class Invalid(DomainError):
    """Some values are invalid."""

    code = "invalid"
    status = 422


class PreconditionRequired(DomainError):
    """A precondition header (If-Match or If-None-Match) is required."""

    code = "precondition_required"
    status = 428


class Unavailable(DomainError):
    """The service cannot do this right now (a fault on the server: see /healthz)."""

    code = "unavailable"
    status = 503
