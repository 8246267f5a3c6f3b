"""Background jobs: an in-process thread pool by default, RQ on Redis when configured.

Jobs are plain functions of this package called with simple arguments; each runs
inside an application context (the pool's threads and `benchmark worker` both
provide one), so they use the same services as requests do.

The API others use is `enqueue(func, *args)`:

- **once**: while a job with the same function and arguments waits in the queue, it is
  not queued again (a Redis `SET NX` marker, or a set in this process, taken away when
  the job starts). A job starts from the state of the database at that moment, so a
  change made while it runs queues it again. A job must therefore be idempotent and
  read what it needs when it starts (as reports.prerender does).
- **retried**: a job that raises, or whose RQ worker dies mid-job (killed, machine
  lost), runs again up to JOB_RETRIES times, after the delays of JOB_RETRY_DELAYS
  (RQ's scheduler, which `benchmark worker` runs, re-queues it; a dead worker's job is
  found by RQ's registry maintenance once the worker's heartbeat expires).
"""

from __future__ import annotations

import hashlib
import importlib
import logging
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

from flask import Flask, current_app

log = logging.getLogger(__name__)

_pools: dict[int, ThreadPoolExecutor] = {}
_queued: set[tuple[int, str]] = set()  # (app, job id) of in-process jobs not started yet
_futures: list[Future[Any]] = []
_lock = threading.RLock()  # enqueue() holds it while _pool() takes it again
QUEUE_NAME = "benchmark"
#: Redis key of the marker that says a job with this id is waiting in the queue.
_MARKER = "benchmark:job-queued:{}"
#: A marker outlives its job only if Redis lost the queue but kept the marker; then it
#: expires, and the next enqueue() queues the job again.
_MARKER_TTL_SECONDS = 6 * 3600
#: How long one job may run before RQ stops it (a report renders in seconds; a refresh
#: of a large network's stored reports takes longer).
JOB_TIMEOUT_SECONDS = 900
#: How often `benchmark worker` looks for jobs of dead workers (RQ's default: 10 minutes).
MAINTENANCE_SECONDS = 120


def job_id(func: Callable[..., Any], *args: Any) -> str:
    """The identity of a job: its function and arguments."""
    dotted = f"{func.__module__}.{func.__qualname__}"
    return hashlib.sha1(repr((dotted, args)).encode()).hexdigest()  # noqa: S324  # nosec B324 - an id, not security


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


def _run_pooled(app: Flask, identity: str, func: Callable[..., Any], args: tuple[Any, ...]) -> Any:
    """In-process: leave the 'queued' set on start, then run with bounded retries."""
    with _lock:
        _queued.discard((id(app), identity))
    retries = int(app.config.get("JOB_RETRIES", 3))
    for attempt in range(retries + 1):
        try:
            return _run_in_app(app, func, args)
        except Exception:
            if attempt == retries:
                raise
            # Short pauses only: this thread is the process's one job runner.
            time.sleep(min(1.0 * (attempt + 1), 5.0))
    return None


_worker_app: Flask | None = None


def run_job(dotted: str, *args: Any) -> Any:
    """Entry point of RQ jobs, inside the app that `benchmark worker` handed to work()."""
    app = _worker_app
    if app is None:  # a bare `rq worker` has no app: jobs need the configured one
        raise RuntimeError("benchmark jobs run under `benchmark worker`, not a bare RQ worker")
    module_name, _, name = dotted.rpartition(".")
    func = getattr(importlib.import_module(module_name), name)
    from rq import get_current_job

    current = get_current_job()
    if current is not None:  # started: the next enqueue() of this job must queue it again
        current.connection.delete(_MARKER.format(job_id(func, *args)))
    return _run_in_app(app, func, args)


def enqueue(func: Callable[..., Any], *args: Any) -> bool:
    """Run `func(*args)` off the request path, once; False when it is already queued.

    Call it after the transaction whose changes the job needs has committed.
    """
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    if not app.config.get("BACKGROUND_JOBS", True):
        return False
    identity = job_id(func, *args)
    redis_url = app.config.get("REDIS_URL")
    if redis_url:
        return _enqueue_rq(app, redis_url, identity, func, args)
    with _lock:
        if (id(app), identity) in _queued:
            return False
        _queued.add((id(app), identity))
        _futures[:] = [f for f in _futures if not f.done()]
        _futures.append(_pool(app).submit(_run_pooled, app, identity, func, args))
    return True


def _enqueue_rq(app: Flask, redis_url: str, identity: str, func: Callable[..., Any],
                args: tuple[Any, ...]) -> bool:
    from redis import Redis
    from rq import Queue, Retry

    connection = Redis.from_url(redis_url)
    marker = _MARKER.format(identity)
    # SET NX is atomic: of two simultaneous enqueues on any machines, one queues the job.
    if not connection.set(marker, "1", nx=True, ex=_MARKER_TTL_SECONDS):
        return False
    retries = int(app.config.get("JOB_RETRIES", 3))
    delays = _delays(app.config.get("JOB_RETRY_DELAYS", "10,60,300"))
    try:
        Queue(QUEUE_NAME, connection=connection).enqueue(
            run_job, f"{func.__module__}.{func.__qualname__}", *args,
            retry=Retry(max=retries, interval=delays) if retries > 0 else None,
            job_timeout=JOB_TIMEOUT_SECONDS, result_ttl=300, failure_ttl=7 * 86400,
            description=f"{func.__name__}{args!r}",
        )
    except Exception:
        connection.delete(marker)  # not queued after all: let the next attempt queue it
        raise
    return True


def _delays(setting: str | list[int] | tuple[int, ...]) -> list[int]:
    """Seconds before each retry: "10,60,300" (environment) or a list (instance/config.py)."""
    items = setting.split(",") if isinstance(setting, str) else setting
    return [int(item) for item in items if str(item).strip()] or [0]


def wait_for_idle(timeout: float = 60.0) -> None:
    """Block until in-process jobs submitted so far are done (tests, CLI)."""
    with _lock:
        futures = list(_futures)
    for future in futures:
        future.exception(timeout=timeout)


def work(app: Flask, *, burst: bool = False, max_jobs: int | None = None) -> bool:
    """Run an RQ worker on the app's Redis (the `benchmark worker` command); True when it
    stopped after `max_jobs` jobs (the caller then starts afresh).

    A SimpleWorker runs jobs in this process: a forked child would share the parent's
    database connections, which neither SQLite nor psycopg allows. Its scheduler
    re-queues retried jobs when their delay has passed.
    """
    global _worker_app
    from redis import Redis
    from rq import SimpleWorker

    class _Worker(SimpleWorker):
        """Remembers a stop signal: RQ records one only when it arrives during a job, so an
        idle worker told to stop looked like one that had reached `max_jobs` and started
        again instead of exiting."""

        stop_signalled = False

        def request_stop(self, signum: int, frame: Any) -> None:
            self.stop_signalled = True
            super().request_stop(signum, frame)

    _worker_app = app
    connection = Redis.from_url(app.config["REDIS_URL"])
    worker = _Worker([QUEUE_NAME], connection=connection, maintenance_interval=MAINTENANCE_SECONDS)
    worker.work(burst=burst, with_scheduler=True, max_jobs=max_jobs)
    # Not after a stop request (SIGTERM/SIGINT: the supervisor wants it gone) nor a burst.
    return bool(max_jobs) and not burst and not worker.stop_signalled
