"""Benchmark 8: the staff dashboard and the scores with comparisons at 10,000 cities.

A demo network of BENCH_CITIES (default 10,000) cities on SQLite is served by gunicorn
(2 workers) and loaded with wrk, as in test_http.py; each endpoint's requests/s is
recorded as a ratio to /healthz under the same load in the same run:

- the dashboard's first page (every city, sorted by name, 50 rows);
- a filtered, sorted page (validated cities of one size group, by overall index);
- the scores JSON of a validated assessment, with its comparison groups (network, size,
  diversity: average, n and rank over 10,000 cities), against the scores target of
  test_http.py (the same endpoint's ratio before comparisons were added).

And, as benchmark 3b does for the hot paths, the CPU time of the two dashboard pages
in-process (Flask test client, `time.process_time`) as a ratio to /healthz's: far less
moved by other work on a shared machine than requests/s under wrk.
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.perf.conftest import Network, make_app, prepare_database, questionnaire_dir
from tests.perf.harness import Results, get, gunicorn, login, require_wrk, wrk_get

CITIES = int(os.environ.get("BENCH_CITIES", "10000"))
FILTERED = "/dashboard?status=validated&size=pop-100k-250k&sort=overall&dir=desc&page=2"
TARGETS = {"dashboard first page": 0.10, "dashboard filtered page": 0.10,
           "scores JSON with comparisons": 0.25}


class Served:
    base = ""
    cookie = ""
    token = ""
    scores = ""


@pytest.fixture(scope="module")
def large(tmp_path_factory: pytest.TempPathFactory) -> Network:
    instance = tmp_path_factory.mktemp("large-network")
    url = f"sqlite:///{instance / 'benchmark.sqlite3'}"
    prepare_database(make_app(instance, url), CITIES)
    return Network(instance, url, "bench-secret", questionnaire_dir()[1])


def _prepare(network: Network, served: Served) -> None:
    from sqlalchemy import select

    app = make_app(network.instance, network.database_url)
    with app.app_context():
        from benchmark.demo.accounts import DEMO_USERS
        from benchmark.extensions import db
        from benchmark.models import Assessment
        from benchmark.services import tokens

        staff_email = DEMO_USERS[1][0]
        _, served.token = tokens.create_for_email(staff_email, "benchmark")
        validated = db.session.scalar(select(Assessment.id).where(Assessment.status == "validated")
                                      .order_by(Assessment.id.desc()).limit(1))
        served.scores = f"/api/v1/assessments/{validated}/scores"
        db.session.remove()
        db.engine.dispose()


@pytest.fixture(scope="module")
def served(large: Network, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    require_wrk()
    target = Served()
    _prepare(large, target)
    with gunicorn(large.env(), tmp_path_factory.mktemp("gunicorn-dashboard") / "gunicorn.log") as base:
        from benchmark.demo.accounts import DEMO_PASSWORD, DEMO_USERS

        target.base = base
        target.cookie = login(base, DEMO_USERS[1][0], DEMO_PASSWORD)
        yield target


def _load(served: Served, path: str, headers: dict[str, str], tmp: Path) -> dict[str, float]:
    return wrk_get(served.base, path, headers, tmp)


def test_dashboard_and_scores_relative_to_healthz(served: Served, results: Results,
                                                   tmp_path: Path) -> None:
    cookie = {"Cookie": served.cookie}
    bearer = {"Authorization": f"Bearer {served.token}"}
    # Each gunicorn worker builds its caches (the network index behind the comparisons)
    # on its first requests: warm both workers before measuring.
    for path, headers in ((served.scores, bearer), ("/dashboard", cookie), (FILTERED, cookie)):
        for _ in range(6):
            assert get(served.base, path, headers) == 200, path
    healthz_before = _load(served, "/healthz", {}, tmp_path)
    runs = {
        "dashboard first page": _load(served, "/dashboard", cookie, tmp_path),
        "dashboard filtered page": _load(served, FILTERED, cookie, tmp_path),
        "scores JSON with comparisons": _load(served, served.scores, bearer, tmp_path),
    }
    healthz_after = _load(served, "/healthz", {}, tmp_path)
    healthz = (healthz_before["rps"] + healthz_after["rps"]) / 2
    results.record(f"http /healthz ({CITIES:,} cities, baseline)", healthz, "req/s",
                   note=f"before {healthz_before['rps']:.0f}, after {healthz_after['rps']:.0f}")
    missed = []
    for name, run in runs.items():
        row = results.record(
            f"http {name} ({CITIES:,} cities)", run["rps"], "req/s", baseline=healthz,
            target=f"ratio >= {TARGETS[name]}",
            note=f"p50 {run['p50_us'] / 1000:.1f} ms, p99 {run['p99_us'] / 1000:.1f} ms; "
                 f"{run['requests']} requests, non-2xx {run['non2xx']}")
        assert run["non2xx"] == 0 and run["socket_errors"] == 0, (name, run)
        if not row.met:
            missed.append(f"{name}: {row.ratio:.3f} of /healthz (target ≥ {TARGETS[name]})")
    assert not missed, missed


def test_dashboard_cpu_relative_to_healthz(large: Network, results: Results) -> None:
    from benchmark.demo.accounts import DEMO_PASSWORD, DEMO_USERS

    app = make_app(large.instance, large.database_url)
    client = app.test_client()
    html = client.get("/login").get_data(as_text=True)
    csrf = re.search(r'name="csrf-token" content="([^"]+)"', html)
    client.post("/login", data={"email": DEMO_USERS[1][0], "password": DEMO_PASSWORD,
                                "csrf_token": csrf[1] if csrf else ""})
    requests = int(os.environ.get("BENCH_CPU_REQUESTS", "300")) // 10

    def cpu(path: str, n: int) -> float:
        for _ in range(3):
            assert client.get(path).status_code == 200, path
        start = time.process_time()
        for _ in range(n):
            client.get(path).get_data()
        return (time.process_time() - start) / n

    # Interleaved, three rounds: the medians.
    rounds = [(cpu("/healthz", requests * 10), cpu("/dashboard", requests), cpu(FILTERED, requests))
              for _ in range(3)]
    healthz, first, filtered = (sorted(r[i] for r in rounds)[1] for i in range(3))
    results.record(f"cpu /healthz ({CITIES:,} cities, baseline)", healthz * 1000, "ms",
                   note="CPU time per request in-process, median of 3 interleaved rounds")
    missed = []
    for name, cost in (("dashboard first page", first), ("dashboard filtered page", filtered)):
        row = results.record(f"cpu {name} ({CITIES:,} cities)", cost * 1000, "ms",
                             baseline=healthz * 1000, ratio=healthz / cost,
                             target=f"ratio >= {TARGETS[name]}")
        if not row.met:
            missed.append(f"{name}: {row.ratio:.3f}")
    assert not missed, missed
