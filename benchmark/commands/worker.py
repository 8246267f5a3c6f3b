"""`benchmark worker`: run background jobs from Redis (RQ)."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext

from benchmark.commands._guard import fail


@click.command("worker")
@click.option("--burst", is_flag=True, help="run the jobs queued now, then exit")
@with_appcontext
def worker(burst: bool) -> None:
    """Run a background-job worker (RQ; needs BENCHMARK_REDIS_URL)."""
    if not current_app.config.get("REDIS_URL"):
        fail("no BENCHMARK_REDIS_URL: without Redis, jobs run inside the web processes")
    from benchmark.infra import jobs

    jobs.work(current_app._get_current_object(), burst=burst)  # type: ignore[attr-defined]


commands = [worker]
