"""The JSON API under /api/v1: routes declare pydantic models, which also build the OpenAPI spec.

Every module of this package except the infrastructure ones defines routes on `bp`;
they are imported here, so a new resource is one new module.
"""

from __future__ import annotations

import importlib
import pkgutil

from benchmark.web.api.routing import ApiBlueprint

bp = ApiBlueprint("api", __name__, url_prefix="/api/v1")

_INFRASTRUCTURE = {"routing", "openapi", "pagination", "schemas"}
for _info in sorted(pkgutil.iter_modules(__path__), key=lambda i: i.name):
    if _info.name not in _INFRASTRUCTURE and not _info.name.startswith("_"):
        importlib.import_module(f"{__name__}.{_info.name}")
