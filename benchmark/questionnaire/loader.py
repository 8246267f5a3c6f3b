"""Load questionnaire files into frozen dataclasses, and dump them back to plain data.

A file is validated completely (validation.py) before anything is built, so a
Questionnaire only ever comes from a file without problems.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

from benchmark.questionnaire.errors import Problem, QuestionnaireError
from benchmark.questionnaire.model import (
    Band,
    Dimension,
    Localized,
    Option,
    Previous,
    ProfileField,
    Question,
    Questionnaire,
    Scale,
    ShowIf,
    localize,
)
from benchmark.questionnaire.source import SourceMap, read_yaml
from benchmark.questionnaire.validation import validate_document
from benchmark.questionnaire.workbook_reader import is_workbook, problem_order, read_workbook

Known = Mapping[str, Questionnaire]

#: Keys of dumped items that hold texts per language (localized_dump turns them into strings).
_TEXT_KEYS = ("title", "text", "help", "label")

#: Largest questionnaire file read, in bytes (5 MB). The shipped editions are under 200 KB;
#: a 3,000-question file of realistic texts fits. Beyond this, parsing alone takes minutes
#: and gigabytes, so larger files are refused before they are read (docs/questionnaire.md).
MAX_FILE_BYTES = 5 * 1024 * 1024


def too_large(source: str, size: int) -> Problem:
    """The problem of a file over MAX_FILE_BYTES (nothing of it is read)."""
    return Problem(source, 1, f"the file is {size / 1024 / 1024:.1f} MB; a questionnaire file"
                              f" may be at most {MAX_FILE_BYTES // 1024 // 1024} MB"
                              f" ({MAX_FILE_BYTES:,} bytes), so it was not read")


def load_text(text: str, source: str = "<string>", *, known: Known | None = None,
              require_translations: bool = True) -> Questionnaire:
    """Build a questionnaire from YAML text; QuestionnaireError lists every problem found.

    `known` maps versions to editions that `previous:` may refer to; when it is None,
    `previous:` is not checked against other editions. `require_translations=False`
    accepts texts that lack languages other than English (drafts being translated).
    """
    doc, problems = _check(text, source, known, require_translations)
    if problems:
        raise QuestionnaireError(problems)
    return _build(doc, _checksum(text.encode("utf-8")))


def validate_text(text: str, source: str = "<string>", *, known: Known | None = None,
                  require_translations: bool = True) -> list[Problem]:
    """Every problem of YAML questionnaire text, sorted by line (empty when it is valid)."""
    return _check(text, source, known, require_translations)[1]


def load_bytes(data: bytes, source: str, *, known: Known | None = None,
               require_translations: bool = True) -> Questionnaire:
    """Build a questionnaire from the bytes of a YAML file or of a workbook (.xlsx).

    A YAML file's checksum is the sha256 of its bytes; a workbook's is that of the YAML
    file it is published as (canonical.to_yaml), so importing it again is a no-op.
    """
    if is_workbook(data):
        doc, problems = _check_workbook(data, source, known, require_translations)
        if problems:
            raise QuestionnaireError(problems)
        from benchmark.questionnaire.canonical import to_yaml

        edition = _build(doc, "")
        return replace(edition, checksum=_checksum(to_yaml(edition).encode("utf-8")))
    text, problems = _decode(data, source)
    if not problems:
        doc, problems = _check(text, source, known, require_translations)
    if problems:
        raise QuestionnaireError(problems)
    return _build(doc, _checksum(data))


def validate_bytes(data: bytes, source: str, *, known: Known | None = None,
                   require_translations: bool = True) -> list[Problem]:
    """Every problem of a YAML file's or a workbook's bytes (workbook problems name cells)."""
    if is_workbook(data):
        return _check_workbook(data, source, known, require_translations)[1]
    text, problems = _decode(data, source)
    return problems or _check(text, source, known, require_translations)[1]


def load_file(path: str | os.PathLike[str], *, known: Known | None = None,
              require_translations: bool = True) -> Questionnaire:
    """Build a questionnaire from a YAML file or a workbook (see load_bytes)."""
    data, problems = read_source(path)
    if problems:
        raise QuestionnaireError(problems)
    return load_bytes(data, str(path), known=known, require_translations=require_translations)


def validate_file(path: str | os.PathLike[str], *, known: Known | None = None,
                  require_translations: bool = True) -> list[Problem]:
    """Every problem of a questionnaire file (YAML or workbook), in file order."""
    data, problems = read_source(path)
    return problems or validate_bytes(data, str(path), known=known,
                                      require_translations=require_translations)


def _checksum(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def read_source(path: str | os.PathLike[str]) -> tuple[bytes, list[Problem]]:
    """The bytes of a questionnaire file, or the problem that keeps it from being read."""
    source = str(path)
    try:
        size = Path(path).stat().st_size
        if size > MAX_FILE_BYTES:
            return b"", [too_large(source, size)]
        return Path(path).read_bytes(), []
    except OSError as exc:
        return b"", [Problem(source, 1, f"cannot read the file: {exc.strerror or exc}")]


def _decode(data: bytes, source: str) -> tuple[str, list[Problem]]:
    if len(data) > MAX_FILE_BYTES:
        return "", [too_large(source, len(data))]
    try:
        # utf-8-sig: editors on Windows prepend a byte-order mark.
        return data.decode("utf-8-sig"), []
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        message = f"the file is not UTF-8 text (byte 0x{data[exc.start]:02x}); save it as UTF-8"
        return "", [Problem(source, line, message)]


def _check(text: str, source: str, known: Known | None,
           require_translations: bool = True) -> tuple[Any, list[Problem]]:
    size = len(text.encode("utf-8", "surrogatepass"))
    if size > MAX_FILE_BYTES:
        return None, [too_large(source, size)]
    doc, problems = read_yaml(text, source)
    if problems and doc is None:
        return None, problems
    problems += validate_document(doc, source, known,
                                  require_translations=require_translations)
    return doc, sorted(problems, key=lambda p: p.line)


def _check_workbook(data: bytes, source: str, known: Known | None,
                    require_translations: bool) -> tuple[Any, list[Problem]]:
    """The workbook's tree and problems: the reader's, then the validator's moved to cells."""
    if len(data) > MAX_FILE_BYTES:
        return None, [too_large(source, len(data))]
    book = read_workbook(data, source)
    if book.doc is None:
        return None, book.problems
    found = validate_document(book.doc, source, known, place=book.place,
                              require_translations=require_translations)
    # A cell the reader already explained (an unknown option list) is not explained twice.
    taken = {p.location for p in book.problems}
    problems = list(book.problems)
    for problem in (book.locate(p) for p in found):
        if problem.location not in taken and problem not in problems:
            problems.append(problem)
    return book.doc, sorted(problems, key=problem_order)


