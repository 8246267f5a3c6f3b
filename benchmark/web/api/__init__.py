"""The JSON API under /api/v1: routes declare pydantic models, which also build the OpenAPI spec."""

from __future__ import annotations

from benchmark.web.api.routing import ApiBlueprint

bp = ApiBlueprint("api", __name__, url_prefix="/api/v1")

# Importing the route modules registers their routes on bp.
from benchmark.web.api import meta  # noqa: E402,F401
