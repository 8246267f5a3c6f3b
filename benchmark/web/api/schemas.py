"""API models and field types shared by every resource: text, numbers, errors and pages.

Every new endpoint uses these types, so that the OpenAPI document says exactly what the
server accepts (the schemathesis run in tests/integration/api/ checks it):

- `LineText` / `RequiredLine`: one-line text without control characters (names, slugs,
  versions, query parameters); `RequiredLine` has minLength 1.
- `LongText` / `RequiredText`: long text (tab and line breaks allowed, other control
  characters refused); `RequiredText` has minLength 1.
- `WholeNumber`: an integer as JSON Schema counts one (2026 and 2026.0), never a bool;
  `RowId` one that can name a row (1..2^31-1), `Year` a year of a practice (1950..2100).
  Bounds go inside the Annotated type (not on a `X | None` field, where pydantic writes
  `ge`/`le`, which JSON Schema does not know).
- `IsoDate`: a day written as the document says (a "YYYY-MM-DD" string; pydantic alone would
  read the number 0 as 1970-01-01).
- `Lang`: en, fr or ar.  `Cursor`: an opaque page cursor (decode it with pagination.decode_cursor).
- `PageQuery`: limit + cursor of every list.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Generic, Literal, TypeVar

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, StrictStr

from benchmark.inputs import LINE_PATTERN, MAX_ID, TEXT_PATTERN, has_control_chars, whole_number

T = TypeVar("T")


def _line(text: str) -> str:
    if has_control_chars(text):
        raise ValueError("must not contain control characters")
    return text


def _long(text: str) -> str:
    if has_control_chars(text, multiline=True):
        raise ValueError("must not contain control characters other than tab and line breaks")
    return text


def _iso_text(value: object) -> object:
    if not isinstance(value, str):
        raise ValueError("must be a date written YYYY-MM-DD")
    return value


def _whole(value: object) -> object:
    number = whole_number(value)
    if number is None:
        raise ValueError("must be a whole number")
    return number


#: One line of text: no control characters (pattern in the document, checked again here
#: for lone surrogates, which a pattern cannot name).
LineText = Annotated[StrictStr, Field(pattern=LINE_PATTERN), AfterValidator(_line)]
RequiredLine = Annotated[StrictStr, Field(min_length=1, pattern=LINE_PATTERN),
                         AfterValidator(_line)]
#: Long text: tab, LF and CR allowed, other control characters refused.
LongText = Annotated[StrictStr, Field(pattern=TEXT_PATTERN), AfterValidator(_long)]
RequiredText = Annotated[StrictStr, Field(min_length=1, pattern=TEXT_PATTERN),
                         AfterValidator(_long)]
#: JSON Schema's integer: 2026 and 2026.0, not "2026" or true.
WholeNumber = Annotated[int, BeforeValidator(_whole)]
#: The id of a row named in a body (a practice, an assessment): 1..2^31-1.
RowId = Annotated[int, Field(ge=1, le=MAX_ID), BeforeValidator(_whole)]
#: A year a practice runs in, in a body (Year) or a query string (QueryYear: ASCII digits).
Year = Annotated[int, Field(ge=1950, le=2100), BeforeValidator(_whole)]
QueryYear = Annotated[int, Field(ge=1950, le=2100)]
#: A day, as a "YYYY-MM-DD" string (format: date), never a number.
IsoDate = Annotated[date, BeforeValidator(_iso_text)]
#: The languages of the service's texts.
Lang = Literal["en", "fr", "ar"]
#: An opaque cursor from a list's `next` URL (URL-safe base64).
Cursor = Annotated[StrictStr, Field(pattern=r"^[A-Za-z0-9_-]{1,200}$",
                                    description="Opaque, from `next`")]


#: A 422 on a list: besides its parameters' forms, a cursor is valid only when this API
#: issued it (no pattern can tell; the OpenAPI document says so on every list).
CURSOR_NOTE = "Invalid value, or a cursor this API did not issue"


class ErrorBody(BaseModel):
    code: str = Field(description="Machine-readable error code, e.g. not_found, conflict")
    message: str = Field(description="Human-readable explanation")
    fields: dict[str, str] = Field(default_factory=dict, description="Per-field problems")


class ErrorOut(BaseModel):
    """Every failure under /api/ has this shape."""

    error: ErrorBody


class Page(BaseModel, Generic[T]):
    """A page of a list; `next` is the URL of the following page, or null on the last one."""

    items: list[T]
    next: str | None = None


class PageQuery(BaseModel):
    model_config = ConfigDict(extra="forbid")

    limit: int = Field(default=50, ge=1, le=500, description="Items per page")
    cursor: Cursor | None = Field(default=None, description="Opaque, from `next`")


class StatusOut(BaseModel):
    status: str
    version: str
