"""Reviewing a draft edition before it is published (administrators).

Each page gets one read model: the draft's checklist, the form preview per dimension and
language, the scores of a sample answer set, the translation report and grid, and the
diff against the latest published edition with proposed `previous` mappings. The edits
(translations typed in the grid or imported from a workbook, confirmed mappings) are
written back into the draft as YAML, under the draft's revision (If-Match).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from flask_babel import gettext as _

from benchmark.authz import Actor
from benchmark.demo.answers import candidates
from benchmark.errors import Conflict, Invalid, NotFound
from benchmark.models import QuestionnaireDraft, utcnow
from benchmark.questionnaire import Previous, Questionnaire, get_type
from benchmark.questionnaire.diff import EditionDiff, compare, with_previous
from benchmark.questionnaire.model import FALLBACK_LANGUAGE
from benchmark.questionnaire.texts import LanguageReport, TextEntry, text_entries, with_translations
from benchmark.questionnaire.texts import translation_report as report_of
from benchmark.questionnaire.translation_workbook import (
    TranslationProblem,
    for_translator,
    read_translation_workbook,
    write_translation_workbook,
)
from benchmark.scoring import AnswerInput, AssessmentScore, score_assessment
from benchmark.services import audit, drafts, questionnaires
from benchmark.services._tx import transaction

#: Sample answer sets of the scoring preview: every question at its best, middle, worst.
SAMPLES = ("best", "middle", "worst")


def _latest() -> Questionnaire | None:
    version = questionnaires.latest_version()
    return questionnaires.get_edition(version) if version else None


def _edition(draft: QuestionnaireDraft) -> Questionnaire:
    """The draft's edition; Conflict when its problems keep it from being built."""
    edition = drafts.content(draft).edition
    if edition is None:
        raise Conflict(_("The draft has problems that keep it from being read as an edition: "
                         "fix them and upload it again."), code="invalid_draft")
    return edition


# -- the draft's page ---------------------------------------------------------------------------


@dataclass(frozen=True)
class DraftPage:
    draft: QuestionnaireDraft
    content: drafts.DraftContent
    translations: list[LanguageReport]
    diff: EditionDiff | None
    #: Why publishing is not possible now (None: it is).
    blocked: str | None


def draft_page(actor: Actor, draft_id: int) -> DraftPage:
    """The draft with its problems, translation summary, diff summary and what blocks it."""
    draft = drafts.get_draft(actor, draft_id)
    found = drafts.content(draft)
    edition = found.edition
    latest = _latest()
    diff = compare(edition, latest) if edition is not None and latest is not None \
        and latest.version != edition.version else None
    blocked = None
    if draft.published_at is not None:
        blocked = drafts.published_reason(draft)
    elif found.problems:
        blocked = _("Fix the problems listed below first.")
    elif edition is not None and questionnaires.find_row(edition.version) is not None:
        blocked = _("Edition %(version)s is already published: give the draft a new version.",
                    version=edition.version)
    return DraftPage(draft, found, report_of(edition) if edition is not None else [], diff,
                     blocked)


# -- the form as a city will see it -------------------------------------------------------------


@dataclass(frozen=True)
class FormPreview:
    draft: QuestionnaireDraft
    edition: Questionnaire
    dimension_id: str
    lang: str


def preview(actor: Actor, draft_id: int, dimension_id: str, lang: str) -> FormPreview:
    """One dimension of the draft's form in one language; 404 for unknown ones."""
    draft = drafts.get_draft(actor, draft_id)
    edition = _edition(draft)
    if lang not in edition.languages:
        raise NotFound(_("This edition has no texts in that language."))
    if not any(d.id == dimension_id for d in edition.dimensions):
        raise NotFound(_("There is no such part of the questionnaire."))
    return FormPreview(draft, edition, dimension_id, lang)


# -- scores of a sample answer set -----------------------------------------------------------------


@dataclass(frozen=True)
class ScoringPreview:
    draft: QuestionnaireDraft
    edition: Questionnaire
    sample: str
    answers: Mapping[str, AnswerInput]
    score: AssessmentScore
    #: Question id → the sample answer as a person reads it, in the page's language.
    shown: Mapping[str, str]


