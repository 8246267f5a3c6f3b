"""The skeleton a user and an operator meet first: pages, health, errors, languages."""

from __future__ import annotations

import json

import pytest

from tests.builders import api_token, build_user


def test_home_page_is_served_with_landmarks(client) -> None:
    response = client.get("/")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert '<main id="main"' in html
    assert 'class="skip-link" href="#main"' in html
    assert '<html lang="en" dir="ltr">' in html


def test_home_page_in_arabic_is_right_to_left(client) -> None:
    html = client.get("/?lang=ar").get_data(as_text=True)
    assert '<html lang="ar" dir="rtl">' in html
    assert "قياس" in html or "المدن" in html  # translated heading, not English


def test_home_page_in_french_is_translated(client) -> None:
    html = client.get("/?lang=fr").get_data(as_text=True)
    assert '<html lang="fr" dir="ltr">' in html
    assert "Comment ça marche" in html


def test_language_choice_sticks_for_the_session(client) -> None:
    client.get("/language/fr?next=/")
    assert '<html lang="fr"' in client.get("/").get_data(as_text=True)


def test_a_pages_lang_sticks_but_an_api_lang_sets_no_cookie(client) -> None:
    api = client.get("/api/v1/questionnaires?lang=ar", headers=api_token(build_user("staff")))
    assert api.status_code == 200
    assert "Set-Cookie" not in api.headers  # a parameter of the resource, not a preference
    assert '<html lang="en"' in client.get("/").get_data(as_text=True)
    assert "Set-Cookie" in client.get("/?lang=fr").headers
    assert "Set-Cookie" not in client.get("/?lang=fr").headers  # unchanged: not re-signed
    assert '<html lang="fr"' in client.get("/").get_data(as_text=True)


def test_language_switch_refuses_offsite_redirects(client) -> None:
    response = client.get("/language/fr?next=//evil.example/")
    assert response.headers["Location"] == "/"


def test_healthz_reports_database_and_version(client, backend) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.get_json()
    assert body["status"] == "ok"
    assert body["database"] == {"sqlite": "sqlite", "postgresql": "postgresql"}[backend]
    assert body["version"]


def test_unknown_page_is_a_404_in_the_site_layout(client) -> None:
    response = client.get("/no-such-page")
    assert response.status_code == 404
    html = response.get_data(as_text=True)
    assert "Page not found" in html and 'class="skip-link"' in html


def test_unknown_api_path_is_a_404_in_the_error_shape(client) -> None:
    response = client.get("/api/v1/no-such-thing")
    assert response.status_code == 404
    assert response.get_json()["error"]["code"] == "not_found"
    assert set(response.get_json()["error"]) == {"code", "message", "fields"}


def test_wrong_method_on_api_is_a_405_in_the_error_shape(client) -> None:
    response = client.delete("/api/v1/ping")
    assert response.status_code == 405
    assert response.get_json()["error"]["code"] == "method_not_allowed"
    assert "GET" in response.headers["Allow"]


@pytest.fixture
def echo_app(app):
    """A route taking a JSON body, to exercise the API layer's body handling."""
    from pydantic import BaseModel

    from benchmark.web.api.routing import ApiBlueprint

    class EchoIn(BaseModel):
        name: str
        count: int

    bp = ApiBlueprint("echo", __name__, url_prefix="/api/v1/test")

    @bp.post("/echo", summary="echo", body=EchoIn, out=EchoIn, auth=False)
    def echo(body: EchoIn) -> EchoIn:
        return body

    @bp.get("/boom", summary="fails", out=EchoIn, auth=False)
    def boom() -> EchoIn:
        raise RuntimeError("secret internals")

    app.register_blueprint(bp)
    return app


def test_malformed_json_is_a_400_in_the_error_shape(echo_app) -> None:
    client = echo_app.test_client()
    response = client.post("/api/v1/test/echo", data='{"name": "x",', content_type="application/json")
    assert response.status_code == 400
    assert response.get_json()["error"]["code"] == "bad_request"
    assert "Malformed JSON" in response.get_json()["error"]["message"]


def test_invalid_utf8_body_is_a_400(echo_app) -> None:
    client = echo_app.test_client()
    response = client.post("/api/v1/test/echo", data=b'{"name": "\xff"}', content_type="application/json")
    assert response.status_code == 400


def test_invalid_value_is_a_422_naming_the_field(echo_app) -> None:
    client = echo_app.test_client()
    response = client.post("/api/v1/test/echo", json={"name": "x", "count": "many"})
    assert response.status_code == 422
    assert "count" in response.get_json()["error"]["fields"]


def test_oversized_body_is_a_413(echo_app) -> None:
    client = echo_app.test_client()
    payload = json.dumps({"name": "x" * 70_000, "count": 1})
    response = client.post("/api/v1/test/echo", data=payload, content_type="application/json")
    assert response.status_code == 413
    assert response.get_json()["error"]["code"] == "too_large"


def test_server_error_on_api_hides_the_traceback(echo_app) -> None:
    client = echo_app.test_client()
    response = client.get("/api/v1/test/boom")
    assert response.status_code == 500
    body = response.get_data(as_text=True)
    assert "secret internals" not in body and "Traceback" not in body
    assert response.get_json()["error"]["code"] == "internal_error"


def test_security_headers_on_pages(client) -> None:
    headers = client.get("/").headers
    csp = headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"]


def test_openapi_document_is_valid_openapi_31(client) -> None:
    from openapi_spec_validator import validate

    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    document = response.get_json()
    assert document["openapi"].startswith("3.1")
    validate(document)


def test_openapi_document_bounds_numbers_in_json_schema_words(client) -> None:
    """pydantic writes `ge`/`le` (which JSON Schema ignores) for bounds it cannot place on
    the integer itself: the document would then allow any number the server refuses."""
    text = client.get("/api/v1/openapi.json").get_data(as_text=True)
    for keyword in ('"ge"', '"le"', '"gt"', '"lt"'):
        assert keyword + ":" not in text.replace(" ", "")


def test_every_api_route_declares_its_models(app) -> None:
    from benchmark.web.api import bp

    specs = {s.endpoint for s in bp.specs}
    api_rules = [r for r in app.url_map.iter_rules() if r.endpoint.startswith("api.")]
    missing = [r.rule for r in api_rules if r.endpoint not in specs]
    assert missing == []
    undeclared = [s.endpoint for s in bp.specs if s.out is None and s.media_type is None]
    assert undeclared == []


def test_api_docs_page_lists_the_endpoints(client) -> None:
    response = client.get("/api/docs")
    assert response.status_code == 200
    assert "/api/v1/openapi.json" in response.get_data(as_text=True)
