"""First-run and upgrade: migrate the database, import published questionnaires."""

from __future__ import annotations

from flask import current_app
from flask_migrate import upgrade


def initialise() -> list[str]:
    """Upgrade the schema to head and import every questionnaire file; lines to print."""
    upgrade(directory=current_app.extensions["migrate"].directory)
    lines = ["database: up to date"]
    try:
        from benchmark.services import questionnaires
    except ImportError:  # pragma: no cover - before the questionnaire service exists
        return lines
    lines += questionnaires.import_directory()
    return lines
