"""Keyset pagination with opaque cursors: stable under inserts, no OFFSET scans."""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Sequence
from typing import Any, TypeVar

from flask import request, url_for

from benchmark.errors import Invalid
from benchmark.inputs import has_control_chars, is_id

T = TypeVar("T")


def encode_cursor(last_key: Any) -> str:
    raw = json.dumps(last_key, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str | None, kind: type | tuple[type, ...]) -> Any:
    """The key after which the page starts: an id (kind int), a text key (kind str), or a
    list of such keys (kind a tuple, e.g. (str, int) for [text, id]).

    None for the first page; 422 for anything this API did not issue: not base64 JSON, a
    key of another type, an id beyond the columns' range, text with control characters.
    """
    if not cursor:
        return None
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        key = json.loads(base64.urlsafe_b64decode(padded.encode()))
    except (binascii.Error, ValueError, UnicodeDecodeError, RecursionError):
        key = None
    if _is_key(key, kind):
        return key
    raise Invalid("Invalid cursor.", fields={"cursor": "not a cursor this API issued"})


def _is_key(key: Any, kind: type | tuple[type, ...]) -> bool:
    if isinstance(kind, tuple):
        return (isinstance(key, list) and len(key) == len(kind)
                and all(_is_key(k, t) for k, t in zip(key, kind, strict=True)))
    if kind is int:
        return is_id(key)
    if kind is str:
        return isinstance(key, str) and 0 < len(key) <= 200 and not has_control_chars(key)
    return False


def next_url(rows: Sequence[T], limit: int, key_of: Any) -> str | None:
    """URL of the next page when the query fetched limit + 1 rows, else None."""
    if len(rows) <= limit:
        return None
    args = dict(request.args)
    args["cursor"] = encode_cursor(key_of(rows[limit - 1]))
    args["limit"] = str(limit)
    view_args = dict(request.view_args or {})
    return url_for(str(request.endpoint), **view_args, **args, _external=False)
