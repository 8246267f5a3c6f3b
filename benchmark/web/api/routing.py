"""A thin layer over Flask + pydantic v2: each route names its body, query and response models.

Why our own layer: flask-openapi3 and APIFlask bring their own app/blueprint classes,
error shapes and validation responses; docs/architecture.md (Contracts) fixes one error shape, ETag/If-Match
handling and binary PDF responses, which we would have to fight them for. Pydantic does
the validation and JSON Schema; this module only wires them to Flask and records routes.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, get_origin

from flask import Blueprint, Response, current_app, jsonify, request
from pydantic import BaseModel, ValidationError

from benchmark.errors import BadRequest, Invalid, TooLarge, Unauthenticated
from benchmark.inputs import TEXT_CONTROL, has_control_chars
from benchmark.web.identity import current_actor

#: Deepest nesting of lists and objects a JSON body may have (answers need 2).
MAX_JSON_DEPTH = 32
#: Control characters refused anywhere in a JSON body (tab and line breaks pass here;
#: one-line fields refuse them through their types, web/api/schemas.py).
_CONTROL = re.compile(f"[{TEXT_CONTROL}]")


@dataclass(frozen=True)
class Header:
    """A request header a route reads, as the OpenAPI document states it (schema: JSON Schema)."""

    name: str
    description: str
    required: bool = False
    schema: dict[str, Any] = field(default_factory=lambda: {"type": "string"})


@dataclass(frozen=True)
class RouteSpec:
    """What the OpenAPI document says about one route."""

    method: str
    rule: str
    endpoint: str
    summary: str
    body: type[BaseModel] | None = None
    query: type[BaseModel] | None = None
    out: type[BaseModel] | None = None
    status: int = 200
    #: Media type of a non-JSON success response (e.g. application/pdf).
    media_type: str | None = None
    errors: tuple[int, ...] = ()
    #: What an error status means on this route, when more than its generic meaning, e.g. a
    #: 422 that depends on stored data (an id of a question the edition does not have).
    notes: tuple[tuple[int, str], ...] = ()
    headers: tuple[Header, ...] = ()
    auth: bool = True
    tags: tuple[str, ...] = field(default_factory=tuple)


def pydantic_fields(err: ValidationError, prefix: str = "") -> dict[str, str]:
    """Pydantic errors as {"dotted.field": "message"}, the API's `fields` object."""
    fields: dict[str, str] = {}
    for item in err.errors(include_url=False):
        loc = ".".join(str(p) for p in item["loc"]) or prefix or "body"
        fields.setdefault(f"{prefix}{loc}" if prefix and loc != prefix else loc, item["msg"])
    return fields


def read_json_body(max_bytes: int | None = None) -> Any:
    """The request's JSON, refusing oversized (413), non-UTF-8 or malformed (400) bodies."""
    limit = max_bytes or current_app.config["API_MAX_BODY"]
    if request.content_length is not None and request.content_length > limit:
        raise TooLarge(f"The body is larger than {limit // 1024} kB.")
    raw = request.get_data(cache=True)
    if len(raw) > limit:
        raise TooLarge(f"The body is larger than {limit // 1024} kB.")
    if not raw.strip():
        raise BadRequest("A JSON body is required.")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise BadRequest("The body is not valid UTF-8.") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as err:
        raise BadRequest(f"Malformed JSON: {err.msg} at line {err.lineno}, column {err.colno}.") from None
    except RecursionError:
        raise BadRequest(f"The JSON is nested deeper than {MAX_JSON_DEPTH} levels.") from None
    except ValueError:  # an integer literal beyond Python's digit limit (sys.int_info)
        raise BadRequest("The JSON holds a number with too many digits.") from None
    if _depth(data) > MAX_JSON_DEPTH:
        raise BadRequest(f"The JSON is nested deeper than {MAX_JSON_DEPTH} levels.")
    if fields := _control_fields(data):
        raise Invalid("Text must not contain control characters (other than tab and line "
                      "breaks).", fields=fields)
    return data


def _depth(data: Any) -> int:
    """How deeply lists and objects nest in a parsed JSON value (without recursion)."""
    deepest, stack = 0, [(data, 1)]
    while stack:
        value, level = stack.pop()
        if isinstance(value, dict):
            value = list(value.values())
        if isinstance(value, list):
            deepest = max(deepest, level)
            stack.extend((v, level + 1) for v in value)
    return deepest


