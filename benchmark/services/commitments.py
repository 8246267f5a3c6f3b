"""Policy commitments: what a city commits to after its results, with progress notes.

Who may do what is in `authz.py` (focal points write their city's commitments,
contributors add progress notes to those of their dimensions, staff read all and
comment; another city's commitment is NotFound). Each write is one transaction that
checks the revision the writer saw (If-Match: 409 when stale), bumps it and audits.
The follow-up in the next round (outcomes) is `services/commitment_followup.py`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from flask_babel import gettext as _
from sqlalchemy import or_, select
from sqlalchemy.orm import joinedload, selectinload

from benchmark import authz, practice_workflow
from benchmark.authz import Actor
from benchmark.errors import Conflict, Invalid, NotFound, PreconditionRequired
from benchmark.extensions import db
from benchmark.inputs import is_id
from benchmark.models import (
    COMMITMENT_OUTCOMES,
    COMMITMENT_STATUSES,
    Assessment,
    City,
    Commitment,
    CommitmentNote,
    Practice,
    User,
    utcnow,
    utctoday,
)
from benchmark.questionnaire import Questionnaire, localize
from benchmark.services import audit, questionnaires
from benchmark.services._tx import transaction

MAX_TITLE = 200
MAX_TEXT = 5000
MAX_SHORT = 200
MAX_URL = 2000
MAX_QUESTIONS = 30
#: Statuses of a commitment still being worked on.
OPEN = frozenset({"planned", "in_progress"})


# -- input ---------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Fields:
    """The editable fields of a commitment, as typed (validated by `_validate`)."""

    title: str
    dimension: str
    description: str = ""
    questions: Sequence[str] = ()
    department: str = ""
    owner: str | None = None  # email of a user of the city
    #: A date, or the text typed in a form ("2027-06-30"; "" for none).
    start_date: date | str | None = None
    target_date: date | str | None = None
    status: str = "planned"
    practices: Sequence[int] = ()


def _day(value: date | str | None, name: str, wrong: dict[str, str]) -> date | None:
    if value is None or isinstance(value, date):
        return value
    if not value.strip():
        return None
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        wrong[name] = _("is not a date like 2027-06-30")
        return None


# -- read model ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class NoteView:
    id: int
    kind: str  # progress | comment
    date: date
    text: str
    evidence: str
    author: str
    author_email: str
    created_at: datetime


@dataclass(frozen=True)
class CommitmentView:
    """A commitment as one reader sees it, with what that reader may do."""

    id: int
    city_slug: str
    city_name: str
    country: str
    assessment_id: int
    round: int
    questionnaire: str
    title: str
    description: str
    dimension: str
    dimension_title: str
    questions: tuple[str, ...]
    question_texts: dict[str, str]
    department: str
    owner: str | None
    owner_name: str
    start_date: date | None
    target_date: date | None
    status: str
    outcome: str | None
    outcome_note: str
    outcome_assessment_id: int | None
    practices: tuple[int, ...]
    revision: int
    created_at: datetime
    updated_at: datetime
    notes: tuple[NoteView, ...] = ()
    overdue: bool = False
    may_edit: bool = False
    may_note: bool = False
    may_comment: bool = False
    #: (id, title, city name) of the practices it draws on (the detail page only).
    practice_titles: tuple[tuple[int, str, str], ...] = ()

    def as_json(self) -> dict[str, object]:
        """The API's Commitment shape (docs/api.md)."""
        return {
            "id": self.id, "city": self.city_slug, "assessment": self.assessment_id,
            "round": self.round, "questionnaire": self.questionnaire, "title": self.title,
            "description": self.description, "dimension": self.dimension,
            "questions": list(self.questions), "department": self.department,
            "owner": self.owner, "start_date": self.start_date, "target_date": self.target_date,
            "status": self.status, "outcome": self.outcome, "outcome_note": self.outcome_note,
            "outcome_assessment": self.outcome_assessment_id,
            "notes": [{"id": n.id, "kind": n.kind, "date": n.date, "text": n.text,
                       "evidence": n.evidence, "author": n.author_email} for n in self.notes],
            "practices": list(self.practices), "revision": self.revision,
            "overdue": self.overdue, "created_at": self.created_at, "updated_at": self.updated_at,
        }


