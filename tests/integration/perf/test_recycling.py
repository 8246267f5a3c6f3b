"""Rendering processes are replaced after a bounded number of jobs, so memory stays flat."""

from __future__ import annotations

import pytest
from flask import current_app
from redis import Redis
from rq import Queue

from benchmark.infra import jobs
from benchmark.services import reports

pytestmark = pytest.mark.slow


def test_a_worker_stops_after_max_jobs_for_a_fresh_process_to_take_over(app, redis_url) -> None:
    app.config.update(REDIS_URL=redis_url, BACKGROUND_JOBS=True)
    queue = Queue(jobs.QUEUE_NAME, connection=Redis.from_url(redis_url))
    for missing in (10_001, 10_002, 10_003):  # no such assessment: each job ends at once
        assert jobs.enqueue(reports.prerender, missing, "en")
    assert jobs.work(current_app._get_current_object(), max_jobs=2) is True  # recycle
    assert len(queue.get_jobs()) == 1  # the next process takes the rest
    assert jobs.work(current_app._get_current_object(), burst=True) is False
    assert queue.get_jobs() == []


class _GunicornWorker:
    """What gunicorn's post_request hook is given of its worker: the app, a log, `alive`."""

    def __init__(self, app) -> None:  # type: ignore[no-untyped-def]
        self.wsgi, self.alive, self.logged = app, True, []
        self.log = self

    def info(self, message: str, *args: object) -> None:
        self.logged.append(message % args)


def test_a_web_worker_is_replaced_once_it_rendered_its_share_of_reports(app) -> None:
    from benchmark.infra import recycling
    from benchmark.services import report_store
    from benchmark.services.report_store import ReportOf

    already = report_store.renders_in_process()
    app.config["RENDER_MAX_TASKS"] = already + 2
    worker = _GunicornWorker(app)
    for n in (1, 2):
        key = f"recycling-test-{n}"
        report_store.get_or_render(key, ReportOf("network", "en", edition_id=None),
                                   lambda key=key: (key, b"%PDF-1.7 test"))
        report_store.get_or_render(key, ReportOf("network", "en", edition_id=None),
                                   lambda: pytest.fail("a stored report is not rendered again"))
        recycling.post_request(worker, None, {}, None)
        assert worker.alive is (n == 1)
    assert report_store.renders_in_process() == already + 2
    assert worker.logged == [f"Replacing the worker: it rendered {already + 2} reports "
                             f"(RENDER_MAX_TASKS {already + 2})"]
    app.config["RENDER_MAX_TASKS"] = 0  # 0: never
    fresh = _GunicornWorker(app)
    recycling.post_request(fresh, None, {}, None)
    assert fresh.alive


def test_the_worker_command_exits_when_its_supervisor_stops_it_while_idle(redis_url, tmp_path) -> None:
    """systemd (or a deployment) sends SIGTERM to stop `benchmark worker`: the idle worker
    exits, instead of starting itself again as it does after `--max-jobs` jobs."""
    import os
    import signal
    import subprocess
    import sys
    import time
    from pathlib import Path

    env = {k: v for k, v in os.environ.items() if not k.startswith("BENCHMARK_")}
    env.update(BENCHMARK_INSTANCE_PATH=str(tmp_path), BENCHMARK_REDIS_URL=redis_url,
               BENCHMARK_SECRET_KEY="worker-test")
    log = tmp_path / "worker.log"
    with log.open("wb") as out:
        worker = subprocess.Popen([str(Path(sys.executable).parent / "benchmark"), "worker",
                                   "--max-jobs", "5"], stdout=out, stderr=subprocess.STDOUT, env=env)
    try:
        deadline = time.monotonic() + 60
        while b"Listening on" not in log.read_bytes():
            assert worker.poll() is None and time.monotonic() < deadline, log.read_text()
            time.sleep(0.2)
        worker.send_signal(signal.SIGTERM)
        assert worker.wait(timeout=20) == 0, log.read_text()
        assert log.read_text().count("Listening on") == 1  # it did not start again
    finally:
        if worker.poll() is None:
            worker.kill()
            worker.wait()
