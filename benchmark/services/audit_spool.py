"""Audit rows of report downloads, spooled to a file and flushed into the audit log in batches.

A cached report download reads only (the access check and the report's key): writing its
audit row in a transaction of its own made every download queue for SQLite's single writer
(p99 394 ms under wrk). Instead each download appends one JSON line to
`<instance>/audit-spool.jsonl` (one `write` on a file opened with O_APPEND: lines of
concurrent writers never interleave), and the lines become audit rows in batches:

- before anything reads the audit log (`audit.browse`: the audit page), so a reader never
  misses a download;
- when a download finds the spool past AUDIT_SPOOL_FLUSH_BYTES (about 250 downloads at
  the default), or its oldest line older than AUDIT_SPOOL_FLUSH_SECONDS;
- when `benchmark worker` starts (and restarts itself), and on `benchmark audit flush`
  (a timer, or before a backup).

Nothing is lost on a crash: a line is in the file (the page cache survives the process)
before the response is sent, and stays there until a flush has committed its row. Each
line carries an id, unique in `audit_events.spool_id`, so a flush that committed but
died before emptying the spool adds nothing twice when the same lines are read again.
Appenders hold a shared `flock` on the file while writing and a flush an exclusive one
while it reads, inserts and empties it, so no line is written between the read and the
truncation. A line that cannot be read (a write cut short by a full disk) is not dropped:
it becomes an `audit_spool_unreadable` row holding the raw text, shown on the audit page,
and is logged.

Machines sharing a PostgreSQL database each have their own spool, which the audit page
of another cannot flush: a machine serving downloads flushes its own at least every
AUDIT_SPOOL_FLUSH_SECONDS, and a timer running `benchmark audit flush` on each machine
covers one that went quiet (README, "Several machines"). With BENCHMARK_AUDIT_SPOOL=false
each download writes its row at once instead. docs/performance.md, "Cached report download".
"""

from __future__ import annotations

import fcntl
import json
import logging
import os
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from flask import current_app
from sqlalchemy import insert
from sqlalchemy.exc import SQLAlchemyError

from benchmark.extensions import db
from benchmark.models import AuditEvent, utcnow
from benchmark.services import audit
from benchmark.services._tx import in_transaction, transaction

log = logging.getLogger(__name__)

SPOOL_NAME = "audit-spool.jsonl"
#: Longest raw text of an unreadable line kept in its audit row.
MAX_RAW = 2000


def is_enabled() -> bool:
    """AUDIT_SPOOL (on by default)."""
    return bool(current_app.config.get("AUDIT_SPOOL", True))


def spool_path(instance_path: str | Path | None = None) -> Path:
    return Path(instance_path or current_app.instance_path) / SPOOL_NAME


def append(row: dict[str, Any]) -> None:
    """Spool one audit row (`audit.row`); flush when the spool has grown past its limit.

    Outside any write transaction (a flush could otherwise wait for the lock it holds).
    """
    size, head = _write(spool_path(), row)
    config = current_app.config
    if size >= int(config.get("AUDIT_SPOOL_FLUSH_BYTES", 64 * 1024)) or _waited(
            head, timedelta(seconds=int(config.get("AUDIT_SPOOL_FLUSH_SECONDS", 60)))):
        try:
            flush()
        except (SQLAlchemyError, OSError):
            # The line is safe in the spool; the next flush records it. The download that
            # happened to find the spool full is not failed for it.
            log.exception("audit spool: flush after a download failed; lines kept")


def _waited(head: bytes, longest: timedelta) -> bool:
    """Whether the spool's first line (the oldest), of which `head` is the start, was
    written at least `longest` ago (`_write` puts the time first)."""
    if not head.startswith(_AT_FIRST):
        return False  # a line cut short: the next flush reports it, the size bound holds
    try:
        oldest = datetime.fromisoformat(head[len(_AT_FIRST):].split(b'"', 1)[0].decode())
    except (ValueError, UnicodeDecodeError):
        return False
    return utcnow() - oldest >= longest


#: How every line starts: the time first, so that `_waited` needs a few bytes only.
_AT_FIRST = b'{"at":"'
#: Bytes of the spool's start that hold its first line's time.
_HEAD = len(_AT_FIRST) + 40


def write_line(path: Path, row: dict[str, Any]) -> int:
    """Append `row` as one line with one write; the spool's size after it (bytes)."""
    return _write(path, row)[0]


def _write(path: Path, row: dict[str, Any]) -> tuple[int, bytes]:
    """`write_line`, and the spool's first bytes read on the same open file."""
    line = json.dumps({"at": row["at"].isoformat(), **{k: v for k, v in row.items() if k != "at"},
                       "spool_id": uuid.uuid4().hex},
                      separators=(",", ":"), ensure_ascii=False).encode() + b"\n"
    fd = os.open(path, os.O_RDWR | os.O_APPEND | os.O_CREAT | os.O_CLOEXEC, 0o640)
    try:
        fcntl.flock(fd, fcntl.LOCK_SH)  # a flush in progress holds LOCK_EX: wait for it
        written = os.write(fd, line)
        size = os.fstat(fd).st_size
        head = os.pread(fd, _HEAD, 0)
    finally:
        os.close(fd)  # releases the lock
    if written != len(line):  # a full disk: the request fails rather than go unrecorded
        raise OSError(f"audit spool {path}: wrote {written} of {len(line)} bytes")
    return size, head


