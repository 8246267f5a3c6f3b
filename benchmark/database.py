"""Engine tuning per backend: SQLite WAL, foreign keys and BEGIN IMMEDIATE writes;
PostgreSQL connections checked before use when they sat idle, and reads in autocommit
where a request asked for it."""

from __future__ import annotations

import time
from contextvars import ContextVar
from typing import Any

from sqlalchemy import event, exc
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


#: Seconds a pooled PostgreSQL connection may sit unused before it is pinged on checkout.
PING_AFTER_IDLE = 5.0

#: Whether connections opened now read in autocommit (PostgreSQL): set for a request by
#: web/autocommit.py, ended by services._tx.transaction() before its first write.
_AUTOCOMMIT_READS: ContextVar[bool] = ContextVar("benchmark_autocommit_reads", default=False)


def start_autocommit_reads() -> None:
    """Connections opened from now on in this context read in autocommit (PostgreSQL only).

    Under READ COMMITTED every statement takes its own snapshot, inside a transaction or
    not, so no read sees anything else. What it saves: psycopg's BEGIN round trip before
    the first statement and the ROLLBACK after the last; and psycopg forgets every
    prepared statement of a connection on ROLLBACK (and sends DEALLOCATE ALL), so the hot
    paths' statements were parsed and planned again on each read-only request.
    Not for server-side cursors (`yield_per`), nor transaction-scoped locks: both need a
    transaction, which services._tx opens.
    """
    _AUTOCOMMIT_READS.set(True)


def end_autocommit_reads() -> None:
    """Connections opened from now on run in transactions again (the default)."""
    _AUTOCOMMIT_READS.set(False)


def configure_postgresql(engine: Engine) -> None:
    """Read in autocommit when asked (start_autocommit_reads); ping a pooled connection on
    checkout only when it sat unused for PING_AFTER_IDLE.

    SQLAlchemy's `pool_pre_ping` pings on every checkout: one more round trip per request,
    which a sync worker waits through (on the scores JSON, a third of its statements). A
    connection handed back milliseconds ago is alive; one that sat idle may have been
    closed by a server restart or a proxy's idle timeout, and is pinged, then replaced
    (the pool retries on DisconnectionError) before a request can fail on it.
    """

    @event.listens_for(engine, "engine_connect")
    def _autocommit_when_asked(connection: Any) -> None:
        if _AUTOCOMMIT_READS.get():
            # The pool sets the default level back when the connection is returned.
            connection.execution_options(isolation_level="AUTOCOMMIT")

    @event.listens_for(engine, "checkin")
    def _checked_in(_dbapi_connection: Any, record: Any) -> None:
        record.info["idle_since"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _checked_out(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
        idle_since = record.info.pop("idle_since", None)
        if idle_since is None or time.monotonic() - idle_since < PING_AFTER_IDLE:
            return  # new, or back from a request moments ago
        try:
            engine.dialect.do_ping(dbapi_connection)
        except Exception as err:  # any failure of the ping: the connection is not usable
            raise exc.DisconnectionError(f"idle connection is gone: {err}") from err


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
    # No pool_pre_ping: configure_postgresql pings only connections that sat idle.
    # LIFO: a request takes the connection used last, whose prepared statements are warm
    # (psycopg prepares a statement on its 6th use, per connection); spare ones idle.
    return {"pool_size": 5, "max_overflow": 5, "pool_use_lifo": True}
