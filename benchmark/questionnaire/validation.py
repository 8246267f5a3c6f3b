"""Check a parsed questionnaire file completely, collecting every problem with its line.

The checks implement DESIGN.md "Questionnaire files (contract)"; rules that depend on a
question type come from flags of the type registry, so nothing here names a type.
"""

from __future__ import annotations

import datetime
import difflib
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from itertools import pairwise
from typing import Any

from benchmark.questionnaire.errors import Problem
from benchmark.questionnaire.model import FALLBACK_LANGUAGE, Questionnaire
from benchmark.questionnaire.source import SourceList, SourceMap
from benchmark.questionnaire.types import (
    MAX_NUMBER_MAGNITUDE,
    QuestionType,
    get_type,
    type_names,
)

ID_PATTERN = re.compile(r"[a-z][a-z0-9_]*")
OPTION_ID_PATTERN = re.compile(r"[a-z0-9][a-z0-9_-]*")
# Versions appear in URLs (/api/v1/questionnaires/{version}) and file names.
VERSION_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")
LANGUAGE_PATTERN = re.compile(r"[a-z]{2,3}(-[A-Za-z0-9]{2,8})*")

_ID_RULE = "use lowercase letters, digits and '_', starting with a letter (e.g. commitment_01)"
_OPTION_ID_RULE = "use lowercase letters, digits, '_' and '-' (e.g. partly)"

ROOT_KEYS = ("version", "title", "languages", "profile", "dimensions")
PROFILE_KEYS = ("id", "type", "label", "help", "required")
DIMENSION_KEYS = ("id", "title", "weight", "questions")
QUESTION_KEYS = (
    "id", "type", "text", "help", "weight", "required", "allow_na", "options",
    "max_points", "bands", "scale", "show_if", "previous",
)
OPTION_KEYS = ("id", "label", "points")
BAND_KEYS = ("min", "max", "points")
SCALE_KEYS = ("min", "max", "better")
SHOW_IF_KEYS = ("question", "in")
PREVIOUS_KEYS = ("version", "question")
PROFILE_TYPES = ("integer", "number", "percent", "text")
SCALE_DIRECTIONS = ("higher", "lower")


def _describe(value: object, raw: str | None = None) -> str:
    """A value as an author wrote it, for messages."""
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return f"{raw or str(value).lower()} (read by YAML as a boolean)"
    if isinstance(value, str):
        return f"'{value}'" if len(value) <= 40 else f"'{value[:37]}...'"
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, SourceMap):
        return "a mapping"
    if isinstance(value, SourceList):
        return "a list"
    return raw or type(value).__name__


def _yaml_kind(value: object) -> str | None:
    """What YAML made of an unquoted scalar that was meant as text, if anything."""
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, datetime.date):
        return "a date"
    return None


def _names(types: list[QuestionType]) -> str:
    names = [t.name for t in types]
    return ", ".join(names[:-1]) + " or " + names[-1] if len(names) > 1 else "".join(names)


