"""Commands are module-level objects that every `create_app` registers (and guards) again."""

from __future__ import annotations

import click
from click.testing import CliRunner

from benchmark.commands._guard import guard
from benchmark.errors import Invalid


@click.command()
def refuse() -> None:
    raise Invalid("No such city.")


def test_a_command_registered_by_thousands_of_apps_still_runs_and_fails_in_one_line() -> None:
    for _ in range(3000):  # a long test session creates an app per test
        guard(refuse)
    result = CliRunner().invoke(refuse)
    assert not isinstance(result.exception, RecursionError), result.exception
    assert result.exit_code == 1
    assert result.output.strip() == "benchmark: No such city."
