"""The OpenAPI document tells the truth: schemathesis against the app (issue 21).

Every operation of /api/v1/openapi.json is exercised on SQLite and PostgreSQL with a
staff, a focal point and a contributor token, with all of schemathesis' checks (server
errors, response schemas, status codes, content types, positive data accepted, negative
data refused, ...). Path parameters and ids in bodies draw from dictionaries of real ids
(assessments, practices, commitments, questions, dimensions, cursors the API issued), so
operations reach real rows, not only 404s and 422s. Zero failures.

Schema-valid data may still be refused because of stored data (a question id the edition
does not have, an answer that exists and so needs If-Match): the document says so in the
description of that route's 422 or 428 (web/api/routing.py `notes`), and the run accepts
those statuses on those routes only (`_stored_data_statuses`).

Bounded for `make test`: 4 examples an operation, a fixed seed, the coverage phase's
boundary cases, PDFs rendered in the staff run only. About 25 s of CPU a run: three roles
on SQLite, staff on PostgreSQL.

The app is served over HTTP from a thread (tests/live_server.py) and the engine runs in
a fresh contextvars.Context after the set-up is committed: the test's app context would
otherwise be reused by every request (Flask pushes an app context only when none is
current), leaking `g` between calls.

Adding an endpoint: use the shared types of benchmark/web/api/schemas.py and the header
specs of web/api/preconditions.py, so that the document says what the server accepts.
"""

from __future__ import annotations

import contextvars
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
import schemathesis
from schemathesis.config import SchemathesisConfig
from schemathesis.engine import events

from benchmark.extensions import db
from benchmark.web.api.openapi import ERROR_TEXT
from tests.builders import api_token, build_assessment, build_city, build_practice, build_user
from tests.integration.conftest import COMPLETE_2019
from tests.live_server import live_server

#: Rendering a PDF takes seconds: the report operations get one example and no coverage
#: phase, in the staff run only (staff may read every report; which role may read which
#: report is pinned by tests/integration/security/test_authz_matrix.py).
_REPORT_OPERATIONS = ["api_get_report_pdf", "api_get_network_report_pdf"]
_MAX_EXAMPLES = 4
_SEED = 21


def _stored_data_statuses(document: dict[str, Any]) -> dict[str, list[str]]:
    """Per operation, the statuses that schema-valid data may get because of stored data.

    The document says which: a 422 or 428 described by more than its generic text (e.g.
    "a question_id that is not a question of the assessment's edition", "a cursor this API
    did not issue"). positive_data_acceptance accepts those statuses there, and only there.
    """
    found: dict[str, list[str]] = {}
    for operations in document["paths"].values():
        for operation in operations.values():
            noted = [code for code, response in operation["responses"].items()
                     if code in {"422", "428"}
                     and response["description"] != ERROR_TEXT[int(code)]]
            if noted:
                found[operation["operationId"]] = noted
    return found


def _config(base_url: str, token: str, ids: dict[str, list[Any]],
            document: dict[str, Any], role: str) -> SchemathesisConfig:
    dictionaries = {name: {"values": values} for name, values in ids.items()}
    always = ["2xx", "3xx", "401", "403", "404", "409", "429"]
    per_operation: list[dict[str, Any]] = [
        {"include-operation-id": operation,
         "checks": {"positive_data_acceptance": {"expected-statuses": always + statuses}}}
        for operation, statuses in sorted(_stored_data_statuses(document).items())]
    cursors = [{"include-operation-id": operation,
                "parameters": {"query.cursor": {"dictionary": name, "probability": 0.8}}}
               for operation, name in (("api_list_practices", "practice_cursor"),
                                       ("api_list_commitments", "commitment_cursor"),
                                       ("api_list_assessments", "assessment_cursor"),
                                       ("api_list_cities", "city_cursor"))]
    return SchemathesisConfig.from_dict({
        "base-url": base_url,
        "headers": {"Authorization": f"Bearer {token}"},
        "generation": {"max-examples": _MAX_EXAMPLES, "database": "none",
                       "deterministic": True},
        "seed": _SEED,
        "phases": {"stateful": {"enabled": False}},
        # A required If-Match left out is 428 Precondition Required (RFC 6585), which the
        # document declares; schemathesis' default list predates that status.
        "checks": {"missing_required_header": {
            "expected-statuses": ["400", "401", "403", "406", "415", "422", "428"]}},
        "dictionaries": dictionaries,
        "parameters": {
            **{f"path.{name}": {"dictionary": name, "probability": 0.8}
               for name in ("assessment_id", "version", "slug", "question_id", "practice_id",
                            "commitment_id")},
            # Bodies name stored rows too: real ones most of the time.
            "body.question_id": {"dictionary": "question_id", "probability": 0.8},
            "body.questions[*]": {"dictionary": "question_id", "probability": 0.8},
            "body.dimension": {"dictionary": "dimension", "probability": 0.8},
            "body.dimensions[*]": {"dictionary": "dimension", "probability": 0.8},
            "body.practices[*]": {"dictionary": "practice_id", "probability": 0.8},
            "body.assessment": {"dictionary": "assessment_id", "probability": 0.8},
            "body.city": {"dictionary": "slug", "probability": 0.8},
        },
        "request-timeout": 120,
        "operations": [*per_operation, *cursors, {
            "include-operation-id": _REPORT_OPERATIONS,
            "enabled": role == "staff",
            "generation": {"max-examples": 1},
            "phases": {"coverage": {"enabled": False}},
        }],
    })