def _sample_answers(edition: Questionnaire, sample: str) -> dict[str, AnswerInput]:
    """Each question answered with its best, middle or worst candidate (demo_answers)."""
    chosen = {}
    for q in edition.questions:
        found = candidates(q)
        if not found:
            continue
        if sample == "best":
            pick = max(found, key=lambda c: c.share)
        elif sample == "worst":
            pick = min(found, key=lambda c: c.share)
        else:
            pick = min(found, key=lambda c: abs(c.share - 0.5))
        chosen[q.id] = AnswerInput(get_type(q.type).parse(q, pick.raw))
    return chosen


def scoring_preview(actor: Actor, draft_id: int, sample: str, lang: str) -> ScoringPreview:
    """The draft scored like a results page on a sample answer set (indices 0–100)."""
    if sample not in SAMPLES:
        raise NotFound(_("There is no such sample answer set."))
    draft = drafts.get_draft(actor, draft_id)
    edition = _edition(draft)
    answers = _sample_answers(edition, sample)
    shown = {q.id: get_type(q.type).display(q, answers[q.id].value, lang)
             for q in edition.questions if q.id in answers}
    return ScoringPreview(draft, edition, sample, answers,
                          score_assessment(edition, answers, provisional=True), shown)


# -- translations ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TranslationGrid:
    draft: QuestionnaireDraft
    edition: Questionnaire
    lang: str
    #: Missing texts first, then the others, each in document order.
    rows: list[TextEntry]
    missing: int
    identical: int


def _target_language(edition: Questionnaire, lang: str) -> None:
    if lang == FALLBACK_LANGUAGE or lang not in edition.languages:
        raise NotFound(_("This edition has no texts to translate into that language."))


def translation_grid(actor: Actor, draft_id: int, lang: str) -> TranslationGrid:
    """English beside `lang` for every text of the draft, missing ones first."""
    draft = drafts.get_draft(actor, draft_id)
    edition = _edition(draft)
    _target_language(edition, lang)
    rows = for_translator(text_entries(edition), lang)
    return TranslationGrid(draft, edition, lang, rows,
                           sum(1 for e in rows if e.is_missing(lang)),
                           sum(1 for e in rows if e.is_identical(lang)))


def _apply_translations(actor: Actor, draft_id: int, lang: str, texts: Mapping[str, str],
                        if_match: int | None, how: str) -> int:
    with transaction():
        draft = drafts.lock_draft(actor, draft_id, if_match)
        edition = _edition(draft)
        _target_language(edition, lang)
        entries = {e.key: e for e in text_entries(edition)}
        unknown = sorted(set(texts) - set(entries))
        if unknown:
            raise Invalid(_("Some texts are not part of this draft."),
                          fields={key: _("unknown text") for key in unknown[:20]})
        changed = {key: text.strip() for key, text in texts.items()
                   if text.strip() != entries[key].text(lang).strip()}
        if changed:
            drafts.store_edit(actor, draft, with_translations(edition, lang, changed))
            audit.record(actor, "edition_draft_translated", draft, details={
                "language": lang, "texts": len(changed), "how": how,
                "keys": sorted(changed)[:50]})
    return len(changed)


def save_translations(actor: Actor, draft_id: int, lang: str, texts: Mapping[str, str],
                      if_match: int | None) -> int:
    """Save the texts typed in the grid (key → text; "" removes one); how many changed."""
    return _apply_translations(actor, draft_id, lang, texts, if_match, "grid")


def export_translations(actor: Actor, draft_id: int, lang: str) -> tuple[str, bytes]:
    """The two-column workbook (English | lang) of the draft, for an outside translator."""
    draft = drafts.get_draft(actor, draft_id)
    edition = _edition(draft)
    _target_language(edition, lang)
    name = f"{edition.version}-translations-{lang}.xlsx"
    return name, write_translation_workbook(edition, lang)


def _problem_text(problem: TranslationProblem, lang: str) -> str:
    where = f"{problem.location}: " if problem.location else ""
    messages = {
        "not_a_workbook": _("the file is not a readable Excel workbook (.xlsx)"),
        "too_large": _("the file is larger than %(limit)d MB", limit=drafts.LIMIT_MB),
        "no_sheet": _("the workbook has no “%(sheet)s” sheet: export the translations again "
                      "and fill in column B", sheet=problem.detail),
        "wrong_language": _("this workbook holds texts in “%(found)s”, not in “%(lang)s”",
                            found=problem.detail or "?", lang=lang),
        "unknown_key": _("this row is not a text of the draft: export the translations again"),
        "english_changed": _("the English text of this row is not the draft’s; export the "
                             "translations again"),
        "formula": _("formulas are not read: type the text itself"),
    }
    return where + messages.get(problem.code, problem.code)


