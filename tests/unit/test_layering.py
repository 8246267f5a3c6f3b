"""The layering of docs/architecture.md: the pure cores import no Flask or SQLAlchemy, and
nothing imports web."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "benchmark"
PURE = ("benchmark.questionnaire", "benchmark.scoring", "benchmark.reporting", "benchmark.authz",
        "benchmark.workflow", "benchmark.practice_workflow", "benchmark.languages",
        "benchmark.demo.planning", "benchmark.demo.practices")


@pytest.mark.parametrize("module", PURE)
def test_pure_core_loads_no_flask_or_sqlalchemy(module: str) -> None:
    code = (
        f"import sys, importlib; importlib.import_module({module!r}); "
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in "
        "{'flask', 'sqlalchemy', 'flask_sqlalchemy', 'werkzeug'} or m.startswith('benchmark.web')); "
        "print(','.join(bad))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "", f"{module} pulled in: {out.stdout.strip()}"


def test_importing_the_package_loads_no_framework() -> None:
    code = "import sys, benchmark; print(any(m.startswith(('flask','sqlalchemy')) for m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            # `from benchmark import app` imports the module benchmark.app
            names.update(f"{node.module}.{a.name}" for a in node.names)
    return names


def test_nothing_outside_web_imports_web() -> None:
    offenders = []
    for path in PACKAGE.rglob("*.py"):
        rel = path.relative_to(PACKAGE.parent)
        if rel.parts[1] in {"web", "migrations"} or rel.name == "app.py":
            continue
        if any(name.startswith("benchmark.web") for name in _imports(path)):
            offenders.append(str(rel))
    assert offenders == []


def test_services_do_not_import_the_app() -> None:
    """Services and infrastructure get their app from the caller, never by building one."""
    offenders = []
    modules = []
    for folder in ("services", "infra", "demo"):
        for path in (PACKAGE / folder).rglob("*.py"):
            if "benchmark.app" in _imports(path) or "create_app" in path.read_text():
                offenders.append(str(path.relative_to(PACKAGE.parent)))
            modules.append(".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts))
    assert offenders == []
    # Nor indirectly: importing all of them leaves the app factory unloaded.
    code = (f"import sys, importlib; [importlib.import_module(m) for m in {sorted(modules)!r}]; "
            "print('benchmark.app' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_pages_do_not_decide_permissions() -> None:
    """Page views and templates get what the reader may do from the service's read model."""
    offenders = []
    for path in (PACKAGE / "web").glob("*/views.py"):
        if "benchmark.authz" in _imports(path) or "authz." in path.read_text():
            offenders.append(str(path.relative_to(PACKAGE.parent)))
    for path in (PACKAGE / "templates").rglob("*.html"):
        text = path.read_text()
        if "actor.role" in text or "can(" in text:
            offenders.append(str(path.relative_to(PACKAGE.parent)))
    assert offenders == []
