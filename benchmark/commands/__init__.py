"""CLI command groups, one module per noun; each module exposes `commands` to register."""

from __future__ import annotations

import importlib
import pkgutil

from flask import Flask

from benchmark.commands._guard import guard

__all__ = ["guard", "register_all"]


def register_all(app: Flask) -> None:
    for module_info in pkgutil.iter_modules(__path__):
        if module_info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{__name__}.{module_info.name}")
        for command in getattr(module, "commands", ()):
            app.cli.add_command(guard(command))
