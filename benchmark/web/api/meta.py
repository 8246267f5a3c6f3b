"""The API's own description: OpenAPI document, docs page, and a minimal ping."""

from __future__ import annotations

from flask import Response, jsonify, render_template

from benchmark import __version__
from benchmark.web.api import bp
from benchmark.web.api.openapi import build_document
from benchmark.web.api.schemas import StatusOut


@bp.get("/ping", summary="Liveness of the API (no authentication)", out=StatusOut, auth=False,
        tags=("meta",))
def ping() -> StatusOut:
    return StatusOut(status="ok", version=__version__)


@bp.get("/openapi.json", summary="This API's OpenAPI 3.1 description", auth=False,
        media_type="application/json", tags=("meta",))
def openapi_json() -> Response:
    return jsonify(build_document(bp.specs, bp.url_prefix or ""))


def docs_page() -> str:
    """A readable, script-free rendering of the OpenAPI document at /api/docs."""
    document = build_document(bp.specs, bp.url_prefix or "")
    return render_template("api/docs.html", document=document)