# -- building (input already validated) ---------------------------------------------------


def _texts(value: Any) -> dict[str, str]:
    return dict(value) if value else {}


def _build(doc: SourceMap, checksum: str) -> Questionnaire:
    return Questionnaire(
        version=doc["version"],
        title=_texts(doc["title"]),
        languages=tuple(doc["languages"]),
        dimensions=tuple(_build_dimension(d) for d in doc["dimensions"]),
        profile=tuple(_build_profile_field(f) for f in doc.get("profile") or ()),
        checksum=checksum,
    )


def _build_profile_field(m: SourceMap) -> ProfileField:
    return ProfileField(
        id=m["id"],
        type=m["type"],
        label=_texts(m["label"]),
        help=_texts(m.get("help")),
        required=m.get("required", False),
        line=m.line,
    )


def _build_dimension(m: SourceMap) -> Dimension:
    return Dimension(
        id=m["id"],
        title=_texts(m["title"]),
        questions=tuple(_build_question(q, m["id"]) for q in m["questions"]),
        weight=m.get("weight", 1.0),
        line=m.line,
    )


def _build_question(m: SourceMap, dimension_id: str) -> Question:
    scale = m.get("scale")
    show_if = m.get("show_if")
    previous = m.get("previous")
    return Question(
        id=m["id"],
        type=m["type"],
        dimension_id=dimension_id,
        text=_texts(m["text"]),
        help=_texts(m.get("help")),
        weight=m.get("weight", 1.0),
        required=m.get("required", True),
        allow_na=m.get("allow_na", False),
        options=tuple(
            Option(id=o["id"], label=_texts(o["label"]), points=o["points"],
                   exclusive=o.get("exclusive", False))
            for o in m.get("options") or ()
        ),
        max_points=m.get("max_points"),
        bands=tuple(
            Band(min=b["min"], max=b.get("max"), points=b["points"]) for b in m.get("bands") or ()
        ),
        scale=Scale(scale["min"], scale["max"], scale.get("better", "higher")) if scale else None,
        show_if=ShowIf(show_if["question"], tuple(show_if["in"])) if show_if else None,
        previous=Previous(previous["version"], previous["question"]) if previous else None,
        line=m.line,
    )


