"""Readiness of the service's dependencies."""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from benchmark.extensions import db


def check_database() -> tuple[bool, str]:
    """True with the backend name when a trivial query succeeds."""
    try:
        db.session.execute(text("SELECT 1"))
        db.session.rollback()
    except SQLAlchemyError as err:
        db.session.rollback()
        return False, f"unreachable: {type(err).__name__}"
    return True, db.engine.dialect.name
