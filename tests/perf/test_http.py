"""Benchmark 3: throughput under load, served by gunicorn (2 workers) and driven by wrk.

Each endpoint is loaded for BENCH_WRK_SECONDS with the same wrk settings, and its
requests/s is reported as a ratio to /api/v1/ping (the app's minimal endpoint)
under the same load, so the ratio says what the endpoint's own work costs:

- the questionnaire dimension page of the demo focal point's draft (session cookie);
- an autosave PUT: every request is a real, accepted save. Each wrk thread has one
  connection and its own question, alternates two valid values and sends
  If-Match with the revision the previous response returned; 409s are counted
  (and must stay 0);
- the scores JSON of a validated assessment;
- a cached report download (warmed once before the run), twice: as production serves it
  (BENCHMARK_REPORT_SENDFILE=x-accel-redirect: the application checks access, computes the
  key and records the download, the reverse proxy sends the file; the target applies to
  this one), and with the file sent by the application itself (no proxy; no target).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.perf.conftest import Network, make_app
from tests.perf.harness import (
    THREAD_SETUP,
    WRK_THREADS,
    Results,
    get,
    gunicorn,
    login,
    lua,
    require_wrk,
    wrk,
    wrk_get,
)

PUT_SCRIPT = THREAD_SETUP + """
local questions = %(questions)s
local auth = %(auth)s
init = function(args)
  q = questions[index]
  turn = 0
  ok, conflicts, other = 0, 0, 0
end
request = function()
  turn = turn + 1
  local headers = {["Authorization"] = auth, ["Content-Type"] = "application/json"}
  if q.revision then
    headers["If-Match"] = '"' .. q.revision .. '"'
  else
    headers["If-None-Match"] = "*"
  end
  return wrk.format("PUT", q.path, headers, q.bodies[(turn %% 2) + 1])
end
response = function(status, headers, body)
  local revision = body:match('"revision"%%s*:%%s*(%%d+)')
  if status == 200 or status == 201 then
    ok = ok + 1
  elseif status == 409 then
    conflicts = conflicts + 1
  else
    other = other + 1
  end
  if revision then q.revision = tonumber(revision) end
