"""What the service accepts from outside as text, ids and whole numbers (pure: no framework).

One home for these rules: the API's pydantic types (web/api/schemas.py), the URL converters
(web/converters.py), the request guard of HTML forms and query strings (web/inputs.py), the
services and the question types all ask here. PostgreSQL refuses a NUL in text (a 500 if
it reaches the database) and SQLite stores it raw into exports, so control characters are
refused at the edge, on both databases.
"""

from __future__ import annotations

import re

#: Largest id a URL or cursor may name: ids are INTEGER columns (PostgreSQL's 32-bit range).
MAX_ID = 2**31 - 1

#: Control characters refused in one-line text (names, slugs, versions, query parameters).
LINE_CONTROL = "\x00-\x1f\x7f"
#: Control characters refused in long text (comments, evidence): tab, LF and CR are allowed,
#: since browsers send a text area's line breaks as CRLF.
TEXT_CONTROL = "\x00-\x08\x0b\x0c\x0e-\x1f\x7f"

#: The same rules as JSON Schema patterns (ECMA-262 and Python agree on this syntax).
LINE_PATTERN = r"^[^\x00-\x1f\x7f]*$"
TEXT_PATTERN = r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f]*$"

_LINE_BAD = re.compile(f"[{LINE_CONTROL}\ud800-\udfff]")
_TEXT_BAD = re.compile(f"[{TEXT_CONTROL}\ud800-\udfff]")
_ASCII_DIGITS = re.compile(r"[0-9]{1,18}")


def has_control_chars(text: str, *, multiline: bool = False) -> bool:
    """Whether text holds a control character (or a lone surrogate, which is not Unicode text).

    multiline: tab, line feed and carriage return are allowed (long text).
    """
    return (_TEXT_BAD if multiline else _LINE_BAD).search(text) is not None


def bad_text_in(value: object, *, multiline: bool = True) -> bool:
    """Whether any string inside a JSON value (strings, lists, objects' keys and values) is bad."""
    if isinstance(value, str):
        return has_control_chars(value, multiline=multiline)
    if isinstance(value, list):
        return any(bad_text_in(v, multiline=multiline) for v in value)
    if isinstance(value, dict):
        return any(bad_text_in(k, multiline=False) or bad_text_in(v, multiline=multiline)
                   for k, v in value.items())
    return False


def ascii_int(text: str | None, default: int | None = None) -> int | None:
    """A non-negative integer written with ASCII digits only (at most 18), else `default`.

    str.isdigit() accepts "²" and "٣", which int() then refuses or reads differently.
    """
    if text is None or _ASCII_DIGITS.fullmatch(text) is None:
        return default
    return int(text)


def whole_number(value: object) -> int | None:
    """An integer as JSON Schema counts one (2972 and 2972.0 alike), else None; never a bool."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return None


def is_id(value: object) -> bool:
    """Whether value can be a row id (a positive integer within the columns' range)."""
    return isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= MAX_ID
