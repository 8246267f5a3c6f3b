"""Saving answers without lost updates: one question (API, autosave) or a whole page (no-JS form).

Every save locks the assessment row first (BEGIN IMMEDIATE on SQLite, SELECT … FOR
UPDATE on PostgreSQL), so saves of one assessment are serialised; the answer's
revision is then compared with the revision the writer saw (If-Match). A stale
save is refused with the current answer (Conflict), never applied.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from flask_babel import gettext as _
from sqlalchemy import (
    bindparam,
    insert,
    literal_column,
    null,
    select,
    type_coerce,
    union_all,
    update,
)
from sqlalchemy.orm import joinedload

from benchmark import authz
from benchmark.authz import Actor
from benchmark.errors import Conflict, Invalid, NotFound, PreconditionRequired
from benchmark.extensions import db
from benchmark.models import Answer, Assessment, User, utcnow
from benchmark.questionnaire import InvalidAnswer, Question, get_type
from benchmark.scoring.engine import show_if_targets
from benchmark.services import audit, progress, questionnaires, scores, transitions
from benchmark.services._tx import transaction

if TYPE_CHECKING:  # annotations only: importing it at run time is circular (transitions →
    # reports → assessments → answers) when a module that needs transitions comes first
    from benchmark.services.transitions import LockedAssessment

#: Longest comment and evidence source, in characters.
MAX_COMMENT = 5000
MAX_EVIDENCE = 2000
MAX_URL = 2000
MIN_YEAR = 1900

#: "Leave the stored value as it is" for optional fields of a change.
KEEP: Any = object()
_TEXT_FIELDS = ("comment", "evidence", "evidence_url")


@dataclass(frozen=True)
class Precondition:
    """What the writer saw: the revision (If-Match) or that there was no answer (If-None-Match: *)."""

    if_match: int | None = None
    if_none_match: bool = False


@dataclass(frozen=True)
class AnswerChange:
    """A new state of one answer; KEEP leaves comment/evidence fields as stored."""

    value: Any = None
    na: bool = False
    comment: Any = KEEP
    evidence: Any = KEEP
    evidence_url: Any = KEEP
    evidence_year: Any = KEEP


@dataclass(frozen=True)
class Saved:
    #: The answer as committed (answer_json), read inside the transaction.
    answer: dict[str, Any]
    revision: int
    #: Hidden by skip logic right now: stored, but excluded from scoring and submission checks.
    hidden: bool
    changed: bool
    assessment_revision: int


class PageNotSaved(Invalid):
    """A page post with invalid values or stale revisions; nothing of it was saved."""

    def __init__(self, errors: dict[str, dict[str, str]],
                 conflicts: dict[str, dict[str, Any]]) -> None:
        super().__init__(_("Some answers could not be saved."))
        #: Question id → field → message.
        self.errors = errors
        #: Question id → the other person's answer (answer_json) that the page did not show.
        self.conflicts = conflicts
        if not errors:
            self.status = 409
            self.code = "conflict"


@dataclass(frozen=True)
class AnswerData:
    """A stored answer as the pages and the API read it (the API's answer shape)."""

    value: Any
    na: bool
    comment: str
    evidence: str
    evidence_url: str
    evidence_year: int | None
    #: False for an answer copied from the previous round until a person confirms it.
    confirmed: bool
    revision: int
    updated_by: str | None
    updated_at: dt.datetime | None

    @classmethod
    def of(cls, answer: Answer) -> AnswerData:
        user = answer.updated_by
        return cls(value=answer.value, na=answer.na, comment=answer.comment,
                   evidence=answer.evidence, evidence_url=answer.evidence_url,
                   evidence_year=answer.evidence_year, confirmed=answer.confirmed,
                   revision=answer.revision,
                   updated_by=(user.name or user.email) if user else None,
                   updated_at=answer.updated_at)

    @property
    def is_answered(self) -> bool:
        return progress.is_answered(self)

    def as_json(self) -> dict[str, Any]:
        return {
            "value": self.value, "na": self.na, "comment": self.comment,
            "evidence": self.evidence, "evidence_url": self.evidence_url,
            "evidence_year": self.evidence_year, "confirmed": self.confirmed,
            "revision": self.revision, "updated_by": self.updated_by,
            "updated_at": self.updated_at.isoformat() if self.updated_at else None,
        }


def answer_json(answer: Answer | None) -> dict[str, Any] | None:
    """An answer in the API's shape, or None."""
    return AnswerData.of(answer).as_json() if answer is not None else None


def stored_answers(assessment_id: int) -> dict[str, Answer]:
    """Question id → the stored answer row (with its author loaded), confirmed or not.

    Scoring reads answers differently (confirmed ones only): see `scores.answers_of`.
    """
    rows = db.session.scalars(
        select(Answer).where(Answer.assessment_id == assessment_id)
        .options(joinedload(Answer.updated_by))
    )
    return {a.question_id: a for a in rows}


_ANSWER_DATA = (select(Answer.question_id, Answer.value, Answer.na, Answer.comment,
                       Answer.evidence, Answer.evidence_url, Answer.evidence_year,
                       Answer.confirmed, Answer.revision, Answer.updated_at, User.id, User.name,
                       User.email)
                .outerjoin(User, User.id == Answer.updated_by_id)
                .where(Answer.assessment_id == bindparam("assessment_id")))


def answer_data(assessment_id: int) -> dict[str, AnswerData]:
    """Question id → the stored answer as the pages read it (confirmed or not), in one query
    of plain rows: the same values as `AnswerData.of(row)` without loading ORM objects (the
    statement is built once per process)."""
    return {row[0]: _answer_data(row) for row in db.session.execute(
        _ANSWER_DATA, {"assessment_id": assessment_id})}


def _answer_data(row: Any) -> AnswerData:
    (_qid, value, na, comment, evidence, evidence_url, evidence_year, confirmed, revision,
     updated_at, user_id, name, email) = row
    return AnswerData(value=value, na=na, comment=comment, evidence=evidence,
                      evidence_url=evidence_url, evidence_year=evidence_year,
                      confirmed=confirmed, revision=revision,
                      updated_by=(name or email) if user_id is not None else None,
                      updated_at=updated_at)


@dataclass(frozen=True)
class AnswerState:
    """What progress and skip logic read of an answer (no texts, no author)."""

    value: Any
    na: bool
    confirmed: bool


def answer_states(assessment_ids: Sequence[int],
                  question_ids: Sequence[str] | None = None) -> dict[int, dict[str, AnswerState]]:
    """Assessment id → question id → answer state, for several assessments in one query
    (only those of `question_ids` when given)."""
    found: dict[int, dict[str, AnswerState]] = {}
    if assessment_ids:
        statement = select(Answer.assessment_id, Answer.question_id, Answer.value, Answer.na,
                           Answer.confirmed).where(Answer.assessment_id.in_(assessment_ids))
        if question_ids is not None:
            statement = statement.where(Answer.question_id.in_(question_ids))
        for aid, qid, value, na, confirmed in db.session.execute(statement):
            found.setdefault(aid, {})[qid] = AnswerState(value, na, confirmed)
    return found


#: The answers a save reads, with their authors, locked: the saved question's (its
#: precondition and response) and those that re-scoring and skip logic read after it. `OF
#: answers` locks the answer rows only (PostgreSQL refuses to lock the nullable side of an
#: outer join, and the authors are not written). Read after the assessment's lock, not joined
#: to it: on PostgreSQL a statement that waited for the assessment's lock would still see the
#: answers as its snapshot had them, before the save it waited for (a lost update). Every
#: writer of an assessment's answers holds its lock first, so locking a few more of its rows
#: waits for nobody and cannot deadlock.
_LOCK_ANSWERS = _ANSWER_DATA.where(
    Answer.question_id.in_(bindparam("question_ids", expanding=True))).with_for_update(of=Answer)

_ANSWER, _STORED = "a", "s"
#: A save's statements that are built on first use, once per process.
_statements: dict[str, Any] = {}


def _save_read() -> Any:
    """A save's one read after the assessment's lock, built once per process: the locked
    answers above and the assessment's cached index rows (scores.STORED_ROWS), which a
    re-score of some dimensions keeps for the others. Two parts in one round trip (UNION ALL,
    rows told apart by `part`, each part's columns empty in the other's rows); the locking
    part is a derived table, as PostgreSQL refuses a locking clause on a UNION itself."""
    if "save_read" not in _statements:
        locked = _LOCK_ANSWERS.subquery("locked")
        stored = scores.STORED_ROWS.subquery("stored")
        index_columns = [stored.c.index, stored.c.included, stored.c.answered]
        answers = select(literal_column(f"'{_ANSWER}'").label("part"), *locked.c,
                         *(type_coerce(null(), c.type) for c in index_columns))
        rows = select(literal_column(f"'{_STORED}'"), stored.c.dimension_id,
                      *(null() for _ in locked.c[1:]), *index_columns)
        _statements["save_read"] = union_all(answers, rows)
    return _statements["save_read"]


def _lock_answers(assessment_id: int, question_ids: Iterable[str]
                  ) -> tuple[dict[str, AnswerData], scores.StoredIndices]:
    """Question id → the stored answer (confirmed or not), of those of `question_ids` that
    have one; and the assessment's cached index rows."""
    answers: dict[str, AnswerData] = {}
    stored: dict[str, tuple[float | None, int, int]] = {}
    for row in db.session.connection().execute(_save_read(), {
            "assessment_id": assessment_id, "question_ids": sorted(question_ids)}):
        if row[0] == _ANSWER:
            answers[row[1]] = _answer_data(row[1:-3])
        else:
            stored[row[1]] = (row[-3], row[-2], row[-1])
    return answers, stored


def _is_utf8(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def has_invalid_text(value: Any) -> bool:
    """Whether a JSON value holds text that is not valid Unicode (lone surrogates)."""
    if isinstance(value, str):
        return not _is_utf8(value)
    if isinstance(value, list):
        return any(has_invalid_text(v) for v in value)
    return False


def _check_extras(change: AnswerChange, fields: dict[str, str]) -> None:
    limits = {"comment": MAX_COMMENT, "evidence": MAX_EVIDENCE, "evidence_url": MAX_URL}
    for name in _TEXT_FIELDS:
        text = getattr(change, name)
        if text is KEEP:
            continue
        if not isinstance(text, str):
            fields[name] = _("must be text")
        elif not _is_utf8(text):
            fields[name] = _("is not valid UTF-8 text")
        elif len(text) > limits[name]:
            fields[name] = _("is longer than %(n)d characters", n=limits[name])
    url = change.evidence_url
    if isinstance(url, str) and url.strip() and "evidence_url" not in fields:
        parts = urlsplit(url.strip())
        if parts.scheme not in {"http", "https"} or not parts.netloc:
            fields["evidence_url"] = _("must be a web address starting with https:// or http://")
    year = change.evidence_year
    if year is not KEEP and year is not None:
        latest = dt.date.today().year + 1
        if isinstance(year, bool) or not isinstance(year, int):
            fields["evidence_year"] = _("must be a year like %(year)d", year=latest - 1)
        elif not MIN_YEAR <= year <= latest:
            fields["evidence_year"] = _("must be a year between %(a)d and %(b)d",
                                        a=MIN_YEAR, b=latest)


def parse_change(q: Question, change: AnswerChange) -> tuple[Any, dict[str, str]]:
    """The canonical value of a change and its problems per field (empty when valid)."""
    fields: dict[str, str] = {}
    value = None
    if not isinstance(change.na, bool):
        fields["na"] = _("must be true or false")
    elif change.na:
        if not q.allow_na:
            fields["na"] = _("This question cannot be answered “not applicable”.")
        if change.value is not None:
            fields["value"] = _("must be empty (null) when the answer is “not applicable”")
    elif change.value is not None:
        if has_invalid_text(change.value):
            fields["value"] = _("is not valid UTF-8 text")
        else:
            try:
                value = get_type(q.type).parse(q, change.value)
            except InvalidAnswer as err:
                fields["value"] = progress.answer_problem(q, err)
    _check_extras(change, fields)
    return value, fields


def _new_state(answer: AnswerData | None, change: AnswerChange, value: Any) -> dict[str, Any]:
    def pick(name: str, default: Any) -> Any:
        given = getattr(change, name)
        if given is not KEEP:
            return given.strip() if name == "evidence_url" and isinstance(given, str) else given
        return getattr(answer, name) if answer is not None else default

    return {
        "value": value, "na": bool(change.na),
        "comment": pick("comment", ""), "evidence": pick("evidence", ""),
        "evidence_url": pick("evidence_url", ""), "evidence_year": pick("evidence_year", None),
    }


def _state_of(answer: AnswerData | None) -> dict[str, Any] | None:
    if answer is None:
        return None
    return {"value": answer.value, "na": answer.na, "comment": answer.comment,
            "evidence": answer.evidence, "evidence_url": answer.evidence_url,
            "evidence_year": answer.evidence_year}


#: The writes of a save, built once per process and run as Core statements: the ORM's unit
#: of work (identity map, change tracking, a flush per save) cost more than the statements.
_answers = Answer.__table__
_INSERT_ANSWER = insert(_answers)
_UPDATE_ANSWER = update(_answers).where(_answers.c.assessment_id == bindparam("b_assessment"),
                                        _answers.c.question_id == bindparam("b_question"))
_BUMP_ASSESSMENT = (update(Assessment.__table__)
                    .where(Assessment.__table__.c.id == bindparam("b_id"))
                    .values(revision=bindparam("b_revision"), updated_at=bindparam("b_at"),
                            overall_index=bindparam("b_overall")))


@dataclass(frozen=True)
class _AnswerWrite:
    """An answer's next revision as one statement's parameters: an INSERT (`new`) or an UPDATE."""

    new: bool
    params: dict[str, Any]

    def run(self) -> None:
        """Its statement on its own (`_write_save` joins it to the save's other writes)."""
        db.session.connection().execute(_INSERT_ANSWER if self.new else _UPDATE_ANSWER,
                                        self.params)


def _apply(actor: Actor, assessment: LockedAssessment, q: Question, answer: AnswerData | None,
           state: dict[str, Any], now: dt.datetime) -> tuple[AnswerData, dict[str, Any] | None]:
    """Write `state` as the answer's next revision (one statement); (the answer as saved, its
    audit row), the audit row None when nothing changed. The caller holds the assessment's
    lock, bumps its revision once per changed answer and inserts the audit rows."""
    saved, event, write = _next_revision(actor, assessment, q, answer, state, now)
    if write is not None:
        write.run()
    return saved, event


def _next_revision(actor: Actor, assessment: LockedAssessment, q: Question,
                   answer: AnswerData | None, state: dict[str, Any], now: dt.datetime,
                   ) -> tuple[AnswerData, dict[str, Any] | None, _AnswerWrite | None]:
    """`_apply` without running its statement: the answer as saved, its audit row and its
    write (both None when nothing changed)."""
    old = _state_of(answer)
    if answer is not None and old == state and answer.confirmed:
        return answer, None, None
    revision = answer.revision + 1 if answer is not None else 1
    values = {**state, "confirmed": True, "revision": revision,
              "updated_by_id": actor.user_id, "updated_at": now}
    if answer is None:
        write = _AnswerWrite(True, {**values, "assessment_id": assessment.id, "question_id": q.id})
    else:
        write = _AnswerWrite(False, {**values, "b_assessment": assessment.id, "b_question": q.id})
    changed = {k: [old.get(k) if old else None, v] for k, v in state.items()
               if old is None or old.get(k) != v}
    event = audit.row(actor, "answer_saved", "Assessment", assessment.id,
                      city_id=assessment.city_id, at=now, details={
        "question": q.id, "revision": revision, "changes": changed,
        **({"confirmed": True} if old is not None and old == state else {}),
    })
    saved = AnswerData(confirmed=True, revision=revision, updated_by=actor.display_name,
                       updated_at=now, **state)
    return saved, event, write


def _bump(assessment: LockedAssessment, saved: int, now: dt.datetime,
          overall: float | None) -> int:
    """Move the assessment's revision once per saved answer (caches and report keys follow it)
    and store its new overall index (the dashboard sorts by it), in one statement."""
    revision, params = _bump_params(assessment, saved, now, overall)
    db.session.connection().execute(_BUMP_ASSESSMENT, params)
    return revision


def _bump_params(assessment: LockedAssessment, saved: int, now: dt.datetime,
                 overall: float | None) -> tuple[int, dict[str, Any]]:
    """`_bump`'s new revision and its statement's parameters."""
    revision = assessment.revision + saved
    return revision, {"b_id": assessment.id, "b_revision": revision, "b_at": now,
                      "b_overall": overall}


# -- one question (API and autosave) -----------------------------------------------------


def _write_save(answer: _AnswerWrite, rows: Sequence[Mapping[str, Any]],
                bump: dict[str, Any], event: dict[str, Any]) -> None:
    """A save's writes: the answer, the cached index rows it moves, the round's revision and
    overall index, the audit row. On PostgreSQL one statement (each write a data-modifying
    WITH of the round's UPDATE), so the assessment's lock, which every save of the round waits
    for, is held for one round trip of writes instead of four; SQLite runs in-process and
    cannot write inside WITH: one statement each."""
    connection = db.session.connection()
    if connection.dialect.name != "postgresql":
        answer.run()
        scores.write_rows(rows)
        connection.execute(_BUMP_ASSESSMENT, bump)
        audit.insert_now([event])
        return
    params = {**bump, **{f"l_{k}": v for k, v in event.items()},
              **{f"a_{k}": v for k, v in answer.params.items()}}
    for i, row in enumerate(rows):
        params.update((f"s{i}_{k}", v) for k, v in row.items())
    connection.execute(_writes_statement(answer, event, len(rows)), params)


def _writes_statement(answer: _AnswerWrite, event: Mapping[str, Any], score_rows: int) -> Any:
    """`_write_save`'s statement on PostgreSQL, built once per process for each shape (a new
    or a changed answer; how many index rows move: two, unless skip logic moves more), with
    the columns `_next_revision` and `audit.row` give."""
    key = f"writes-{answer.new}-{score_rows}"
    if key not in _statements:
        values = {c: bindparam(f"a_{c}") for c in answer.params if not c.startswith("b_")}
        if answer.new:
            written = insert(_answers).values(values)
        else:
            written = (update(_answers).values(values)
                       .where(_answers.c.assessment_id == bindparam("a_b_assessment"),
                              _answers.c.question_id == bindparam("a_b_question")))
        _statements[key] = _BUMP_ASSESSMENT.add_cte(
            written.cte("saved_answer"), audit.row_insert(event, "l_").cte("audit_row"),
            *(scores.row_upsert(f"s{i}_").cte(f"index_row_{i}") for i in range(score_rows)))
    return _statements[key]


def save(actor: Actor, assessment_id: int, question_id: str, change: AnswerChange,
         precondition: Precondition) -> Saved:
    """Save one answer if the writer saw its current revision; Conflict (with it) when stale.

    No precondition on an existing answer is PreconditionRequired; the value is checked
    by its question type (Invalid with a message per field). Saving a question that
    skip logic hides is allowed: the answer is stored and shown as hidden.
    """
    with transaction():
        # Core statements throughout (docs/performance.md, Autosave); still one transaction:
        # the answer, its audit row and the re-score commit together or not at all.
        assessment = transitions.lock_editable_row(actor, assessment_id)
        edition = questionnaires.edition_for(assessment.edition_id, assessment.version,
                                             assessment.checksum)
        q = edition.find_question(question_id)
        if q is None:
            raise Invalid(_("Unknown question."), fields={"question_id": _(
                "“%(id)s” is not a question of the %(version)s questionnaire",
                id=question_id, version=edition.version)})
        authz.require(actor, "edit_answer", assessment, dimension_id=q.dimension_id)
        # One read for the whole save: this answer, those the re-score and skip logic need, and
        # the cached indices the re-score keeps
        stored, indices = _lock_answers(assessment.id, {q.id, *show_if_targets(edition, q),
                                                        *scores.rescore_reads(edition, [q.id])})
        answer = stored.get(q.id)
        _check_precondition(answer, precondition)
        value, fields = parse_change(q, change)
        if fields:
            raise Invalid(_("The answer is not valid."), fields=fields)
        now = utcnow()
        answer, event, write = _next_revision(actor, assessment, q, answer,
                                              _new_state(answer, change, value), now)
        stored[q.id] = answer
        revision = assessment.revision
        if event is not None and write is not None:
            rows = scores.rows_after_answers(assessment, [q.id], edition,
                                             answers=scores.inputs_of(stored), stored=indices)
            revision, bump = _bump_params(assessment, 1, now, rows[0]["index"])
            _write_save(write, rows, bump, event)
        # Skip logic reads the stored answers (confirmed or not) of its show_if chain: read above
        hidden = progress.is_hidden(edition, q, stored)
        saved = Saved(answer=answer.as_json(), revision=answer.revision, hidden=hidden,
                      changed=event is not None, assessment_revision=revision)
    return saved


def _check_precondition(answer: AnswerData | None, pre: Precondition) -> None:
    if pre.if_match is not None:
        if answer is None or answer.revision != pre.if_match:
            raise _stale(answer)
        return
    if pre.if_none_match:
        if answer is not None:
            raise _stale(answer)
        return
    if answer is not None:
        raise PreconditionRequired(_(
            "This question already has an answer: send If-Match with the revision you "
            "changed (or If-None-Match: * to create)."))


def _stale(answer: AnswerData | None) -> Conflict:
    if answer is None:
        message = _("The answer you changed no longer exists; save it as a new answer.")
    else:
        message = _("Someone else changed this answer (now at revision %(rev)d); review "
                    "their version before saving yours.", rev=answer.revision)
    return Conflict(message, code="stale",
                    details={"current": answer.as_json() if answer is not None else None})


# -- a whole dimension page (forms without JavaScript) -----------------------------------


@dataclass(frozen=True)
class PostedAnswer:
    """One question's fields from an HTML form (strings as typed)."""

    values: Sequence[str]
    na: bool
    comment: str
    evidence: str
    evidence_url: str
    evidence_year: str
    #: Revision the page showed; 0 when there was no answer.
    revision: int
    #: The person confirms a prefilled answer as it is.
    confirm: bool = False


def save_page(actor: Actor, assessment_id: int, dimension_id: str,
              posted: Mapping[str, PostedAnswer]) -> int:
    """Save every changed answer of one dimension page atomically; the number saved.

    Unchanged answers are left alone. Any invalid value or stale revision raises
    PageNotSaved listing them (with the other person's answer) and saves nothing.
    """
    with transaction():
        assessment = transitions.lock_editable_row(actor, assessment_id)
        edition = questionnaires.edition_for(assessment.edition_id, assessment.version,
                                             assessment.checksum)
        try:
            dimension = edition.dimension(dimension_id)
        except KeyError:
            raise NotFound(_("There is no such part of the questionnaire.")) from None
        authz.require(actor, "edit_answer", assessment, dimension_id=dimension.id)
        stored = answer_data(assessment.id)
        errors: dict[str, dict[str, str]] = {}
        conflicts: dict[str, dict[str, Any]] = {}
        pending: list[tuple[Question, dict[str, Any]]] = []
        for q in dimension.questions:
            entry = posted.get(q.id)
            if entry is None:
                continue
            change, fields = _change_from_form(q, entry)
            value, more = parse_change(q, change) if not fields else (None, {})
            fields.update(more)
            if fields:
                errors[q.id] = fields
                continue
            answer = stored.get(q.id)
            state = _new_state(answer, change, value)
            if answer is None and _is_empty(state):
                continue
            if answer is not None and _state_of(answer) == state and (
                    answer.confirmed or not entry.confirm):
                continue
            if (answer.revision if answer else 0) != entry.revision:
                conflicts[q.id] = answer.as_json() if answer is not None else {}
                continue
            pending.append((q, state))
        if errors or conflicts:
            raise PageNotSaved(errors=errors, conflicts=conflicts)
        now = utcnow()
        applied = {q.id: _apply(actor, assessment, q, stored.get(q.id), state, now)
                   for q, state in pending}
        events = [event for _answer, event in applied.values() if event is not None]
        if events:
            # The answers read above, after the lock, with this page's writes: the re-score
            # reads none again
            stored.update((qid, answer) for qid, (answer, _event) in applied.items())
            overall = scores.refresh_after_answers(assessment, list(applied), edition,
                                                   answers=scores.inputs_of(stored))
            _bump(assessment, len(events), now, overall)
            audit.insert_now(events)
    return len(pending)


def _is_empty(state: Mapping[str, Any]) -> bool:
    return (state["value"] is None and not state["na"] and not state["comment"]
            and not state["evidence"] and not state["evidence_url"]
            and state["evidence_year"] is None)


def _change_from_form(q: Question, entry: PostedAnswer) -> tuple[AnswerChange, dict[str, str]]:
    fields: dict[str, str] = {}
    value = None
    if not entry.na:
        try:
            value = get_type(q.type).parse_form(q, list(entry.values))
        except InvalidAnswer as err:
            fields["value"] = progress.answer_problem(q, err)
    year: int | None = None
    if entry.evidence_year.strip():
        try:
            year = int(entry.evidence_year.strip())
        except ValueError:
            fields["evidence_year"] = _("must be a year like %(year)d",
                                        year=dt.date.today().year)
    # parse_form already canonicalised the value; parse() again is idempotent.
    change = AnswerChange(value=value, na=entry.na, comment=entry.comment,
                          evidence=entry.evidence, evidence_url=entry.evidence_url,
                          evidence_year=year)
    return change, fields
