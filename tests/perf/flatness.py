"""Per-request costs of the pages and exports that must not grow with the network.

Measured in-process (Flask test client, no HTTP server) on a seeded network, so that
the same code runs at 135 and at 10,000 cities and the two are compared as a ratio
(issue 19: within 1.5×). Also the statements of `scores.xlsx` and the peak memory of
`answers.csv` (written by the command line in a child process).
"""

from __future__ import annotations

import os
import re
import statistics
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import quote

from tests.perf.harness import timed

REQUESTS = int(os.environ.get("BENCH_FLAT_REQUESTS", "15"))
ALL_PAGES = ("scores JSON", "results page", "review page", "review queue", "admin cities",
             "admin users", "admin users by city", "audit log", "network page")
#: BENCH_FLAT_PAGES="review queue,admin users by city": measure only these (others' rows stay).
PAGES = tuple(p for p in ALL_PAGES if p in os.environ.get("BENCH_FLAT_PAGES", "").split(",")
              ) or ALL_PAGES


def fill_review_queue(app: Any) -> int:
    """Submitted rounds on the newest edition for cities without one, until the queue's
    first page is full; the number of submitted assessments then.

    The review queue is compared page for page: at 10,000 cities its first page has 50
    rows, while the 135-city network has only ~11 submitted assessments, so the plain
    comparison set 50 rows against 11 (2.94× on SQLite) and measured rows, not growth.
    A full page on both sides compares like with like; the per-row cost is the same
    rendering either way. The rows are what the queue shows (city, edition, round, date,
    reviewer, due date; no answers: the queue reads none), added after the other pages'
    warm-up values are chosen (the first submitted assessment stays the review page's).
    """
    from datetime import UTC, datetime, timedelta

    from sqlalchemy import func, select

    from benchmark.extensions import db
    from benchmark.models import Assessment, City, User
    from benchmark.services import questionnaires
    from benchmark.services.paging import PER_PAGE

    with app.app_context():
        submitted = db.session.scalar(select(func.count()).select_from(Assessment)
                                      .where(Assessment.status == "submitted")) or 0
        newest = questionnaires.find_row(questionnaires.latest_version() or "")
        assert newest is not None
        on_newest = select(Assessment.city_id).where(Assessment.edition_id == newest.id)
        cities = db.session.scalars(select(City.id).where(City.id.not_in(on_newest))
                                    .order_by(City.id).limit(max(0, PER_PAGE - submitted))).all()
        staff = db.session.scalar(select(User.id).where(User.role == "staff").order_by(User.id))
        now = datetime.now(UTC)
        for i, city_id in enumerate(cities):
            # Half with a reviewer and a due date, as in the seeded queue.
            db.session.add(Assessment(
                city_id=city_id, edition_id=newest.id, round=now.year + 1, status="submitted",
                profile={}, submitted_at=now - timedelta(days=30 - i % 30),
                status_changed_at=now - timedelta(days=30 - i % 30),
                reviewer_id=staff if i % 2 else None,
                review_due=(now + timedelta(days=i % 20)).date() if i % 2 else None))
        db.session.commit()
        submitted += len(cities)
        db.session.remove()
    assert submitted >= PER_PAGE, f"only {submitted} submitted assessments for a page of {PER_PAGE}"
    return submitted


def _login(client: Any, email: str) -> None:
    from benchmark.demo.accounts import DEMO_PASSWORD

    html = client.get("/login").get_data(as_text=True)
    csrf = re.search(r'name="csrf-token" content="([^"]+)"', html)
    assert csrf, "no CSRF token on the login page"
    client.post("/login", data={"email": email, "password": DEMO_PASSWORD, "csrf_token": csrf[1]})


