"""The rendered-report store: PDFs by key, rendered once and served by every instance.

The store of record is the `rendered_reports` table, in the database every instance and
`benchmark worker` already share: a report rendered anywhere is served everywhere, with
the same bytes under the same key (the key is the ETag), so a download resumed on
another machine (Range + If-Range) joins parts of one file. We chose the database over
an object store because it is already shared, transactional and backed up, needs no
new service, and a report is a few hundred kB; at 10,000 cities × 3 languages the store
holds a few GB, which PostgreSQL keeps out of line (TOAST) without slowing other tables.

Each instance also keeps a local copy under instance/reports/<key>.pdf, written
atomically, so that repeated downloads read a file instead of the database; the copy's
modification time is the row's `created_at`, so Last-Modified agrees on every machine.

A report missing from the store is rendered under a lock every process sees
(infra/locks.py): a second request for the same key, on any machine, waits for the
first render and then reads its result. The first row stored under a key wins
(INSERT … ON CONFLICT DO NOTHING); whoever renders after a lock timeout serves the
stored bytes, not its own.
"""

from __future__ import annotations

import logging
import os
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import and_, delete, exists, select
from sqlalchemy.orm import aliased

from benchmark.errors import Unavailable
from benchmark.extensions import db
from benchmark.infra import locks
from benchmark.models import RenderedReport, utcnow
from benchmark.services._tx import transaction

log = logging.getLogger(__name__)

#: A temporary file older than this belongs to a process that died while writing it.
LEFTOVER_AGE = timedelta(hours=1)


@dataclass(frozen=True)
class StoredReport:
    """A report in the store, with its complete local copy."""

    key: str
    path: Path
    created_at: datetime
    size: int


@dataclass(frozen=True)
class ReportOf:
    """What a stored report is a report of (rows are swept by it once superseded)."""

    kind: str  # "city" or "network"
    language: str
    assessment_id: int | None = None
    edition_id: int | None = None


@dataclass(frozen=True)
class SweepResult:
    local_reports: int
    leftover_files: int
    superseded_rows: int


def folder() -> Path:
    """This instance's local copies (instance/reports/); Unavailable (503) if it cannot be made."""
    path = Path(current_app.instance_path) / "reports"
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise _unwritable(path, err) from None
    return path


def _unwritable(path: Path, err: OSError) -> Unavailable:
    log.error("reports folder %s cannot be written: %s", path, err)
    return Unavailable(_("Reports cannot be prepared right now: the server cannot write its "
                         "reports folder. Please try again later; the administrators can see "
                         "the fault at /healthz."))


def _local(key: str) -> Path:
    return folder() / f"{key}.pdf"


def _copy_locally(key: str, content: bytes, created_at: datetime) -> StoredReport:
    """Write the local copy atomically (readers never see half a file), dated created_at."""
    target = _local(key)
    try:
        descriptor, partial = tempfile.mkstemp(dir=target.parent, prefix=f"{key}.", suffix=".tmp")
    except OSError as err:
        raise _unwritable(target.parent, err) from None
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(content)
        os.utime(partial, (time.time(), created_at.timestamp()))
        os.replace(partial, target)
    except OSError as err:
        Path(partial).unlink(missing_ok=True)
        raise _unwritable(target.parent, err) from None
    except BaseException:
        Path(partial).unlink(missing_ok=True)
        raise
    return StoredReport(key, target, created_at, len(content))


def _found_locally(key: str) -> StoredReport | None:
    path = _local(key)
    try:
        stat = path.stat()
    except FileNotFoundError:
        return None
    return StoredReport(key, path, datetime.fromtimestamp(stat.st_mtime, UTC), stat.st_size)


def find_local(key: str) -> StoredReport | None:
    """This instance's copy of the report stored under `key`, or None (no database read)."""
    return _found_locally(key)


def find(key: str) -> StoredReport | None:
    """The report stored under `key` (local copy first, then the shared store), or None."""
    local = _found_locally(key)
    if local is not None:
        return local
    row = db.session.execute(
        select(RenderedReport.content, RenderedReport.created_at).where(RenderedReport.key == key)
    ).first()
    if row is None:
        return None
    return _copy_locally(key, row.content, row.created_at)


