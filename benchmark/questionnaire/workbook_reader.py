"""Read an edition workbook into the mappings that the questionnaire validator checks (pure).

The workbook becomes the same SourceMap/SourceList tree a YAML file becomes, with each
"line" standing for a cell; the validator's rules and messages then apply unchanged and
their places are mapped back to cells ("questions!D14"). What only a workbook can get
wrong (a missing sheet or column, an unknown option list, a formula) is reported here.
"""

from __future__ import annotations

import difflib
import io
import re
import warnings
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from benchmark.questionnaire.errors import Problem
from benchmark.questionnaire.source import SourceList, SourceMap
from benchmark.questionnaire.workbook import (
    BOOLEAN_COLUMNS,
    LANGUAGE_MARK,
    LAYOUTS,
    LIST_COLUMNS,
    NUMBER_COLUMNS,
    REQUIRED_SHEETS,
    SheetLayout,
)

#: Most bytes the XML inside a workbook may unpack to (a zip bomb is refused unread).
MAX_UNPACKED_BYTES = 50 * 1024 * 1024
_EMPTY = object()
_NUMBER = re.compile(r"[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?")
_CELL = re.compile(r"([^!]+)!([A-Z]+)(\d+)")
_SHEET_ORDER = {layout.name: n for n, layout in enumerate(LAYOUTS)}
_TRUE = frozenset({"true", "yes", "1"})
_FALSE = frozenset({"false", "no", "0"})


def is_workbook(data: bytes) -> bool:
    """Whether the bytes are a zip archive, as every .xlsx file is."""
    return data[:4] == b"PK\x03\x04"


def _column_letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index)


def problem_order(problem: Problem) -> tuple[int, int, int, str]:
    """Sheets in the format's order, then rows, then columns."""
    match = _CELL.fullmatch(problem.location)
    if match is None:
        return (-1, 0, 0, problem.message)
    sheet, letters, row = match.groups()
    column = 0
    for letter in letters:
        column = column * 26 + ord(letter) - 64
    return (_SHEET_ORDER.get(sheet, 99), int(row), column, problem.message)


@dataclass
class _Row:
    sheet: str
    number: int
    #: Column name → (value or _EMPTY, 1-based column index).
    cells: dict[str, tuple[Any, int]]
    anchor: int = 0

    def value(self, name: str) -> Any:
        return self.cells.get(name, (_EMPTY, 0))[0]

    def has(self, name: str) -> bool:
        return self.value(name) is not _EMPTY


@dataclass
class WorkbookDocument:
    """A read workbook: the tree to validate (None when unusable) and the reader's problems."""

    source: str
    doc: SourceMap | None = None
    problems: list[Problem] = field(default_factory=list)
    #: Cell of each "line" the tree refers to: cells[line - 1] == "questions!D14".
    cells: list[str] = field(default_factory=list)

    def place(self, line: int) -> str:
        """The cell a line of the tree stands for."""
        return self.cells[line - 1] if 0 < line <= len(self.cells) else f"line {line}"

    def locate(self, problem: Problem) -> Problem:
        """A validator problem (at a line) moved to its cell."""
        location = self.place(problem.line)
        match = _CELL.fullmatch(location)
        return Problem(problem.source, int(match[3]) if match else 0, problem.message, location)


