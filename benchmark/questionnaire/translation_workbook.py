"""The translations of one language as a two-column workbook, for an outside translator (pure).

Column A holds the English text, column B the text in the target language (its header
is the language code). A hidden `keys` sheet names, row for row, where each text lives
(texts.TextEntry.key), so the translator may change nothing but column B. Reading it
back gives key → text and the problems found, as codes for the web layer to word.
"""

from __future__ import annotations

import io
import warnings
import zipfile
from dataclasses import dataclass
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill

from benchmark.questionnaire.loader import MAX_FILE_BYTES
from benchmark.questionnaire.model import FALLBACK_LANGUAGE, Questionnaire
from benchmark.questionnaire.texts import TextEntry, text_entries
from benchmark.questionnaire.workbook import RIGHT_TO_LEFT
from benchmark.questionnaire.workbook_reader import MAX_UNPACKED_BYTES

SHEET = "translations"
KEYS_SHEET = "keys"


@dataclass(frozen=True)
class TranslationProblem:
    """Why (part of) a translation workbook was not read.

    code: not_a_workbook, too_large, no_sheet, wrong_language, unknown_key,
    english_changed, formula. `location` is "sheet!cell" or "" for the whole file.
    """

    code: str
    location: str = ""
    detail: str = ""


def for_translator(entries: list[TextEntry], lang: str) -> list[TextEntry]:
    """Entries with an English text, those missing in `lang` first, else in document order."""
    usable = [e for e in entries if e.english.strip()]
    return [e for e in usable if e.is_missing(lang)] + [e for e in usable if not e.is_missing(lang)]


def write_translation_workbook(q: Questionnaire, lang: str) -> bytes:
    """English beside `lang` for every text of the edition (missing ones first)."""
    book = Workbook()
    sheet = book.active
    sheet.title = SHEET
    keys = book.create_sheet(KEYS_SHEET)
    keys.sheet_state = "hidden"
    header = Font(bold=True)
    fill = PatternFill("solid", fgColor="DDE3EA")
    target_alignment = Alignment(wrap_text=True, vertical="top", horizontal="right",
                                 readingOrder=2) if lang in RIGHT_TO_LEFT else Alignment(
        wrap_text=True, vertical="top")
    for column, title in ((1, FALLBACK_LANGUAGE), (2, lang)):
        cell = sheet.cell(row=1, column=column, value=title)
        cell.font, cell.fill = header, fill
    sheet["B1"].alignment = target_alignment
    keys["A1"] = "key"
    for row, entry in enumerate(for_translator(text_entries(q), lang), 2):
        english = sheet.cell(row=row, column=1, value=entry.english)
        english.data_type = "s"  # a text starting with "=" stays a text
        english.alignment = Alignment(wrap_text=True, vertical="top")
        target = sheet.cell(row=row, column=2, value=entry.text(lang) or None)
        if entry.text(lang):
            target.data_type = "s"
        target.alignment = target_alignment
        keys.cell(row=row, column=1, value=entry.key).data_type = "s"
    sheet.column_dimensions["A"].width = 70
    sheet.column_dimensions["B"].width = 70
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _open(data: bytes) -> tuple[Any, TranslationProblem | None]:
    if len(data) > MAX_FILE_BYTES:
        return None, TranslationProblem("too_large", detail=str(len(data)))
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            if sum(i.file_size for i in archive.infolist()) > MAX_UNPACKED_BYTES:
                return None, TranslationProblem("too_large", detail=str(len(data)))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return load_workbook(io.BytesIO(data), read_only=True), None
    except Exception:  # any malformed part of a user's file gets one clear message
        return None, TranslationProblem("not_a_workbook")


def read_translation_workbook(data: bytes, q: Questionnaire,
                              lang: str) -> tuple[dict[str, str], list[TranslationProblem]]:
    """Key → text in `lang` of every filled row, and the problems; empty cells change nothing."""
    book, problem = _open(data)
    if book is None:
        return {}, [problem] if problem else []
    try:
        return _read(book, q, lang)
    finally:
        book.close()


def _read(book: Any, q: Questionnaire, lang: str) -> tuple[dict[str, str],
                                                           list[TranslationProblem]]:
    names = {name.strip().lower(): name for name in book.sheetnames}
    missing = [name for name in (SHEET, KEYS_SHEET) if name not in names]
    if missing:
        return {}, [TranslationProblem("no_sheet", f"{name}!A1", name) for name in missing]
    rows = list(book[names[SHEET]].iter_rows(values_only=False))
    keys = [row[0].value if row else None
            for row in book[names[KEYS_SHEET]].iter_rows(values_only=False)]
    header = rows[0] if rows else ()
    given_lang = str(header[1].value).strip() if len(header) > 1 and header[1].value else ""
    if given_lang != lang:
        return {}, [TranslationProblem("wrong_language", f"{SHEET}!B1", given_lang)]
    entries = {e.key: e for e in text_entries(q)}
    found: dict[str, str] = {}
    problems: list[TranslationProblem] = []
    for number, row in enumerate(rows[1:], 2):
        cells = [*row, None, None]
        english, target = cells[0], cells[1]
        text = getattr(target, "value", None)
        if text is None or (isinstance(text, str) and not text.strip()):
            continue
        if getattr(target, "data_type", None) == "f":
            problems.append(TranslationProblem("formula", f"{SHEET}!B{number}"))
            continue
        key = keys[number - 1] if number - 1 < len(keys) else None
        entry = entries.get(str(key)) if key else None
        if entry is None:
            problems.append(TranslationProblem("unknown_key", f"{SHEET}!B{number}", str(key or "")))
            continue
        if str(getattr(english, "value", "") or "").strip() != entry.english.strip():
            problems.append(TranslationProblem("english_changed", f"{SHEET}!A{number}",
                                               entry.english))
            continue
        found[entry.key] = text if isinstance(text, str) else str(text)
    return found, problems
