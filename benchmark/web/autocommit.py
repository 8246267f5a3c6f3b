"""Views marked `@autocommit_reads` read outside transactions on PostgreSQL; the others
end their read transaction with COMMIT, which keeps the connection's prepared statements.

The hot read paths (scores JSON, the dimension page, a cached report download, the
autosave's token check) paid two round trips of transaction control per request, and
lost their prepared statements to psycopg on every ROLLBACK (benchmark.database,
start_autocommit_reads). A marked view must write only inside services._tx.transaction(),
which ends autocommit before its first statement, and must not stream rows with a
server-side cursor outside it; tests/integration/perf/test_autocommit_reads.py holds each
marked path to that.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from flask import Flask, current_app, request
from sqlalchemy.exc import SQLAlchemyError

from benchmark.database import end_autocommit_reads, start_autocommit_reads
from benchmark.extensions import db

View = TypeVar("View", bound=Callable[..., object])

_MARK = "autocommit_reads"


def autocommit_reads(view: View) -> View:
    """Mark a view whose reads need no transaction (see the module's docstring)."""
    setattr(view, _MARK, True)
    return view


def init_autocommit_reads(app: Flask) -> None:
    """Register before the identity hooks, whose token and session reads it covers."""
    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        return  # SQLite's reads are in-process: nothing to save

    @app.before_request
    def _start() -> None:
        view = current_app.view_functions.get(request.endpoint or "")
        if getattr(view, _MARK, False):
            start_autocommit_reads()

    @app.teardown_request
    def _end(error: BaseException | None) -> None:
        end_autocommit_reads()
        if not db.session.registry.has():
            return  # the request used no database (ping, static files): none to make
        session = db.session()
        if error is None and session.in_transaction() and not (
                session.new or session.dirty or session.deleted):
            # A request that read in a transaction (an unmarked view): COMMIT ends it as
            # ROLLBACK would, with nothing to write, but keeps the connection's prepared
            # statements, which psycopg drops on every ROLLBACK; the hot paths served next
            # by this worker need them. Anything pending still meets the ROLLBACK.
            try:
                session.commit()
            except SQLAlchemyError:
                session.rollback()