class _Reader:
    def __init__(self, source: str) -> None:
        self.book = WorkbookDocument(source)
        self.ids: dict[tuple[str, int, int], int] = {}
        self.fatal = False
        self.languages: list[str] = []

    # -- places and problems --------------------------------------------------------------

    def line(self, sheet: str, row: int, column: int) -> int:
        key = (sheet, row, column)
        if key not in self.ids:
            self.book.cells.append(f"{sheet}!{_column_letter(max(column, 1))}{row}")
            self.ids[key] = len(self.book.cells)
        return self.ids[key]

    def cell_line(self, row: _Row, name: str) -> int:
        column = row.cells.get(name, (None, 0))[1]
        return self.line(row.sheet, row.number, column) if column else row.anchor

    def problem(self, sheet: str, row: int, column: int, message: str, *,
                fatal: bool = False) -> None:
        location = f"{sheet}!{_column_letter(max(column, 1))}{row}" if sheet else ""
        self.book.problems.append(Problem(self.book.source, row if sheet else 0, message,
                                          location))
        self.fatal = self.fatal or fatal

    # -- cells ----------------------------------------------------------------------------

    def convert(self, sheet: str, row: int, column: int, name: str, cell: Any) -> Any:
        raw = getattr(cell, "value", None)
        if raw is None:
            return _EMPTY
        if getattr(cell, "data_type", None) == "f":
            self.problem(sheet, row, column, "formulas are not read: type the value itself")
            return _EMPTY
        if isinstance(raw, str) and not raw.strip():
            return _EMPTY
        if LANGUAGE_MARK in name:
            return _as_text(raw)
        if name in NUMBER_COLUMNS:
            if isinstance(raw, str) and _NUMBER.fullmatch(raw.strip()):
                number = float(raw.strip())
                return int(number) if number.is_integer() and "." not in raw else number
            return raw.strip() if isinstance(raw, str) else raw
        if name in BOOLEAN_COLUMNS:
            if isinstance(raw, int | float) and not isinstance(raw, bool) and raw in (0, 1):
                return bool(raw)
            if isinstance(raw, str) and raw.strip().lower() in _TRUE | _FALSE:
                return raw.strip().lower() in _TRUE
            return raw.strip() if isinstance(raw, str) else raw
        if name in LIST_COLUMNS:
            return [part.strip() for part in _as_text(raw).split(",") if part.strip()]
        return _as_word(raw)

    # -- sheets ---------------------------------------------------------------------------

    def rows(self, ws: Any, layout: SheetLayout) -> Iterator[_Row]:
        """The data rows of a sheet, with the header row checked against the layout."""
        iterator = ws.iter_rows()
        header = next(iterator, None)
        if header is None and layout.name not in REQUIRED_SHEETS:
            return  # an empty optional sheet (no profile, options or bands)
        columns: dict[str, int] = {}
        for index, cell in enumerate(header or (), 1):
            raw = getattr(cell, "value", None)
            if raw is None or not str(raw).strip():
                continue
            name = _column_name(str(raw))
            if name in columns:
                self.problem(layout.name, 1, index, f"column '{name}' appears twice (first as"
                             f" column {_column_letter(columns[name])}); remove one")
            elif _is_known(layout, name):
                columns[name] = index
            else:
                hint = difflib.get_close_matches(name, _known_names(layout, self.languages), n=1)
                did_you_mean = f" (did you mean '{hint[0]}'?)" if hint else ""
                self.problem(layout.name, 1, index, f"unknown column '{name}'{did_you_mean};"
                             f" the {layout.name} sheet has the columns"
                             f" {', '.join(layout.columns)}")
        missing = [c for c in layout.required if c not in columns]
        if missing:
            self.problem(layout.name, 1, 1, f"the {layout.name} sheet has no"
                         f" {', '.join(repr(c) for c in missing)} column in its first row"
                         " (the header row)", fatal=True)
            return
        for number, cells in enumerate(iterator, 2):
            values: dict[str, tuple[Any, int]] = {}
            for name, index in columns.items():
                cell = cells[index - 1] if index <= len(cells) else None
                value = self.convert(layout.name, number, index, name, cell)
                values[name] = (value, index)
            if all(value is _EMPTY for value, _ in values.values()):
                continue
            row = _Row(layout.name, number, values)
            first = columns.get("id") or min(columns.values())
            row.anchor = self.line(layout.name, number, first)
            yield row

    def put(self, m: SourceMap, key: str, row: _Row, name: str | None = None) -> None:
        """Copy a cell of `row` (column `name`, default `key`) under `key` of `m`."""
        value = row.value(name or key)
        if value is _EMPTY:
            return
        line = self.cell_line(row, name or key)
        if isinstance(value, list):
            items = SourceList(line)
            items.extend(value)
            items.item_lines.extend([line] * len(value))
            items.raw_items.extend([None] * len(value))
            value = items
        _set(m, key, value, line)

    def texts(self, m: SourceMap, key: str, row: _Row) -> None:
        """The `key::<lang>` cells of `row` as one mapping of texts under `key`."""
        prefix = f"{key}{LANGUAGE_MARK}"
        given = SourceMap(row.anchor)
        gaps: list[int] = []
        for name in row.cells:
            if not name.startswith(prefix):
                continue
            lang, line = name[len(prefix):], self.cell_line(row, name)
            if row.has(name):
                _set(given, lang, row.value(name), line)
                given.key_lines[lang] = line
            elif lang in self.languages:
                gaps.append(line)
        if not given:
            return
        given.line = next(iter(given.value_lines.values()))
        # A missing translation is reported at the first empty cell of a declared language.
        _set(m, key, given, gaps[0] if gaps else given.line)

    def map_of(self, row: _Row, layout: SheetLayout) -> SourceMap:
        m = SourceMap(row.anchor)
        for name in layout.plain_columns:
            if name in row.cells and name not in ("list_name", "dimension"):
                self.put(m, name, row)
        for key in layout.text_keys:
            self.texts(m, key, row)
        return m


