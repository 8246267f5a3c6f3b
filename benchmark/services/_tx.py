"""The transaction boundary of every service function."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.exc import IntegrityError

from benchmark.database import IMMEDIATE, end_autocommit_reads
from benchmark.extensions import db

_DEPTH = "benchmark_tx_depth"


@contextmanager
def transaction() -> Iterator[None]:
    """Commit on success, roll back on any error; on SQLite take the write lock at BEGIN.

    Re-entrant: a service called from another service's transaction joins it, so
    one use case stays one transaction.
    """
    session = db.session()
    depth = session.info.get(_DEPTH, 0)
    if depth:
        session.info[_DEPTH] = depth + 1
        try:
            yield
        finally:
            session.info[_DEPTH] = depth
        return
    if session.in_transaction():
        # A read earlier in the request opened a deferred transaction; writes need a fresh one.
        session.commit()
    end_autocommit_reads()  # a request that writes reads in transactions from here on
    session.connection(execution_options={IMMEDIATE: True})
    session.info[_DEPTH] = 1
    try:
        yield
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.info[_DEPTH] = 0


def in_transaction() -> bool:
    """Whether the caller runs inside `transaction()`."""
    return bool(db.session().info.get(_DEPTH, 0))


@contextmanager
def snapshot() -> Iterator[None]:
    """Read several statements from one consistent state of the database, then end the read.

    PostgreSQL's default (READ COMMITTED) lets each statement see newer commits, so
    something computed from many reads (a report and the key it is stored under) could
    mix two states; REPEATABLE READ fixes one snapshot for the whole block. SQLite's
    read transaction is already a snapshot. Not for writes, and not inside transaction().
    """
    session = db.session()
    if session.info.get(_DEPTH, 0):
        raise RuntimeError("snapshot() inside a write transaction")
    if session.in_transaction():
        session.commit()  # end an earlier read so that the snapshot starts now
    if db.engine.dialect.name == "postgresql":
        session.connection(execution_options={"isolation_level": "REPEATABLE READ"})
    try:
        yield
    finally:
        session.rollback()


def flush_unique(error: Exception) -> None:
    """Flush the pending inserts; a unique constraint met on the way becomes `error`.

    A "check, then insert" (is this slug free?) gives the friendly answer in the usual
    case, but two writers can pass the check at the same moment (on PostgreSQL; SQLite
    takes its write lock before the check). The second then meets the unique
    constraint, and gets the same answer instead of a 500. Other integrity errors
    (a foreign key, a NOT NULL) are bugs and stay what they are.
    """
    try:
        db.session.flush()
    except IntegrityError as err:
        if _is_unique_violation(err):
            raise error from None
        raise


def _is_unique_violation(err: IntegrityError) -> bool:
    original = err.orig
    if getattr(original, "sqlstate", None) == "23505":  # PostgreSQL unique_violation
        return True
    return "UNIQUE constraint failed" in str(original)  # SQLite