# -- dumping ------------------------------------------------------------------------------


def _number(value: float) -> float:
    """Whole numbers as int, so a dump reads `weight: 1`, not `weight: 1.0`."""
    return int(value) if isinstance(value, float) and value.is_integer() else value


def _dump_question(q: Question) -> dict[str, Any]:
    out: dict[str, Any] = {"id": q.id, "type": q.type, "text": dict(q.text)}
    if q.help:
        out["help"] = dict(q.help)
    out.update(weight=_number(q.weight), required=q.required, allow_na=q.allow_na)
    if q.options:
        out["options"] = [
            {"id": o.id, "label": dict(o.label), "points": _number(o.points),
             **({"exclusive": True} if o.exclusive else {})}
            for o in q.options
        ]
    if q.max_points is not None:
        out["max_points"] = _number(q.max_points)
    if q.bands:
        out["bands"] = [
            {"min": _number(b.min), **({"max": _number(b.max)} if b.max is not None else {}),
             "points": _number(b.points)}
            for b in q.bands
        ]
    if q.scale is not None:
        out["scale"] = {"min": _number(q.scale.min), "max": _number(q.scale.max),
                        "better": q.scale.better}
    if q.show_if is not None:
        out["show_if"] = {"question": q.show_if.question, "in": list(q.show_if.values)}
    if q.previous is not None:
        out["previous"] = {"version": q.previous.version, "question": q.previous.question}
    return out


def _dump_profile_field(f: ProfileField) -> dict[str, Any]:
    out: dict[str, Any] = {"id": f.id, "type": f.type, "label": dict(f.label)}
    if f.help:
        out["help"] = dict(f.help)
    out["required"] = f.required
    return out


def dump(q: Questionnaire) -> dict[str, Any]:
    """The questionnaire as plain data in the file format (for yaml.safe_dump and JSON).

    Optional parts that are absent (help, options, max_points, bands, scale, show_if,
    previous, profile) are left out; defaults (weight, required, allow_na) are written.
    """
    out: dict[str, Any] = {
        "version": q.version,
        "title": dict(q.title),
        "languages": list(q.languages),
    }
    if q.profile:
        out["profile"] = [_dump_profile_field(f) for f in q.profile]
    out["dimensions"] = [
        {
            "id": d.id,
            "title": dict(d.title),
            "weight": _number(d.weight),
            "questions": [_dump_question(question) for question in d.questions],
        }
        for d in q.dimensions
    ]
    return out


def _localize_item(node: Any, lang: str) -> Any:
    if isinstance(node, list):
        return [_localize_item(item, lang) for item in node]
    if not isinstance(node, dict):
        return node
    out: dict[str, Any] = {}
    fell_back = False
    for key, value in node.items():
        if key in _TEXT_KEYS and isinstance(value, dict):
            texts: Localized = value
            out[key] = localize(texts, lang)
            fell_back = fell_back or not texts.get(lang)
        else:
            out[key] = _localize_item(value, lang)
    if fell_back:
        out["fallback"] = True
    return out


def localized_dump(q: Questionnaire, lang: str) -> dict[str, Any]:
    """Like dump(), with every text a string in `lang` (English when missing) plus checksum.

    An item (questionnaire, profile field, dimension, question, option) with a text
    that fell back to English carries `"fallback": true`.
    """
    out: dict[str, Any] = _localize_item(dump(q), lang)
    out["lang"] = lang
    out["checksum"] = q.checksum
    return out
