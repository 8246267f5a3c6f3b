"""Two app instances and a worker as separate processes, sharing PostgreSQL and Redis.

Each instance is `run.py --prod` (gunicorn, 2 workers) with an instance folder of its
own, as on two machines; `benchmark worker` has a third folder. A validation on one
instance queues its report, which the worker renders; both instances then serve it
without rendering, with the same ETag and bytes. A report rendered on demand by one
instance is served by the other the same way, and answered 304 from its ETag.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import select

from benchmark.extensions import db
from benchmark.models import RenderedReport
from tests.builders import FIXTURES, api_token, build_assessment, build_city, build_user
from tests.conftest import _wipe_postgres, base_overrides

pytestmark = [pytest.mark.slow, pytest.mark.postgres]

ROOT = Path(__file__).resolve().parents[2]
ANSWERS = {"commitment_01": "yes", "commitment_02": "partly", "commitment_03": ["council"],
           "education_01": 30, "education_02": 10, "language_01": "no", "language_02": 15}


@pytest.fixture
def shared_app(postgres_migrated: str, tmp_path: Path):  # type: ignore[no-untyped-def]
    """The test's own view of the shared PostgreSQL database (builders, checks)."""
    from benchmark.app import create_app

    app = create_app({**base_overrides(tmp_path / "test-instance"), "DATABASE_URL": postgres_migrated,
                      "QUESTIONNAIRE_DIR": str(FIXTURES)})
    with app.app_context():
        yield app
        db.session.remove()
        _wipe_postgres(db)
        db.engine.dispose()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Process:
    name: str
    popen: subprocess.Popen[bytes]
    log: Path
    base: str = ""

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def renders(self) -> list[str]:
        return [line for line in self.output().splitlines() if "rendered city report" in line]


def _environment(app, instance: Path, redis_url: str) -> dict[str, str]:  # type: ignore[no-untyped-def]
    env = {k: v for k, v in os.environ.items() if not k.startswith("BENCHMARK_")}
    env.update(
        BENCHMARK_ENV="production", BENCHMARK_INSTANCE_PATH=str(instance),
        BENCHMARK_DATABASE_URL=app.config["DATABASE_URL"], BENCHMARK_REDIS_URL=redis_url,
        BENCHMARK_SECRET_KEY="one-key-shared-by-every-instance",
        BENCHMARK_MAIL_SERVER="smtp.invalid", BENCHMARK_QUESTIONNAIRE_DIR=str(FIXTURES),
        BENCHMARK_RATELIMIT_ENABLED="false", BENCHMARK_JOB_RETRY_DELAYS="1",
    )
    return env


@pytest.fixture
def deployment(shared_app, redis_url: str, tmp_path: Path) -> Iterator[dict[str, Process]]:
    processes: dict[str, Process] = {}

    def start(name: str, args: list[str], base: str = "") -> None:
        log = tmp_path / f"{name}.log"
        handle = log.open("wb")
        popen = subprocess.Popen(args, cwd=ROOT, env=_environment(shared_app, tmp_path / name, redis_url),
                                 stdout=handle, stderr=subprocess.STDOUT, start_new_session=True)
        handle.close()
        processes[name] = Process(name, popen, log, base)

    try:
        for name in ("instance-a", "instance-b"):
            port = _free_port()
            start(name, [sys.executable, "run.py", "--prod", "--host", "127.0.0.1", "--port", str(port),
                         "--workers", "2"], f"http://127.0.0.1:{port}")
        start("worker", [str(Path(sys.executable).parent / "benchmark"), "worker"])
        for process in processes.values():
            if process.base:
                _wait_until_serving(process)
        yield processes
    finally:
        for process in processes.values():
            if process.popen.poll() is None:
                os.killpg(process.popen.pid, signal.SIGTERM)
        for process in processes.values():
            try:
                process.popen.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.popen.pid, signal.SIGKILL)
                process.popen.wait(timeout=30)


def _wait_until_serving(process: Process) -> None:
    deadline = time.monotonic() + 90
    while True:
        try:
            with urllib.request.urlopen(process.base + "/api/v1/ping", timeout=5) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError):
            pass
        assert process.popen.poll() is None, f"{process.name} exited:\n{process.output()[-3000:]}"
        assert time.monotonic() < deadline, f"{process.name} never served:\n{process.output()[-3000:]}"
        time.sleep(0.3)


def _request(process: Process, path: str, headers: dict[str, str], method: str = "GET",
             body: bytes | None = None) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(process.base + path, data=body, method=method, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=120) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as err:
        return err.code, dict(err.headers), err.read()


def _stored(assessment_id: int, timeout: float) -> RenderedReport | None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        db.session.rollback()
        row = db.session.scalar(select(RenderedReport).where(RenderedReport.assessment_id == assessment_id))
        if row is not None:
            return row
        time.sleep(0.5)
    return None


def test_two_instances_and_a_worker_share_reports(shared_app, deployment) -> None:
    a, b, worker = deployment["instance-a"], deployment["instance-b"], deployment["worker"]
    for _ in range(3):
        build_assessment(build_city(), status="validated", answers=ANSWERS)
    on_demand = build_assessment(build_city(), status="validated", answers=ANSWERS)
    submitted = build_assessment(build_city(), status="submitted", answers=ANSWERS)
    staff = api_token(build_user("staff"))

    # A validation on instance A: the worker renders the report (no web instance does).
    status, _, body = _request(a, f"/api/v1/assessments/{submitted.id}/validate",
                               {**staff, "Content-Type": "application/json"}, "POST", b"{}")
    assert status == 200, body[:500]
    row = _stored(submitted.id, timeout=180)
    assert row is not None, f"the worker rendered nothing:\n{worker.output()[-3000:]}"
    assert worker.renders()
    url = f"/api/v1/assessments/{submitted.id}/report.pdf"
    for instance in (b, a):
        status, headers, content = _request(instance, url, staff)
        assert status == 200
        assert headers["ETag"] == f'"{row.key}"' and content == row.content
    assert a.renders() == [] and b.renders() == []

    # Rendered on demand by A, served by B from the store; 304 and resumed ranges on B.
    url = f"/api/v1/assessments/{on_demand.id}/report.pdf"
    status, first_headers, first = _request(a, url, staff)
    assert status == 200 and len(a.renders()) == 1
    status, headers, content = _request(b, url, staff)
    assert status == 200 and (headers["ETag"], content) == (first_headers["ETag"], first)
    assert b.renders() == []
    status, _, _ = _request(b, url, {**staff, "If-None-Match": first_headers["ETag"]})
    assert status == 304
    status, _, part = _request(b, url, {**staff, "Range": "bytes=100-", "If-Range": first_headers["ETag"]})
    assert status == 206 and part == first[100:]

    assert not [p for p in (Path(worker.log).parent / "worker").rglob("*") if p.suffix in {".tmp", ".lock"}]
    for process in deployment.values():
        assert "Traceback" not in process.output(), process.output()[-3000:]
