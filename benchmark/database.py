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


def engine_options(url: str) -> dict[str, Any]:
    if url.startswith("sqlite"):
        return {"connect_args": {"timeout": 15, "check_same_thread": False}}
    return {"pool_pre_ping": True, "pool_size": 5, "max_overflow": 5}
