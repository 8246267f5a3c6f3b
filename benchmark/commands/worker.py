"""`benchmark worker`: run background jobs from Redis (RQ)."""

from __future__ import annotations

import os
import sys

import click
from flask import current_app
from flask.cli import with_appcontext

from benchmark.commands._guard import fail


@click.command("worker")
@click.option("--burst", is_flag=True, help="run the jobs queued now, then exit")
@click.option("--max-jobs", type=click.IntRange(0), default=None,
              help="jobs before the worker replaces itself with a fresh process "
                   "(default RENDER_MAX_TASKS; 0: never)")
@with_appcontext
def worker(burst: bool, max_jobs: int | None) -> None:
    """Run a background-job worker (RQ; needs BENCHMARK_REDIS_URL)."""
    if not current_app.config.get("REDIS_URL"):
        fail("no BENCHMARK_REDIS_URL: without Redis, jobs run inside the web processes")
    from benchmark.infra import jobs
    from benchmark.services import audit_spool

    # Downloads spooled on this machine before a crash or a restart reach the audit log now
    # (services/audit_spool.py); each restart after --max-jobs does the same.
    audit_spool.flush()
    if max_jobs is None:
        max_jobs = int(current_app.config.get("RENDER_MAX_TASKS", 40))
    recycle = jobs.work(current_app._get_current_object(),  # type: ignore[attr-defined]
                        burst=burst, max_jobs=max_jobs or None)
    if recycle:
        # Memory of rendering (native, WeasyPrint/matplotlib) is only given back by exiting:
        # the same command starts again in this process (same pid, so a supervisor sees one
        # long-running worker), with fresh memory.
        sys.stdout.flush()
        sys.stderr.flush()
        os.execv(sys.executable, [sys.executable, *sys.argv])  # noqa: S606  # nosec B606 - our own command again


commands = [worker]
