"""Check a parsed questionnaire file completely, collecting every problem with its line.

The checks implement the questionnaire file contract (docs/questionnaire.md); rules that depend on a
question type come from flags of the type registry, so nothing here names a type.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from itertools import pairwise
from typing import Any

from benchmark.questionnaire import graph
from benchmark.questionnaire.errors import Problem
from benchmark.questionnaire.model import FALLBACK_LANGUAGE, Questionnaire
from benchmark.questionnaire.rules import Checks, describe, fmt, quote_it, yaml_kind
from benchmark.questionnaire.source import SourceList, SourceMap
from benchmark.questionnaire.types import QuestionType, get_type, type_names

ID_PATTERN = re.compile(r"[a-z][a-z0-9_]*")
OPTION_ID_PATTERN = re.compile(r"[a-z0-9][a-z0-9_-]*")
# Versions appear in URLs (/api/v1/questionnaires/{version}) and file names.
VERSION_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")
#: Longest version (questionnaire_editions.version is VARCHAR(20)).
VERSION_MAX_LENGTH = 20
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
OPTION_KEYS = ("id", "label", "points", "exclusive")
OPTION_REQUIRED = ("id", "label", "points")
BAND_KEYS = ("min", "max", "points")
SCALE_KEYS = ("min", "max", "better")
SHOW_IF_KEYS = ("question", "in")
PREVIOUS_KEYS = ("version", "question")
PROFILE_TYPES = ("integer", "number", "percent", "text")
SCALE_DIRECTIONS = ("higher", "lower")


def _types_with(flag: str) -> str:
    """Names of the registered types that have `flag` set, for messages: "a, b or c"."""
    names = [name for name in type_names() if getattr(get_type(name), flag)]
    return ", ".join(names[:-1]) + " or " + names[-1] if len(names) > 1 else "".join(names)


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


class _Checker(Checks):
    def __init__(self, source: str, known: Mapping[str, Questionnaire] | None,
                 place: Callable[[int], str] | None, require_translations: bool) -> None:
        super().__init__(source, place, require_translations=require_translations)
        self.known = known
        self.version: str | None = None
        self.entries: list[_QuestionEntry] = []
        self.by_id: dict[str, _QuestionEntry] = {}
        self.question_lines: dict[str, int] = {}

    # -- the document ---------------------------------------------------------------------

    def check(self, doc: object) -> None:
        if doc is None:
            self.add(1, "the file is empty; expected a mapping with version, title, languages"
                        " and dimensions")
            return
        if not isinstance(doc, SourceMap):
            self.add(getattr(doc, "line", 1), "the file must be a mapping with version, title,"
                                              f" languages and dimensions; got {describe(doc)}")
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
        if version is not None and len(version) > VERSION_MAX_LENGTH:
            self.add(m.line_of("version"), f"{where}: version '{version[:30]}' is longer than"
                                           f" {VERSION_MAX_LENGTH} characters")
            return None
        return version

    def check_languages(self, doc: SourceMap) -> None:
        value, line = doc["languages"], doc.line_of("languages")
        if not isinstance(value, SourceList) or not value:
            self.add(line, "languages must be a list of language codes that includes en,"
                           f" e.g. [en, fr, ar]; got {describe(value)}")
            return
        languages: list[str] = []
        for item, item_line, raw in zip(value, value.item_lines, value.raw_items, strict=True):
            if not isinstance(item, str) and (kind := yaml_kind(item)) and raw:
                self.add(item_line, quote_it("language", raw, kind))
                # Texts in that language are then not reported as undeclared as well.
                languages.append(raw)
            elif not isinstance(item, str) or not LANGUAGE_PATTERN.fullmatch(item):
                self.add(item_line, f"language {describe(item, raw)} is not a language code"
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
                                             f" got {describe(value)}")
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
                         f" {describe(field_map['type'])}; use one of {', '.join(PROFILE_TYPES)}")
            for key in ("label", "help"):
                if key in field_map:
                    self.localized(field_map, key, where)
            if "required" in field_map:
                self.boolean(field_map, "required", where)

    def check_dimensions(self, doc: SourceMap) -> None:
        value = doc["dimensions"]
        if not isinstance(value, SourceList) or not value:
            self.add(doc.line_of("dimensions"), "dimensions must be a non-empty list of"
                     f" dimensions, each with id, title and questions; got {describe(value)}")
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
                                               f" got {describe(value)}")
            return
        for n, (item, line) in enumerate(zip(value, value.item_lines, strict=True), 1):
            question = self.mapping(item, line, f"{dim_where}: question {n}",
                                    "with id, type and text")
            if question is not None:
                self.check_question(question, f"question {n} of {dim_where}")

    # -- one question -----------------------------------------------------------------------

    def check_question(self, q: SourceMap, fallback_where: str) -> None:
        qid = self.identifier(q, "question", ID_PATTERN, _ID_RULE, self.question_lines)
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
        self.add(q.line_of("type"), f"{where}: unknown question type {describe(name)};"
                                    f" known types: {', '.join(type_names())}")
        return None

    def check_options(self, q: SourceMap, qtype: QuestionType | None, where: str,
                      entry: _QuestionEntry) -> list[float] | None:
        """Check `options`; the points of every option when all are valid, else None."""
        if qtype is not None and not qtype.has_options:
            if "options" in q:
                self.add(q.key_lines["options"], f"{where}: options are only allowed on"
                         f" {_types_with('has_options')} questions, not on {qtype.name}"
                         " questions")
            return None
        value = q.get("options")
        if value is None or value == []:
            if qtype is not None:
                self.add(q.key_lines.get("options", q.line), f"{where}: {qtype.name} questions"
                         " need options, each with id, label and points")
            return None
        if not isinstance(value, SourceList):
            self.add(q.line_of("options"), f"{where}: options must be a list of"
                     f" {{id, label, points}}, got {describe(value)}")
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
            self.keys(option, OPTION_KEYS, OPTION_REQUIRED, owhere)
            if "label" in option:
                self.localized(option, "label", owhere)
            pts = self.number(option, "points", owhere) if "points" in option else None
            if pts is not None and pts < 0 and qtype is not None \
                    and not qtype.allows_negative_points:
                may_subtract = _types_with("allows_negative_points")
                self.add(option.line_of("points"), f"{owhere}: points must not be negative on"
                         f" {qtype.name} questions (only {may_subtract} options may subtract),"
                         f" got {fmt(pts)}")
                pts = None
            if "exclusive" in option:
                self.check_exclusive(option, qtype, owhere, pts)
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

    def check_exclusive(self, option: SourceMap, qtype: QuestionType | None, owhere: str,
                        points: float | None) -> None:
        """`exclusive: true` marks an option chosen alone ("None of these")."""
        if qtype is not None and not qtype.has_exclusive_options:
            self.add(option.key_lines["exclusive"], f"{owhere}: exclusive is only allowed on"
                     f" options of {_types_with('has_exclusive_options')} questions, not on"
                     f" {qtype.name} questions (their options are chosen alone anyway)")
            return
        if not isinstance(option["exclusive"], bool):
            self.boolean(option, "exclusive", owhere)
            return
        # The scoring contract: a multi_choice maximum adds up every positive option, so an
        # option that cannot be combined must not carry points of its own.
        if option["exclusive"] and points is not None and points != 0:
            self.add(option.line_of("points"), f"{owhere}: an exclusive option is chosen alone"
                     " (\"None of these\"), so it must give 0 points; the question's maximum"
                     f" adds up the other options' points. Got {fmt(points)}")

    def check_max_points(self, q: SourceMap, qtype: QuestionType | None, where: str,
                         points: list[float] | None) -> None:
        if "max_points" not in q:
            return
        if qtype is not None and not qtype.has_max_points:
            self.add(q.key_lines["max_points"], f"{where}: max_points is only allowed on"
                     f" {_types_with('has_max_points')} questions, not on {qtype.name}"
                     " questions")
            return
        cap = self.number(q, "max_points", where)
        if cap is None:
            return
        if cap <= 0:
            self.add(q.line_of("max_points"), f"{where}: max_points must be a positive"
                                              f" number, got {fmt(cap)}")
        elif points is not None and cap > (reachable := sum(p for p in points if p > 0)):
            self.add(q.line_of("max_points"), f"{where}: max_points {fmt(cap)} is more than"
                     f" the options can reach together ({fmt(reachable)}, the sum of their"
                     " positive points); lower it or leave it out")

    def check_bands_or_scale(self, q: SourceMap, qtype: QuestionType | None,
                             where: str) -> None:
        if qtype is not None and not qtype.has_bands:
            for key in ("bands", "scale"):
                if key in q:
                    self.add(q.key_lines[key], f"{where}: {key} is only allowed on"
                             f" {_types_with('has_bands')} questions, not on {qtype.name}"
                             " questions")
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
                     f" {{min, max, points}}, got {describe(value)}")
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
                                                 f" got {fmt(pts)}")
            elif pts is not None:
                all_points.append(pts)
            if low is None or pts is None or ("max" in band and high is None):
                complete = False
                continue
            if high is not None and high <= low:
                self.add(band.line_of("max"), f"{bwhere}: max ({fmt(high)}) must be greater"
                                              f" than min ({fmt(low)})")
                complete = False
            elif high is None and n < len(value):
                self.add(band.line, f"{bwhere}: only the last band may leave out max"
                                    " (no upper bound); give this band a max")
                complete = False
            elif qtype is not None and qtype.value_range is not None:
                lowest, highest = qtype.value_range
                if low < lowest or (high is not None and high > highest):
                    self.add(band.line, f"{bwhere}: {qtype.name} bands must lie within"
                             f" {fmt(lowest)}–{fmt(highest)}, got [{fmt(low)},"
                             f" {fmt(high) if high is not None else 'no max'})")
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
                               f" this band (min {fmt(next_low)}) comes after one with"
                               f" min {fmt(low)}")
                return
        for (_, high, _), (next_low, _, line) in pairwise(bands):
            assert high is not None  # only the last band may omit max (checked before)
            if next_low < high:
                self.add(line, f"{where}: bands overlap: this band starts at"
                               f" {fmt(next_low)} but the previous one ends at {fmt(high)};"
                               f" start it at {fmt(high)}")
            elif next_low > high:
                self.add(line, f"{where}: bands leave a gap between {fmt(high)} and"
                               f" {fmt(next_low)}; start this band at {fmt(high)}")

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
                self.add(scale.line_of("max"), f"{swhere}: max ({fmt(high)}) must be greater"
                                               f" than min ({fmt(low)})")
            elif qtype is not None and qtype.value_range is not None:
                lowest, highest = qtype.value_range
                if low < lowest or high > highest:
                    self.add(scale.line, f"{swhere}: a {qtype.name} scale must lie within"
                                         f" {fmt(lowest)}–{fmt(highest)}")
        if "better" in scale and scale["better"] not in SCALE_DIRECTIONS:
            self.add(scale.line_of("better"), f"{swhere}: better must be 'higher' or 'lower',"
                     f" got {describe(scale['better'], scale.raw_values.get('better'))}")

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
                     f' ids, e.g. in: ["yes"]; got {describe(values)}')
            return ref
        for value, line, raw in zip(values, values.item_lines, values.raw_items, strict=True):
            if isinstance(value, str):
                ref.values.append((value, line))
            elif (kind := yaml_kind(value)) and raw:
                self.add(line, f"{swhere}: {quote_it('option id', raw, kind)}")
            else:
                self.add(line, f"{swhere}: in must list option ids, got {describe(value)}")
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
        reported_cycles: set[int] = set()
        cycles = graph.cycles(self.entries, self._follows, key=lambda e: e.index)
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
                cycle = cycles.get(entry.index)
                if cycle is None:
                    self.add(ref.line, f"{swhere}: question '{target.id}' comes later"
                             f" ({self.place(target.line)}); show_if may only depend on earlier"
                             " questions")
                elif id(cycle) not in reported_cycles:
                    reported_cycles.add(id(cycle))
                    around = graph.path_around(cycle, entry, lambda e: e.index)
                    self.add(ref.line, f"{swhere}: questions depend on each other in a cycle:"
                                       f" {' → '.join(str(e.id) for e in around)}; show_if"
                                       " may only depend on earlier questions")
            elif target.type is not None and not target.type.has_options:
                self.add(ref.line, f"{swhere}: question '{target.id}' is a {target.type.name}"
                         f" question; show_if needs a {_types_with('has_options')} question")
            elif target.options_complete:
                for value, line in ref.values:
                    if value not in target.option_ids:
                        self.add(line, f"{swhere}: '{value}' is not an option of question"
                                       f" '{target.id}' (its options: "
                                       f"{', '.join(target.option_ids)})")

    def _follows(self, entry: _QuestionEntry) -> _QuestionEntry | None:
        """The question `entry`'s show_if names (the first of that id), if any."""
        ref = entry.show_if
        if ref is None or ref.question is None:
            return None
        return self.by_id.get(ref.question)


def validate_document(doc: Any, source: str,
                      known: Mapping[str, Questionnaire] | None = None, *,
                      place: Callable[[int], str] | None = None,
                      require_translations: bool = True) -> list[Problem]:
    """Every problem of a parsed questionnaire file, sorted by line.

    `place` names a line in messages that point elsewhere ("already used on line 12");
    a workbook passes one that names its cell. `require_translations=False` lets texts
    miss languages other than English (a draft whose translations are under way).
    """
    checker = _Checker(source, known, place, require_translations)
    checker.check(doc)
    return sorted(checker.problems, key=lambda p: p.line)
