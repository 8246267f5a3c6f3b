"""First-run and upgrade: migrate the database, import published questionnaires."""

from __future__ import annotations

from flask import current_app
from flask_migrate import upgrade


def initialise() -> list[str]:
    """Upgrade the schema to head and import every questionnaire file; lines to print.

    Several machines may run this at the same moment when they start: the second waits
    for the first (a lock in the database), then finds everything done.
    """
    from benchmark.infra import locks
    from benchmark.services import questionnaires

    with locks.held("benchmark_init", 0, timeout=900):
        upgrade(directory=current_app.extensions["migrate"].directory)
        return ["database: up to date", *questionnaires.import_directory()]
