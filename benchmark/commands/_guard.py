"""Expected failures of any command become one line on stderr and a non-zero exit."""

from __future__ import annotations

import functools
import sys
from typing import Any

import click
from sqlalchemy.exc import OperationalError

from benchmark.config import ConfigError
from benchmark.errors import DomainError


def fail(message: str, code: int = 1) -> None:
    """Stop with a one-line reason on stderr (the CLI contract)."""
    click.echo(f"benchmark: {message}", err=True)
    sys.exit(code)


def database_problem(err: Exception) -> str:
    text = str(getattr(err, "orig", err)).strip()
    reason = text.splitlines()[0] if text else type(err).__name__
    if "readonly" in reason.lower() or "read-only" in reason.lower():
        return (f"the database is read-only ({reason}); this command writes to it: check "
                "the database file's permissions (and its folder's) or the database user's "
                "rights")
    return f"database unreachable or unusable ({reason}); check BENCHMARK_DATABASE_URL"


def describe(err: DomainError) -> str:
    """The error on one line: its message, then what each field adds to it."""
    extra = [f"{k}: {v}" for k, v in (err.fields or {}).items() if v != err.message]
    line = " ".join([err.message, "; ".join(extra)] if extra else [err.message])
    return " ".join(line.split())


def guard(command: click.Command) -> click.Command:
    """Wrap `command.invoke` (groups included: it wraps their sub-commands' runs too).

    Once: commands are module-level objects that every `create_app` registers again, and a
    wrapper per app nested until a long-lived process (the test suite) hit RecursionError.
    """
    if getattr(command, "_guarded", False):
        return command
    original = command.invoke

    @functools.wraps(original)
    def invoke(ctx: click.Context) -> Any:
        try:
            return original(ctx)
        except DomainError as err:
            fail(describe(err))
        except ConfigError as err:
            fail(f"configuration error: {err}", 2)
        except OperationalError as err:
            fail(database_problem(err))

    command.invoke = invoke  # type: ignore[method-assign]
    command._guarded = True  # type: ignore[attr-defined]
    return command
