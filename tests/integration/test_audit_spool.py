"""The download spool (services/audit_spool.py): every spooled download reaches the audit log once.

Real files and real processes: a crash between an append and a flush, a flush that dies
after its commit, writers in several processes appending while a flush runs, and lines
that cannot be read.
"""

from __future__ import annotations

import multiprocessing
from datetime import timedelta
from pathlib import Path

from sqlalchemy import func, insert, select

from benchmark.extensions import db
from benchmark.models import AuditEvent, utcnow
from benchmark.services import accounts, audit, audit_spool
from benchmark.services.audit import AuditFilter
from tests.builders import build_user, login


def _row(n: int = 0) -> dict:
    return audit.row(None, "report_download", "Assessment", n, details={"lang": "en"},
                     user_id=None)


def _spool(app) -> Path:  # type: ignore[no-untyped-def]
    return audit_spool.spool_path(app.instance_path)


def _count(action: str = "report_download") -> int:
    db.session.commit()
    return db.session.scalar(select(func.count()).select_from(AuditEvent)
                             .where(AuditEvent.action == action))


def _read_log() -> list[AuditEvent]:
    """The audit page's read model (it flushes the spool first)."""
    page = audit.browse(accounts.actor_for(build_user("admin")), AuditFilter())
    db.session.commit()
    return page.events


def test_lines_left_by_a_process_that_died_are_recorded_by_the_next_reader(app) -> None:
    for n in range(3):  # appended, then the process died before any flush
        audit_spool.write_line(_spool(app), _row(n))
    assert _count() == 0
    result = app.test_cli_runner().invoke(args=["audit", "flush"])
    assert result.exit_code == 0 and "3 download(s) recorded" in result.output
    assert _count() == 3 and _spool(app).read_bytes() == b""


def test_a_flush_that_died_after_its_commit_adds_nothing_twice(app) -> None:
    for n in range(4):
        audit_spool.write_line(_spool(app), _row(n))
    lines = _spool(app).read_bytes()
    assert audit_spool.flush(app.instance_path).rows == 4
    _spool(app).write_bytes(lines)  # as if the spool had not been emptied after the commit
    _read_log()
    assert _count() == 4
    assert db.session.scalar(select(func.count(func.distinct(AuditEvent.spool_id)))) == 4


def _append_many(path: str, writer: int, n: int) -> None:
    for i in range(n):
        audit_spool.write_line(Path(path), _row(writer * 10_000 + i))


def test_processes_appending_while_a_flush_runs_lose_no_line(app) -> None:
    writers, each = 4, 150
    context = multiprocessing.get_context("fork")
    processes = [context.Process(target=_append_many, args=(str(_spool(app)), w, each))
                 for w in range(writers)]
    for process in processes:
        process.start()
    while any(p.is_alive() for p in processes):
        audit_spool.flush(app.instance_path)  # truncations racing the appends
    for process in processes:
        process.join()
        assert process.exitcode == 0
    audit_spool.flush(app.instance_path)
    assert _count() == writers * each
    ids = db.session.scalars(select(AuditEvent.target_id)).all()
    assert len(set(ids)) == writers * each


def test_unreadable_and_cut_short_lines_are_reported_on_the_audit_page(app, client) -> None:
    path = _spool(app)
    audit_spool.write_line(path, _row(1))
    with path.open("ab") as spool:
        spool.write(b"not json at all\n")
        spool.write(b'{"action": "report_download", "at": "2026-')  # a write cut short
    events = _read_log()
    assert _count() == 1
    unreadable = [e for e in events if e.action == "audit_spool_unreadable"]
    assert sorted(e.details["line"] for e in unreadable) == [
        "not json at all", '{"action": "report_download", "at": "2026-']
    assert any("cut short" in e.details["problem"] for e in unreadable)
    assert path.read_bytes() == b""
    login(client, build_user("admin"))
    page = client.get("/admin/audit")
    assert page.status_code == 200
    assert "Unreadable line of the download spool" in page.get_data(as_text=True)


def test_a_line_appended_after_one_cut_short_is_recorded(app) -> None:
    path = _spool(app)
    with path.open("ab") as spool:
        spool.write(b'{"action": "report_download", "at": "2026-')  # the disk was full
    audit_spool.write_line(path, _row(7))  # then space was freed: the next download
    events = _read_log()
    assert [e.target_id for e in events if e.action == "report_download"] == ["7"]
    assert [e.details["line"] for e in events if e.action == "audit_spool_unreadable"] == [
        '{"action": "report_download", "at": "2026-']


def test_the_spool_keeps_each_column_of_the_row(app) -> None:
    at = utcnow()
    user = build_user("staff")
    actor = accounts.actor_for(user, ip="203.0.113.9")
    audit_spool.write_line(_spool(app), audit.row(actor, "report_download", "Assessment", 42,
                                                  city_id=None, details={"lang": "ar"}, at=at))
    event = next(e for e in _read_log() if e.action == "report_download")
    assert (event.user_id, event.actor, event.ip, event.target_type, event.target_id,
            event.details, event.at) == (user.id, user.email, "203.0.113.9", "Assessment", "42",
                                         {"lang": "ar"}, at)


def test_benchmark_worker_records_the_spool_when_it_starts(app, redis_url: str) -> None:
    app.config["REDIS_URL"] = redis_url
    audit_spool.write_line(_spool(app), _row(3))  # left by a web process that died
    result = app.test_cli_runner().invoke(args=["worker", "--burst"])
    assert result.exit_code == 0, result.output
    assert _count() == 1


def test_the_audit_page_lists_a_spooled_download_at_its_time_not_when_it_was_flushed(app) -> None:
    audit_spool.write_line(_spool(app), _row(1))  # downloaded, waiting in the spool
    later = audit.row(None, "login", "User", 1, user_id=None, at=utcnow() + timedelta(seconds=5))
    db.session.execute(insert(AuditEvent), [later])  # an event after it, written at once
    db.session.commit()
    events = _read_log()  # the flush gives the download a higher id than the login
    assert [e.action for e in events[:2]] == ["login", "report_download"]
    assert events[1].id > events[0].id


def _waiting(seconds: int, n: int) -> dict:
    """A download spooled `seconds` ago."""
    return audit.row(None, "report_download", "Assessment", n, user_id=None,
                     at=utcnow() - timedelta(seconds=seconds))


def test_a_download_flushes_a_spool_whose_oldest_line_waited_long_enough(app) -> None:
    """Machines sharing PostgreSQL each have a spool: one serving downloads gets its
    older lines into the shared audit log within AUDIT_SPOOL_FLUSH_SECONDS."""
    app.config["AUDIT_SPOOL_FLUSH_SECONDS"] = 60
    audit_spool.write_line(_spool(app), _waiting(30, 1))
    audit_spool.write_line(_spool(app), _waiting(5, 2))
    with app.test_request_context():
        audit_spool.append(_row(3))
    assert _count() == 0  # the oldest line has waited 30 s: still spooled
    _spool(app).write_bytes(b"")
    audit_spool.write_line(_spool(app), _waiting(61, 4))
    audit_spool.write_line(_spool(app), _waiting(1, 5))
    with app.test_request_context():
        audit_spool.append(_row(6))
    assert _count() == 3  # the oldest had waited 61 s: all three recorded
    assert _spool(app).read_bytes() == b""
