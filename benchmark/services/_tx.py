"""The transaction boundary of every service function."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from benchmark.database import IMMEDIATE
from benchmark.extensions import db


@contextmanager
def transaction() -> Iterator[None]:
    """Commit on success, roll back on any error; on SQLite take the write lock at BEGIN."""
    session = db.session
    if session.in_transaction():
        # A read earlier in the request opened a deferred transaction; writes need a fresh one.
        session.commit()
    session.connection(execution_options={IMMEDIATE: True})
    try:
        yield
        session.commit()
    except BaseException:
        session.rollback()
        raise