def _fmt(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


@dataclass
class _ShowIfRef:
    question: str | None
    line: int
    values: list[tuple[str, int]] = field(default_factory=list)


@dataclass
class _QuestionEntry:
    """What the cross-question checks need to know about one question."""

    id: str | None
    where: str
    index: int
    line: int
    type: QuestionType | None = None
    option_ids: tuple[str, ...] = ()
    options_complete: bool = False
    show_if: _ShowIfRef | None = None


class _Checker:
    def __init__(self, source: str, known: Mapping[str, Questionnaire] | None) -> None:
        self.source = source
        self.known = known
        self.problems: list[Problem] = []
        self.languages: tuple[str, ...] = ()
        self.version: str | None = None
        self.entries: list[_QuestionEntry] = []
        self.by_id: dict[str, _QuestionEntry] = {}

    def add(self, line: int, message: str) -> None:
        self.problems.append(Problem(self.source, line, message))

    # -- generic checks -------------------------------------------------------------------

    def keys(self, m: SourceMap, allowed: tuple[str, ...], required: tuple[str, ...],
             where: str) -> None:
        for key in m:
            if key in allowed:
                continue
            shown = m.raw_keys.get(key) or str(key)
            hint = difflib.get_close_matches(shown, allowed, n=1)
            did_you_mean = f" (did you mean '{hint[0]}'?)" if hint else ""
            self.add(m.key_lines[key], f"{where}: unknown key '{shown}'{did_you_mean};"
                                       f" allowed keys: {', '.join(allowed)}")
        for key in required:
            if key not in m:
                self.add(m.line, f"{where}: missing required key '{key}'")

    def number(self, m: SourceMap, key: str, where: str) -> float | None:
        value = m[key]
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.add(m.line_of(key), f"{where}: {key} must be a number,"
                                     f" got {_describe(value, m.raw_values.get(key))}")
            return None
        if abs(value) > MAX_NUMBER_MAGNITUDE or not math.isfinite(value):
            self.add(m.line_of(key), f"{where}: {key} must be a finite number of at most"
                                     f" {MAX_NUMBER_MAGNITUDE:.0e}, got {value}")
            return None
        return value

    def positive(self, m: SourceMap, key: str, where: str) -> float | None:
        value = m[key]
        number = value if isinstance(value, int | float) and not isinstance(value, bool) else None
        if number is None or not math.isfinite(number) or number <= 0:
            self.add(m.line_of(key), f"{where}: {key} must be a positive number,"
                                     f" got {_describe(value, m.raw_values.get(key))}")
            return None
        return self.number(m, key, where)

    def boolean(self, m: SourceMap, key: str, where: str) -> None:
        if not isinstance(m[key], bool):
            self.add(m.line_of(key), f"{where}: {key} must be true or false,"
                                     f" got {_describe(m[key], m.raw_values.get(key))}")

    def text(self, m: SourceMap, key: str, where: str, what: str) -> str | None:
        """A non-empty string under `key`; a bare number or yes/no gets a 'quote it' hint."""
        value, raw, line = m[key], m.raw_values.get(key), m.line_of(key)
        if isinstance(value, str) and value.strip():
            return value
        if isinstance(value, str):
            self.add(line, f"{where}: {what} must not be empty")
        elif (kind := _yaml_kind(value)) and raw:
            self.add(line, f'{where}: {what} {raw} is read by YAML as {kind}; quote it:'
                           f' {key}: "{raw}"')
        else:
            self.add(line, f"{where}: {what} must be text, got {_describe(value, raw)}")
        return None

    def identifier(self, m: SourceMap, what: str, pattern: re.Pattern[str], rule: str,
                   seen: dict[str, int], where: str = "") -> str | None:
        """The `id` of `m` when it is valid (duplicates included); records first uses in `seen`."""
        if "id" not in m:
            return None
        prefix = f"{where}: " if where else ""
        value, raw, line = m["id"], m.raw_values.get("id"), m.line_of("id")
        if not isinstance(value, str):
            kind = _yaml_kind(value)
            if kind and raw and pattern.fullmatch(raw):
                self.add(line, f'{prefix}{what} id {raw} is read by YAML as {kind}; quote it:'
                               f' id: "{raw}"')
            else:
                self.add(line, f"{prefix}{what} id must be text ({rule}),"
                               f" got {_describe(value, raw)}")
            return None
        if not pattern.fullmatch(value):
            self.add(line, f"{prefix}{what} id '{value}' is not valid: {rule}")
            return None
        if value in seen:
            self.add(line, f"{prefix}duplicate {what} id '{value}'"
                           f" (already used on line {seen[value]}); ids must be unique")
        else:
            seen[value] = line
        return value

    def localized(self, m: SourceMap, key: str, where: str) -> None:
        value, line = m[key], m.line_of(key)
        if not isinstance(value, SourceMap) or not value:
            self.add(line, f"{where}: {key} must map language codes to texts, e.g."
                           f' {key}: {{en: "..."}}; got {_describe(value, m.raw_values.get(key))}')
            return
        for lang, text in value.items():
            lang_line = value.key_lines[lang]
            if not isinstance(lang, str):
                raw = value.raw_keys.get(lang)
                self.add(lang_line, f"{where}: language {raw or lang} in {key} is read by YAML"
                                    f' as {_yaml_kind(lang) or "a value"}; quote it: "{raw}"')
                continue
            if self.languages and lang not in self.languages:
                self.add(lang_line, f"{where}: {key} has a text in '{lang}', which is not one"
                                    f" of the declared languages ({', '.join(self.languages)})")
            if not isinstance(text, str) or not text.strip():
                self.add(value.line_of(lang), f"{where}: {key} in '{lang}' must be a non-empty"
                         f" text, got {_describe(text, value.raw_values.get(lang))}")
        missing = [lang for lang in self.languages if lang not in value]
        if missing:
            self.add(m.key_lines[key], f"{where}: {key} is missing the translation for"
                                       f" {', '.join(missing)}; every text needs all declared"
                                       f" languages ({', '.join(self.languages)})")

    def mapping(self, value: object, line: int, where: str, shape: str) -> SourceMap | None:
        if isinstance(value, SourceMap):
            return value
        self.add(line, f"{where} must be a mapping {shape}, got {_describe(value)}")
        return None

    # -- the document ---------------------------------------------------------------------

    def check(self, doc: object) -> None:
        if doc is None:
            self.add(1, "the file is empty; expected a mapping with version, title, languages"
                        " and dimensions")
            return
        if not isinstance(doc, SourceMap):
            self.add(getattr(doc, "line", 1), "the file must be a mapping with version, title,"
                                              f" languages and dimensions; got {_describe(doc)}")
            return
        self.keys(doc, ROOT_KEYS, ("version", "title", "languages", "dimensions"), "top level")
        if "version" in doc:
            self.version = self.version_text(doc, "top level")
        if "languages" in doc:
            self.check_languages(doc)
        if "title" in doc:
            self.localized(doc, "title", "top level")
        if "profile" in doc:
            self.check_profile(doc)
        if "dimensions" in doc:
            self.check_dimensions(doc)
        self.check_show_if_references()

    def version_text(self, m: SourceMap, where: str) -> str | None:
        version = self.text(m, "version", where, "version")
        if version is not None and not VERSION_PATTERN.fullmatch(version):
            self.add(m.line_of("version"), f"{where}: version '{version}' may only contain"
                                           " letters, digits, '.', '_' and '-'")
            return None
        return version

    def check_languages(self, doc: SourceMap) -> None:
        value, line = doc["languages"], doc.line_of("languages")
        if not isinstance(value, SourceList) or not value:
            self.add(line, "languages must be a list of language codes that includes en,"
                           f" e.g. [en, fr, ar]; got {_describe(value)}")
            return
        languages: list[str] = []
        for item, item_line, raw in zip(value, value.item_lines, value.raw_items, strict=True):
            if not isinstance(item, str) and (kind := _yaml_kind(item)) and raw:
                self.add(item_line, f'language {raw} is read by YAML as {kind}; quote it: "{raw}"')
            elif not isinstance(item, str) or not LANGUAGE_PATTERN.fullmatch(item):
                self.add(item_line, f"language {_describe(item, raw)} is not a language code"
                                    " such as en, fr or ar")
            elif item in languages:
                self.add(item_line, f"language '{item}' is listed twice")
            else:
                languages.append(item)
        if FALLBACK_LANGUAGE not in languages:
            self.add(line, f'languages must include "{FALLBACK_LANGUAGE}" (English is the'
                           " fallback for every text)")
        self.languages = tuple(languages)

    def check_profile(self, doc: SourceMap) -> None:
        value = doc["profile"]
        if not isinstance(value, SourceList):
            self.add(doc.line_of("profile"), "profile must be a list of fields such as"
                                             " {id: population, type: integer, label: {...}};"
                                             f" got {_describe(value)}")
            return
        seen: dict[str, int] = {}
        for n, (item, line) in enumerate(zip(value, value.item_lines, strict=True), 1):
            field_map = self.mapping(item, line, f"profile field {n}", "with id, type and label")
            if field_map is None:
                continue
            fid = self.identifier(field_map, "profile field", ID_PATTERN, _ID_RULE, seen)
            where = f"profile field '{fid}'" if fid else f"profile field {n}"
            self.keys(field_map, PROFILE_KEYS, ("id", "type", "label"), where)
            if "type" in field_map and field_map["type"] not in PROFILE_TYPES:
                self.add(field_map.line_of("type"), f"{where}: unknown profile field type"
                         f" {_describe(field_map['type'])}; use one of {', '.join(PROFILE_TYPES)}")
            for key in ("label", "help"):
                if key in field_map:
                    self.localized(field_map, key, where)
            if "required" in field_map:
                self.boolean(field_map, "required", where)

    def check_dimensions(self, doc: SourceMap) -> None:
        value = doc["dimensions"]
        if not isinstance(value, SourceList) or not value:
            self.add(doc.line_of("dimensions"), "dimensions must be a non-empty list of"
                     f" dimensions, each with id, title and questions; got {_describe(value)}")
            return
        seen: dict[str, int] = {}
        for n, (item, line) in enumerate(zip(value, value.item_lines, strict=True), 1):
            dim = self.mapping(item, line, f"dimension {n}", "with id, title and questions")
            if dim is None:
                continue
            did = self.identifier(dim, "dimension", ID_PATTERN, _ID_RULE, seen)
            where = f"dimension '{did}'" if did else f"dimension {n}"
            self.keys(dim, DIMENSION_KEYS, ("id", "title", "questions"), where)
            if "title" in dim:
                self.localized(dim, "title", where)
            if "weight" in dim:
                self.positive(dim, "weight", where)
            if "questions" in dim:
                self.check_questions(dim, where)

    def check_questions(self, dim: SourceMap, dim_where: str) -> None:
        value = dim["questions"]
        if value is None or value == []:
            self.add(dim.key_lines["questions"], f"{dim_where} has no questions; a dimension"
                                                 " needs at least one question")
            return
        if not isinstance(value, SourceList):
            self.add(dim.line_of("questions"), f"{dim_where}: questions must be a list,"
                                               f" got {_describe(value)}")
            return
        for n, (item, line) in enumerate(zip(value, value.item_lines, strict=True), 1):
            question = self.mapping(item, line, f"{dim_where}: question {n}",
                                    "with id, type and text")
            if question is not None:
                self.check_question(question, f"question {n} of {dim_where}")

    # -- one question -----------------------------------------------------------------------

    def check_question(self, q: SourceMap, fallback_where: str) -> None:
        first_lines = {qid: entry.line for qid, entry in self.by_id.items()}
        qid = self.identifier(q, "question", ID_PATTERN, _ID_RULE, first_lines)
        where = f"question '{qid}'" if qid else fallback_where
        entry = _QuestionEntry(qid, where, len(self.entries), q.line)
        self.entries.append(entry)
        if qid is not None and qid not in self.by_id:
            self.by_id[qid] = entry
        self.keys(q, QUESTION_KEYS, ("id", "type", "text"), where)
        entry.type = qtype = self.question_type(q, where)
        for key in ("text", "help"):
            if key in q:
                self.localized(q, key, where)
        if "weight" in q:
            self.positive(q, "weight", where)
        for key in ("required", "allow_na"):
            if key in q:
                self.boolean(q, key, where)
        points = self.check_options(q, qtype, where, entry)
        self.check_max_points(q, qtype, where, points)
        self.check_bands_or_scale(q, qtype, where)
        if "show_if" in q:
            entry.show_if = self.show_if_shape(q, where)
        if "previous" in q:
            self.check_previous(q, where)

    def question_type(self, q: SourceMap, where: str) -> QuestionType | None:
        if "type" not in q:
            return None
        name = q["type"]
        if isinstance(name, str) and name in type_names():
            return get_type(name)
        self.add(q.line_of("type"), f"{where}: unknown question type {_describe(name)};"
                                    f" known types: {', '.join(type_names())}")
        return None

    def check_options(self, q: SourceMap, qtype: QuestionType | None, where: str,
                      entry: _QuestionEntry) -> list[float] | None:
        """Check `options`; the points of every option when all are valid, else None."""
        choice_types = [get_type(n) for n in type_names() if get_type(n).has_options]
        if qtype is not None and not qtype.has_options:
            if "options" in q:
                self.add(q.key_lines["options"], f"{where}: options are only allowed on"
                         f" {_names(choice_types)} questions, not on {qtype.name} questions")
            return None
        value = q.get("options")
        if value is None or value == []:
            if qtype is not None:
                self.add(q.key_lines.get("options", q.line), f"{where}: {qtype.name} questions"
                         " need options, each with id, label and points")
            return None
        if not isinstance(value, SourceList):
            self.add(q.line_of("options"), f"{where}: options must be a list of"
                     f" {{id, label, points}}, got {_describe(value)}")
            return None
        seen: dict[str, int] = {}
        ids: list[str] = []
        points: list[float] = []
        complete = True
        for n, (item, line) in enumerate(zip(value, value.item_lines, strict=True), 1):
            option = self.mapping(item, line, f"{where}: option {n}", "with id, label and points")
            if option is None:
                complete = False
                continue
            oid = self.identifier(option, "option", OPTION_ID_PATTERN, _OPTION_ID_RULE, seen,
                                  where)
            owhere = f"{where}, option '{oid}'" if oid else f"{where}, option {n}"
            self.keys(option, OPTION_KEYS, OPTION_KEYS, owhere)
            if "label" in option:
                self.localized(option, "label", owhere)
            pts = self.number(option, "points", owhere) if "points" in option else None
            if pts is not None and pts < 0 and qtype is not None \
                    and not qtype.allows_negative_points:
                negative = [get_type(n) for n in type_names()
                            if get_type(n).allows_negative_points]
                self.add(option.line_of("points"), f"{owhere}: points must not be negative on"
                         f" {qtype.name} questions (only {_names(negative)} options may"
                         f" subtract), got {_fmt(pts)}")
                pts = None
            if oid is None or oid in ids or pts is None:
                complete = False
            if oid is not None and oid not in ids:
                ids.append(oid)
            if pts is not None:
                points.append(pts)
        entry.option_ids, entry.options_complete = tuple(ids), complete
        if not complete or qtype is None:
            return None
        if qtype.fixed_options is not None and sorted(ids) != sorted(qtype.fixed_options):
            expected = " and ".join(f'"{o}"' for o in qtype.fixed_options)
            self.add(q.line_of("options"), f"{where}: {qtype.name} questions must have exactly"
                     f" the options {expected}; found {', '.join(ids)}")
        elif qtype.scored and not any(p > 0 for p in points):
            self.add(q.line_of("options"), f"{where}: no option gives more than 0 points, so"
                     " the question cannot be scored; give at least one option positive points")
        return points

    def check_max_points(self, q: SourceMap, qtype: QuestionType | None, where: str,
                         points: list[float] | None) -> None:
        if "max_points" not in q:
            return
        if qtype is not None and not qtype.has_max_points:
            capped = [get_type(n) for n in type_names() if get_type(n).has_max_points]
            self.add(q.key_lines["max_points"], f"{where}: max_points is only allowed on"
                     f" {_names(capped)} questions, not on {qtype.name} questions")
            return
        cap = self.number(q, "max_points", where)
        if cap is None:
            return
        if cap <= 0:
            self.add(q.line_of("max_points"), f"{where}: max_points must be a positive"
                                              f" number, got {_fmt(cap)}")
        elif points is not None and cap > (reachable := sum(p for p in points if p > 0)):
            self.add(q.line_of("max_points"), f"{where}: max_points {_fmt(cap)} is more than"
                     f" the options can reach together ({_fmt(reachable)}, the sum of their"
                     " positive points); lower it or leave it out")

    def check_bands_or_scale(self, q: SourceMap, qtype: QuestionType | None,
                             where: str) -> None:
        if qtype is not None and not qtype.has_bands:
            numeric = [get_type(n) for n in type_names() if get_type(n).has_bands]
            for key in ("bands", "scale"):
                if key in q:
                    self.add(q.key_lines[key], f"{where}: {key} is only allowed on"
                             f" {_names(numeric)} questions, not on {qtype.name} questions")
            return
        if "bands" in q:
            self.check_bands(q, qtype, where)
        if "scale" in q:
            self.check_scale(q, qtype, where)
        if qtype is None:
            return
        if "bands" in q and "scale" in q:
            self.add(q.key_lines["scale"], f"{where}: give either bands or a scale, not both")
        elif "bands" not in q and "scale" not in q:
            self.add(q.line, f"{where}: {qtype.name} questions need either bands or a scale"
                             " to be scored")

    def check_bands(self, q: SourceMap, qtype: QuestionType | None, where: str) -> None:
        value = q["bands"]
        if not isinstance(value, SourceList) or not value:
            self.add(q.line_of("bands"), f"{where}: bands must be a non-empty list of"
                     f" {{min, max, points}}, got {_describe(value)}")
            return
        bands: list[tuple[float, float | None, int]] = []
        all_points: list[float] = []
        complete = True
        for n, (item, line) in enumerate(zip(value, value.item_lines, strict=True), 1):
            bwhere = f"{where}, band {n}"
            band = self.mapping(item, line, bwhere, "with min, max and points")
            if band is None:
                complete = False
                continue
            self.keys(band, BAND_KEYS, ("min", "points"), bwhere)
            low = self.number(band, "min", bwhere) if "min" in band else None
            high = self.number(band, "max", bwhere) if "max" in band else None
            pts = self.number(band, "points", bwhere) if "points" in band else None
            if pts is not None and pts < 0:
                self.add(band.line_of("points"), f"{bwhere}: points must not be negative,"
                                                 f" got {_fmt(pts)}")
            elif pts is not None:
                all_points.append(pts)
            if low is None or pts is None or ("max" in band and high is None):
                complete = False
                continue
            if high is not None and high <= low:
                self.add(band.line_of("max"), f"{bwhere}: max ({_fmt(high)}) must be greater"
                                              f" than min ({_fmt(low)})")
                complete = False
            elif high is None and n < len(value):
                self.add(band.line, f"{bwhere}: only the last band may leave out max"
                                    " (no upper bound); give this band a max")
                complete = False
            elif qtype is not None and qtype.value_range is not None:
                lowest, highest = qtype.value_range
                if low < lowest or (high is not None and high > highest):
                    self.add(band.line, f"{bwhere}: {qtype.name} bands must lie within"
                             f" {_fmt(lowest)}–{_fmt(highest)}, got [{_fmt(low)},"
                             f" {_fmt(high) if high is not None else 'no max'})")
            bands.append((low, high, band.line))
        if complete:
            self.check_band_order(bands, where)
        if complete and not any(p > 0 for p in all_points):
            self.add(q.line_of("bands"), f"{where}: no band gives more than 0 points, so the"
                     " question cannot be scored; give at least one band positive points")

    def check_band_order(self, bands: list[tuple[float, float | None, int]],
                         where: str) -> None:
        for (low, _, _), (next_low, _, line) in pairwise(bands):
            if next_low < low:
                self.add(line, f"{where}: bands must be sorted by min, from low to high;"
                               f" this band (min {_fmt(next_low)}) comes after one with"
                               f" min {_fmt(low)}")
                return
        for (_, high, _), (next_low, _, line) in pairwise(bands):
            assert high is not None  # only the last band may omit max (checked before)
            if next_low < high:
                self.add(line, f"{where}: bands overlap: this band starts at"
                               f" {_fmt(next_low)} but the previous one ends at {_fmt(high)};"
                               f" start it at {_fmt(high)}")
            elif next_low > high:
                self.add(line, f"{where}: bands leave a gap between {_fmt(high)} and"
                               f" {_fmt(next_low)}; start this band at {_fmt(high)}")

    def check_scale(self, q: SourceMap, qtype: QuestionType | None, where: str) -> None:
        swhere = f"{where}, scale"
        scale = self.mapping(q["scale"], q.line_of("scale"), swhere,
                             "{min: ..., max: ..., better: higher|lower}")
        if scale is None:
            return
        self.keys(scale, SCALE_KEYS, ("min", "max"), swhere)
        low = self.number(scale, "min", swhere) if "min" in scale else None
        high = self.number(scale, "max", swhere) if "max" in scale else None
        if low is not None and high is not None:
            if high <= low:
                self.add(scale.line_of("max"), f"{swhere}: max ({_fmt(high)}) must be greater"
                                               f" than min ({_fmt(low)})")
            elif qtype is not None and qtype.value_range is not None:
                lowest, highest = qtype.value_range
                if low < lowest or high > highest:
                    self.add(scale.line, f"{swhere}: a {qtype.name} scale must lie within"
                                         f" {_fmt(lowest)}–{_fmt(highest)}")
        if "better" in scale and scale["better"] not in SCALE_DIRECTIONS:
            self.add(scale.line_of("better"), f"{swhere}: better must be 'higher' or 'lower',"
                     f" got {_describe(scale['better'], scale.raw_values.get('better'))}")

    def show_if_shape(self, q: SourceMap, where: str) -> _ShowIfRef | None:
        swhere = f"{where}, show_if"
        show_if = self.mapping(q["show_if"], q.line_of("show_if"), swhere,
                               '{question: <question id>, in: ["<option id>", ...]}')
        if show_if is None:
            return None
        self.keys(show_if, SHOW_IF_KEYS, SHOW_IF_KEYS, swhere)
        ref = _ShowIfRef(None, show_if.line_of("question"))
        if "question" in show_if:
            ref.question = self.text(show_if, "question", swhere, "question")
        if "in" not in show_if:
            return ref
        values = show_if["in"]
        if not isinstance(values, SourceList) or not values:
            self.add(show_if.line_of("in"), f'{swhere}: in must be a non-empty list of option'
                     f' ids, e.g. in: ["yes"]; got {_describe(values)}')
            return ref
        for value, line, raw in zip(values, values.item_lines, values.raw_items, strict=True):
            if isinstance(value, str):
                ref.values.append((value, line))
            elif (kind := _yaml_kind(value)) and raw:
                self.add(line, f'{swhere}: option id {raw} is read by YAML as {kind};'
                               f' quote it: "{raw}"')
            else:
                self.add(line, f"{swhere}: in must list option ids, got {_describe(value)}")
        return ref

    def check_previous(self, q: SourceMap, where: str) -> None:
        pwhere = f"{where}, previous"
        previous = self.mapping(q["previous"], q.line_of("previous"), pwhere,
                                '{version: "<edition>", question: <question id>}')
        if previous is None:
            return
        self.keys(previous, PREVIOUS_KEYS, PREVIOUS_KEYS, pwhere)
        version = self.version_text(previous, pwhere) if "version" in previous else None
        question = self.text(previous, "question", pwhere, "question") \
            if "question" in previous else None
        if version is None:
            return
        if version == self.version:
            self.add(previous.line_of("version"), f"{pwhere}: version '{version}' is this"
                     " file's own version; previous must name an earlier edition")
        elif self.known is not None and question is not None:
            old = self.known.get(version)
            if old is None:
                known = ", ".join(sorted(self.known)) or "none"
                self.add(previous.line_of("version"), f"{pwhere}: unknown edition '{version}'"
                                                      f" (known editions: {known})")
            elif old.find_question(question) is None:
                self.add(previous.line_of("question"), f"{pwhere}: edition '{version}' has no"
                                                       f" question '{question}'")

    # -- across questions -------------------------------------------------------------------

    def check_show_if_references(self) -> None:
        reported_cycles: set[frozenset[str]] = set()
        for entry in self.entries:
            ref = entry.show_if
            if ref is None or ref.question is None:
                continue
            swhere = f"{entry.where}, show_if"
            target = self.by_id.get(ref.question)
            if target is None:
                self.add(ref.line, f"{swhere}: unknown question '{ref.question}'")
            elif ref.question == entry.id:
                self.add(ref.line, f"{swhere}: refers to the question itself; it must name an"
                                   " earlier question")
            elif target.index > entry.index:
                cycle = self.cycle_from(entry)
                if cycle is None:
                    self.add(ref.line, f"{swhere}: question '{target.id}' comes later (line"
                             f" {target.line}); show_if may only depend on earlier questions")
                elif frozenset(cycle) not in reported_cycles:
                    reported_cycles.add(frozenset(cycle))
                    self.add(ref.line, f"{swhere}: questions depend on each other in a cycle:"
                                       f" {' → '.join(cycle)}")
            elif target.type is not None and not target.type.has_options:
                choice = [get_type(n) for n in type_names() if get_type(n).has_options]
                self.add(ref.line, f"{swhere}: question '{target.id}' is a {target.type.name}"
                         f" question; show_if needs a {_names(choice)} question")
            elif target.options_complete:
                for value, line in ref.values:
                    if value not in target.option_ids:
                        self.add(line, f"{swhere}: '{value}' is not an option of question"
                                       f" '{target.id}' (its options: "
                                       f"{', '.join(target.option_ids)})")

    def cycle_from(self, start: _QuestionEntry) -> list[str] | None:
        """The ids along show_if from `start` back to it, or None when the chain ends."""
        path = [str(start.id)]
        current = start
        while current.show_if is not None and current.show_if.question is not None:
            following = self.by_id.get(current.show_if.question)
            if following is None or following.id in path[1:]:
                return None
            path.append(str(following.id))
            if following.id == start.id:
                return path
            current = following
        return None


def validate_document(doc: Any, source: str,
                      known: Mapping[str, Questionnaire] | None = None) -> list[Problem]:
    """Every problem of a parsed questionnaire file, sorted by line."""
    checker = _Checker(source, known)
    checker.check(doc)
    return sorted(checker.problems, key=lambda p: p.line)
