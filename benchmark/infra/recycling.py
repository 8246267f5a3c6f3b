"""Web processes are replaced after a bounded number of rendered reports (gunicorn settings).

Rendering memory (WeasyPrint, Pango/HarfBuzz, matplotlib) grows in native memory by about
0.5 MiB a report and is given back only when the process exits (docs/performance.md). Every
process that renders is therefore replaced after RENDER_MAX_TASKS reports:

- `report render-all`: pool processes with `maxtasksperchild` (commands/report.py);
- `benchmark worker`: `--max-jobs`, then the same command again in a fresh image
  (commands/worker.py);
- web processes, which render a report on its first download and run the in-process
  jobs (renders after a validation) when there is no Redis: `post_request` below ends the
  worker after the request during which its count of rendered reports reached
  RENDER_MAX_TASKS, and gunicorn starts a fresh one, as it does after `max_requests`.
  An in-process job already queued runs before the process exits.

This module is a gunicorn configuration file too: `run.py --prod` applies it, and a
gunicorn started by hand takes it with `-c python:benchmark.infra.recycling`.
"""

from __future__ import annotations

from typing import Any

#: gunicorn settings: every worker is also replaced after this many requests (jittered so
#: that the workers do not restart together).
max_requests = 2000
max_requests_jitter = 200


def render_limit(app: Any) -> int:
    """Reports a process may render before it is replaced (0: never)."""
    config = getattr(app, "config", None) or {}
    return max(0, int(config.get("RENDER_MAX_TASKS", 40)))


def post_request(worker: Any, _req: Any, _environ: Any, _resp: Any) -> None:
    """gunicorn hook: once this worker has rendered its share of reports, let it finish the
    current request and exit; the arbiter starts a fresh worker in its place."""
    from benchmark.services import report_store

    limit = render_limit(worker.wsgi)
    rendered = report_store.renders_in_process()
    if worker.alive and limit and rendered >= limit:
        worker.log.info("Replacing the worker: it rendered %d reports (RENDER_MAX_TASKS %d)",
                        rendered, limit)
        worker.alive = False
