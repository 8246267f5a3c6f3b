"""What a question looks like on a page: texts, widget values, errors, conflicts (view models).

Widget values come from the question-type registry (`has_options`, `selected`,
`display`); the widget itself is the macro in templates/questions/<type>.html.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from flask_babel import gettext, ngettext
from werkzeug.datastructures import MultiDict

from benchmark.questionnaire import Question, Questionnaire, get_type, localize
from benchmark.reporting.words import answer_text
from benchmark.services.answers import PostedAnswer
from benchmark.services.assessment_pages import AssessmentView, DimensionPage
from benchmark.services.reviews import CommentData

FIELDS = ("value", "na", "comment", "evidence", "evidence_url", "evidence_year")


@dataclass
class QuestionView:
    q: Question
    number: str
    text: str
    help: str
    options: list[tuple[str, str]]
    values: list[str]
    na: bool = False
    comment: str = ""
    evidence: str = ""
    evidence_url: str = ""
    evidence_year: str = ""
    revision: int = 0
    confirmed: bool = True
    answered: bool = False
    updated_by: str | None = None
    updated_at: Any = None
    hidden: bool = False
    editable: bool = False
    errors: dict[str, str] = field(default_factory=dict)
    #: The other person's answer (answer_json + "shown") after a stale page post.
    conflict: dict[str, Any] | None = None
    comments: list[CommentData] = field(default_factory=list)
    shown: str = ""

    @property
    def id(self) -> str:
        return self.q.id

    @property
    def first_input_id(self) -> str:
        return f"q-{self.q.id}-value"

    def field_id(self, name: str) -> str:
        return self.first_input_id if name == "value" else f"q-{self.q.id}-{name}"


def _text_of(value: Any) -> str:
    if isinstance(value, bool) or value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.15g}"
    return str(value)


def form_values(q: Question, value: Any) -> list[str]:
    """The strings a widget shows for a stored value (option ids, or the typed text)."""
    if value is None:
        return []
    qtype = get_type(q.type)
    if qtype.has_options:
        return list(qtype.selected(value))
    return [_text_of(value)]


def numbering(edition: Questionnaire) -> dict[str, str]:
    """Question id → "3.2" (dimension number . question number), as printed questionnaires do."""
    return {q.id: f"{d_i}.{q_i}" for d_i, d in enumerate(edition.dimensions, 1)
            for q_i, q in enumerate(d.questions, 1)}


def build(view: AssessmentView, questions: Sequence[Question], lang: str, *,
          editable: bool) -> list[QuestionView]:
    """The widgets' view of `questions` of an assessment, with answers and review comments."""
    return build_for(view.edition, questions, lang, editable=editable, answers=view.answers,
                     hidden=view.hidden, comments=view.comments)


def build_for(edition: Questionnaire, questions: Sequence[Question], lang: str, *,
              editable: bool, answers: Mapping[str, Any] | None = None,
              hidden: Collection[str] = frozenset(),
              comments: Sequence[CommentData] = ()) -> list[QuestionView]:
    """The widgets' view of `questions` of any edition (a draft's preview has no answers)."""
    numbers = numbering(edition)
    by_question: dict[str, list[CommentData]] = {}
    for c in comments:
        if c.question_id:
            by_question.setdefault(c.question_id, []).append(c)
    views = []
    for q in questions:
        answer = (answers or {}).get(q.id)
        item = QuestionView(
            q=q, number=numbers[q.id], text=localize(q.text, lang), help=localize(q.help, lang),
            options=[(o.id, localize(o.label, lang)) for o in q.options],
            values=form_values(q, answer.value) if answer else [],
            hidden=q.id in hidden, editable=editable, comments=by_question.get(q.id, []),
        )
        if answer is not None:
            item.na, item.comment, item.evidence = answer.na, answer.comment, answer.evidence
            item.evidence_url = answer.evidence_url
            item.evidence_year = str(answer.evidence_year or "")
            item.revision, item.confirmed = answer.revision, answer.confirmed
            item.answered = answer.is_answered
            item.updated_by, item.updated_at = answer.updated_by, answer.updated_at
            item.shown = answer_text(q, answer.value, answer.na, lang)
        views.append(item)
    return views


def build_page(page: DimensionPage, lang: str) -> list[QuestionView]:
    """The questions of one dimension page."""
    return build(page.assessment, page.dimension.questions, lang, editable=page.editable)


def skip_data(page: DimensionPage, lang: str) -> dict[str, Any]:
    """For assessment.js: what skip-rule sources select now, the rules, this page's option labels."""
    edition = page.assessment.edition
    rules = {q.id: {"question": q.show_if.question, "in": list(q.show_if.values)}
             for q in edition.questions if q.show_if}
    labels = {q.id: {o.id: localize(o.label, lang) for o in q.options}
              for q in page.dimension.questions}
    # The side navigation's texts, unformatted: assessment.js fills in the numbers.
    progress = {"progress": gettext("%(done)d of %(total)d"),
                "to_confirm_one": ngettext("%(num)d to confirm", "%(num)d to confirm", 1),
                "to_confirm_other": ngettext("%(num)d to confirm", "%(num)d to confirm", 2)}
    return {"selected": {k: list(v) for k, v in page.skip_sources.items()}, "rules": rules,
            "labels": labels, "progress_text": progress}


def parse_post(form: MultiDict[str, str], questions: list[Question]) -> dict[str, PostedAnswer]:
    """The posted fields of each question the page rendered as editable."""
    posted = {}
    for q in questions:
        revision = form.get(f"{q.id}:revision")
        if revision is None:
            continue  # not on the page (hidden from this person) or read-only
        if form.get(f"{q.id}:resolve") == "theirs":
            continue  # after a conflict the person chose the other version: save nothing
        posted[q.id] = PostedAnswer(
            values=form.getlist(f"{q.id}:value"), na=form.get(f"{q.id}:na") == "1",
            comment=form.get(f"{q.id}:comment", ""), evidence=form.get(f"{q.id}:evidence", ""),
            evidence_url=form.get(f"{q.id}:evidence_url", ""),
            evidence_year=form.get(f"{q.id}:evidence_year", ""),
            revision=int(revision) if revision.isdigit() else -1,
            confirm=form.get(f"{q.id}:confirm") == "1",
        )
    return posted


def apply_post(views: list[QuestionView], posted: Mapping[str, PostedAnswer],
               errors: Mapping[str, dict[str, str]], conflicts: Mapping[str, dict[str, Any]],
               lang: str) -> None:
    """Show what the person typed (never lose it), with errors and the other person's answers."""
    for view in views:
        entry = posted.get(view.id)
        if entry is None:
            continue
        view.values = [v for v in entry.values if v != ""]
        view.na, view.comment, view.evidence = entry.na, entry.comment, entry.evidence
        view.evidence_url, view.evidence_year = entry.evidence_url, entry.evidence_year
        view.revision = entry.revision if entry.revision >= 0 else view.revision
        view.errors = dict(errors.get(view.id, {}))
        if view.id in conflicts:
            theirs = dict(conflicts[view.id])
            theirs["shown"] = (answer_text(view.q, theirs.get("value"), bool(theirs.get("na")), lang)
                               if theirs else "")
            view.conflict = theirs
            # The next post of this page overwrites knowingly: the person has now seen it.
            view.revision = int(theirs.get("revision") or 0)
