"""Every text of an edition by a stable key, for translators (pure).

Keys name where a text lives: "title", "dimension/commitment/title",
"question/commitment_01/text", "question/commitment_01/option/yes/label", ... The
translation report, the translation grid and the two-column translation workbook
(translation_workbook.py) all work on these entries, so they cannot disagree.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, replace

from benchmark.questionnaire.model import (
    FALLBACK_LANGUAGE,
    Dimension,
    Localized,
    Option,
    ProfileField,
    Question,
    Questionnaire,
)


@dataclass(frozen=True)
class TextEntry:
    """One text of an edition: its key, what it belongs to, and its translations."""

    key: str
    #: "title", "label", "help", "text": which text of the item.
    field: str
    #: The id of the item it belongs to ("" for the edition's title).
    item: str
    texts: Localized

    @property
    def english(self) -> str:
        return self.texts.get(FALLBACK_LANGUAGE, "")

    def text(self, lang: str) -> str:
        return self.texts.get(lang, "")

    def is_missing(self, lang: str) -> bool:
        return not self.text(lang).strip()

    def is_identical(self, lang: str) -> bool:
        """Translated, but exactly as in English (often an oversight; names are fine)."""
        return lang != FALLBACK_LANGUAGE and not self.is_missing(lang) \
            and self.text(lang).strip() == self.english.strip()


def _entries(q: Questionnaire) -> Iterator[TextEntry]:
    yield TextEntry("title", "title", "", q.title)
    for f in q.profile:
        yield TextEntry(f"profile/{f.id}/label", "label", f.id, f.label)
        if f.help:
            yield TextEntry(f"profile/{f.id}/help", "help", f.id, f.help)
    for d in q.dimensions:
        yield TextEntry(f"dimension/{d.id}/title", "title", d.id, d.title)
        for question in d.questions:
            yield TextEntry(f"question/{question.id}/text", "text", question.id, question.text)
            if question.help:
                yield TextEntry(f"question/{question.id}/help", "help", question.id,
                                question.help)
            for o in question.options:
                yield TextEntry(f"question/{question.id}/option/{o.id}/label", "label",
                                f"{question.id}/{o.id}", o.label)


def text_entries(q: Questionnaire) -> list[TextEntry]:
    """Every text of the edition, in document order."""
    return list(_entries(q))


@dataclass(frozen=True)
class LanguageReport:
    """What a translator of one language should look at."""

    language: str
    total: int
    missing: list[TextEntry]
    identical: list[TextEntry]

    @property
    def translated(self) -> int:
        return self.total - len(self.missing)


def translation_report(q: Questionnaire) -> list[LanguageReport]:
    """Per declared language other than English: missing texts and texts equal to English."""
    entries = text_entries(q)
    return [LanguageReport(lang, len(entries), [e for e in entries if e.is_missing(lang)],
                           [e for e in entries if e.is_identical(lang)])
            for lang in q.languages if lang != FALLBACK_LANGUAGE]


def _changed(texts: Localized, key: str, lang: str, changes: Mapping[str, str]) -> Localized:
    if key not in changes:
        return texts
    updated = dict(texts)
    text = changes[key]
    if text.strip():
        updated[lang] = text
    else:
        updated.pop(lang, None)
    return updated


def with_translations(q: Questionnaire, lang: str, changes: Mapping[str, str]) -> Questionnaire:
    """The edition with the texts in `lang` of the given keys replaced ("" removes one)."""

    def option(question: Question, o: Option) -> Option:
        return replace(o, label=_changed(o.label, f"question/{question.id}/option/{o.id}/label",
                                         lang, changes))

    def one(question: Question) -> Question:
        key = f"question/{question.id}"
        return replace(question, text=_changed(question.text, f"{key}/text", lang, changes),
                       help=_changed(question.help, f"{key}/help", lang, changes),
                       options=tuple(option(question, o) for o in question.options))

    def dimension(d: Dimension) -> Dimension:
        return replace(d, title=_changed(d.title, f"dimension/{d.id}/title", lang, changes),
                       questions=tuple(one(question) for question in d.questions))

    def field(f: ProfileField) -> ProfileField:
        return replace(f, label=_changed(f.label, f"profile/{f.id}/label", lang, changes),
                       help=_changed(f.help, f"profile/{f.id}/help", lang, changes))

    return replace(q, title=_changed(q.title, "title", lang, changes),
                   profile=tuple(field(f) for f in q.profile),
                   dimensions=tuple(dimension(d) for d in q.dimensions))
