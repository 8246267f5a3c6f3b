"""URL converters for every route, API and HTML: ids within the columns' range, no control characters.

They replace Flask's `int` and default (`string`) converters app-wide (app.py), so a route
written `<int:assessment_id>` or `<slug>` gets them without saying so: an id beyond the
column's range (2^31 on PostgreSQL, 2^63 on SQLite) or written with other digits than
0-9, and a segment holding a control character, match no route and answer 404.
"""

from __future__ import annotations

from typing import Any

from werkzeug.routing import IntegerConverter, Map, UnicodeConverter

from benchmark.inputs import LINE_CONTROL, MAX_ID


def digits_up_to(limit: int) -> str:
    """A regex of the numbers 0..limit in ASCII digits (leading zeros allowed up to limit's
    length): shorter numbers, then, digit by digit, a smaller digit after limit's prefix."""
    text = str(limit)
    branches = [f"[0-9]{{1,{len(text) - 1}}}"] if len(text) > 1 else []
    for i, digit in enumerate(text):
        if digit != "0":
            rest = len(text) - i - 1
            branches.append(f"{text[:i]}[0-{int(digit) - 1}]" + (f"[0-9]{{{rest}}}" if rest else ""))
    branches.append(text)
    return "(?:" + "|".join(branches) + ")"


class IdConverter(IntegerConverter):
    """`<int:...>`: ASCII digits, 0..MAX_ID (larger ids cannot exist: 404, never a 500).

    The bound is in the regex, not only in `max`: werkzeug checks a converter's value after
    choosing a rule, so a PUT to /practices/<too large> would find the GET rule of the same
    path and answer 405 instead of 404.
    """

    regex = digits_up_to(MAX_ID)

    def __init__(self, map: Map, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max", MAX_ID)
        super().__init__(map, *args, **kwargs)


class SegmentConverter(UnicodeConverter):
    """`<name>` / `<string:name>`: one path segment without control characters."""

    def __init__(self, map: Map, *args: Any, **kwargs: Any) -> None:
        super().__init__(map, *args, **kwargs)
        self.regex = self.regex.replace("[^/]", f"[^/{LINE_CONTROL}]")


def install(url_map: Map) -> None:
    """Make these the converters of `int`, `string` and the default (before any route is added)."""
    url_map.converters["int"] = IdConverter
    url_map.converters["string"] = SegmentConverter
    url_map.converters["default"] = SegmentConverter
