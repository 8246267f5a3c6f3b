"""Spreadsheet cells that no spreadsheet will run as formulas (every CSV and XLSX export).

A text starting with = + - @ (or a tab or carriage return) is prefixed with an
apostrophe, as OWASP advises against CSV/formula injection. Pure: no Flask, no database.
"""

from __future__ import annotations

from collections.abc import Iterable

_DANGEROUS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: object) -> object:
    """A cell value that no spreadsheet will run as a formula (non-texts unchanged)."""
    if isinstance(value, str) and value.startswith(_DANGEROUS):
        return "'" + value
    return value


def neutralise_row(row: Iterable[object]) -> list[object]:
    return [neutralise(cell) for cell in row]