@dataclass(frozen=True)
class CityCommitments:
    """A city's commitments page: the list and whether the reader may add one."""

    city_slug: str
    city_name: str
    items: tuple[CommitmentView, ...]
    may_create: bool
    dimensions: dict[str, str] = field(default_factory=dict)


def is_overdue(status: str, target: date | None, today: date) -> bool:
    """Past its target date and still planned or in progress."""
    return status in OPEN and target is not None and target < today


def _view(actor: Actor, c: Commitment, lang: str, *, edition: Questionnaire | None = None,
          notes: bool = True) -> CommitmentView:
    edition = edition or questionnaires.get_edition_by_id(c.assessment.edition_id)
    dimension = next((d for d in edition.dimensions if d.id == c.dimension_id), None)
    texts = {}
    for qid in c.questions or ():
        q = edition.find_question(qid)
        texts[qid] = localize(q.text, lang) if q else qid
    note_views: tuple[NoteView, ...] = ()
    if notes:
        note_views = tuple(
            NoteView(id=n.id, kind=n.kind, date=n.on_date, text=n.text, evidence=n.evidence,
                     author=(n.author.name or n.author.email) if n.author else "",
                     author_email=n.author.email if n.author else "", created_at=n.created_at)
            for n in sorted(_notes_of(c), key=lambda n: (n.on_date, n.id)))
    return CommitmentView(
        id=c.id, city_slug=c.city.slug, city_name=c.city.name, country=c.city.country,
        assessment_id=c.assessment_id, round=c.assessment.round,
        questionnaire=edition.version, title=c.title, description=c.description,
        dimension=c.dimension_id,
        dimension_title=localize(dimension.title, lang) if dimension else c.dimension_id,
        questions=tuple(c.questions or ()), question_texts=texts, department=c.department,
        owner=c.owner.email if c.owner else None,
        owner_name=(c.owner.name or c.owner.email) if c.owner else "",
        start_date=c.start_date, target_date=c.target_date, status=c.status, outcome=c.outcome,
        outcome_note=c.outcome_note, outcome_assessment_id=c.outcome_assessment_id,
        practices=tuple(c.practices or ()), revision=c.revision, created_at=c.created_at,
        updated_at=c.updated_at, notes=note_views,
        overdue=is_overdue(c.status, c.target_date, utctoday()),
        may_edit=authz.can(actor, "edit_commitment", c),
        may_note=not actor.is_staff and authz.can(actor, "note_commitment", c),
        may_comment=actor.is_staff and authz.can(actor, "note_commitment", c),
        practice_titles=_practice_choices(c.practices or (), lang) if notes else (),
    )


def _notes_of(c: Commitment) -> list[CommitmentNote]:
    # Authors joined, not selected after: often the reader, who is no ORM object in the
    # session for a second statement to be skipped (web/identity.py).
    return list(db.session.scalars(select(CommitmentNote).where(CommitmentNote.commitment_id == c.id)
                                   .options(joinedload(CommitmentNote.author))))


def _load(commitment_id: int, *, for_update: bool = False) -> Commitment:
    if not is_id(commitment_id):  # beyond any id (and beyond what PostgreSQL binds)
        raise NotFound(_("There is no such commitment."))
    query = select(Commitment).where(Commitment.id == commitment_id)
    if for_update:
        query = query.with_for_update(of=Commitment).execution_options(populate_existing=True)
    else:
        # The pages show the owner: with it, not a lazy load of their own (the request's
        # user is no ORM object in the session to find it in, web/identity.py).
        query = query.options(joinedload(Commitment.owner))
    found = db.session.scalar(query)
    if found is None:
        raise NotFound(_("There is no such commitment."))
    return found


def _city(slug: str) -> City:
    city = None if "\x00" in slug else db.session.scalar(select(City).where(City.slug == slug))
    if city is None:
        raise NotFound(_("There is no such city."))
    return city


# -- reading -------------------------------------------------------------------------------------

def get(actor: Actor, commitment_id: int, lang: str = "en") -> CommitmentView:
    """One commitment with its notes; another city's is NotFound."""
    c = _load(commitment_id)
    authz.require(actor, "view_commitments", c)
    return _view(actor, c, lang)


