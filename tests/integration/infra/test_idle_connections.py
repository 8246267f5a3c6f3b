"""PostgreSQL connections are pinged on checkout only after sitting idle (database.py).

A connection back from a request moments ago is used as it is (no extra round trip per
request); one that sat idle, whose server process may be gone, is pinged and replaced.
"""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine
from sqlalchemy.pool import NullPool

from benchmark import database
from benchmark.extensions import db


@pytest.fixture
def engine(app):  # type: ignore[no-untyped-def]
    if db.engine.dialect.name != "postgresql":
        pytest.skip("PostgreSQL's pool only")
    return db.engine


def _backend_pid(engine) -> int:  # type: ignore[no-untyped-def]
    with engine.connect() as conn:
        return int(conn.exec_driver_sql("SELECT pg_backend_pid()").scalar())


def test_an_idle_connection_whose_server_process_ended_is_replaced(engine, monkeypatch) -> None:
    monkeypatch.setattr(database, "PING_AFTER_IDLE", 0.0)  # every connection counts as idle
    pid = _backend_pid(engine)
    killer = create_engine(engine.url.render_as_string(hide_password=False), poolclass=NullPool)
    with killer.connect() as conn:
        conn.exec_driver_sql(f"SELECT pg_terminate_backend({pid})")
    killer.dispose()
    assert _backend_pid(engine) != pid  # no error: the dead connection was replaced


def test_a_connection_back_moments_ago_is_not_pinged(engine, monkeypatch) -> None:
    pings: list[object] = []
    ping = engine.dialect.do_ping
    monkeypatch.setattr(engine.dialect, "do_ping", lambda c: pings.append(c) or ping(c))
    _backend_pid(engine)
    _backend_pid(engine)
    assert pings == []
    monkeypatch.setattr(database, "PING_AFTER_IDLE", 0.0)
    _backend_pid(engine)
    assert len(pings) == 1
