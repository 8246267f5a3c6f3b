"""First-run and upgrade: migrate the database, import published questionnaires."""

from __future__ import annotations

from flask import current_app
from flask_migrate import upgrade


def initialise() -> list[str]:
    """Upgrade the schema to head and import every questionnaire file; lines to print."""
    upgrade(directory=current_app.extensions["migrate"].directory)
    from benchmark.services import questionnaires

    return ["database: up to date", *questionnaires.import_directory()]