end
"""


@dataclass
class Target:
    base: str
    token: str
    cookie: str
    page: str
    scores: str
    report: str
    questions: list[dict[str, object]]
    env: dict[str, str] | None = None


def _prepare(network: Network) -> Target | str:
    """Token, questions to autosave and paths, from the seeded network; a reason to skip."""
    from sqlalchemy import select

    app = make_app(network.instance, network.database_url)
    with app.app_context():
        from benchmark.demo.accounts import DEMO_USERS
        from benchmark.demo.answers import candidates
        from benchmark.extensions import db
        from benchmark.models import Answer, Assessment, User
        from benchmark.services import questionnaires, tokens

        focal = db.session.scalar(select(User).where(User.email == DEMO_USERS[2][0]))
        rounds = db.session.scalars(select(Assessment).where(Assessment.city_id == focal.city_id)
                                    .order_by(Assessment.round)).all()
        draft = next(a for a in rounds if a.status == "draft")
        validated = next(a for a in rounds if a.status == "validated")
        _, token = tokens.create_for_email(focal.email, "benchmark")
        edition = questionnaires.get_edition_by_id(draft.edition_id)
        revisions = dict(db.session.execute(
            select(Answer.question_id, Answer.revision).where(Answer.assessment_id == draft.id)).all())
        questions = []
        for q in edition.questions:
            found = [c.raw for c in candidates(q)]
            if q.show_if is None and len(found) >= 2 and len(questions) < WRK_THREADS:
                questions.append({
                    "path": f"/api/v1/assessments/{draft.id}/answers/{q.id}",
                    "bodies": [json.dumps({"value": v, "na": False}) for v in found[:2]],
                    "revision": revisions.get(q.id)})
        page = f"/assessments/{draft.id}/dimensions/{edition.dimensions[0].id}"
        target = Target("", token, "", page, f"/api/v1/assessments/{validated.id}/scores",
                        f"/api/v1/assessments/{validated.id}/report.pdf?lang=en", questions)
        db.session.remove()
        db.engine.dispose()
    return target


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "engine_name" in metafunc.fixturenames:
        choice = metafunc.config.getoption("--db", default="all")
        names = ["sqlite", "postgresql"] if choice == "all" else [choice]
        metafunc.parametrize("engine_name", names, scope="module")


@pytest.fixture(scope="module")
def served(engine_name: str, request: pytest.FixtureRequest,
           tmp_path_factory: pytest.TempPathFactory) -> Iterator[Target]:
    require_wrk()
    network: Network = request.getfixturevalue("network" if engine_name == "sqlite" else "pg_network")
    target = _prepare(network)
    target.env = network.env()
    with gunicorn(network.env(), tmp_path_factory.mktemp("gunicorn") / "gunicorn.log") as base:
        from benchmark.demo.accounts import DEMO_PASSWORD, DEMO_USERS

        target.base = base
        target.cookie = login(base, DEMO_USERS[2][0], DEMO_PASSWORD)
        yield target


def test_throughput_relative_to_ping(engine_name: str, served: Target, results: Results,
                                     tmp_path: Path) -> None:
    bearer = {"Authorization": f"Bearer {served.token}"}
    cookie = {"Cookie": served.cookie}
    assert get(served.base, served.page, cookie) == 200, "dimension page not served"
    assert get(served.base, served.scores, bearer) == 200

    ping_before = wrk_get(served.base, "/api/v1/ping", {}, tmp_path)
    runs = {
        "questionnaire dimension page": (wrk_get(served.base, served.page, cookie, tmp_path), 0.10),
        "autosave PUT (accepted saves)": (wrk(served.base, "/api/v1/ping", PUT_SCRIPT % {
            "questions": lua(served.questions), "auth": lua(bearer["Authorization"])},
            tmp_path), 0.10),
        "scores JSON": (wrk_get(served.base, served.scores, bearer, tmp_path), 0.35),
    }
    # Warmed after the autosaves: a report's cache key covers every round of its city, so
    # saving the draft made the validated round's cached report stale (by design).
    assert get(served.base, served.report, bearer) == 200
    sent_by_app = wrk_get(served.base, served.report, bearer, tmp_path)
    ping_after = wrk_get(served.base, "/api/v1/ping", {}, tmp_path)
    assert served.env is not None
    with gunicorn({**served.env, "BENCHMARK_REPORT_SENDFILE": "x-accel-redirect"},
                  tmp_path / "gunicorn-proxied.log") as proxied:
        assert get(proxied, served.report, bearer) == 200
        runs["cached report download, file sent by the proxy (production)"] = (
            wrk_get(proxied, served.report, bearer, tmp_path), 0.25)
    ping = (ping_before["rps"] + ping_after["rps"]) / 2
    results.record(f"http ping (baseline, {engine_name})", ping, "req/s",
                   note=f"before {ping_before['rps']:.0f}, after {ping_after['rps']:.0f}; "
                        f"p99 {ping_before['p99_us'] / 1000:.1f} ms")
    results.record(f"http cached report download, file sent by the app ({engine_name})",
                   sent_by_app["rps"], "req/s", baseline=ping,
                   note=f"no target: without a reverse proxy; p50 {sent_by_app['p50_us'] / 1000:.1f} ms")
    missed = []
    for name, (run, target) in runs.items():
        note = (f"p50 {run['p50_us'] / 1000:.1f} ms; {run['requests']} requests, "
                f"non-2xx {run['non2xx']}, socket errors {run['socket_errors']}")
        if name.startswith("autosave"):
            note += f"; accepted {run['ok']}, 409 {run['conflicts']}, other {run['other']}"
        row = results.record(f"http {name} ({engine_name})", run["rps"], "req/s", baseline=ping,
                             target=f"ratio >= {target}", note=note)
        results.record(f"http {name}, p99 ({engine_name})", run["p99_us"] / 1000, "ms",
                       baseline=ping_before["p99_us"] / 1000)
        if not row.met:
            missed.append(f"{name}: {row.ratio:.3f} of ping (target ≥ {target})")
        assert run["non2xx"] == 0 and run["socket_errors"] == 0, (name, run)
    assert runs["autosave PUT (accepted saves)"][0]["conflicts"] == 0
    assert not missed, missed
