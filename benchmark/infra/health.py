"""Readiness of the service's dependencies: each check says what fails, in one line.

/healthz (web/main.py) runs them all and answers 503 naming the failing ones; run.py
refuses to start when the database cannot be reached.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from flask import current_app
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from benchmark.extensions import db


def _reason(err: Exception) -> str:
    text_ = str(getattr(err, "orig", err)).strip()
    return text_.splitlines()[0] if text_ else type(err).__name__


def check_database() -> tuple[bool, str]:
    """True with the backend name when a trivial query succeeds."""
    try:
        db.session.execute(text("SELECT 1"))
        db.session.rollback()
    except SQLAlchemyError as err:
        db.session.rollback()
        return False, f"unreachable: {type(err).__name__}: {_reason(err)}"
    return True, db.engine.dialect.name


def check_database_writable() -> tuple[bool, str]:
    """True when the database accepts a write (a read-only file or user fails here).

    The write changes no row and is rolled back; both SQLite and PostgreSQL refuse an
    UPDATE statement on a read-only database even when it matches nothing.
    """
    try:
        db.session.execute(text("UPDATE alembic_version SET version_num = version_num "
                                "WHERE 1 = 0"))
        db.session.rollback()
    except SQLAlchemyError as err:
        db.session.rollback()
        reason = _reason(err)
        kind = "read-only" if "read" in reason.lower() and "only" in reason.lower() else "not writable"
        return False, f"{kind}: {reason}"
    return True, "writable"


def reports_folder() -> Path:
    return Path(current_app.instance_path) / "reports"


def check_reports_folder() -> tuple[bool, str]:
    """True when this instance can write its local copies of reports (instance/reports/)."""
    folder = reports_folder()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        descriptor, probe = tempfile.mkstemp(dir=folder, prefix=".healthz.", suffix=".tmp")
        os.close(descriptor)
        os.unlink(probe)
    except OSError as err:
        return False, f"cannot write {folder}: {err.strerror or type(err).__name__}"
    return True, "writable"


CHECKS = {
    "database": check_database,
    "database_writable": check_database_writable,
    "reports_folder": check_reports_folder,
}


def run_checks() -> tuple[bool, dict[str, str], list[str]]:
    """Every check: (all passed, name → detail, names of the failing checks)."""
    details: dict[str, str] = {}
    failing: list[str] = []
    for name, check in CHECKS.items():
        if name == "database_writable" and "database" in failing:
            details[name] = "not checked: the database is unreachable"
            failing.append(name)
            continue
        ok, detail = check()
        details[name] = detail
        if not ok:
            failing.append(name)
    return not failing, details, failing