def _cursor(client: Any, headers: dict[str, str], path: str) -> str:
    """The cursor of the second page, as the API issues it."""
    page = client.get(path, headers=headers).get_json()
    assert page["next"], path
    return parse_qs(urlsplit(page["next"]).query)["cursor"][0]


@pytest.fixture
def network(app):  # type: ignore[no-untyped-def]
    """Two editions, a city team with a draft, a submitted and a validated assessment,
    practices (published and draft) and a commitment."""
    lyon = build_city("lyon", name="Lyon")
    oslo = build_city("oslo", name="Oslo")
    draft = build_assessment(lyon, version="2019", round=2022,
                             answers={"commitment_01": "yes", "education_01": 40})
    submitted = build_assessment(lyon, version="2019", round=2023, status="submitted",
                                 answers=COMPLETE_2019)
    validated = build_assessment(oslo, version="2019", round=2021, status="validated",
                                 answers=COMPLETE_2019)
    build_assessment(lyon, version="2024", round=2024)
    users = {
        "staff": build_user("staff"),
        "focal_point": build_user("focal_point", lyon),
        "contributor": build_user("contributor", lyon, dimensions=["education"]),
    }
    practices = [build_practice(lyon, title="Language cafés", questions=("education_01",)),
                 build_practice(lyon, status="draft", title="Reading clubs"),
                 build_practice(oslo, title="Open libraries")]
    db.session.commit()
    staff, focal = api_token(users["staff"]), api_token(users["focal_point"])
    client = app.test_client()
    commitment_ids = [client.post("/api/v1/cities/lyon/commitments", headers=focal, json={
        "assessment": draft.id, "title": title, "dimension": "education",
        "questions": ["education_01"], "practices": [practices[0].id]}).get_json()["id"]
        for title in ("Open planning", "School mediators")]
    ids = {"assessment_id": [draft.id, submitted.id, validated.id],
           "version": ["2019", "2024"], "slug": ["lyon", "oslo"],
           "question_id": ["commitment_01", "education_01", "education_02", "language_01"],
           "dimension": ["commitment", "education", "language"],
           "practice_id": [p.id for p in practices], "commitment_id": commitment_ids,
           "practice_cursor": [_cursor(client, staff, "/api/v1/practices?limit=1")],
           "commitment_cursor": [_cursor(client, staff, "/api/v1/cities/lyon/commitments?limit=1")],
           "assessment_cursor": [_cursor(client, staff, "/api/v1/assessments?limit=1")],
           "city_cursor": [_cursor(client, staff, "/api/v1/cities?limit=1")]}
    db.session.commit()
    return users, ids


def _run(schema: Any) -> list[str]:
    failures: list[str] = []
    for event in schemathesis.engine.from_schema(schema).execute():
        if isinstance(event, events.ScenarioFinished) and event.recorder is not None:
            for check in event.recorder.checks.values():
                for result in check:
                    if result.failure_info is not None:
                        info = result.failure_info
                        failures.append(f"{event.label}: {result.name}: {info.failure.title}: "
                                        f"{info.failure.message} [{info.code_sample}]")
        elif isinstance(event, events.NonFatalError):
            failures.append(f"{event.label}: error: {event.info.message}")
        elif isinstance(event, events.FatalError):
            failures.append(f"fatal: {event.exception}")
    return sorted(set(failures))


@pytest.mark.slow
@pytest.mark.filterwarnings("ignore:Generating overly large repr")
@pytest.mark.parametrize("role", ["staff", "focal_point", "contributor"])
def test_the_api_does_what_its_openapi_document_says(app, request, role: str) -> None:
    if role != "staff" and app.config["DATABASE_URL"].startswith("postgresql"):
        # Roles differ in what they may reach, which no engine changes; the staff run
        # reaches every operation on PostgreSQL. Keeps `make test` within its time.
        pytest.skip("on PostgreSQL the staff run covers every operation (roles: on SQLite)")
    users, ids = request.getfixturevalue("network")
    token = api_token(users[role])["Authorization"].removeprefix("Bearer ")
    db.session.commit()

    document = app.test_client().get("/api/v1/openapi.json").get_json()
    db.session.commit()
    with live_server(app) as base_url:
        def run() -> list[str]:
            schema = schemathesis.openapi.from_dict(
                document, config=_config(base_url, token, ids, document, role))
            return _run(schema)

        failures = contextvars.Context().run(run)
    assert failures == [], "\n".join(failures)
