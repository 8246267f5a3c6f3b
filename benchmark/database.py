"""Engine tuning per backend: SQLite WAL, foreign keys and BEGIN IMMEDIATE writes."""

from __future__ import annotations

from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine

#: Execution option a write transaction sets so that SQLite takes the write lock at BEGIN.
IMMEDIATE = "benchmark_immediate"


def configure_sqlite(engine: Engine) -> None:
    """Make pysqlite leave transaction control to us, then BEGIN (IMMEDIATE for writes).

    pysqlite's own implicit BEGIN is deferred: two writers can both read, then one
    fails or loses an update when upgrading its lock. Writers take the lock first.
    """

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.execute("PRAGMA busy_timeout = 15000")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        immediate = connection.get_execution_options().get(IMMEDIATE)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def check_url(url: str) -> None:
    """Refuse, with one line, a database URL that does not parse or whose driver is missing.

    Raises benchmark.config.ConfigError (the commands and run.py print it as one line).
    """
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError, NoSuchModuleError

    from benchmark.config import ConfigError

    try:
        parsed = make_url(url)
    except ArgumentError:
        raise ConfigError("BENCHMARK_DATABASE_URL is not a database URL; use e.g. "
                          "sqlite:////path/benchmark.sqlite3 or "
                          "postgresql+psycopg://user@host/dbname") from None
    try:
        dialect = parsed.get_dialect()
        dialect.import_dbapi()
    except NoSuchModuleError:
        raise ConfigError(f"BENCHMARK_DATABASE_URL names an unknown database kind "
                          f"{parsed.drivername!r}; use sqlite or postgresql+psycopg") from None
    except ImportError as err:
        raise ConfigError(f"the database driver for {parsed.drivername!r} is not installed "
                          f"({err.name or err}); use postgresql+psycopg (installed) or install "
                          f"the driver") from None


def engine_options(url: str) -> dict[str, Any]:
    if url.startswith("sqlite"):
        return {"connect_args": {"timeout": 15, "check_same_thread": False}}
    return {"pool_pre_ping": True, "pool_size": 5, "max_overflow": 5}