def import_translations(actor: Actor, draft_id: int, lang: str, data: bytes,
                        if_match: int | None) -> int:
    """Read a translator's two-column workbook into the draft; all or nothing."""
    draft = drafts.get_draft(actor, draft_id)
    texts, problems = read_translation_workbook(data, _edition(draft), lang)
    if problems:
        raise Invalid(_("The workbook was not imported, so nothing was changed."),
                      details={"problems": [_problem_text(p, lang) for p in problems[:50]]})
    return _apply_translations(actor, draft_id, lang, texts, if_match, "workbook")


# -- the diff and the mappings ---------------------------------------------------------------------


@dataclass(frozen=True)
class MappingChoice:
    """The `previous` choices offered for one question of the draft."""

    question_id: str
    #: (value, label) pairs; value "" is "not comparable", else "<version>/<question id>".
    options: list[tuple[str, str]]
    selected: str
    proposed: str


@dataclass(frozen=True)
class DiffPage:
    draft: QuestionnaireDraft
    edition: Questionnaire
    old: Questionnaire | None
    diff: EditionDiff | None
    choices: list[MappingChoice]


def _value(previous: Previous | None) -> str:
    return f"{previous.version}/{previous.question}" if previous is not None else ""


def _choices(edition: Questionnaire, old: Questionnaire, diff: EditionDiff,
             lang: str) -> list[MappingChoice]:
    from benchmark.questionnaire import localize

    out = []
    for q in edition.questions:
        if not q.is_scored:
            continue
        options = [(f"{old.version}/{o.id}", f"{o.id} — {localize(o.text, lang)[:90]}")
                   for o in old.questions if o.type == q.type and o.is_scored]
        current = _value(q.previous)
        if current and current not in {value for value, _ in options}:
            options.insert(0, (current, current.replace("/", " · ")))
        proposal = diff.proposals.get(q.id)
        proposed = f"{old.version}/{proposal.old_question_id}" if proposal else ""
        out.append(MappingChoice(q.id, options, proposed or current, proposed))
    return out


def diff_page(actor: Actor, draft_id: int, lang: str) -> DiffPage:
    """What changed against the latest published edition, with the proposed mappings."""
    draft = drafts.get_draft(actor, draft_id)
    edition = _edition(draft)
    old = _latest()
    if old is None or old.version == edition.version:
        return DiffPage(draft, edition, None, None, [])
    diff = compare(edition, old)
    return DiffPage(draft, edition, old, diff, _choices(edition, old, diff, lang))


def confirm_mappings(actor: Actor, draft_id: int, chosen: Mapping[str, str],
                     if_match: int | None) -> int:
    """Write the confirmed `previous` of each scored question into the draft; how many changed.

    Each value is "" (not comparable) or "<version>/<question id>" among the choices offered.
    """
    with transaction():
        draft = drafts.lock_draft(actor, draft_id, if_match)
        page = diff_page(actor, draft_id, FALLBACK_LANGUAGE)
        if page.old is None:
            raise Conflict(_("There is no published edition to map this draft to."),
                           code="nothing_to_map")
        allowed = {c.question_id: {value for value, _ in c.options} for c in page.choices}
        mapping: dict[str, Previous | None] = {}
        errors = {}
        for qid, value in chosen.items():
            if qid not in allowed:
                errors[qid] = _("not a scored question of this draft")
            elif value and value not in allowed[qid]:
                errors[qid] = _("choose a question of the same type")
            else:
                version, _sep, question = value.partition("/")
                mapping[qid] = Previous(version, question) if value else None
        if errors:
            raise Invalid(_("Some mappings are not possible."), fields=errors)
        edition = page.edition
        changed = {qid: p for qid, p in mapping.items() if edition.question(qid).previous != p}
        if changed:
            drafts.store_edit(actor, draft, with_previous(edition, changed))
        else:
            drafts.touch(actor, draft)
        draft.mappings_confirmed_at = utcnow()
        audit.record(actor, "edition_draft_mapped", draft, details={
            "against": page.old.version, "changed": len(changed),
            "mapped": sum(1 for p in mapping.values() if p is not None)})
    return len(changed)
