"""The JSON API under /api/v1: routes declare pydantic models, which also build the OpenAPI spec.

Each resource module defines routes on `bp`; the list at the end of this file imports
them, so a reader sees every resource in one place.
"""

from __future__ import annotations

import hashlib

from flask import current_app, request
from flask_limiter.util import get_remote_address

from benchmark.extensions import limiter
from benchmark.web.api.routing import ApiBlueprint

bp = ApiBlueprint("api", __name__, url_prefix="/api/v1")


def _token_key() -> str:
    """Per credential (hashed, no database read), else per client address."""
    header = request.headers.get("Authorization", "")
    if header:
        return "api-token:" + hashlib.sha256(header.encode()).hexdigest()[:32]
    return _address_key()


def _address_key() -> str:
    return "api-ip:" + (get_remote_address() or "")


def _api_limit() -> str:
    return str(current_app.config["API_RATE_LIMIT"])


# Every API route, per token and per address (so invented tokens cannot dodge the limit);
# Redis holds the counters when BENCHMARK_REDIS_URL is set, so they hold across workers.
limiter.limit(_api_limit, key_func=_token_key)(bp)
limiter.limit(_api_limit, key_func=_address_key)(bp)

# The resource modules register their routes on `bp` when imported.
from benchmark.web.api import (  # noqa: E402
    assessments,
    cities,
    commitments,
    compare,
    exports,
    meta,
    practices,
    questionnaires,
    reports,
    scores,
)

__all__ = ["assessments", "bp", "cities", "commitments", "compare", "exports", "meta", "practices",
           "questionnaires", "reports", "scores"]
