"""Fixtures: an app on a fresh database per test, on SQLite and (when reachable) PostgreSQL.

`--db sqlite|postgresql|all` picks the backends (default all). PostgreSQL is found at
BENCHMARK_TEST_POSTGRES_URL (default postgresql+psycopg://postgres@127.0.0.1:5432/test);
when it is unreachable its tests are skipped with the reason shown, never passed.
"""

from __future__ import annotations

import contextvars
import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import has_app_context
from flask.testing import FlaskClient

POSTGRES_URL = os.environ.get(
    "BENCHMARK_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
REDIS_URL = os.environ.get("BENCHMARK_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--db", default="all", choices=("sqlite", "postgresql", "all"),
                     help="database backends for integration tests")


def _backends(config: pytest.Config) -> list[str]:
    choice = config.getoption("--db")
    return ["sqlite", "postgresql"] if choice == "all" else [choice]


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "backend" in metafunc.fixturenames:
        metafunc.parametrize("backend", _backends(metafunc.config), scope="session")


# -- PostgreSQL: one database per test session (and xdist worker), rows wiped per test --------

def _skip_or_fail(reason: str) -> None:
    """CI sets BENCHMARK_TEST_REQUIRE_SERVICES=1: there a missing service is a failure."""
    if os.environ.get("BENCHMARK_TEST_REQUIRE_SERVICES") == "1":
        pytest.fail(reason, pytrace=False)
    pytest.skip(reason)


def _postgres_admin_engine():  # type: ignore[no-untyped-def]
    from sqlalchemy import create_engine

    return create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT", pool_pre_ping=True)


_pg_state: dict[str, object] = {}


def _postgres_reason() -> str | None:
    if "reason" not in _pg_state:
        from sqlalchemy import text

        try:
            engine = _postgres_admin_engine()
            with engine.connect() as conn:
                conn.execute(text("SELECT 1"))
            engine.dispose()
            _pg_state["reason"] = None
        except Exception as err:
            _pg_state["reason"] = f"PostgreSQL not reachable at {POSTGRES_URL}: {type(err).__name__}"
    return _pg_state["reason"]  # type: ignore[return-value]


@pytest.fixture(scope="session")
def postgres_url(worker_id: str) -> Iterator[str]:
    reason = _postgres_reason()
    if reason:
        _skip_or_fail(reason)
    from sqlalchemy import text

    name = f"benchmark_test_{worker_id}_{uuid.uuid4().hex[:8]}"
    admin = _postgres_admin_engine()
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    base = POSTGRES_URL.rsplit("/", 1)[0]
    yield f"{base}/{name}"
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(scope="session")
def worker_id(request: pytest.FixtureRequest) -> str:
    return getattr(request.config, "workerinput", {}).get("workerid", "main")


def _migrate(app) -> None:  # type: ignore[no-untyped-def]
    from flask_migrate import upgrade

    with app.app_context():
        upgrade(directory=app.extensions["migrate"].directory)


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated SQLite file, copied for each test (faster than migrating each time)."""
    from benchmark.app import create_app

    folder = tmp_path_factory.mktemp("template")
    path = folder / "template.sqlite3"
    app = create_app({"INSTANCE_PATH": str(folder), "DATABASE_URL": f"sqlite:///{path}",
                      "SECRET_KEY": "template"})
    _migrate(app)
    with app.app_context():
        from benchmark.extensions import db

        db.engine.dispose()
    return path


@pytest.fixture(scope="session")
def postgres_migrated(request: pytest.FixtureRequest, postgres_url: str) -> str:
    from benchmark.app import create_app

    app = create_app({"DATABASE_URL": postgres_url, "SECRET_KEY": "template",
                      "INSTANCE_PATH": str(request.config.rootpath / "instance" / "pytest")})
    _migrate(app)
    with app.app_context():
        from benchmark.extensions import db

        db.engine.dispose()
    return postgres_url


def base_overrides(instance: Path) -> dict[str, object]:
    return {
        "INSTANCE_PATH": str(instance),
        "SECRET_KEY": "test-secret-key",
        "TESTING": True,
        "RATELIMIT_ENABLED": False,
        "BACKGROUND_JOBS": False,
        "QUESTIONNAIRE_DIR": str(Path(__file__).resolve().parent.parent / "questionnaires"),
    }


class RequestClient(FlaskClient):
    """A test client whose every request runs in an app context of its own, as in production.

    The test keeps one app context open around its set-up and checks (builders, direct
    service calls, reading rows back), as flaskr's tests open one for those. Flask reuses
    an app context that is already pushed, so a request made inside it would share `g`
    and the database session with the test and with every other request: each request
    therefore runs in an empty `contextvars.Context`, where Flask pushes a fresh one. The
    test's session ends its transaction first, so checks afterwards read what the request
    committed.
    """

    def open(self, *args: Any, **kwargs: Any) -> Any:  # type: ignore[override]
        if has_app_context():
            from benchmark.extensions import db

            db.session.commit()
        return contextvars.Context().run(super().open, *args, **kwargs)


@pytest.fixture
def app(request: pytest.FixtureRequest, backend: str, tmp_path: Path):  # type: ignore[no-untyped-def]
    """An app on a fresh, migrated database of the current backend.

    Its app context is pushed for the test's set-up and checks; requests through
    `client` run in app contexts of their own (RequestClient).
    """
    from benchmark.app import create_app

    overrides = base_overrides(tmp_path / "instance")
    if backend == "sqlite":
        template = request.getfixturevalue("sqlite_template")
        path = tmp_path / "benchmark.sqlite3"
        shutil.copy(template, path)
        overrides["DATABASE_URL"] = f"sqlite:///{path}"
    else:
        overrides["DATABASE_URL"] = request.getfixturevalue("postgres_migrated")
    overrides.update(getattr(request, "param", None) or {})
    marker = request.node.get_closest_marker("config")
    if marker:
        overrides.update(marker.kwargs)
    application = create_app(overrides)
    application.test_client_class = RequestClient
    ctx = application.app_context()
    ctx.push()
    yield application
    from benchmark.extensions import db

    db.session.remove()
    if backend == "postgresql":
        _wipe_postgres(db)
    db.engine.dispose()
    ctx.pop()


def _wipe_postgres(db) -> None:  # type: ignore[no-untyped-def]
    from sqlalchemy import text

    tables = ", ".join(f'"{t.name}"' for t in db.metadata.sorted_tables)
    with db.engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))


@pytest.fixture
def client(app):  # type: ignore[no-untyped-def]
    return app.test_client()


@pytest.fixture
def runner(app):  # type: ignore[no-untyped-def]
    return app.test_cli_runner()


@pytest.fixture
def redis_url() -> Iterator[str]:
    """A reachable Redis (database 15 by default, flushed) for this test alone, or a visible skip.

    Tests flush the database and run workers on its queues, so two of them must not
    overlap: each holds a lock file named after the URL, which the tests of every
    process (xdist workers, other test runs) using the same database wait for.
    (pytest-xdist's `xdist_group` does not group tests under pytest 9.)
    """
    import fcntl
    import hashlib
    import tempfile

    import redis

    try:
        client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1)
        client.ping()
    except redis.RedisError as err:
        _skip_or_fail(f"Redis not reachable at {REDIS_URL}: {type(err).__name__}")
    digest = hashlib.sha1(REDIS_URL.encode()).hexdigest()[:12]  # nosec B324 - a file name
    with open(Path(tempfile.gettempdir()) / f"benchmark-test-redis-{digest}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        client.flushdb()
        yield REDIS_URL


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "config(**overrides): app config overrides for this test")