def _set(m: SourceMap, key: str, value: Any, line: int) -> None:
    m[key] = value
    m.key_lines[key] = line
    m.value_lines[key] = line
    m.raw_keys[key] = None
    m.raw_values[key] = None


def _as_text(raw: Any) -> str:
    if isinstance(raw, bool):
        return "TRUE" if raw else "FALSE"
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    if isinstance(raw, datetime | date):
        return raw.isoformat()
    return str(raw)


def _as_word(raw: Any) -> Any:
    """An id or a name: spreadsheets turn "2026" into a number; it is meant as text."""
    if isinstance(raw, str):
        return raw.strip()
    if isinstance(raw, int | float) and not isinstance(raw, bool):
        return _as_text(raw)
    return raw


def _column_name(raw: str) -> str:
    text = raw.strip()
    if LANGUAGE_MARK in text:
        key, lang = text.split(LANGUAGE_MARK, 1)
        return f"{key.strip().lower()}{LANGUAGE_MARK}{lang.strip()}"
    return text.lower()


def _is_known(layout: SheetLayout, name: str) -> bool:
    if LANGUAGE_MARK in name:
        key, lang = name.split(LANGUAGE_MARK, 1)
        return key in layout.text_keys and bool(lang)
    return name in layout.plain_columns


def _known_names(layout: SheetLayout, languages: list[str]) -> list[str]:
    return list(layout.expanded(languages or ["en"]))


def _open(data: bytes, reader: _Reader) -> Any:
    """The openpyxl workbook, or None after reporting why it cannot be read."""
    from openpyxl import load_workbook

    not_readable = ("the file is not a readable Excel workbook (.xlsx); save it from your"
                    " spreadsheet program as an Excel workbook")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, ValueError, OSError):
        reader.problem("", 0, 0, not_readable, fatal=True)
        return None
    if unpacked > MAX_UNPACKED_BYTES:
        reader.problem("", 0, 0, f"the workbook unpacks to {unpacked / 1024 / 1024:.0f} MB;"
                       f" at most {MAX_UNPACKED_BYTES // 1024 // 1024} MB are read", fatal=True)
        return None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about extensions it drops
            return load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception:  # any malformed part of a user's file gets one clear message
        reader.problem("", 0, 0, not_readable, fatal=True)
        return None


def read_workbook(data: bytes, source: str) -> WorkbookDocument:
    """Read a workbook of the format in workbook.py; its tree is None when it cannot be used."""
    reader = _Reader(source)
    workbook = _open(data, reader)
    if workbook is None:
        return reader.book
    try:
        _read(workbook, reader)
    finally:
        workbook.close()
    if reader.fatal:
        reader.book.doc = None
    reader.book.problems.sort(key=problem_order)
    return reader.book


def _read(workbook: Any, reader: _Reader) -> None:
    sheets = {name.strip().lower(): workbook[name] for name in workbook.sheetnames}
    missing = [name for name in REQUIRED_SHEETS if name not in sheets]
    if missing:
        found = ", ".join(workbook.sheetnames) or "none"
        for name in missing:
            reader.problem(name, 1, 1, f"the workbook has no '{name}' sheet (its sheets:"
                           f" {found}); every edition workbook has the sheets"
                           f" {', '.join(layout.name for layout in LAYOUTS)}", fatal=True)
        return
    by_name = {layout.name: layout for layout in LAYOUTS}
    read = {name: list(reader.rows(sheets[name], layout)) if name in sheets else []
            for name, layout in by_name.items()}
    if reader.fatal:
        return
    doc = _settings(reader, read["settings"])
    if read["profile"]:
        profile = SourceList(reader.line("profile", 1, 1))
        for row in read["profile"]:
            profile.append(reader.map_of(row, by_name["profile"]))
            profile.item_lines.append(row.anchor)
        _set(doc, "profile", profile, profile.line)
    option_lists = _lists(reader, read["options"], by_name["options"])
    band_lists = _lists(reader, read["bands"], by_name["bands"])
    dimensions = SourceList(reader.line("dimensions", 1, 1))
    by_id: dict[str, SourceMap] = {}
    for row in read["dimensions"]:
        dim = reader.map_of(row, by_name["dimensions"])
        _set(dim, "questions", SourceList(row.anchor), row.anchor)
        dimensions.append(dim)
        dimensions.item_lines.append(row.anchor)
        if isinstance(dim.get("id"), str):
            by_id.setdefault(dim["id"], dim)
    _set(doc, "dimensions", dimensions, dimensions.line)
    for row in read["questions"]:
        dim = _dimension_of(reader, row, by_id)
        if dim is None:
            continue
        question = reader.map_of(row, by_name["questions"])
        _resolve(reader, question, row, "options", option_lists, "option list", "options")
        _resolve(reader, question, row, "bands", band_lists, "band list", "bands")
        _nested(reader, question, row, "scale", {"min": "scale_min", "max": "scale_max",
                                                 "better": "scale_better"})
        _nested(reader, question, row, "show_if", {"question": "show_if_question",
                                                   "in": "show_if_in"})
        _nested(reader, question, row, "previous", {"version": "previous_version",
                                                    "question": "previous_question"})
        dim["questions"].append(question)
        dim["questions"].item_lines.append(row.anchor)
    reader.book.doc = doc


