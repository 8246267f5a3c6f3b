"""Builds the OpenAPI 3.1 document from the routes' recorded pydantic models."""

from __future__ import annotations

import re
from typing import Any

from pydantic import BaseModel

from benchmark import __version__
from benchmark.inputs import MAX_ID
from benchmark.web.api.routing import RouteSpec
from benchmark.web.api.schemas import ErrorOut

_PARAM = re.compile(r"<(?:(?P<conv>[a-z]+):)?(?P<name>[a-zA-Z_][a-zA-Z0-9_]*)>")
_REF = "#/components/schemas/{model}"
ERROR_TEXT = {
    400: "Malformed request",
    401: "Missing or invalid token",
    403: "Not allowed",
    404: "Unknown, or not visible to the caller",
    409: "Stale revision or wrong state",
    413: "Body too large",
    422: "Invalid value",
    428: "Missing precondition header",
    429: "Rate limited",
}


class _Schemas:
    def __init__(self) -> None:
        self.components: dict[str, Any] = {}

    def ref(self, model: type[BaseModel], mode: str = "serialization") -> dict[str, Any]:
        schema = model.model_json_schema(ref_template=_REF, mode=mode)  # type: ignore[arg-type]
        for name, definition in schema.pop("$defs", {}).items():
            self.components.setdefault(name, definition)
        title = schema.get("title", model.__name__)
        name = re.sub(r"[^A-Za-z0-9_.-]", "_", title)
        self.components.setdefault(name, schema)
        return {"$ref": _REF.format(model=name)}


#: The path parameters' schemas, as the URL converters (web/converters.py) accept them.
_PATH_SCHEMAS: dict[str, dict[str, Any]] = {
    "int": {"type": "integer", "minimum": 0, "maximum": MAX_ID},
    "string": {"type": "string", "minLength": 1, "pattern": r"^[^/\x00-\x1f\x7f]+$"},
}


def _path_and_params(rule: str) -> tuple[str, list[dict[str, Any]]]:
    params = []
    for match in _PARAM.finditer(rule):
        schema = _PATH_SCHEMAS.get(match["conv"] or "string", {"type": "string"})
        params.append({"name": match["name"], "in": "path", "required": True,
                       "schema": dict(schema)})
    return _PARAM.sub(lambda m: "{" + m["name"] + "}", rule), params


def _without_null(prop: dict[str, Any]) -> dict[str, Any]:
    """An optional query parameter is left out, never sent as null: drop the null branch."""
    branches = [b for b in prop.get("anyOf", []) if b != {"type": "null"}]
    if "anyOf" in prop and len(branches) == 1:
        rest = {k: v for k, v in prop.items() if k not in {"anyOf", "default"}}
        return {**branches[0], **rest}
    return prop


def _query_params(model: type[BaseModel]) -> list[dict[str, Any]]:
    schema = model.model_json_schema()
    required = set(schema.get("required", []))
    params = []
    for name, prop in schema.get("properties", {}).items():
        prop = _without_null(prop)
        params.append({
            "name": name, "in": "query", "required": name in required,
            "description": prop.pop("description", ""),
            "schema": {k: v for k, v in prop.items() if k != "title"},
        })
    return params


def _operation(spec: RouteSpec, schemas: _Schemas, error_ref: dict[str, Any]) -> dict[str, Any]:
    _, params = _path_and_params(spec.rule)
    if spec.query is not None:
        params += _query_params(spec.query)
    for header in spec.headers:
        params.append({"name": header.name, "in": "header", "required": header.required,
                       "description": header.description, "schema": dict(header.schema)})
    operation: dict[str, Any] = {
        "operationId": spec.endpoint.replace(".", "_"),
        "summary": spec.summary,
        "tags": list(spec.tags) or ["misc"],
        "parameters": params,
        "responses": {},
    }
    if spec.body is not None:
        operation["requestBody"] = {
            "required": True,
            "content": {"application/json": {"schema": schemas.ref(spec.body, "validation")}},
        }
    success: dict[str, Any] = {"description": "Success"}
    if spec.media_type == "application/json":  # a JSON document without a model
        success["content"] = {spec.media_type: {"schema": {"type": "object"}}}
    elif spec.media_type:
        success["content"] = {spec.media_type: {"schema": {"type": "string",
                                                          "contentMediaType": spec.media_type}}}
    elif spec.out is not None:
        success["content"] = {"application/json": {"schema": schemas.ref(spec.out)}}
    operation["responses"][str(spec.status)] = success
    codes = set(spec.errors) | ({401, 429} if spec.auth else set())
    if spec.body is not None:
        codes |= {400, 413, 422}
    if spec.query is not None:
        codes.add(422)
    if "<" in spec.rule:
        codes.add(404)  # an id or segment that names nothing
    if any(set(h.schema) - {"type"} for h in spec.headers):
        codes.add(400)  # a header that does not have the documented form
    notes = dict(spec.notes)
    for code in sorted(codes):
        if code == 304:
            operation["responses"]["304"] = {"description": "Not modified (If-None-Match)"}
            continue
        operation["responses"][str(code)] = {
            "description": notes.get(code) or ERROR_TEXT.get(code, "Error"),
            "content": {"application/json": {"schema": error_ref}},
        }
    if spec.auth:
        operation["security"] = [{"bearerAuth": []}]
    else:
        operation["security"] = []
    return operation


def build_document(specs: list[RouteSpec], prefix: str) -> dict[str, Any]:
    """The OpenAPI 3.1 document describing every recorded route."""
    schemas = _Schemas()
    error_ref = schemas.ref(ErrorOut)
    paths: dict[str, dict[str, Any]] = {}
    for spec in sorted(specs, key=lambda s: (s.rule, s.method)):
        path, _ = _path_and_params(spec.rule)
        paths.setdefault(prefix + path, {})[spec.method] = _operation(spec, schemas, error_ref)
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "City Benchmark API",
            "version": __version__,
            "description": "Self-assessment and benchmarking of cities' intercultural policies. "
            "Authenticate with `Authorization: Bearer <token>` (create one with "
            "`benchmark token create` or on your account page).",
        },
        "servers": [{"url": "/"}],
        "paths": paths,
        "components": {
            "schemas": dict(sorted(schemas.components.items())),
            "securitySchemes": {"bearerAuth": {"type": "http", "scheme": "bearer"}},
        },
    }
