"""Faults are reported where they happen, in one line, never as a 500 (issue 21).

A database URL that does not parse, names a driver that is not installed, or cannot be
reached stops `benchmark init` and run.py with one line; a read-only database is named by
`benchmark init` and /healthz, and does not fail a GET with a token; an unwritable
reports folder is named by /healthz and answers 503 on a PDF download.
"""

from __future__ import annotations

import contextvars
import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import update

from benchmark.app import create_app
from benchmark.config import ConfigError
from benchmark.extensions import db
from benchmark.models import ApiToken, UserSession, utcnow
from tests.builders import api_token, build_assessment, build_city, build_user, login
from tests.conftest import RequestClient, base_overrides

ROOT = Path(__file__).resolve().parents[3]


@pytest.mark.parametrize(("url", "says"), [
    ("notaurl", "is not a database URL"),
    ("mysql://user@host/db", "driver for 'mysql' is not installed"),
    ("postgresql+asyncpg://user@host/db", "driver for 'postgresql+asyncpg' is not installed"),
    ("nosuchdb://user@host/db", "unknown database kind 'nosuchdb'"),
])
def test_a_database_url_that_cannot_work_is_a_configuration_error(tmp_path, url: str,
                                                                   says: str) -> None:
    with pytest.raises(ConfigError) as err:
        create_app({**base_overrides(tmp_path / "instance"), "DATABASE_URL": url})
    assert says in str(err.value) and "\n" not in str(err.value)


def _env(url: str, tmp_path: Path) -> dict[str, str]:
    # --prod needs an SMTP server named (it is not contacted at start).
    env = {**os.environ, "BENCHMARK_DATABASE_URL": url,
           "BENCHMARK_INSTANCE_PATH": str(tmp_path / "instance"),
           "BENCHMARK_SECRET_KEY": "x" * 32, "BENCHMARK_MAIL_SERVER": "127.0.0.1"}
    env.pop("BENCHMARK_REDIS_URL", None)
    return env


def _run(args: list[str], url: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, capture_output=True, text=True, env=_env(url, tmp_path),
                          cwd=ROOT, timeout=120)


def _problem_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if " INFO " not in line]


@pytest.mark.parametrize("mode", [[], ["--prod"]], ids=["development", "production"])
def test_run_py_stops_with_one_line_when_the_database_cannot_be_reached(tmp_path,
                                                                        mode: list[str]) -> None:
    result = _run([sys.executable, "run.py", "--port", "0", *mode],
                  "postgresql+psycopg://nobody@127.0.0.1:1/none", tmp_path)
    assert result.returncode != 0
    lines = _problem_lines(result.stderr)
    assert len(lines) == 1 and lines[0].startswith("benchmark: database unreachable")
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("mode", [[], ["--prod"]], ids=["development", "production"])
@pytest.mark.parametrize(("url", "says"), [
    ("notaurl", "is not a database URL"),
    ("mysql://user@host/db", "driver for 'mysql' is not installed"),
])
def test_run_py_stops_with_one_line_on_a_url_that_cannot_work(tmp_path, mode: list[str],
                                                              url: str, says: str) -> None:
    result = _run([sys.executable, "run.py", "--port", "0", *mode], url, tmp_path)
    assert result.returncode != 0
    [line] = _problem_lines(result.stderr)
    assert line.startswith("benchmark: configuration error: ") and says in line
    assert "Traceback" not in result.stderr


def test_run_py_prod_with_workers_and_no_redis_warns_that_limits_are_per_worker(tmp_path) -> None:
    """The warning comes before gunicorn starts; the server is stopped as soon as it is read."""
    with subprocess.Popen(
            [sys.executable, "run.py", "--prod", "--workers", "3", "--port", "0"],
            env=_env(f"sqlite:///{tmp_path / 'benchmark.sqlite3'}", tmp_path), cwd=ROOT,
            stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True) as server:
        try:
            assert server.stderr is not None
            first = next((line for line in server.stderr if " INFO " not in line), "")
        finally:
            server.terminate()
    assert first.startswith("benchmark: warning: 3 workers and no BENCHMARK_REDIS_URL: rate "
                            "limits are counted per worker")


