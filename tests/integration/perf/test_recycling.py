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