def _control_fields(data: Any, path: str = "") -> dict[str, str]:
    """Fields holding a control character, by dotted path (every JSON body: PostgreSQL refuses
    NUL, SQLite would store it raw). One-line fields are refused by their types too."""
    found: dict[str, str] = {}
    items = (data.items() if isinstance(data, dict)
             else enumerate(data) if isinstance(data, list) else ())
    for key, value in items:
        where = f"{path}.{key}" if path else str(key)
        if isinstance(key, str) and has_control_chars(key):
            found[where] = "must not contain control characters"
        elif isinstance(value, str):
            if _CONTROL.search(value):
                found[where] = "must not contain control characters"
        else:
            found.update(_control_fields(value, where))
    if not path and isinstance(data, str) and _CONTROL.search(data):
        found["body"] = "must not contain control characters"
    return found


def _parse_query(model: type[BaseModel]) -> BaseModel:
    # A parameter the model declares as a list may repeat (?city=a&city=b).
    lists = {name for name, field in model.model_fields.items()
             if get_origin(field.annotation) is list}
    data = {k: (request.args.getlist(k) if k in lists else v) for k, v in request.args.items()}
    try:
        return model.model_validate(data)
    except ValidationError as err:
        raise Invalid("Invalid query parameters.", fields=pydantic_fields(err)) from None


def _parse_body(model: type[BaseModel]) -> BaseModel:
    data = read_json_body()
    try:
        return model.model_validate(data)
    except ValidationError as err:
        raise Invalid("Invalid request body.", fields=pydantic_fields(err)) from None


class ApiBlueprint(Blueprint):
    """A Blueprint whose routes record a RouteSpec for the OpenAPI document."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.specs: list[RouteSpec] = []

    def route_model(
        self,
        method: str,
        rule: str,
        *,
        summary: str,
        body: type[BaseModel] | None = None,
        query: type[BaseModel] | None = None,
        out: type[BaseModel] | None = None,
        status: int = 200,
        media_type: str | None = None,
        errors: tuple[int, ...] = (),
        notes: dict[int, str] | None = None,
        headers: tuple[Header | tuple[str, str, bool], ...] = (),
        auth: bool = True,
        tags: tuple[str, ...] = (),
        endpoint: str | None = None,
    ) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
        """Register a view; it receives `body=`/`query=` models and returns a model or a Response."""

        def decorator(view: Callable[..., Any]) -> Callable[..., Any]:
            name = endpoint or view.__name__

            @functools.wraps(view)
            def wrapper(**kwargs: Any) -> Response:
                if auth and not current_actor().is_authenticated:
                    raise Unauthenticated("Authentication required: send 'Authorization: Bearer <token>'.")
                if body is not None:
                    kwargs["body"] = _parse_body(body)
                if query is not None:
                    kwargs["query"] = _parse_query(query)
                result = view(**kwargs)
                if isinstance(result, Response):
                    return result
                if isinstance(result, BaseModel):
                    response = jsonify(result.model_dump(mode="json"))
                    response.status_code = status
                    return response
                raise TypeError(f"{name} returned {type(result).__name__}, not a model")

            self.add_url_rule(rule, name, wrapper, methods=[method])
            self.specs.append(
                RouteSpec(
                    method=method.lower(), rule=rule, endpoint=f"{self.name}.{name}",
                    summary=summary, body=body, query=query, out=out, status=status,
                    media_type=media_type, errors=errors, auth=auth,
                    notes=tuple(sorted((notes or {}).items())),
                    headers=tuple(h if isinstance(h, Header) else Header(*h) for h in headers),
                    tags=tags,
                )
            )
            return wrapper

        return decorator

    def get(self, rule: str, **options: Any) -> Callable[..., Any]:  # type: ignore[override]
        return self.route_model("GET", rule, **options)

    def post(self, rule: str, **options: Any) -> Callable[..., Any]:  # type: ignore[override]
        return self.route_model("POST", rule, **options)

    def put(self, rule: str, **options: Any) -> Callable[..., Any]:  # type: ignore[override]
        return self.route_model("PUT", rule, **options)

    def delete(self, rule: str, **options: Any) -> Callable[..., Any]:  # type: ignore[override]
        return self.route_model("DELETE", rule, **options)
