"""Spreadsheet cells that no spreadsheet will run as formulas (every CSV and XLSX export).

CSV has no cell types: a text starting with = + - @ (or a tab or carriage return) is
prefixed with an apostrophe, as OWASP advises against CSV/formula injection. An XLSX
cell has a type: such a text is written as a text cell (type "s"), which no spreadsheet
evaluates, and it keeps the text exactly as typed, with no apostrophe to see.
Pure: no Flask, no database.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

_DANGEROUS = ("=", "+", "-", "@", "\t", "\r")


def is_dangerous(value: object) -> bool:
    """Whether a spreadsheet could read this value as a formula."""
    return isinstance(value, str) and value.startswith(_DANGEROUS)


def neutralise(value: object) -> object:
    """A CSV cell value that no spreadsheet will run as a formula (non-texts unchanged)."""
    if is_dangerous(value):
        return "'" + str(value)
    return value


def neutralise_row(row: Iterable[object]) -> list[object]:
    """A CSV row, every cell neutralised."""
    return [neutralise(cell) for cell in row]


def xlsx_row(sheet: Any, row: Iterable[object]) -> list[object]:
    """A row for an openpyxl write-only sheet: texts that look like formulas become text
    cells holding the exact text (openpyxl would otherwise store them as formulas)."""
    from openpyxl.cell import WriteOnlyCell

    cells: list[object] = []
    for value in row:
        if is_dangerous(value):
            cell = WriteOnlyCell(sheet, value=value)
            cell.data_type = "s"
            cells.append(cell)
        else:
            cells.append(value)
    return cells
