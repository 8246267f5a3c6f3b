"""Benchmark 5c: rendering processes are replaced after RENDER_MAX_TASKS reports, so their
memory stays flat (issue 19: RSS after 200 reports within 10 % of RSS after 20).

Both places where a long-running process renders, on a copy of the 135-city network with
no stored report (every report is rendered):
- `benchmark worker` (RQ, Redis): prerender jobs, `--max-jobs` RENDER_MAX_TASKS;
- a gunicorn web worker with the app's recycling settings (benchmark.infra.recycling),
  rendering each report on its first download — what the in-process jobs do too.
Each report's RSS is that of the process that rendered it, right after it
(tests/perf/recycle_probe.py). `BENCH_RECYCLE_REPORTS` (200) reports each.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.perf.conftest import Network, make_app
from tests.perf.harness import Results

ROOT = Path(__file__).resolve().parents[2]
REPORTS = int(os.environ.get("BENCH_RECYCLE_REPORTS", "200"))
MAX_TASKS = int(os.environ.get("BENCH_RECYCLE_MAX_TASKS", "20"))
PORT = int(os.environ.get("BENCH_PORT", "5113"))
REDIS_URL = os.environ.get("BENCHMARK_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
#: Seconds one report may take on a busy machine before the run is given up.
PER_REPORT_SECONDS = 60


def _tasks(instance: Path, url: str) -> tuple[list[tuple[int, str]], str]:
    """(assessment, language) of REPORTS different reports, and a staff API token."""
    from benchmark.demo.accounts import DEMO_USERS

    app = make_app(instance, url)
    with app.app_context():
        from sqlalchemy import select

        from benchmark.extensions import db
        from benchmark.models import QuestionnaireEdition
        from benchmark.services import scores, tokens

        ids = [aid for edition_id in db.session.scalars(select(QuestionnaireEdition.id))
               for aid in scores.latest_validated_ids(edition_id)]
        _, token = tokens.create_for_email(DEMO_USERS[1][0], "bench")
        db.session.remove()
        db.engine.dispose()
    tasks = [(aid, lang) for lang in ("en", "fr", "ar") for aid in ids][:REPORTS]
    if len(tasks) < REPORTS:
        pytest.skip(f"the network has {len(tasks)} reports, fewer than {REPORTS}")
    return tasks, token


def _read(log: Path) -> list[tuple[int, float, int]]:
    if not log.exists():
        return []
    return [(int(p), float(r), int(n)) for p, r, n in
            (line.split() for line in log.read_text().splitlines() if line.strip())]


def _record(results: Results, where: str, rows: list[tuple[int, float, int]]) -> None:
    rss = [r for _, r, _ in rows]
    processes = len(dict.fromkeys(p for p, _, _ in rows)) if where == "web" else None
    row = results.record(
        f"{where} rendering RSS after {len(rss)} reports, replaced every {MAX_TASKS}",
        rss[-1], "MiB", baseline=rss[MAX_TASKS - 1] if len(rss) >= MAX_TASKS else None,
        target="ratio <= 1.1",
        note=f"baseline: after report {MAX_TASKS}; max {max(rss):.0f} MiB"
             + (f"; {processes} processes" if processes else "; one pid, a fresh image each time"))
    assert len(rss) == REPORTS, f"{len(rss)} of {REPORTS} reports rendered"
    assert row.met, f"RSS {rss[-1]:.0f} MiB after {len(rss)} reports vs {rss[MAX_TASKS - 1]:.0f}"


def _env(network: Network, instance: Path, url: str, log: Path, **extra: str) -> dict[str, str]:
    return network.env(BENCHMARK_INSTANCE_PATH=str(instance), BENCHMARK_DATABASE_URL=url,
                       BENCHMARK_RENDER_MAX_TASKS=str(MAX_TASKS), BENCH_RSS_LOG=str(log),
                       PYTHONPATH=str(ROOT), **extra)


def test_benchmark_worker_memory_stays_flat(network: Network, results: Results,
                                            tmp_path: Path) -> None:
    from redis import Redis
    from rq import Queue

    from benchmark.infra import jobs

    try:
        connection = Redis.from_url(REDIS_URL)
        connection.flushdb()
    except Exception as err:
        pytest.skip(f"Redis not reachable at {REDIS_URL}: {type(err).__name__}")
    url = network.cold_copy(tmp_path)
    instance = tmp_path / "instance"
    instance.mkdir()
    tasks, _ = _tasks(instance, url)
    queue = Queue(jobs.QUEUE_NAME, connection=connection)
    for aid, lang in tasks:
        queue.enqueue(jobs.run_job, "tests.perf.recycle_probe.render_and_record", aid, lang,
                      job_timeout=jobs.JOB_TIMEOUT_SECONDS)
    log = tmp_path / "rss.log"
    output = tmp_path / "worker.log"
    with output.open("wb") as out, subprocess.Popen(
        [str(Path(sys.executable).parent / "benchmark"), "worker"], cwd=ROOT,
        env=_env(network, instance, url, log, BENCHMARK_REDIS_URL=REDIS_URL),
        stdout=out, stderr=out, start_new_session=True,
    ) as worker:
        try:
            deadline = time.monotonic() + PER_REPORT_SECONDS * REPORTS
            while len(_read(log)) < REPORTS and time.monotonic() < deadline:
                assert worker.poll() is None, output.read_text()[-3000:]
                time.sleep(1)
        finally:
            os.killpg(worker.pid, signal.SIGTERM)
            worker.wait(timeout=120)
            connection.flushdb()
    rows = _read(log)
    assert len({pid for pid, _, _ in rows}) == 1, "the worker keeps its pid (exec)"
    _record(results, "benchmark worker", rows)


def test_web_worker_memory_stays_flat(network: Network, results: Results, tmp_path: Path) -> None:
    url = network.cold_copy(tmp_path)
    instance = tmp_path / "instance"
    instance.mkdir()
    tasks, token = _tasks(instance, url)
    log = tmp_path / "rss.log"
    output = tmp_path / "gunicorn.log"
    base = f"http://127.0.0.1:{PORT}"
    with output.open("wb") as out, subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), "--workers", "1", "--bind",
         f"127.0.0.1:{PORT}", "--timeout", "300", "-c", "python:tests.perf.recycle_probe",
         "benchmark.app:create_app()"], cwd=ROOT, env=_env(network, instance, url, log),
        stdout=out, stderr=out, start_new_session=True,
    ) as server:
        try:
            for n, (aid, lang) in enumerate(tasks):
                request = urllib.request.Request(
                    f"{base}/api/v1/assessments/{aid}/report.pdf?lang={lang}",
                    headers={"Authorization": f"Bearer {token}"})
                for attempt in range(60):  # the first request, and after each recycle
                    try:
                        with urllib.request.urlopen(request, timeout=PER_REPORT_SECONDS) as response:
                            assert response.status == 200
                            response.read()
                        break
                    except (ConnectionError, urllib.error.URLError):
                        assert server.poll() is None, output.read_text()[-3000:]
                        time.sleep(0.5 + attempt * 0.1)
                deadline = time.monotonic() + 10
                while len(_read(log)) <= n and time.monotonic() < deadline:
                    time.sleep(0.05)  # the hook writes after the response is sent
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=60)
    _record(results, "web", _read(log))
