"""CLI command groups, one module per noun; each module exposes `commands` to register."""

from __future__ import annotations

from flask import Flask

from benchmark.commands._guard import guard

__all__ = ["guard", "register_all"]


def register_all(app: Flask) -> None:
    """Register every command group, listed here so a reader sees the whole CLI."""
    from benchmark.commands import (
        audit,
        demo,
        export,
        questionnaire,
        report,
        scores,
        tokens,
        users,
        worker,
    )

    for module in (questionnaire, users, tokens, demo, scores, report, export, audit, worker):
        for command in module.commands:
            app.cli.add_command(guard(command))
