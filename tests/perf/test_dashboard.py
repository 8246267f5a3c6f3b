"""Benchmark 5: the staff dashboard and the scores with comparisons at 10,000 cities.

A demo network of BENCH_CITIES (default 10,000) cities on SQLite is served by gunicorn
(2 workers) and loaded with wrk, as in test_http.py; each endpoint's requests/s is
recorded as a ratio to /healthz under the same load in the same run:

- the dashboard's first page (every city, sorted by name, 50 rows);
- a filtered, sorted page (validated cities of one size group, by overall index);
- the scores JSON of a validated assessment, with its comparison groups (network, size,
  diversity: average, n and rank over 10,000 cities), against the scores target of
  test_http.py (the same endpoint's ratio before comparisons were added).
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.perf.conftest import Network, make_app, prepare_database, questionnaire_dir
from tests.perf.harness import Results
from tests.perf.test_http import GET_SCRIPT, ROOT, _free_port, _get, _lua, _wait_ready, _wrk

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


def _login_staff(base: str) -> str:
    import http.cookiejar
    import re
    import urllib.parse
    import urllib.request

    from benchmark.demo.accounts import DEMO_PASSWORD, DEMO_USERS

    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    html = opener.open(base + "/login", timeout=60).read().decode()
    csrf = re.search(r'name="csrf-token" content="([^"]+)"', html)
    assert csrf, "no CSRF token on the login page"
    form = urllib.parse.urlencode({"email": DEMO_USERS[1][0], "password": DEMO_PASSWORD,
                                   "csrf_token": csrf[1]}).encode()
    opener.open(base + "/login", data=form, timeout=60).read()
    return "; ".join(f"{c.name}={c.value}" for c in jar)


@pytest.fixture(scope="module")
def served(large: Network, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    if shutil.which("wrk") is None:
        pytest.skip("wrk is not installed (apt-get install -y wrk)")
    target = Served()
    _prepare(large, target)
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    log = tmp_path_factory.mktemp("gunicorn-dashboard") / "gunicorn.log"
    with log.open("wb") as output, subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), "--workers", "2", "--bind",
         f"127.0.0.1:{port}", "--timeout", "120", "benchmark.app:create_app()"],
        cwd=ROOT, env=large.env(), stdout=output, stderr=output, start_new_session=True,
    ) as process:
        try:
            _wait_ready(base, process)
            target.base = base
            target.cookie = _login_staff(base)
            yield target
        finally:
            os.killpg(process.pid, signal.SIGTERM)  # our own gunicorn: master and workers
            process.wait(timeout=30)


def _load(served: Served, path: str, headers: dict[str, str], tmp: Path) -> dict[str, float]:
    return _wrk(served, path, GET_SCRIPT % {"headers": _lua(headers)}, tmp)  # type: ignore[arg-type]


def test_dashboard_and_scores_relative_to_healthz(served: Served, results: Results,
                                                   tmp_path: Path) -> None:
    cookie = {"Cookie": served.cookie}
    bearer = {"Authorization": f"Bearer {served.token}"}
    # Each gunicorn worker builds its caches (the network index behind the comparisons)
    # on its first requests: warm both workers before measuring.
    for path, headers in ((served.scores, bearer), ("/dashboard", cookie), (FILTERED, cookie)):
        for _ in range(6):
            assert _get(served, path, headers) == 200, path  # type: ignore[arg-type]
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
