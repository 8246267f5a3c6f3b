"""Background report jobs on Redis: queued once, retried a bounded number of times, never
lost with a worker that dies, and after a validation only for reports whose inputs changed."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from flask import current_app
from redis import Redis
from rq import Queue
from rq.job import Job
from rq.registry import FailedJobRegistry, StartedJobRegistry
from sqlalchemy import select

from benchmark.extensions import db
from benchmark.infra import jobs
from benchmark.models import Assessment, RenderedReport
from benchmark.services import accounts, report_store, reports, reviews
from tests.builders import FIXTURES, build_assessment, build_city, build_user

pytestmark = [pytest.mark.config(QUESTIONNAIRE_DIR=str(FIXTURES), JOB_RETRY_DELAYS="0"),
              pytest.mark.slow]

ANSWERS = {"commitment_01": "yes", "commitment_02": "partly", "commitment_03": ["council"],
           "education_01": 30, "education_02": 10, "language_01": "no", "language_02": 15}
BENCHMARK = str(Path(sys.executable).parent / "benchmark")


@pytest.fixture
def queue(app, redis_url: str) -> Queue:
    app.config.update(REDIS_URL=redis_url, BACKGROUND_JOBS=True)
    return Queue(jobs.QUEUE_NAME, connection=Redis.from_url(redis_url))


def _queued(queue: Queue) -> list[str]:
    return sorted(job.description for job in queue.get_jobs())


def _staff():  # type: ignore[no-untyped-def]
    return accounts.actor_for(build_user("staff"))


def _stored_keys(assessment_id: int) -> list[str]:
    db.session.rollback()  # see what the worker committed
    return list(db.session.scalars(
        select(RenderedReport.key).where(RenderedReport.assessment_id == assessment_id)))


def test_each_report_is_queued_once_however_many_validations(queue: Queue) -> None:
    submitted = [build_assessment(build_city(), status="submitted", answers=ANSWERS) for _ in range(5)]
    staff = _staff()
    for assessment in submitted:
        reviews.validate(staff, assessment.id)
    for assessment in submitted:  # asked again while queued: not queued twice
        assert jobs.enqueue(reports.prerender, assessment.id, "en") is False

    edition = submitted[0].edition_id
    assert _queued(queue) == sorted([f"prerender({a.id}, 'en')" for a in submitted]
                                    + [f"refresh_stored({edition},)"])
    jobs.work(current_app._get_current_object(), burst=True)
    assert all(_stored_keys(a.id) for a in submitted)
    # Started and done: the next change queues the report again.
    assert jobs.enqueue(reports.prerender, submitted[0].id, "en") is True


def test_after_a_validation_only_stored_reports_whose_inputs_changed_render_again(
        queue: Queue) -> None:
    downloaded = build_assessment(build_city(), status="validated", answers=ANSWERS)
    never_downloaded = build_assessment(build_city(), status="validated", answers=ANSWERS)
    other_edition = build_assessment(build_city(), version="2024", status="validated")
    for assessment in (downloaded, other_edition):
        reports.prerender(assessment.id, "en")
    before = {a.id: _stored_keys(a.id) for a in (downloaded, other_edition)}

    submitted = build_assessment(build_city(), status="submitted", answers=ANSWERS)
    reviews.validate(_staff(), submitted.id)
    jobs.work(current_app._get_current_object(), burst=True)

    # The network of 2019 moved: the stored 2019 report was refreshed, under a new key.
    assert len(_stored_keys(downloaded.id)) == 2 and before[downloaded.id][0] in _stored_keys(downloaded.id)
    assert _stored_keys(other_edition.id) == before[other_edition.id]  # its inputs did not change
    assert _stored_keys(never_downloaded.id) == []  # rendered on its first download
    assert len(_stored_keys(submitted.id)) == 1


def fails_until(counter: str, successful_attempt: int) -> int:
    """A job that raises until its `successful_attempt`-th run (counted in Redis)."""
    attempt = int(Redis.from_url(current_app.config["REDIS_URL"]).incr(counter))
    if attempt < successful_attempt:
        raise RuntimeError(f"attempt {attempt} fails")
    return attempt


def test_a_failing_job_is_retried(queue: Queue, redis_url: str) -> None:
    jobs.enqueue(fails_until, "test:flaky", 3)
    jobs.work(current_app._get_current_object(), burst=True)
    assert Redis.from_url(redis_url).get("test:flaky") == b"3"
    assert FailedJobRegistry(queue=queue).count == 0


def test_retries_are_bounded(queue: Queue, redis_url: str) -> None:
    jobs.enqueue(fails_until, "test:broken", 99)
    jobs.work(current_app._get_current_object(), burst=True)
    assert Redis.from_url(redis_url).get("test:broken") == b"4"  # 1 run + JOB_RETRIES (3)
    assert FailedJobRegistry(queue=queue).count == 1


def _worker_env(app, instance: Path) -> dict[str, str]:  # type: ignore[no-untyped-def]
    env = {k: v for k, v in os.environ.items() if not k.startswith("BENCHMARK_")}
    env.update(BENCHMARK_INSTANCE_PATH=str(instance), BENCHMARK_DATABASE_URL=app.config["DATABASE_URL"],
               BENCHMARK_SECRET_KEY="test-secret-key", BENCHMARK_REDIS_URL=app.config["REDIS_URL"],
               BENCHMARK_QUESTIONNAIRE_DIR=str(FIXTURES))
    return env


def test_a_job_of_a_worker_killed_mid_render_runs_again(app, queue: Queue, tmp_path: Path) -> None:
    assessment = build_assessment(build_city(), status="validated", answers=ANSWERS)
    jobs.enqueue(reports.prerender, assessment.id, "en")
    [job_id] = queue.get_job_ids()
    # Its own process group: RQ forks a scheduler beside the worker, and a machine or
    # container that dies takes both.
    worker = subprocess.Popen([BENCHMARK, "worker"], env=_worker_env(app, tmp_path / "worker-1"),
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                              start_new_session=True)
    try:
        deadline = time.monotonic() + 120
        while Job.fetch(job_id, connection=queue.connection).get_status() != "started":
            assert time.monotonic() < deadline and worker.poll() is None, "the job never started"
            time.sleep(0.02)
    finally:
        os.killpg(worker.pid, signal.SIGKILL)  # mid-render: the first render imports the PDF stack
        worker.wait(timeout=30)
    assert Job.fetch(job_id, connection=queue.connection).get_status() == "started"
    assert _stored_keys(assessment.id) == []

    # RQ's maintenance finds the job once the dead worker's heartbeat has expired; we
    # move its clock on instead of waiting the few minutes that takes.
    StartedJobRegistry(queue=queue).cleanup(timestamp=time.time() + 3600)
    second = subprocess.run([BENCHMARK, "worker", "--burst"], env=_worker_env(app, tmp_path / "worker-2"),
                            capture_output=True, text=True, timeout=300, check=False)
    assert second.returncode == 0, second.stderr[-2000:]
    db.session.rollback()
    assert report_store.is_stored(reports.cache_key(db.session.get(Assessment, assessment.id), "en"))
