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
- a cached report download (warmed once before the run).
"""

from __future__ import annotations

import http.cookiejar
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.perf.conftest import Network, make_app
from tests.perf.harness import Results

SECONDS = int(os.environ.get("BENCH_WRK_SECONDS", "8"))
THREADS = 4  # = connections: one connection per wrk thread (autosave needs it)
ROOT = Path(__file__).resolve().parents[2]

DONE = """
done = function(summary, latency, requests)
  local ok, conflicts, other = 0, 0, 0
  for _, t in ipairs(threads) do
    ok = ok + (t:get("ok") or 0)
    conflicts = conflicts + (t:get("conflicts") or 0)
    other = other + (t:get("other") or 0)
  end
  io.write(string.format(
    '\\nRESULT {"requests": %d, "duration_us": %d, "non2xx": %d, "socket_errors": %d, '
    .. '"p50_us": %d, "p99_us": %d, "ok": %d, "conflicts": %d, "other": %d}\\n',
    summary.requests, summary.duration, summary.errors.status,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    latency:percentile(50), latency:percentile(99), ok, conflicts, other))
end
"""

THREAD_SETUP = """
threads = {}
local counter = 0
setup = function(thread)
  counter = counter + 1
  thread:set("index", counter)
  table.insert(threads, thread)
end
"""

GET_SCRIPT = THREAD_SETUP + """
wrk.method = "GET"
wrk.headers = %(headers)s
ok, conflicts, other = 0, 0, 0
response = function(status, headers, body)
  if status == 200 then ok = ok + 1 else other = other + 1 end
end
"""

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


def _lua(value: object) -> str:
    """A Lua literal for strings, numbers, None, lists and dicts."""
    if value is None:
        return "nil"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value)  # a JSON string is a valid Lua string here (no \u escapes)
    if isinstance(value, list | tuple):
        return "{" + ", ".join(_lua(v) for v in value) + "}"
    if isinstance(value, dict):
        return "{" + ", ".join(f"[{_lua(k)}] = {_lua(v)}" for k, v in value.items()) + "}"
    raise TypeError(value)


@dataclass
class Target:
    base: str
    token: str
    cookie: str
    page: str
    scores: str
    report: str
    questions: list[dict[str, object]]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_ready(base: str, process: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError("gunicorn exited")
        try:
            with urllib.request.urlopen(base + "/api/v1/ping", timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError("gunicorn did not answer")


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
            if q.show_if is None and len(found) >= 2 and len(questions) < THREADS:
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


def _login(base: str) -> str:
    """Log the demo focal point in through the login form; the Cookie header to send."""
    from benchmark.demo.accounts import DEMO_PASSWORD, DEMO_USERS

    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    html = opener.open(base + "/login", timeout=30).read().decode()
    csrf = re.search(r'name="csrf-token" content="([^"]+)"', html)
    assert csrf, "no CSRF token on the login page"
    form = urllib.parse.urlencode({"email": DEMO_USERS[2][0], "password": DEMO_PASSWORD,
                                   "csrf_token": csrf[1]}).encode()
    opener.open(base + "/login", data=form, timeout=30).read()
    return "; ".join(f"{c.name}={c.value}" for c in jar)


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "engine_name" in metafunc.fixturenames:
        choice = metafunc.config.getoption("--db", default="all")
        names = ["sqlite", "postgresql"] if choice == "all" else [choice]
        metafunc.parametrize("engine_name", names, scope="module")


@pytest.fixture(scope="module")
def served(engine_name: str, request: pytest.FixtureRequest,
           tmp_path_factory: pytest.TempPathFactory) -> Iterator[Target]:
    if shutil.which("wrk") is None:
        pytest.skip("wrk is not installed (apt-get install -y wrk)")
    network: Network = request.getfixturevalue("network" if engine_name == "sqlite" else "pg_network")
    target = _prepare(network)
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    log = tmp_path_factory.mktemp("gunicorn") / "gunicorn.log"
    with log.open("wb") as output, subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), "--workers", "2", "--bind",
         f"127.0.0.1:{port}", "--timeout", "120", "benchmark.app:create_app()"],
        cwd=ROOT, env=network.env(), stdout=output, stderr=output, start_new_session=True,
    ) as process:
        try:
            _wait_ready(base, process)
            target.base = base
            target.cookie = _login(base)
            yield target
        finally:
            os.killpg(process.pid, signal.SIGTERM)  # our own gunicorn: master and workers
            process.wait(timeout=30)


def _get(target: Target, path: str, headers: dict[str, str]) -> int:
    request = urllib.request.Request(target.base + path, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=120) as response:
            response.read()
            return response.status
    except urllib.error.HTTPError as err:
        return err.code


def _wrk(target: Target, path: str, script: str, tmp: Path) -> dict[str, float]:
    lua = tmp / f"script-{len(list(tmp.glob('*.lua')))}.lua"
    lua.write_text(script + DONE)
    done = subprocess.run(
        ["wrk", "-t", str(THREADS), "-c", str(THREADS), "-d", f"{SECONDS}s", "--timeout", "10s",
         "-s", str(lua), target.base + path], capture_output=True, text=True,
        timeout=SECONDS + 60, check=False)
    assert done.returncode == 0, done.stderr
    line = next(x for x in done.stdout.splitlines() if x.startswith("RESULT "))
    result = json.loads(line[len("RESULT "):])
    result["rps"] = result["requests"] / (result["duration_us"] / 1e6)
    return result


def _get_load(target: Target, path: str, headers: dict[str, str], tmp: Path) -> dict[str, float]:
    return _wrk(target, path, GET_SCRIPT % {"headers": _lua(headers)}, tmp)


def test_throughput_relative_to_ping(engine_name: str, served: Target, results: Results,
                                     tmp_path: Path) -> None:
    bearer = {"Authorization": f"Bearer {served.token}"}
    cookie = {"Cookie": served.cookie}
    assert _get(served, served.page, cookie) == 200, "dimension page not served"
    assert _get(served, served.scores, bearer) == 200

    ping_before = _get_load(served, "/api/v1/ping", {}, tmp_path)
    runs = {
        "questionnaire dimension page": (_get_load(served, served.page, cookie, tmp_path), 0.10),
        "autosave PUT (accepted saves)": (_wrk(served, "/api/v1/ping", PUT_SCRIPT % {
            "questions": _lua(served.questions), "auth": _lua(bearer["Authorization"])},
            tmp_path), 0.10),
        "scores JSON": (_get_load(served, served.scores, bearer, tmp_path), 0.35),
    }
    # Warmed after the autosaves: a report's cache key covers every round of its city, so
    # saving the draft made the validated round's cached report stale (by design).
    assert _get(served, served.report, bearer) == 200
    runs["cached report download"] = (_get_load(served, served.report, bearer, tmp_path), 0.25)
    ping_after = _get_load(served, "/api/v1/ping", {}, tmp_path)
    ping = (ping_before["rps"] + ping_after["rps"]) / 2
    results.record(f"http ping (baseline, {engine_name})", ping, "req/s",
                   note=f"before {ping_before['rps']:.0f}, after {ping_after['rps']:.0f}; "
                        f"p99 {ping_before['p99_us'] / 1000:.1f} ms")
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
