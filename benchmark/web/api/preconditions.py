"""The API's precondition headers, parsed in one place: If-Match "<revision>" and If-None-Match: *.

Every resource written with optimistic concurrency (answers, and any later resource with a
revision) names these header specs in its route (`headers=(IF_MATCH, IF_NONE_MATCH_CREATE)`)
and reads them with `if_match_revision()` / `if_none_match_create()`, so the OpenAPI document
and the server agree on exactly what is accepted.
"""

from __future__ import annotations

import re

from flask import request

from benchmark.errors import BadRequest, PreconditionRequired
from benchmark.web.api.routing import Header

#: One revision, strong or weak: "3" or W/"3" (ASCII digits only: "²" is not a revision).
_REVISION = re.compile(r'(?:W/)?"([0-9]{1,9})"')

IF_MATCH = Header(
    "If-Match", 'The revision you changed, e.g. "3" (required to change an existing resource)',
    required=False, schema={"type": "string", "pattern": r'^(W/)?"[0-9]{1,9}"$'})
IF_NONE_MATCH_CREATE = Header(
    "If-None-Match", "* to create a resource that must not exist yet", required=False,
    schema={"type": "string", "enum": ["*"]})


def if_match_revision() -> int | None:
    """The revision named by If-Match; None without the header (or with an empty one).

    400 when malformed (several tags, no quotes, other digits than 0-9); 428 for "*",
    which would overwrite whatever is stored.
    """
    given = request.headers.get("If-Match")
    if not given:  # absent, or sent empty (as some clients send an unset header)
        return None
    if given.strip() == "*":
        raise PreconditionRequired('If-Match: * would overwrite whatever is stored: send the '
                                   'revision you changed, e.g. If-Match: "3".')
    match = _REVISION.fullmatch(given)
    if match is None:
        raise BadRequest('If-Match must name exactly one revision in quotes, e.g. "3".')
    return int(match.group(1))


def if_none_match_create() -> bool:
    """Whether If-None-Match: * was sent (create only); 400 for any other value."""
    given = request.headers.get("If-None-Match")
    if not given:
        return False
    if given != "*":
        raise BadRequest("If-None-Match accepts only *.")
    return True