def is_stored(key: str) -> bool:
    """Whether the shared store holds `key` (reads no bytes)."""
    return db.session.scalar(select(exists().where(RenderedReport.key == key))) or False


def put(key: str, content: bytes, of: ReportOf) -> StoredReport:
    """Store a rendered report; if another process stored `key` first, keep and return theirs."""
    created_at = utcnow()
    with transaction():
        inserted = db.session.execute(_insert_unless_present(dict(
            key=key, assessment_id=of.assessment_id, edition_id=of.edition_id, kind=of.kind,
            language=of.language, size=len(content), created_at=created_at, content=content,
        )).returning(RenderedReport.key)).scalar()
    if inserted is not None:
        return _copy_locally(key, content, created_at)
    stored = find(key)
    assert stored is not None, "a conflicting row was stored and is gone"
    return stored


def _insert_unless_present(values: dict[str, object]):  # type: ignore[no-untyped-def]
    """INSERT … ON CONFLICT (key) DO NOTHING in the current database's dialect."""
    if db.engine.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    return insert(RenderedReport).values(**values).on_conflict_do_nothing(index_elements=["key"])


_rendered = 0
_rendered_lock = threading.Lock()


def renders_in_process() -> int:
    """Reports this process has rendered so far: a web process is replaced once it reaches
    RENDER_MAX_TASKS (infra/recycling.py), as rendering memory is only given back on exit."""
    return _rendered


def _count_render() -> None:
    global _rendered
    with _rendered_lock:
        _rendered += 1


def get_or_render(key: str, of: ReportOf, render: Callable[[], tuple[str, bytes]]) -> StoredReport:
    """The report under `key`, rendered now (once across all machines) if nobody has yet.

    `render` returns the bytes with the key of what they show: when the inputs moved
    after the caller computed `key`, they are stored, and returned, under the new key.
    """
    found = find(key)
    if found is not None:
        return found
    with locks.held("rendered_report", key):
        # Whoever held the lock before us may have stored it. A fresh transaction sees that
        # (SQLite would otherwise keep reading the snapshot taken before the wait).
        db.session.commit()
        found = find(key)
        if found is not None:
            return found
        started = time.perf_counter()
        rendered_key, content = render()
        _count_render()
        stored = put(rendered_key, content, of)
    log.info("rendered %s report %s (%s) in %.1f s", of.kind, rendered_key[:12], of.language,
             time.perf_counter() - started)
    return stored


def sweep(keep_days: int) -> SweepResult:
    """Tidy the store and this instance's folder.

    - local copies not read for `keep_days` days (they come back from the store on demand);
    - leftover temporary files (a process died while writing) and lock files of earlier
      versions, which kept one per report in this folder;
    - stored reports superseded by a newer rendering of the same report (same assessment
      or edition, kind and language) more than an hour ago: their key can no longer be
      computed from current inputs, so nobody can ask for them again.
    """
    now = time.time()
    cutoff = now - keep_days * 86400
    local_reports = leftovers = 0
    for path in folder().iterdir():
        try:
            stat = path.stat()
        except FileNotFoundError:
            continue  # removed meanwhile by another sweep
        if path.suffix == ".pdf" and stat.st_atime < cutoff:
            path.unlink(missing_ok=True)
            local_reports += 1
        elif path.suffix in {".tmp", ".lock"} and stat.st_mtime < now - LEFTOVER_AGE.total_seconds():
            path.unlink(missing_ok=True)
            leftovers += 1
    with transaction():
        superseded = db.session.execute(_delete_superseded(utcnow() - LEFTOVER_AGE)).rowcount
    return SweepResult(local_reports, leftovers, superseded or 0)


def _delete_superseded(before: datetime):  # type: ignore[no-untyped-def]
    newer = aliased(RenderedReport)
    same_report = and_(
        newer.kind == RenderedReport.kind, newer.language == RenderedReport.language,
        newer.assessment_id.is_not_distinct_from(RenderedReport.assessment_id),
        newer.edition_id.is_not_distinct_from(RenderedReport.edition_id),
        newer.created_at > RenderedReport.created_at, newer.created_at < before,
    )
    return delete(RenderedReport).where(exists().where(same_report))