def for_city(actor: Actor, slug: str, lang: str = "en") -> CityCommitments:
    """A city's commitments, newest first (notes left out: the detail page has them)."""
    city = _city(slug)
    authz.require(actor, "view_commitments", city)
    rows = list(db.session.scalars(
        select(Commitment).where(Commitment.city_id == city.id)
        .options(selectinload(Commitment.owner), selectinload(Commitment.assessment),
                 selectinload(Commitment.city))
        .order_by(Commitment.created_at.desc(), Commitment.id.desc())))
    editions: dict[int, Questionnaire] = {}
    items = []
    for c in rows:
        edition_id = c.assessment.edition_id
        if edition_id not in editions:
            editions[edition_id] = questionnaires.get_edition_by_id(edition_id)
        items.append(_view(actor, c, lang, edition=editions[edition_id], notes=False))
    return CityCommitments(city_slug=city.slug, city_name=city.name, items=tuple(items),
                           may_create=authz.can(actor, "create_commitment", city))


def for_own_city(actor: Actor, lang: str = "en") -> CityCommitments:
    """The commitments of the actor's own city (focal point, contributor)."""
    city = db.session.get(City, actor.city_id) if actor.city_id else None
    if city is None:
        raise NotFound(_("You do not belong to a city."))
    return for_city(actor, city.slug, lang)


# -- writing -------------------------------------------------------------------------------------

def _text(value: str | None, name: str, limit: int, fields: dict[str, str], *,
          required: bool = False) -> str:
    cleaned = (value or "").strip()
    if "\x00" in cleaned or any(0xD800 <= ord(ch) <= 0xDFFF for ch in cleaned):
        fields[name] = _("is not valid text")
    elif required and not cleaned:
        fields[name] = _("must not be empty")
    elif len(cleaned) > limit:
        fields[name] = _("is longer than %(n)d characters", n=limit)
    return cleaned


def _validate(fields_in: Fields, edition: Questionnaire, city_id: int) -> dict[str, object]:
    """Checked values of a commitment; Invalid (422) naming every wrong field at once."""
    wrong: dict[str, str] = {}
    values: dict[str, object] = {
        "title": _text(fields_in.title, "title", MAX_TITLE, wrong, required=True),
        "description": _text(fields_in.description, "description", MAX_TEXT, wrong),
        "department": _text(fields_in.department, "department", MAX_SHORT, wrong),
    }
    dimension = next((d for d in edition.dimensions if d.id == fields_in.dimension), None)
    if dimension is None:
        wrong["dimension"] = _("is not a dimension of questionnaire %(v)s", v=edition.version)
    questions = list(dict.fromkeys(fields_in.questions or ()))
    if len(questions) > MAX_QUESTIONS:
        wrong["questions"] = _("names more than %(n)d questions", n=MAX_QUESTIONS)
    elif dimension is not None:
        own = {q.id for q in dimension.questions}
        if stray := [q for q in questions if q not in own]:
            wrong["questions"] = _("not questions of this dimension: %(ids)s",
                                   ids=", ".join(stray[:5]))
    if fields_in.status not in COMMITMENT_STATUSES:
        wrong["status"] = _("must be one of %(values)s", values=", ".join(COMMITMENT_STATUSES))
    owner_id = None
    if fields_in.owner and "\x00" in fields_in.owner:
        wrong["owner"] = _("is not valid text")
    elif fields_in.owner:
        owner = db.session.scalar(select(User).where(User.email == fields_in.owner.strip().lower()))
        if owner is None or owner.city_id != city_id or not owner.is_active:
            wrong["owner"] = _("is not an active member of the city's team")
        else:
            owner_id = owner.id
    start = _day(fields_in.start_date, "start_date", wrong)
    target = _day(fields_in.target_date, "target_date", wrong)
    if start and target and target < start:
        wrong["target_date"] = _("is before the start date")
    practices = list(dict.fromkeys(fields_in.practices or ()))
    if practices and (missing := _unknown_practices(practices, city_id)):
        wrong["practices"] = _("unknown practices: %(ids)s", ids=", ".join(map(str, missing[:5])))
    if wrong:
        raise Invalid(_("Some values are invalid."), fields=wrong)
    values.update(dimension_id=fields_in.dimension, questions=questions, owner_id=owner_id,
                  start_date=start, target_date=target, status=fields_in.status,
                  practices=practices)
    return values