def page_requests(app: Any) -> dict[str, Callable[[], None]]:
    """One request of each of PAGES on this app's network (logged in, warmed up)."""
    from sqlalchemy import select

    from benchmark.demo.accounts import DEMO_USERS
    from benchmark.extensions import db
    from benchmark.models import Assessment, City, User
    from benchmark.services import tokens

    with app.app_context():
        focal = db.session.scalar(select(User).where(User.email == DEMO_USERS[2][0]))
        # A city by its name (any case), as an administrator types it: the same demo city in
        # both networks, with its team.
        city_name = db.session.scalar(select(City.name).where(City.id == focal.city_id)).upper()
        validated = db.session.scalar(select(Assessment.id).where(
            Assessment.city_id == focal.city_id, Assessment.status == "validated")
            .order_by(Assessment.round))
        submitted = db.session.scalar(select(Assessment.id).where(Assessment.status == "submitted")
                                      .order_by(Assessment.id))
        _, token = tokens.create_for_email(DEMO_USERS[1][0], "bench")
        db.session.remove()
    staff, admin = app.test_client(), app.test_client()
    _login(staff, DEMO_USERS[1][0])
    _login(admin, DEMO_USERS[0][0])
    bearer = {"Authorization": f"Bearer {token}"}
    paths = {
        "scores JSON": (staff, f"/api/v1/assessments/{validated}/scores", bearer),
        "results page": (staff, f"/results/{validated}", {}),
        "review page": (staff, f"/review/{submitted}", {}),
        "review queue": (staff, "/review", {}),
        "admin cities": (admin, "/admin/cities", {}),
        "admin users": (admin, "/admin/users", {}),
        "admin users by city": (admin, f"/admin/users?city={quote(city_name)}", {}),
        "audit log": (admin, "/admin/audit", {}),
        "network page": (staff, "/network", {}),
    }
    requests = {}
    for name, (client, path, headers) in paths.items():
        if name not in PAGES:
            continue
        for _ in range(2):  # warm-up: prepared network, parsed edition, token's last use
            assert client.get(path, headers=headers).status_code == 200, (name, path)

        def request(client: Any = client, path: str = path, headers: dict = headers) -> None:
            client.get(path, headers=headers).get_data()

        requests[name] = request
    return requests


#: Blocks of requests per page on each network, alternated.
BLOCKS = 5


def compare(large: Any, small: Any) -> dict[str, tuple[float, float]]:
    """Median seconds per request of each of PAGES on the large and the small network.

    The two are measured in alternating blocks (BLOCKS of each, REQUESTS in all), so that
    the load of the shared machine hits both alike. Each block starts with one untimed
    request: the per-process caches hold one network state per edition id
    (`scores.network_index`), and both networks have the same edition ids, so the first
    request after a switch rebuilds it, as it would once after a validation.
    """
    on_large, on_small = page_requests(large), page_requests(small)
    per_block = max(1, REQUESTS // BLOCKS)
    costs = {}
    for name in PAGES:
        a: list[float] = []
        b: list[float] = []
        for _ in range(BLOCKS):
            for request, times in ((on_large[name], a), (on_small[name], b)):
                request()
                times.extend(timed(request) for _ in range(per_block))
        costs[name] = (statistics.median(a), statistics.median(b))
    return costs


def export_statements(app: Any) -> dict[str, int]:
    """Statements of one export of every edition: scores.xlsx, and answers.csv read to its end."""
    from benchmark.authz import SYSTEM
    from benchmark.services import exports
    from tests.queries import count_queries

    counts = {}
    with app.app_context():
        exports.scores_xlsx(SYSTEM)  # warm-up: parsed editions
        with count_queries() as queries:
            exports.scores_xlsx(SYSTEM)
        counts["scores.xlsx"] = queries.count
        with count_queries() as queries:
            for _ in exports.answers_csv(SYSTEM):
                pass
        counts["answers.csv"] = queries.count
    return counts


def cli_env(instance: Path, database_url: str) -> dict[str, str]:
    """Environment of the command line on this instance and database."""
    from tests.perf.conftest import questionnaire_dir

    env = {k: v for k, v in os.environ.items() if not k.startswith("BENCHMARK_")}
    env.update(BENCHMARK_INSTANCE_PATH=str(instance), BENCHMARK_DATABASE_URL=database_url,
               BENCHMARK_SECRET_KEY="bench-secret", BENCHMARK_ENV="development",
               BENCHMARK_QUESTIONNAIRE_DIR=str(questionnaire_dir()[0]))
    return env


def answers_csv_peak_mib(env: dict[str, str], out: Path) -> tuple[float, int]:
    """Peak RSS (MiB, the process's own VmHWM) of `benchmark export --format csv` in a child
    process; bytes written."""
    peak = out.with_suffix(".peak")
    done = subprocess.run(
        [sys.executable, "-m", "tests.perf.peak_rss", str(peak), "export", "--format", "csv",
         "--out", str(out)], cwd=Path(__file__).resolve().parents[2], env=env,
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    return float(peak.read_text()), out.stat().st_size
