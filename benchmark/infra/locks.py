"""Locks that every worker and machine sees, held in the shared database.

Two shapes:

- `for_transaction(name, key)`: a read-then-write of shared rows (an edition's network
  statistics) holds it until its transaction ends. On PostgreSQL this is an advisory
  transaction lock. On SQLite there is nothing to take: write transactions begin
  IMMEDIATE (services/_tx.py), which takes the database's single write lock, so two
  writers never interleave.
- `held(name, key, timeout=...)`: long work outside any transaction (rendering a report)
  that others should wait for rather than repeat. On PostgreSQL a session advisory lock
  on a connection of its own (autocommit, so no transaction stays open while the work
  runs); a process that dies closes its connection and so releases the lock — nothing
  is ever left behind. On SQLite, which lives on one host's disk, `flock` on one of a
  fixed set of lock files beside the database (the kernel releases it when the process
  dies; the files are never deleted, so no waiter can hold an unlinked one).

Advisory locks are named by two 32-bit integers: the lock's name and the key. PostgreSQL
keeps this two-integer space apart from the single-bigint one, which we do not use.
"""

from __future__ import annotations

import fcntl
import os
import time
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from flask import current_app
from sqlalchemy import text

from benchmark.extensions import db

#: Lock files per name on SQLite: different keys may share one (they then wait for each
#: other, which on a single host costs little) so that the files stay few and permanent.
_SQLITE_SLOTS = 64
_POLL_SECONDS = 0.05


def _int32(value: int | str) -> int:
    """A signed 32-bit integer naming `value` (advisory lock keys are int4)."""
    if isinstance(value, int) and -(2**31) <= value < 2**31:
        return value
    unsigned = zlib.crc32(str(value).encode())
    return unsigned - 2**32 if unsigned >= 2**31 else unsigned


def _is_postgresql() -> bool:
    return db.engine.dialect.name == "postgresql"


def for_transaction(name: str, key: int | str) -> None:
    """Wait for, then hold until the current transaction ends, the lock `name`/`key`.

    Call it inside `services._tx.transaction()`, before the first read of the rows it
    protects: a later read then sees every write committed by the previous holder.
    """
    if _is_postgresql():
        db.session.execute(text("SELECT pg_advisory_xact_lock(:name, :key)"),
                           {"name": _int32(name), "key": _int32(key)})


@contextmanager
def held(name: str, key: int | str, *, timeout: float = 120.0) -> Iterator[bool]:
    """Hold the lock `name`/`key` while the block runs; yields whether it was obtained.

    After `timeout` seconds of waiting the block runs without it (False): callers use
    the lock to avoid repeating work, never as the only guard of correctness.
    """
    if _is_postgresql():
        with _advisory_session_lock(_int32(name), _int32(key), timeout) as obtained:
            yield obtained
    else:
        with _file_lock(name, _int32(key) % _SQLITE_SLOTS, timeout) as obtained:
            yield obtained


@contextmanager
def _advisory_session_lock(name: int, key: int, timeout: float) -> Iterator[bool]:
    connection = db.engine.connect().execution_options(isolation_level="AUTOCOMMIT")
    try:
        obtained = _poll(lambda: bool(connection.scalar(
            text("SELECT pg_try_advisory_lock(:name, :key)"), {"name": name, "key": key})), timeout)
        try:
            yield obtained
        finally:
            if obtained:
                connection.execute(text("SELECT pg_advisory_unlock(:name, :key)"),
                                   {"name": name, "key": key})
    finally:
        connection.close()


@contextmanager
def _file_lock(name: str, slot: int, timeout: float) -> Iterator[bool]:
    folder = _sqlite_lock_folder()
    folder.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(folder / f"{name}-{slot}.lock", os.O_RDWR | os.O_CREAT, 0o600)
    try:
        def attempt() -> bool:
            try:
                fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                return False
            return True

        obtained = _poll(attempt, timeout)
        try:
            yield obtained
        finally:
            if obtained:
                fcntl.flock(descriptor, fcntl.LOCK_UN)
    finally:
        os.close(descriptor)


def _sqlite_lock_folder() -> Path:
    """Beside the database file, so that every instance folder using it sees the same locks."""
    database = db.engine.url.database
    if database and database != ":memory:":
        path = Path(database).resolve()
        return path.with_name(path.name + ".locks")
    return Path(current_app.instance_path) / "locks"


def _poll(attempt: Callable[[], bool], timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while True:
        if attempt():
            return True
        if time.monotonic() >= deadline:
            return False
        time.sleep(_POLL_SECONDS)