def test_init_stops_with_one_line_on_a_malformed_url(tmp_path) -> None:
    result = _run([str(Path(sys.executable).parent / "benchmark"), "init"], "notaurl", tmp_path)
    assert result.returncode != 0
    assert _problem_lines(result.stderr) == [
        "benchmark: configuration error: BENCHMARK_DATABASE_URL is not a database URL; use "
        "e.g. sqlite:////path/benchmark.sqlite3 or postgresql+psycopg://user@host/dbname"]


def _read_only_url(app) -> str:  # type: ignore[no-untyped-def]
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    if url.startswith("sqlite:///"):
        return f"sqlite:///file:{url.removeprefix('sqlite:///')}?mode=ro&uri=true"
    joiner = "&" if "?" in url else "?"
    return f"{url}{joiner}options=-c%20default_transaction_read_only%3Don"


@pytest.fixture
def read_only_app(app, tmp_path, monkeypatch):  # type: ignore[no-untyped-def]
    """A second app on the same database, connected read-only."""
    # The SQLite lock file beside the database is named from the URL's path ("file:..."):
    # keep it in the test's folder.
    monkeypatch.chdir(tmp_path)
    db.session.commit()
    other = create_app({**base_overrides(tmp_path / "ro-instance"),
                        "DATABASE_URL": _read_only_url(app)})
    other.test_client_class = RequestClient
    yield other
    with other.app_context():
        db.session.remove()
        db.engine.dispose()


def test_healthz_names_a_read_only_database(client, read_only_app) -> None:
    assert client.get("/healthz").status_code == 200
    response = read_only_app.test_client().get("/healthz")
    assert response.status_code == 503
    body = response.get_json()
    assert body["status"] == "error" and body["failing"] == ["database_writable"]
    assert body["checks"]["database_writable"].startswith("read-only")


def test_init_says_the_database_is_read_only(read_only_app) -> None:
    # In a context of its own: with the test's app context current, the command would run there.
    result = contextvars.Context().run(read_only_app.test_cli_runner().invoke, args=["init"])
    assert result.exit_code != 0, result.output
    assert "the database is read-only" in result.output


def test_a_token_get_works_on_a_read_only_database(app, read_only_app) -> None:
    user = build_user("staff")
    headers = api_token(user)
    db.session.execute(update(ApiToken).values(last_used_at=utcnow() - timedelta(hours=1)))
    db.session.commit()
    response = read_only_app.test_client().get("/api/v1/cities", headers=headers)
    assert response.status_code == 200, response.get_json()


def test_token_use_is_written_at_most_every_few_minutes(app, client) -> None:
    headers = api_token(build_user("staff"))
    client.get("/api/v1/cities", headers=headers)
    first = db.session.scalar(db.select(ApiToken.last_used_at))
    client.get("/api/v1/cities", headers=headers)
    db.session.expire_all()
    assert db.session.scalar(db.select(ApiToken.last_used_at)) == first


def _break_reports_folder(app) -> None:  # type: ignore[no-untyped-def]
    folder = Path(app.instance_path) / "reports"
    if folder.is_dir():
        for path in folder.iterdir():
            path.unlink()
        folder.rmdir()
    folder.write_text("not a folder")  # root may write anywhere: a file stands in its way


def test_an_unwritable_reports_folder_is_named_and_a_download_is_503(app, client) -> None:
    city = build_city("lyon")
    assessment = build_assessment(city, status="validated", answers={"commitment_01": "yes"})
    headers = api_token(build_user("focal_point", city))
    _break_reports_folder(app)
    health = client.get("/healthz")
    assert health.status_code == 503 and health.get_json()["failing"] == ["reports_folder"]
    response = client.get(f"/api/v1/assessments/{assessment.id}/report.pdf", headers=headers)
    assert response.status_code == 503
    error = response.get_json()["error"]
    assert error["code"] == "unavailable" and "reports folder" in error["message"]


def test_pages_work_for_a_logged_in_person_on_a_read_only_database(app, client,
                                                                   read_only_app) -> None:
    """The session's last-seen time is a convenience: a read-only database must not fail a GET."""
    user = build_user("staff")
    login(client, user)
    db.session.execute(update(UserSession).values(last_seen_at=utcnow() - timedelta(minutes=5)))
    db.session.commit()
    reader = read_only_app.test_client()
    name = app.config["SESSION_COOKIE_NAME"]
    reader.set_cookie(name, client.get_cookie(name).value)
    for path in ("/account", "/practices"):
        response = reader.get(path)
        assert response.status_code == 200, (path, response.status_code)
        assert user.email in response.get_data(as_text=True) or path != "/account"
