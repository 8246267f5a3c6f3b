"""Background jobs: an in-process thread pool by default, RQ on Redis when configured.

Jobs are plain functions of this package called with simple arguments; each runs
inside an application context (the pool's threads and `benchmark worker` both
provide one), so they use the same services as requests do.
"""

from __future__ import annotations

import hashlib
import logging
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

from flask import Flask, current_app

log = logging.getLogger(__name__)

_pools: dict[int, ThreadPoolExecutor] = {}
_pending: dict[tuple[str, tuple[Any, ...]], Future[Any]] = {}
_lock = threading.RLock()  # enqueue() holds it while _pool() takes it again
QUEUE_NAME = "benchmark"


def _pool(app: Flask) -> ThreadPoolExecutor:
    with _lock:
        pool = _pools.get(id(app))
        if pool is None:
            pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="benchmark-job")
            _pools[id(app)] = pool
        return pool


def _run_in_app(app: Flask, func: Callable[..., Any], args: tuple[Any, ...]) -> Any:
    with app.app_context():
        try:
            return func(*args)
        except Exception:
            log.exception("background job %s%r failed", func.__name__, args)
            raise
        finally:
            from benchmark.extensions import db

            db.session.remove()


def run_job(dotted: str, *args: Any) -> Any:
    """Entry point of RQ jobs, inside the app that `benchmark worker` handed to work()."""
    app = _worker_app
    if app is None:  # a bare `rq worker` has no app: jobs need the configured one
        raise RuntimeError("benchmark jobs run under `benchmark worker`, not a bare RQ worker")
    module_name, _, name = dotted.rpartition(".")
    import importlib

    func = getattr(importlib.import_module(module_name), name)
    return _run_in_app(app, func, args)


_worker_app: Flask | None = None


def enqueue(func: Callable[..., Any], *args: Any) -> None:
    """Run `func(*args)` off the request path; identical pending jobs are coalesced."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    if not app.config.get("BACKGROUND_JOBS", True):
        return
    dotted = f"{func.__module__}.{func.__qualname__}"
    redis_url = app.config.get("REDIS_URL")
    if redis_url:
        from redis import Redis
        from rq import Queue

        # One id per (function, arguments): a job already queued is not queued twice.
        job_id = "job-" + hashlib.sha1(repr((dotted, args)).encode()).hexdigest()  # noqa: S324  # nosec B324 - an id, not security
        Queue(QUEUE_NAME, connection=Redis.from_url(redis_url)).enqueue(
            run_job, dotted, *args, job_id=job_id, result_ttl=300, failure_ttl=86400,
        )
        return
    key = (dotted, args)
    with _lock:
        if key in _pending and not _pending[key].done():
            return
        future = _pool(app).submit(_run_in_app, app, func, args)
        _pending[key] = future
        for stale in [k for k, f in _pending.items() if f.done()]:
            _pending.pop(stale, None)


def wait_for_idle(timeout: float = 60.0) -> None:
    """Block until in-process jobs submitted so far are done (tests, CLI)."""
    with _lock:
        futures = list(_pending.values())
    for future in futures:
        future.exception(timeout=timeout)


def work(app: Flask, *, burst: bool = False) -> None:
    """Run an RQ worker on the app's Redis (the `benchmark worker` command).

    A SimpleWorker runs jobs in this process: a forked child would share the parent's
    database connections, which neither SQLite nor psycopg allows.
    """
    global _worker_app
    from redis import Redis
    from rq import SimpleWorker

    _worker_app = app
    connection = Redis.from_url(app.config["REDIS_URL"])
    SimpleWorker([QUEUE_NAME], connection=connection).work(burst=burst, with_scheduler=False)
