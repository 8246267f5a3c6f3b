"""Probes of benchmark 5c (rendering processes are recycled): where each report was rendered
and the RSS of that process right after it, appended to the file BENCH_RSS_LOG names.

- `render_and_record(aid, lang)`: an RQ job for `benchmark worker` (queued through
  `jobs.run_job` with this dotted name; the worker's environment puts the repository on
  PYTHONPATH);
- as a gunicorn configuration file (`-c python:tests.perf.recycle_probe`): the app's own
  recycling settings (benchmark.infra.recycling) plus a line after each report download.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from benchmark.infra import recycling
from benchmark.infra.recycling import max_requests, max_requests_jitter  # noqa: F401 - gunicorn settings


def _rss_mib() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS")


def _record() -> None:
    from benchmark.services import report_store

    with open(os.environ["BENCH_RSS_LOG"], "a", encoding="utf-8") as log:
        log.write(f"{os.getpid()} {_rss_mib():.1f} {report_store.renders_in_process()}\n")


def render_and_record(assessment_id: int, lang: str) -> None:
    from benchmark.services import reports

    reports.prerender(assessment_id, lang)
    _record()


def post_request(worker: Any, req: Any, environ: Any, resp: Any) -> None:
    if environ.get("PATH_INFO", "").endswith("/report.pdf"):
        _record()
    recycling.post_request(worker, req, environ, resp)
