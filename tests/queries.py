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