def _settings(reader: _Reader, rows: list[_Row]) -> SourceMap:
    if not rows:
        return SourceMap(reader.line("settings", 2, 1))
    row = rows[0]
    for extra in rows[1:]:
        reader.problem("settings", extra.number, 1, "only the first row of settings is read;"
                       " remove this row")
    doc = SourceMap(row.anchor)
    reader.put(doc, "version", row)
    reader.put(doc, "languages", row)
    languages = doc.get("languages")
    reader.languages = [lang for lang in languages or () if isinstance(lang, str)]
    reader.texts(doc, "title", row)
    return doc


def _lists(reader: _Reader, rows: list[_Row], layout: SheetLayout) -> dict[str, SourceList]:
    """Rows of the options or bands sheet grouped by list_name, in order."""
    lists: dict[str, SourceList] = {}
    for row in rows:
        name = row.value("list_name")
        if name is _EMPTY or not isinstance(name, str):
            reader.problem(layout.name, row.number, row.cells["list_name"][1],
                           "list_name is empty: name the list this row belongs to")
            continue
        items = lists.setdefault(name, SourceList(row.anchor))
        items.append(reader.map_of(row, layout))
        items.item_lines.append(row.anchor)
    return lists


def _dimension_of(reader: _Reader, row: _Row, by_id: dict[str, SourceMap]) -> SourceMap | None:
    name = row.value("dimension")
    column = row.cells["dimension"][1]
    known = ", ".join(by_id) or "none"
    if name is _EMPTY:
        reader.problem("questions", row.number, column, "dimension is empty: name the"
                       f" dimension of this question (the dimensions sheet has: {known})")
        return None
    if name not in by_id:
        hint = difflib.get_close_matches(str(name), list(by_id), n=1)
        did_you_mean = f" (did you mean '{hint[0]}'?)" if hint else ""
        reader.problem("questions", row.number, column, f'unknown dimension "{name}"'
                       f"{did_you_mean}; the dimensions sheet has: {known}")
        return None
    return by_id[name]


def _resolve(reader: _Reader, question: SourceMap, row: _Row, key: str,
             lists: dict[str, SourceList], what: str, sheet: str) -> None:
    """Replace a list name under `key` by the list of that name."""
    name = question.get(key)
    if name is None:
        return
    line = question.value_lines[key]
    found = lists.get(name) if isinstance(name, str) else None
    if found is None:
        known = ", ".join(lists) or "none"
        hint = difflib.get_close_matches(str(name), list(lists), n=1)
        did_you_mean = f" (did you mean '{hint[0]}'?)" if hint else ""
        reader.problem("questions", row.number, row.cells[key][1],
                       f'unknown {what} "{name}"{did_you_mean}; the {sheet} sheet has: {known}')
        found = SourceList(line)  # empty: what the validator says about it is dropped
    _set(question, key, found, line)


def _nested(reader: _Reader, question: SourceMap, row: _Row, key: str,
            columns: dict[str, str]) -> None:
    """Gather plain columns (scale_min, ...) into one mapping (scale: {min: ...})."""
    for column in columns.values():
        question.pop(column, None)
    present = [column for column in columns.values() if row.has(column)]
    if not present:
        return
    nested = SourceMap(reader.cell_line(row, present[0]))
    for inner, column in columns.items():
        reader.put(nested, inner, row, column)
    _set(question, key, nested, nested.line)
