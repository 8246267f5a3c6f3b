"""Generic checks of YAML values (keys, types, ids, translations), reported with lines."""

from __future__ import annotations

import datetime
import difflib
import math
import re
from collections.abc import Callable

from benchmark.questionnaire.errors import Problem
from benchmark.questionnaire.model import FALLBACK_LANGUAGE
from benchmark.questionnaire.source import SourceList, SourceMap
from benchmark.questionnaire.types import MAX_NUMBER_MAGNITUDE


def describe(value: object, raw: str | None = None) -> str:
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
        return "a mapping" if value else "an empty mapping"
    if isinstance(value, SourceList):
        return "a list" if value else "an empty list"
    return raw or type(value).__name__


def quote_it(what: str, raw: str, kind: str, key: str | None = None) -> str:
    """The hint for an unquoted scalar that YAML read as `kind` where text was meant."""
    quoted = f'{key}: "{raw}"' if key else f'"{raw}"'
    return f"{what} {raw} is read by YAML as {kind}; quote it: {quoted}"


def yaml_kind(value: object) -> str | None:
    """What YAML made of an unquoted scalar that was meant as text, if anything."""
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, datetime.date):
        return "a date"
    return None


def fmt(value: float) -> str:
    """A number for messages: 10, not 10.0."""
    return str(int(value)) if float(value).is_integer() else str(value)


class Checks:
    """Collects problems of one file; the checks below read one key of a SourceMap each."""

    def __init__(self, source: str, place: Callable[[int], str] | None = None, *,
                 require_translations: bool = True) -> None:
        self.source = source
        self.problems: list[Problem] = []
        #: Declared languages that every text must have (empty: unknown, not checked).
        self.languages: tuple[str, ...] = ()
        self._place = place
        #: False for drafts being translated: only English (the fallback) must be there.
        self.require_translations = require_translations

    def add(self, line: int, message: str) -> None:
        """Record a problem at a 1-based line."""
        self.problems.append(Problem(self.source, line, message))

    def place(self, line: int) -> str:
        """Where `line` is, for messages that point elsewhere: "line 12", or a workbook cell."""
        return self._place(line) if self._place is not None else f"line {line}"

    def keys(self, m: SourceMap, allowed: tuple[str, ...], required: tuple[str, ...],
             where: str) -> None:
        """Report keys of `m` not in `allowed` (with a guess) and `required` keys it lacks."""
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
        """The finite number under `key` (never a boolean), else None after reporting it."""
        value = m[key]
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.add(m.line_of(key), f"{where}: {key} must be a number,"
                                     f" got {describe(value, m.raw_values.get(key))}")
            return None
        if abs(value) > MAX_NUMBER_MAGNITUDE or not math.isfinite(value):
            self.add(m.line_of(key), f"{where}: {key} must be a finite number of at most"
                                     f" {MAX_NUMBER_MAGNITUDE:.0e}, got {value}")
            return None
        return value

    def positive(self, m: SourceMap, key: str, where: str) -> float | None:
        """The number > 0 under `key`, else None after reporting it."""
        value = m[key]
        number = value if isinstance(value, int | float) and not isinstance(value, bool) else None
        if number is None or not math.isfinite(number) or number <= 0:
            self.add(m.line_of(key), f"{where}: {key} must be a positive number,"
                                     f" got {describe(value, m.raw_values.get(key))}")
            return None
        return self.number(m, key, where)

    def boolean(self, m: SourceMap, key: str, where: str) -> None:
        """Report the value under `key` unless it is true or false."""
        if not isinstance(m[key], bool):
            self.add(m.line_of(key), f"{where}: {key} must be true or false,"
                                     f" got {describe(m[key], m.raw_values.get(key))}")

    def text(self, m: SourceMap, key: str, where: str, what: str) -> str | None:
        """A non-empty string under `key`; a bare number or yes/no gets a 'quote it' hint."""
        value, raw, line = m[key], m.raw_values.get(key), m.line_of(key)
        if isinstance(value, str) and value.strip():
            return value
        if isinstance(value, str):
            self.add(line, f"{where}: {what} must not be empty")
        elif (kind := yaml_kind(value)) and raw:
            self.add(line, f"{where}: {quote_it(what, raw, kind, key)}")
        else:
            self.add(line, f"{where}: {what} must be text, got {describe(value, raw)}")
        return None

    def identifier(self, m: SourceMap, what: str, pattern: re.Pattern[str], rule: str,
                   seen: dict[str, int], where: str = "") -> str | None:
        """The `id` of `m` when it is valid (duplicates included); records first uses in `seen`."""
        if "id" not in m:
            return None
        prefix = f"{where}: " if where else ""
        value, raw, line = m["id"], m.raw_values.get("id"), m.line_of("id")
        if not isinstance(value, str):
            kind = yaml_kind(value)
            if kind and raw and pattern.fullmatch(raw):
                self.add(line, prefix + quote_it(f"{what} id", raw, kind, "id"))
            else:
                self.add(line, f"{prefix}{what} id must be text ({rule}),"
                               f" got {describe(value, raw)}")
            return None
        if not pattern.fullmatch(value):
            self.add(line, f"{prefix}{what} id '{value}' is not valid: {rule}")
            return None
        if value in seen:
            self.add(line, f"{prefix}duplicate {what} id '{value}'"
                           f" (already used on {self.place(seen[value])}); ids must be unique")
        else:
            seen[value] = line
        return value

    def localized(self, m: SourceMap, key: str, where: str) -> None:
        """Check texts per language under `key`: non-empty, declared, none missing."""
        value, line = m[key], m.line_of(key)
        if not isinstance(value, SourceMap) or not value:
            self.add(line, f"{where}: {key} must map language codes to texts, e.g."
                           f' {key}: {{en: "..."}}; got {describe(value, m.raw_values.get(key))}')
            return
        for lang, text in value.items():
            lang_line = value.key_lines[lang]
            if not isinstance(lang, str):
                raw = value.raw_keys.get(lang)
                self.add(lang_line, f"{where}: language {raw or lang} in {key} is read by YAML"
                                    f' as {yaml_kind(lang) or "a value"}; quote it: "{raw}"')
                continue
            if self.languages and lang not in self.languages:
                self.add(lang_line, f"{where}: {key} has a text in '{lang}', which is not one"
                                    f" of the declared languages ({', '.join(self.languages)})")
            if not isinstance(text, str) or not text.strip():
                self.add(value.line_of(lang), f"{where}: {key} in '{lang}' must be a non-empty"
                         f" text, got {describe(text, value.raw_values.get(lang))}")
        # A language key YAML read as a boolean (no:) was reported above, not as missing.
        given = {lang if isinstance(lang, str) else value.raw_keys.get(lang) for lang in value}
        missing = [lang for lang in self.languages if lang not in given
                   and (self.require_translations or lang == FALLBACK_LANGUAGE)]
        if missing:
            self.add(m.key_lines[key], f"{where}: {key} is missing the translation for"
                                       f" {', '.join(missing)}; every text needs all declared"
                                       f" languages ({', '.join(self.languages)})")

    def mapping(self, value: object, line: int, where: str, shape: str) -> SourceMap | None:
        """`value` when it is a mapping, else None after reporting it."""
        if isinstance(value, SourceMap):
            return value
        self.add(line, f"{where} must be a mapping {shape}, got {describe(value)}")
        return None
