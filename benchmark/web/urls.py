"""Links built many times on one page from one `url_for`: links that differ by one id
only (`url_with`), and a table's links that differ by their query (`with_query`).

A page listing many questions or sections links each of them to the same endpoint with
the same other values: `url_for` (~30 µs: URL defaults, the blueprint, the map adapter)
then runs once, for a template with a placeholder, and each link is the template with
its id put in. Only for ids that URL quoting leaves as they are (letters, digits, `_`,
`-`); any other value goes through `url_for` itself, so every link is the one `url_for`
would build.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import urlencode

from flask import has_request_context, request, url_for

_PLACEHOLDER = "__benchmark_url_id__"
_PLAIN = re.compile(r"[A-Za-z0-9_-]+\Z")
#: Kept in the request's environ: one set of templates per request (an app context, and
#: with it `g`, can outlive a request in tests and CLI code).
_KEY = "benchmark.url_templates"


def url_with(endpoint: str, key: str, value: object, **values: object) -> str:
    """`url_for(endpoint, **{key: value}, **values)` for a string route argument `key`."""
    text = str(value)
    if not _PLAIN.match(text) or _PLACEHOLDER in text or not has_request_context():
        return url_for(endpoint, **{key: value}, **values)
    templates: dict[tuple[object, ...], str] = request.environ.setdefault(_KEY, {})
    ident = (endpoint, key, *sorted(values.items()))
    template = templates.get(ident)
    if template is None:
        template = templates[ident] = url_for(endpoint, **{key: _PLACEHOLDER}, **values)
    return template.replace(_PLACEHOLDER, text)


def with_query(endpoint: str, **values: object) -> Callable[[Mapping[str, Any]], str]:
    """The URL of `endpoint` as a function of its query arguments: a table's sort and page
    links (~30 on the dashboard) from one `url_for`."""
    base = url_for(endpoint, **values)
    return lambda query: f"{base}?{urlencode(query)}" if query else base
