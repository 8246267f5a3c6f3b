"""The workbook format of an edition (XLSX, in the spirit of XLSForm): layout and writer (pure).

One sheet per part (settings, profile, dimensions, questions, options, bands), one row
per item, one column per language for every text (`text::en`, `text::fr`, ...). Option
and band lists live on their own sheets under a `list_name` that questions refer to,
so a list can be shared. docs/questionnaire.md describes the format for authors;
workbook_reader.py turns a workbook back into what the YAML validator checks.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from benchmark.questionnaire.model import Band, Option, Question, Questionnaire
from benchmark.questionnaire.types import type_names

#: Between a text key and its language in a column name: `text::fr`.
LANGUAGE_MARK = "::"
#: Languages written right to left: their columns are right-aligned, RTL reading order.
RIGHT_TO_LEFT = frozenset({"ar", "fa", "he", "ur"})
PROFILE_TYPES = ("integer", "number", "percent", "text")
#: Rows below the data that keep the drop-down lists, for rows an author adds.
SPARE_ROWS = 500


@dataclass(frozen=True)
class SheetLayout:
    """Columns of one sheet; "text::*" stands for one `text::<lang>` column per language."""

    name: str
    columns: tuple[str, ...]
    #: Columns a sheet cannot do without (the workbook is not read further without them).
    required: tuple[str, ...]
    #: Columns left of (and rows above) this cell stay in view when scrolling.
    freeze: str = "A2"

    @property
    def text_keys(self) -> tuple[str, ...]:
        return tuple(c.split(LANGUAGE_MARK)[0] for c in self.columns if c.endswith("::*"))

    @property
    def plain_columns(self) -> tuple[str, ...]:
        return tuple(c for c in self.columns if not c.endswith("::*"))

    def expanded(self, languages: Sequence[str]) -> list[str]:
        """Column names in order, each "key::*" expanded to the languages."""
        out: list[str] = []
        for column in self.columns:
            if column.endswith("::*"):
                key = column.split(LANGUAGE_MARK)[0]
                out += [f"{key}{LANGUAGE_MARK}{lang}" for lang in languages]
            else:
                out.append(column)
        return out


SETTINGS = SheetLayout("settings", ("version", "languages", "title::*"), ("version", "languages"))
PROFILE = SheetLayout("profile", ("id", "type", "required", "label::*", "help::*"),
                      ("id", "type"), freeze="B2")
DIMENSIONS = SheetLayout("dimensions", ("id", "weight", "title::*"), ("id",), freeze="B2")
QUESTIONS = SheetLayout(
    "questions",
    ("dimension", "id", "type", "options", "text::*", "help::*", "weight", "required",
     "allow_na", "max_points", "bands", "scale_min", "scale_max", "scale_better",
     "show_if_question", "show_if_in", "previous_version", "previous_question"),
    ("dimension", "id", "type"), freeze="C2")
OPTIONS = SheetLayout("options", ("list_name", "id", "points", "exclusive", "label::*"),
                      ("list_name", "id"), freeze="C2")
BANDS = SheetLayout("bands", ("list_name", "min", "max", "points"), ("list_name",), freeze="B2")
#: Every sheet of the format, in the order they are written and problems are sorted.
LAYOUTS = (SETTINGS, PROFILE, DIMENSIONS, QUESTIONS, OPTIONS, BANDS)
#: Sheets a workbook must have; profile, options and bands may be left out when empty.
REQUIRED_SHEETS = ("settings", "dimensions", "questions")
#: A hidden sheet with the values of the drop-down lists (not read back).
LISTS_SHEET = "lists"

NUMBER_COLUMNS = frozenset({"weight", "points", "min", "max", "max_points", "scale_min",
                            "scale_max"})
BOOLEAN_COLUMNS = frozenset({"required", "allow_na", "exclusive"})
#: Cells holding several values separated by commas.
LIST_COLUMNS = frozenset({"languages", "show_if_in"})

_WIDTHS = {"text": 60, "help": 50, "label": 36, "title": 36}
_NARROW = {"weight": 9, "required": 10, "allow_na": 10, "points": 9, "exclusive": 11,
           "min": 9, "max": 9, "max_points": 11, "scale_min": 10, "scale_max": 10,
           "scale_better": 12, "version": 12, "type": 15}
_HEADER_FONT = Font(bold=True)
_HEADER_FILL = PatternFill("solid", fgColor="DDE3EA")
_HEADER_BORDER = Border(bottom=Side(style="thin", color="5B6B7B"))
_TEXT = Alignment(wrap_text=True, vertical="top")
_RTL = Alignment(wrap_text=True, vertical="top", horizontal="right", readingOrder=2)


def language_of(column: str) -> str | None:
    """"fr" for "text::fr"; None for a plain column."""
    return column.split(LANGUAGE_MARK, 1)[1] if LANGUAGE_MARK in column else None


def _number(value: float | None) -> float | int | None:
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _set(ws: Worksheet, row: int, column: int, value: Any, name: str) -> None:
    if value is None or value == "":
        return
    cell = ws.cell(row=row, column=column, value=value)
    if isinstance(value, str):
        # openpyxl stores a string starting with "=" as a formula: keep every text a text,
        # exactly as written, that a spreadsheet program never evaluates.
        cell.data_type = "s"
        lang = language_of(name)
        cell.alignment = _RTL if lang in RIGHT_TO_LEFT else _TEXT


def _sheet(wb: Workbook, layout: SheetLayout, languages: Sequence[str],
           rows: Iterable[dict[str, Any]]) -> tuple[Worksheet, list[str], int]:
    """A sheet with its header row and `rows`; (sheet, column names, rows written)."""
    ws = wb.create_sheet(layout.name)
    columns = layout.expanded(languages)
    for index, name in enumerate(columns, 1):
        cell = ws.cell(row=1, column=index, value=name)
        cell.font, cell.fill, cell.border = _HEADER_FONT, _HEADER_FILL, _HEADER_BORDER
        lang = language_of(name)
        if lang in RIGHT_TO_LEFT:
            cell.alignment = _RTL
        key = name.split(LANGUAGE_MARK)[0]
        width = _WIDTHS.get(key) or _NARROW.get(name, 20)
        ws.column_dimensions[get_column_letter(index)].width = width
    count = 0
    for count, values in enumerate(rows, 1):
        for index, name in enumerate(columns, 1):
            _set(ws, count + 1, index, values.get(name), name)
    ws.freeze_panes = layout.freeze
    return ws, columns, count


def _texts(key: str, texts: dict[str, str] | Any) -> dict[str, str]:
    return {f"{key}{LANGUAGE_MARK}{lang}": text for lang, text in dict(texts or {}).items()}


def _option_key(options: tuple[Option, ...]) -> tuple[Any, ...]:
    return tuple((o.id, tuple(sorted(o.label.items())), o.points, o.exclusive) for o in options)


def _band_key(bands: tuple[Band, ...]) -> tuple[Any, ...]:
    return tuple((b.min, b.max, b.points) for b in bands)


def _lists(questions: Sequence[Question]) -> tuple[dict[str, str], dict[str, str]]:
    """Question id → name of its option list and of its band list (identical lists shared)."""
    option_names: dict[tuple[Any, ...], str] = {}
    band_names: dict[tuple[Any, ...], str] = {}
    options_of: dict[str, str] = {}
    bands_of: dict[str, str] = {}
    for q in questions:
        if q.options:
            options_of[q.id] = option_names.setdefault(_option_key(q.options), q.id)
        if q.bands:
            bands_of[q.id] = band_names.setdefault(_band_key(q.bands), q.id)
    return options_of, bands_of


def _question_row(q: Question, options_of: dict[str, str],
                  bands_of: dict[str, str]) -> dict[str, Any]:
    row: dict[str, Any] = {
        "dimension": q.dimension_id, "id": q.id, "type": q.type,
        "options": options_of.get(q.id), "bands": bands_of.get(q.id),
        **_texts("text", q.text), **_texts("help", q.help),
        "weight": _number(q.weight), "required": q.required, "allow_na": q.allow_na,
        "max_points": _number(q.max_points),
    }
    if q.scale is not None:
        row.update(scale_min=_number(q.scale.min), scale_max=_number(q.scale.max),
                   scale_better=q.scale.better)
    if q.show_if is not None:
        row.update(show_if_question=q.show_if.question, show_if_in=", ".join(q.show_if.values))
    if q.previous is not None:
        row.update(previous_version=q.previous.version, previous_question=q.previous.question)
    return row


def _validation(ws: Worksheet, formula: str, column: int, rows: int, *,
                strict: bool = True, prompt: str = "") -> None:
    """A drop-down list on a column; `strict` refuses other values, else only warns."""
    rule = DataValidation(type="list", formula1=formula, allow_blank=True,
                          errorStyle="stop" if strict else "warning")
    rule.error = prompt or "Choose a value from the list."
    rule.showErrorMessage = True
    letter = get_column_letter(column)
    rule.add(f"{letter}2:{letter}{rows + SPARE_ROWS}")
    ws.add_data_validation(rule)


def _lists_sheet(wb: Workbook, columns: dict[str, Sequence[str]]) -> dict[str, str]:
    """The hidden sheet of drop-down values; column title → absolute range formula."""
    ws = wb.create_sheet(LISTS_SHEET)
    ws.sheet_state = "hidden"
    formulas = {}
    for index, (title, values) in enumerate(columns.items(), 1):
        ws.cell(row=1, column=index, value=title)
        for row, value in enumerate(values, 2):
            ws.cell(row=row, column=index, value=value).data_type = "s"
        letter = get_column_letter(index)
        formulas[title] = f"={LISTS_SHEET}!${letter}$2:${letter}${max(2, len(values) + 1)}"
    return formulas


def write_workbook(q: Questionnaire) -> bytes:
    """The edition as an XLSX workbook that reads back as the same edition.

    Header rows are frozen, columns sized, Arabic (and other right-to-left) columns
    aligned right to left; types, option lists, band lists, dimensions, yes/no columns
    and scale directions have drop-down lists.
    """
    wb = Workbook()
    wb.remove(wb.active)
    langs = q.languages
    _sheet(wb, SETTINGS, langs, [{"version": q.version, "languages": ", ".join(langs),
                                  **_texts("title", q.title)}])
    profile_ws, profile_columns, profile_rows = _sheet(wb, PROFILE, langs, [
        {"id": f.id, "type": f.type, "required": f.required, **_texts("label", f.label),
         **_texts("help", f.help)} for f in q.profile])
    _, _, dim_rows = _sheet(wb, DIMENSIONS, langs, [
        {"id": d.id, "weight": _number(d.weight), **_texts("title", d.title)}
        for d in q.dimensions])
    options_of, bands_of = _lists(q.questions)
    questions_ws, question_columns, question_rows = _sheet(
        wb, QUESTIONS, langs, [_question_row(question, options_of, bands_of)
                               for question in q.questions])
    option_rows = []
    band_rows = []
    for question in q.questions:
        if options_of.get(question.id) == question.id:
            option_rows += [{"list_name": question.id, "id": o.id, "points": _number(o.points),
                             "exclusive": True if o.exclusive else None,
                             **_texts("label", o.label)} for o in question.options]
        if bands_of.get(question.id) == question.id:
            band_rows += [{"list_name": question.id, "min": _number(b.min),
                           "max": _number(b.max), "points": _number(b.points)}
                          for b in question.bands]
    options_ws, option_columns, _ = _sheet(wb, OPTIONS, langs, option_rows)
    _sheet(wb, BANDS, langs, band_rows)
    formulas = _lists_sheet(wb, {
        "types": type_names(), "option lists": sorted(set(options_of.values())),
        "band lists": sorted(set(bands_of.values())), "profile types": PROFILE_TYPES})

    def col(columns: list[str], name: str) -> int:
        return columns.index(name) + 1

    _validation(questions_ws, formulas["types"], col(question_columns, "type"), question_rows,
                prompt="Use one of the question types listed in docs/questionnaire.md.")
    _validation(questions_ws, f"=dimensions!$A$2:$A${dim_rows + SPARE_ROWS}",
                col(question_columns, "dimension"), question_rows, strict=False,
                prompt="Name a dimension of the dimensions sheet.")
    _validation(questions_ws, formulas["option lists"], col(question_columns, "options"),
                question_rows, strict=False, prompt="Name an option list of the options sheet.")
    _validation(questions_ws, formulas["band lists"], col(question_columns, "bands"),
                question_rows, strict=False, prompt="Name a band list of the bands sheet.")
    _validation(questions_ws, '"higher,lower"', col(question_columns, "scale_better"),
                question_rows)
    for name in ("required", "allow_na"):
        _validation(questions_ws, '"TRUE,FALSE"', col(question_columns, name), question_rows)
    _validation(options_ws, '"TRUE,FALSE"', col(option_columns, "exclusive"),
                len(option_rows))
    _validation(profile_ws, formulas["profile types"], col(profile_columns, "type"),
                profile_rows)
    _validation(profile_ws, '"TRUE,FALSE"', col(profile_columns, "required"), profile_rows)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
