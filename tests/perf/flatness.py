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
import time
from pathlib import Path
from typing import Any

REQUESTS = int(os.environ.get("BENCH_FLAT_REQUESTS", "15"))
PAGES = ("scores JSON", "results page", "review page", "review queue", "admin cities")


def _login(client: Any, email: str) -> None:
    from benchmark.demo.accounts import DEMO_PASSWORD

    html = client.get("/login").get_data(as_text=True)
    csrf = re.search(r'name="csrf-token" content="([^"]+)"', html)
    assert csrf, "no CSRF token on the login page"
    client.post("/login", data={"email": email, "password": DEMO_PASSWORD, "csrf_token": csrf[1]})


def page_costs(app: Any) -> dict[str, float]:
    """Median seconds per request of each of PAGES on this app's network."""
    from sqlalchemy import select

    from benchmark.demo.accounts import DEMO_USERS
    from benchmark.extensions import db
    from benchmark.models import Assessment, User
    from benchmark.services import tokens

    with app.app_context():
        focal = db.session.scalar(select(User).where(User.email == DEMO_USERS[2][0]))
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
    requests = {
        "scores JSON": (staff, f"/api/v1/assessments/{validated}/scores", bearer),
        "results page": (staff, f"/results/{validated}", {}),
        "review page": (staff, f"/review/{submitted}", {}),
        "review queue": (staff, "/review", {}),
        "admin cities": (admin, "/admin/cities", {}),
    }
    costs = {}
    for name, (client, path, headers) in requests.items():
        for _ in range(2):  # warm-up: prepared network, parsed edition, token's last use
            assert client.get(path, headers=headers).status_code == 200, (name, path)
        times = []
        for _ in range(REQUESTS):
            start = time.perf_counter()
            client.get(path, headers=headers).get_data()
            times.append(time.perf_counter() - start)
        costs[name] = statistics.median(times)
    return costs


def scores_xlsx_statements(app: Any) -> int:
    """Statements of one scores.xlsx export of every edition."""
    from benchmark.authz import SYSTEM
    from benchmark.services import exports
    from tests.queries import count_queries

    with app.app_context():
        exports.scores_xlsx(SYSTEM)  # warm-up: parsed editions
        with count_queries() as queries:
            exports.scores_xlsx(SYSTEM)
        return queries.count


def answers_csv_peak_mib(env: dict[str, str], out: Path) -> tuple[float, int]:
    """Peak RSS (MiB) of `benchmark export --format csv` in a child process; bytes written."""
    command = [str(Path(sys.executable).parent / "benchmark"), "export", "--format", "csv",
               "--out", str(out)]
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    assert process.returncode == 0, process.stderr.read() if process.stderr else ""
    return usage.ru_maxrss / 1024, out.stat().st_size