def _unknown_practices(ids: list[int], city_id: int) -> list[int]:
    """Ids naming no practice the city's team may see (published, or the city's own)."""
    seen = set(db.session.scalars(select(Practice.id).where(
        Practice.id.in_(ids),
        or_(Practice.status.in_(sorted(practice_workflow.PUBLIC)), Practice.city_id == city_id))))
    return [i for i in ids if i not in seen]


def _practice_choices(ids: Sequence[int], lang: str) -> tuple[tuple[int, str, str], ...]:
    """(id, title in the reader's language, city name) of practices, in the order given."""
    if not ids:
        return ()
    from benchmark.services.practice_pages import shown_texts

    rows = {p.id: p for p in db.session.scalars(
        select(Practice).where(Practice.id.in_(list(ids)))
        .options(selectinload(Practice.texts), selectinload(Practice.city)))}
    return tuple((i, shown_texts(rows[i], lang).title, rows[i].city.name) for i in ids if i in rows)


def _snapshot(c: Commitment) -> dict[str, object]:
    return {"title": c.title, "dimension": c.dimension_id, "status": c.status,
            "questions": list(c.questions or ()), "target_date": str(c.target_date or ""),
            "outcome": c.outcome}


def create(actor: Actor, slug: str, assessment_id: int, fields_in: Fields,
           lang: str = "en") -> CommitmentView:
    """A new commitment of the city, prompted by one of its assessments (focal point)."""
    with transaction():
        city = _city(slug)
        authz.require(actor, "create_commitment", city)
        assessment = db.session.get(Assessment, assessment_id)
        if assessment is None or assessment.city_id != city.id:
            raise Invalid(_("Some values are invalid."),
                          fields={"assessment": _("is not an assessment of this city")})
        edition = questionnaires.get_edition_by_id(assessment.edition_id)
        values = _validate(fields_in, edition, city.id)
        now = utcnow()
        c = Commitment(city_id=city.id, assessment_id=assessment.id, created_by_id=actor.user_id,
                       created_at=now, updated_at=now, revision=1, outcome_note="", **values)
        db.session.add(c)
        db.session.flush()
        audit.record(actor, "commitment_created", target=c, details=_snapshot(c))
        view = _view(actor, c, lang, edition=edition)
    return view


def _check_revision(c: Commitment, if_match: int | None) -> None:
    if if_match is None:
        raise PreconditionRequired(_('Send If-Match with the revision you changed, e.g. If-Match: "3".'))
    if if_match != c.revision:
        raise Conflict(_("Someone changed this commitment since you opened it."), code="stale",
                       details={"current": {"revision": c.revision, "title": c.title,
                                            "status": c.status}})


def update(actor: Actor, commitment_id: int, fields_in: Fields, if_match: int | None,
           lang: str = "en") -> CommitmentView:
    """Replace a commitment's fields (focal point); 428 without If-Match, 409 when stale."""
    with transaction():
        c = _load(commitment_id, for_update=True)
        authz.require(actor, "edit_commitment", c)
        _check_revision(c, if_match)
        edition = questionnaires.get_edition_by_id(c.assessment.edition_id)
        values = _validate(fields_in, edition, c.city_id)
        before = _snapshot(c)
        changed = any(getattr(c, k) != v for k, v in values.items())
        if changed:
            for key, value in values.items():
                setattr(c, key, value)
            c.revision += 1
            c.updated_at = utcnow()
            audit.record(actor, "commitment_updated", target=c,
                         details={"before": before, "after": _snapshot(c)})
        view = _view(actor, c, lang, edition=edition)
    return view


def add_note(actor: Actor, commitment_id: int, text: str, evidence: str = "",
             on_date: date | None = None, lang: str = "en") -> CommitmentView:
    """A dated progress note (city team) or comment (staff); bumps the commitment's revision."""
    with transaction():
        c = _load(commitment_id, for_update=True)
        authz.require(actor, "note_commitment", c)
        wrong: dict[str, str] = {}
        body = _text(text, "text", MAX_TEXT, wrong, required=True)
        link = _text(evidence, "evidence", MAX_URL, wrong)
        today = utctoday()
        if on_date is not None and on_date > today:
            wrong["date"] = _("is in the future")
        if wrong:
            raise Invalid(_("Some values are invalid."), fields=wrong)
        note = CommitmentNote(commitment_id=c.id, kind="comment" if actor.is_staff else "progress",
                              on_date=on_date or today, text=body, evidence=link,
                              author_id=actor.user_id)
        db.session.add(note)
        c.revision += 1
        c.updated_at = utcnow()
        db.session.flush()
        audit.record(actor, "commitment_note_added", target=c,
                     details={"note": note.id, "kind": note.kind})
        view = _view(actor, c, lang)
    return view


