"""Counting SQL statements: pin the cost of hot paths so an N+1 fails the suite.

    with count_queries() as queries:
        client.get(f"/assessments/{aid}")
    assert queries.count == 6, queries.report()

The shape of GOV.UK Notify's QueryRecorder: a context manager listening on the engine.
Transaction control (SQLite's explicit BEGIN) is left out, so that a count is the same on
SQLite and PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import event


@dataclass
class QueryRecorder:
    """The statements sent to the database while the block ran."""

    statements: list[str] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.statements)

    def report(self) -> str:
        """The statements, numbered: the message of a failing count assertion."""
        return "\n".join(f"{i}. {' '.join(s.split())[:200]}"
                         for i, s in enumerate(self.statements, 1))


@contextmanager
def count_queries(engine: Any = None) -> Iterator[QueryRecorder]:
    """Record every statement executed on `engine` (default: the app's) inside the block."""
    if engine is None:
        from benchmark.extensions import db

        engine = db.engine
    recorder = QueryRecorder()

    def before(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if not statement.lstrip().upper().startswith(("BEGIN", "COMMIT", "ROLLBACK")):
            recorder.statements.append(statement)

    event.listen(engine, "before_cursor_execute", before)
    try:
        yield recorder
    finally:
        event.remove(engine, "before_cursor_execute", before)


@dataclass
class RoundTrips:
    """What psycopg sent to PostgreSQL while the block ran, read from libpq's trace."""

    messages: list[str] = field(default_factory=list)

    @property
    def count(self) -> int:
        """Waits for the server: each simple Query or extended-protocol Sync is one."""
        return sum(1 for m in self.messages if m.split(" ", 1)[0] in ("Query", "Sync"))

    @property
    def parsed(self) -> int:
        """Statements parsed (and planned) anew rather than run from a prepared one."""
        return sum(1 for m in self.messages if m.startswith("Parse"))

    @property
    def transaction_control(self) -> list[str]:
        return [m for m in self.messages if m.startswith("Query")
                and m.split('"')[1].split(" ")[0] in ("BEGIN", "COMMIT", "ROLLBACK", "DEALLOCATE")]

    def report(self) -> str:
        return "\n".join(f"{i}. {m[:160]}" for i, m in enumerate(self.messages, 1))


@contextmanager
def count_round_trips(engine: Any = None) -> Iterator[RoundTrips]:
    """Record the frontend messages of every connection checked out in the block
    (PostgreSQL with psycopg only): BEGIN and ROLLBACK included, which the driver sends
    itself and count_queries cannot see."""
    import ctypes
    import tempfile

    from psycopg.pq import Trace

    if engine is None:
        from benchmark.extensions import db

        engine = db.engine
    recorder = RoundTrips()
    traced: list[Any] = []
    with tempfile.TemporaryFile("w+") as log:
        def checkout(dbapi_connection: Any, *_args: Any) -> None:
            dbapi_connection.pgconn.trace(log.fileno())
            dbapi_connection.pgconn.set_trace_flags(Trace.SUPPRESS_TIMESTAMPS | Trace.REGRESS_MODE)
            traced.append(dbapi_connection)

        event.listen(engine, "checkout", checkout)
        try:
            yield recorder
        finally:
            event.remove(engine, "checkout", checkout)
            for connection in traced:
                connection.pgconn.untrace()
            # libpq writes through a stdio stream psycopg opened and never flushes: flush
            # every stream of the process so that the trace's tail is in the file.
            ctypes.CDLL(None).fflush(None)
            log.seek(0)
            # A line is "F<tab>length<tab>message<tab> fields" for what the client sent.
            recorder.messages.extend(" ".join(p.strip() for p in line.split("\t")[2:])
                                     for line in log if line.startswith("F\t"))
