"""Benchmark 3b: CPU time per request of the hot paths, as a ratio to the trivial endpoint.

The same paths as benchmark 3, in-process (Flask test client) and measured in CPU time
of this process (`time.process_time`), so that a machine shared with other work moves
the figures far less than a throughput under wrk does. On SQLite the database's work
is in this process and counted; on PostgreSQL the server's is not (it is in another
process), which favours PostgreSQL a little. The ratio is ping's CPU time divided by
the path's: 0.35 means the path costs 1/0.35 ≈ 2.9 pings.
"""

from __future__ import annotations

import json
import os
import re
import time
from typing import Any

import pytest

from tests.perf.conftest import Network, make_app
from tests.perf.harness import Results

REQUESTS = int(os.environ.get("BENCH_CPU_REQUESTS", "300"))
TARGETS = {"questionnaire dimension page": 0.10, "autosave PUT": 0.10, "scores JSON": 0.35,
           "cached report download": 0.25}


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "engine_name" in metafunc.fixturenames:
        choice = metafunc.config.getoption("--db", default="all")
        metafunc.parametrize("engine_name", ["sqlite", "postgresql"] if choice == "all" else [choice])


def _cpu(call: Any, n: int = REQUESTS) -> float:
    for _ in range(3):
        call()
    start = time.process_time()
    for _ in range(n):
        call()
    return (time.process_time() - start) / n


def test_cpu_per_request_relative_to_ping(engine_name: str, request: pytest.FixtureRequest,
                                          results: Results) -> None:
    network: Network = request.getfixturevalue("network" if engine_name == "sqlite" else "pg_network")
    app = make_app(network.instance, network.database_url)
    from sqlalchemy import select

    from benchmark.demo.accounts import DEMO_PASSWORD, DEMO_USERS
    from benchmark.demo.answers import candidates
    from benchmark.extensions import db
    from benchmark.models import Answer, Assessment, User
    from benchmark.services import questionnaires, tokens

    with app.app_context():
        focal = db.session.scalar(select(User).where(User.email == DEMO_USERS[2][0]))
        rounds = db.session.scalars(select(Assessment).where(Assessment.city_id == focal.city_id)
                                    .order_by(Assessment.round)).all()
        draft = next(a for a in rounds if a.status == "draft")
        validated = next(a for a in rounds if a.status == "validated")
        _, token = tokens.create_for_email(focal.email, "bench-cpu")
        edition = questionnaires.get_edition_by_id(draft.edition_id)
        q = next(q for q in edition.questions if q.show_if is None and len(candidates(q)) >= 2)
        values = [c.raw for c in candidates(q)][:2]
        revision = db.session.scalar(select(Answer.revision).where(
            Answer.assessment_id == draft.id, Answer.question_id == q.id))
        page = f"/assessments/{draft.id}/dimensions/{edition.dimensions[0].id}"
        draft_id, validated_id = draft.id, validated.id
        db.session.remove()
    bearer = {"Authorization": f"Bearer {token}"}
    client = app.test_client()
    html = client.get("/login").get_data(as_text=True)
    csrf = re.search(r'name="csrf-token" content="([^"]+)"', html)
    client.post("/login", data={"email": DEMO_USERS[2][0], "password": DEMO_PASSWORD,
                                "csrf_token": csrf[1] if csrf else ""})
    assert client.get(page).status_code == 200
    state = {"revision": revision, "turn": 0}

    def save() -> None:
        state["turn"] += 1
        headers = dict(bearer)
        if state["revision"] is None:
            headers["If-None-Match"] = "*"
        else:
            headers["If-Match"] = f'"{state["revision"]}"'
        response = client.put(f"/api/v1/assessments/{draft_id}/answers/{q.id}",
                              data=json.dumps({"value": values[state["turn"] % 2], "na": False}),
                              headers={**headers, "Content-Type": "application/json"})
        assert response.status_code == 200, response.get_data(as_text=True)
        state["revision"] = response.get_json()["revision"]

    report = f"/api/v1/assessments/{validated_id}/report.pdf?lang=en"
    assert client.get(report, headers=bearer).status_code == 200  # rendered once: then cached
    ping = _cpu(lambda: client.get("/api/v1/ping"))
    paths = {
        "questionnaire dimension page": lambda: client.get(page).get_data(),
        "autosave PUT": save,
        "scores JSON": lambda: client.get(f"/api/v1/assessments/{validated_id}/scores",
                                          headers=bearer).get_data(),
    }
    costs = {name: _cpu(call) for name, call in paths.items()}
    # After the saves: the draft's saves changed the validated round's report key (a
    # report covers its city's rounds), so it is rendered again once, then cached.
    assert client.get(report, headers=bearer).status_code == 200
    costs["cached report download"] = _cpu(lambda: client.get(report, headers=bearer).get_data())
    results.record(f"cpu ping (baseline, {engine_name})", ping * 1000, "ms",
                   note=f"CPU time per request in-process, {REQUESTS} requests")
    missed = []
    for name, cost in costs.items():
        row = results.record(f"cpu {name} ({engine_name})", cost * 1000, "ms",
                             baseline=ping * 1000, ratio=ping / cost,
                             target=f"ratio >= {TARGETS[name]}")
        if not row.met:
            missed.append(f"{name}: {row.ratio:.3f}")
    with app.app_context():
        db.engine.dispose()
    assert not missed, missed