def outcome_label_codes() -> tuple[str, ...]:
    return COMMITMENT_OUTCOMES


# -- the web form ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class Choice:
    id: str
    title: str
    questions: tuple[tuple[str, str], ...] = ()  # (question id, text)


@dataclass(frozen=True)
class FormPage:
    """The form to create or change a commitment: choices from the prompting assessment's edition."""

    city_slug: str
    city_name: str
    assessment_id: int
    round: int
    dimensions: tuple[Choice, ...]
    owners: tuple[tuple[str, str], ...]  # (email, name)
    values: Fields
    commitment_id: int | None = None
    revision: int | None = None
    #: (id, title, city) of published practices on the dimension, and those already chosen.
    practices: tuple[tuple[int, str, str], ...] = ()


def _form_page(actor: Actor, city: City, assessment: Assessment, values: Fields, lang: str,
               commitment: Commitment | None = None) -> FormPage:
    edition = questionnaires.get_edition_by_id(assessment.edition_id)
    dims = tuple(Choice(d.id, localize(d.title, lang),
                        tuple((q.id, localize(q.text, lang)) for q in d.questions))
                 for d in edition.dimensions)
    owners = tuple((u.email, u.name or u.email) for u in db.session.scalars(
        select(User).where(User.city_id == city.id, User.is_active.is_(True)).order_by(User.name)))
    return FormPage(city_slug=city.slug, city_name=city.name, assessment_id=assessment.id,
                    round=assessment.round, dimensions=dims, owners=owners, values=values,
                    commitment_id=commitment.id if commitment else None,
                    revision=commitment.revision if commitment else None,
                    practices=_practice_choices(_offered_practices(actor, values), lang))


def _offered_practices(actor: Actor, values: Fields) -> list[int]:
    """Published practices on the commitment's questions or dimension (at most 20), and its own."""
    from benchmark.services import practices

    found: list[int] = list(values.practices)
    for question in values.questions:
        found += [p.id for p in practices.search(actor, practices.Filters(
            question=question, status=practice_workflow.PUBLISHED), limit=10)]
    found += [p.id for p in practices.search(actor, practices.Filters(
        dimension=values.dimension, status=practice_workflow.PUBLISHED), limit=20)]
    return list(dict.fromkeys(found))[:30]


def new_form(actor: Actor, assessment_id: int, dimension: str = "", question: str = "",
             lang: str = "en", practices: Sequence[int] = ()) -> FormPage:
    """A new commitment prefilled from an improvement priority (its dimension and question)."""
    assessment = db.session.get(Assessment, assessment_id) if is_id(assessment_id) else None
    if assessment is None:
        raise NotFound(_("There is no such assessment."))
    authz.require(actor, "view_scores", assessment)
    authz.require(actor, "create_commitment", assessment)
    edition = questionnaires.get_edition_by_id(assessment.edition_id)
    q = edition.find_question(question) if question else None
    if q is not None:
        dimension = q.dimension_id
    if not any(d.id == dimension for d in edition.dimensions):
        dimension = edition.dimensions[0].id
    title = localize(q.text, lang) if q is not None else ""
    values = Fields(title=title[:MAX_TITLE], dimension=dimension,
                    questions=(q.id,) if q is not None else (),
                    owner=actor.email if actor.user_id else None,
                    practices=tuple(p for p in practices if is_id(p))[:MAX_QUESTIONS])
    return _form_page(actor, assessment.city, assessment, values, lang)


def edit_form(actor: Actor, commitment_id: int, lang: str = "en") -> FormPage:
    """The form to change a commitment, with its current values and revision."""
    c = _load(commitment_id)
    authz.require(actor, "edit_commitment", c)
    values = Fields(title=c.title, dimension=c.dimension_id, description=c.description,
                    questions=tuple(c.questions or ()), department=c.department,
                    owner=c.owner.email if c.owner else None, start_date=c.start_date,
                    target_date=c.target_date, status=c.status,
                    practices=tuple(c.practices or ()))
    return _form_page(actor, c.city, c.assessment, values, lang, c)