@dataclass(frozen=True)
class Flushed:
    """What a flush moved into the audit log."""

    rows: int
    #: Lines that could not be read, recorded as `audit_spool_unreadable` rows.
    unreadable: int


def flush(instance_path: str | Path | None = None) -> Flushed:
    """Move every spooled line into the audit log, in one transaction of its own."""
    if in_transaction():
        # Emptying the spool before the caller's commit could lose lines if it rolled back.
        raise RuntimeError("audit_spool.flush() inside a write transaction")
    path = spool_path(instance_path)
    try:
        fd = os.open(path, os.O_RDWR | os.O_CLOEXEC)
    except FileNotFoundError:
        return Flushed(0, 0)
    try:
        if os.fstat(fd).st_size == 0:
            return Flushed(0, 0)
        fcntl.flock(fd, fcntl.LOCK_EX)
        data = _read_all(fd)
        if not data:
            return Flushed(0, 0)
        rows, unreadable = parse(data)
        for raw, problem in unreadable:
            log.error("audit spool %s: unreadable line kept as an audit row (%s): %r",
                      path, problem, raw[:200])
        with transaction():
            _insert(rows + [_unreadable_row(raw, problem) for raw, problem in unreadable])
        os.ftruncate(fd, 0)  # only once the rows are committed
        return Flushed(len(rows), len(unreadable))
    finally:
        os.close(fd)


def _read_all(fd: int) -> bytes:
    os.lseek(fd, 0, os.SEEK_SET)
    chunks = []
    while chunk := os.read(fd, 1 << 20):
        chunks.append(chunk)
    return b"".join(chunks)


_COLUMNS = ("user_id", "actor", "ip", "action", "target_type", "target_id", "city_id", "details")


def parse(data: bytes) -> tuple[list[dict[str, Any]], list[tuple[str, str]]]:
    """(audit rows, [(raw line, problem)]) of a spool's content; a last line without its
    newline is a write cut short, reported like any other unreadable line."""
    rows: list[dict[str, Any]] = []
    unreadable: list[tuple[str, str]] = []
    lines = data.split(b"\n")
    last = lines.pop()  # b"" when the data ends with a newline
    for number, raw in enumerate(lines, 1):
        if not raw.strip():
            continue
        row = _readable(raw)
        if row is not None:
            rows.append(row)
            continue
        problem = "not an audit row"
        # A write cut short leaves no end of line, so the next append continues its line:
        # keep the whole line that follows the cut, report the piece before it.
        cut = raw.find(b'{"', 1)
        while cut > 0:
            if (row := _readable(raw[cut:])) is not None:
                rows.append(row)
                raw, problem = raw[:cut], "cut short, followed by a whole line"
                break
            cut = raw.find(b'{"', cut + 1)
        unreadable.append((raw.decode("utf-8", "replace"), f"line {number}: {problem}"))
    if last.strip():
        unreadable.append((last.decode("utf-8", "replace"),
                           f"line {len(lines) + 1}: cut short (no end of line)"))
    return rows, unreadable


_UNREADABLE = (ValueError, KeyError, TypeError, AttributeError)


def _readable(raw: bytes) -> dict[str, Any] | None:
    try:
        return _row_of(json.loads(raw))
    except _UNREADABLE:
        return None


def _row_of(item: dict[str, Any]) -> dict[str, Any]:
    if not isinstance(item.get("action"), str) or not item.get("spool_id"):
        raise ValueError("not an audit row")
    return {"at": datetime.fromisoformat(item["at"]), "spool_id": str(item["spool_id"]),
            **{name: item.get(name) for name in _COLUMNS}}


def _unreadable_row(raw: str, problem: str) -> dict[str, Any]:
    row = audit.row(None, "audit_spool_unreadable", None, None,
                    details={"line": raw[:MAX_RAW], "problem": problem})
    return {**row, "spool_id": None}


def _insert(rows: list[dict[str, Any]]) -> None:
    """Insert the rows; a spool id already in the log (a flush that died before emptying the
    spool) is skipped, on SQLite and PostgreSQL alike."""
    if not rows:
        return
    connection = db.session.connection()
    if connection.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as dialect_insert
    else:
        from sqlalchemy.dialects.sqlite import insert as dialect_insert
    spooled = [r for r in rows if r.get("spool_id")]
    if spooled:
        connection.execute(dialect_insert(AuditEvent.__table__).on_conflict_do_nothing(
            index_elements=["spool_id"]), spooled)
    others = [r for r in rows if not r.get("spool_id")]
    if others:
        connection.execute(insert(AuditEvent.__table__), others)
