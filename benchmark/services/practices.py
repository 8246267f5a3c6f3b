"""Good practices: write, edit, move along the workflow, find (one transaction per use case).

Who may see a practice: a published one every signed-in user; any other its city's team
and staff only (another city's draft is NotFound, like missing). Who may take each step
and edit in which status: `benchmark/practice_workflow.py`, through `authz`. Reading the
pages: `services/practice_pages.py`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import and_, exists, or_, select
from sqlalchemy.orm import selectinload

from benchmark import authz, practice_workflow
from benchmark.authz import Actor
from benchmark.errors import Conflict, Invalid, NotFound, PreconditionRequired
from benchmark.extensions import db
from benchmark.languages import LANGUAGES
from benchmark.models import (
    BUDGET_BANDS,
    City,
    Practice,
    PracticeDimension,
    PracticeQuestion,
    PracticeText,
    utcnow,
)
from benchmark.questionnaire import Questionnaire
from benchmark.scoring.peers import size_groups
from benchmark.services import audit, practice_search, questionnaires
from benchmark.services._tx import transaction

MAX_TITLE = 200
MAX_SUMMARY = 500
MAX_DESCRIPTION = 20_000
MAX_RESULTS = 10_000
MAX_SHORT = 300
MAX_PARTNERS = 2_000
MAX_LINKS = 10
MAX_LINK = 2_000
MIN_YEAR, MAX_YEAR = 1950, 2100
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_URL = re.compile(r"^https?://[^\s/$.?#][^\s]*$", re.IGNORECASE)


@dataclass(frozen=True)
class Texts:
    """A practice's texts in one language."""

    title: str
    summary: str
    description: str = ""
    results: str = ""


@dataclass(frozen=True)
class PracticeData:
    """What a person writes about a practice (create and edit)."""

    language: str
    texts: Mapping[str, Texts]
    dimensions: Sequence[str] = ()
    questions: Sequence[str] = ()
    start_year: int | None = None
    end_year: int | None = None
    department: str = ""
    partners: str = ""
    budget_band: str | None = None
    links: Sequence[str] = ()
    contact: str = ""


@dataclass(frozen=True)
class Topics:
    """The dimensions and questions a practice may name: every published edition's ids.

    Titles come from the newest edition that has the id.
    """

    dimensions: dict[str, Any]
    questions: dict[str, Any]
    dimension_of: dict[str, str]

    @classmethod
    def load(cls) -> Topics:
        dimensions: dict[str, Any] = {}
        questions: dict[str, Any] = {}
        dimension_of: dict[str, str] = {}
        editions: dict[str, Questionnaire] = questionnaires.known_editions()
        for version in sorted(editions, key=lambda v: (len(v), v)):  # newest wins
            edition = editions[version]
            for d in edition.dimensions:
                dimensions[d.id] = d.title
                for q in d.questions:
                    questions[q.id] = q.text
                    dimension_of[q.id] = d.id
        return cls(dimensions, questions, dimension_of)


@dataclass(frozen=True)
class Filters:
    """What a list of practices is narrowed to; every field is optional and they combine."""

    q: str = ""
    dimension: str | None = None
    question: str | None = None
    country: str | None = None
    #: A size group key (scoring.peers.size_groups), e.g. "pop-100k-250k".
    size: str | None = None
    #: Practices with texts in this language.
    language: str | None = None
    #: Practices that ran in this year.
    year: int | None = None
    city: str | None = None
    #: None: published, plus the actor's own city's practices in any status.
    status: str | None = None
    #: Only the actor's own city's practices (any status).
    own: bool = False
    #: Leave this city's practices out ("how other cities do this").
    exclude_city_id: int | None = None


# --- reading ---------------------------------------------------------------------------

def _load(practice_id: int, *, lock: bool = False) -> Practice:
    query = (select(Practice).where(Practice.id == practice_id)
             .options(selectinload(Practice.texts), selectinload(Practice.dimensions),
                      selectinload(Practice.questions), selectinload(Practice.city)))
    if lock:
        query = query.with_for_update(of=Practice).execution_options(populate_existing=True)
    practice = db.session.scalar(query)
    if practice is None:
        raise NotFound(_("There is no such practice."))
    return practice


def get(actor: Actor, practice_id: int) -> Practice:
    """A practice the actor may see; NotFound otherwise (another city's draft included)."""
    practice = _load(practice_id)
    authz.require(actor, "view_practice", practice)
    return practice


def _visible(actor: Actor) -> Any:
    return or_(Practice.status.in_(sorted(practice_workflow.PUBLIC)),
               authz.city_filter(actor, Practice.city_id))


def conditions(actor: Actor, filters: Filters) -> list[Any]:
    """The WHERE conditions of a search: visibility, then each filter given."""
    for name in ("q", "dimension", "question", "country", "size", "language", "city", "status"):
        value = getattr(filters, name)
        if value and (_CONTROL.search(value) or len(value) > 200):
            raise Invalid(_("The search has problems: see each field."),
                          fields={name: _("contains control characters")
                                  if _CONTROL.search(value) else
                                  _("is longer than %(n)d characters", n=200)})
    found = [_visible(actor)]
    if filters.status:
        found.append(Practice.status == filters.status)
    elif not filters.own:  # published, and the actor's own city's in any status
        found.append(or_(Practice.status.in_(sorted(practice_workflow.PUBLIC)),
                         Practice.city_id == (actor.city_id or -1)))
    if filters.own:
        found.append(Practice.city_id == (actor.city_id or -1))
    if filters.exclude_city_id is not None:
        found.append(Practice.city_id != filters.exclude_city_id)
    if filters.dimension:
        found.append(exists().where(PracticeDimension.practice_id == Practice.id,
                                    PracticeDimension.dimension_id == filters.dimension))
    if filters.question:
        found.append(exists().where(PracticeQuestion.practice_id == Practice.id,
                                    PracticeQuestion.question_id == filters.question))
    if filters.language:
        found.append(exists().where(PracticeText.practice_id == Practice.id,
                                    PracticeText.language == filters.language))
    if filters.year is not None:
        found.append(and_(or_(Practice.start_year.is_(None), Practice.start_year <= filters.year),
                          or_(Practice.end_year.is_(None), Practice.end_year >= filters.year),
                          or_(Practice.start_year.is_not(None), Practice.end_year.is_not(None))))
    city_conditions = []
    if filters.country:
        city_conditions.append(City.country == filters.country)
    if filters.city:
        city_conditions.append(City.slug == filters.city)
    if filters.size:
        band = {key: (low, high) for key, low, high in size_groups()}.get(filters.size)
        if band is None:
            raise Invalid(_("Unknown size group."), fields={"size": _("is not a size group")})
        low, high = band
        city_conditions.append(City.population >= low)
        if high is not None:
            city_conditions.append(City.population < high)
    if city_conditions:
        found.append(Practice.city_id.in_(select(City.id).where(*city_conditions)))
    if filters.q.strip():
        words = practice_search.terms(filters.q)
        if words:
            found.append(practice_search.matches(words))
    return found


def search(actor: Actor, filters: Filters, *, after: tuple[str, int] | None = None,
           limit: int = 20) -> list[Practice]:
    """Practices matching `filters`, newest change first, `limit + 1` at most (keyset paging).

    `after` is the (updated_at ISO text, id) of the last practice of the previous page.
    """
    authz.require(actor, "browse_practices")
    query = select(Practice).where(*conditions(actor, filters))
    if after is not None:
        from datetime import datetime

        stamp = datetime.fromisoformat(after[0])
        query = query.where(or_(Practice.updated_at < stamp,
                                and_(Practice.updated_at == stamp, Practice.id < after[1])))
    query = (query.order_by(Practice.updated_at.desc(), Practice.id.desc()).limit(limit + 1)
             .options(selectinload(Practice.texts), selectinload(Practice.dimensions),
                      selectinload(Practice.questions), selectinload(Practice.city)))
    return list(db.session.scalars(query))


def page_key(practice: Practice) -> tuple[str, int]:
    """The keyset of a practice in search order (the cursor of the next page)."""
    return practice.updated_at.isoformat(), practice.id


def page_token(practice: Practice) -> str:
    """The page key as text for a page's link ("<updated_at>~<id>"): where the next starts."""
    stamp, practice_id = page_key(practice)
    return f"{stamp}~{practice_id}"


def parse_page_token(text: str | None) -> tuple[str, int] | None:
    """The page key of `page_token`; None for the first page; Invalid for anything else."""
    if not text:
        return None
    stamp, _sep, number = text.partition("~")
    try:
        from datetime import datetime

        datetime.fromisoformat(stamp)
        if not number.isdigit() or len(number) > 12:
            raise ValueError(number)
    except ValueError:
        raise Invalid(_("Invalid page."), fields={"after": _("is not a page of this list")}) from None
    return stamp, int(number)


# --- writing ---------------------------------------------------------------------------

def _clean(value: str, name: str, limit: int, errors: dict[str, str], *,
           required: bool = False) -> str:
    cleaned = (value or "").strip()
    if required and not cleaned:
        errors[name] = _("must not be empty")
    elif len(cleaned) > limit:
        errors[name] = _("is longer than %(n)d characters", n=limit)
    elif _CONTROL.search(cleaned):
        errors[name] = _("contains control characters")
    return cleaned


def _validate(data: PracticeData, topics: Topics) -> tuple[dict[str, Texts], list[str], list[str]]:
    errors: dict[str, str] = {}
    if data.language not in LANGUAGES:
        errors["language"] = _("is not one of %(list)s", list=", ".join(LANGUAGES))
    texts: dict[str, Texts] = {}
    for lang, given in data.texts.items():
        if lang not in LANGUAGES:
            errors[f"texts.{lang}"] = _("is not one of %(list)s", list=", ".join(LANGUAGES))
            continue
        prefix = "" if lang == data.language else f"texts.{lang}."
        if lang != data.language and not any((given.title, given.summary, given.description,
                                              given.results)):
            continue  # an empty translation is no translation
        texts[lang] = Texts(
            title=_clean(given.title, f"{prefix}title", MAX_TITLE, errors, required=True),
            summary=_clean(given.summary, f"{prefix}summary", MAX_SUMMARY, errors, required=True),
            description=_clean(given.description, f"{prefix}description", MAX_DESCRIPTION, errors),
            results=_clean(given.results, f"{prefix}results", MAX_RESULTS, errors),
        )
    if data.language in LANGUAGES and data.language not in texts and "title" not in errors:
        errors["title"] = _("must not be empty")
    questions = list(dict.fromkeys(data.questions))
    unknown = [q for q in questions if q not in topics.questions]
    if unknown:
        errors["questions"] = _("unknown questions: %(ids)s", ids=", ".join(unknown[:5]))
    dimensions = list(dict.fromkeys([*data.dimensions,
                                     *(topics.dimension_of[q] for q in questions
                                       if q in topics.dimension_of)]))
    unknown = [d for d in dimensions if d not in topics.dimensions]
    if unknown:
        errors["dimensions"] = _("unknown dimensions: %(ids)s", ids=", ".join(unknown[:5]))
    elif not dimensions:
        errors["dimensions"] = _("choose at least one dimension or question")
    for name, year in (("start_year", data.start_year), ("end_year", data.end_year)):
        if year is not None and not MIN_YEAR <= year <= MAX_YEAR:
            errors[name] = _("must be a year between %(a)d and %(b)d", a=MIN_YEAR, b=MAX_YEAR)
    if (data.start_year is not None and data.end_year is not None
            and data.start_year > data.end_year and "end_year" not in errors):
        errors["end_year"] = _("must not be before the first year")
    if data.budget_band is not None and data.budget_band not in BUDGET_BANDS:
        errors["budget_band"] = _("is not one of %(list)s", list=", ".join(BUDGET_BANDS))
    _clean(data.department, "department", MAX_SHORT, errors)
    _clean(data.partners, "partners", MAX_PARTNERS, errors)
    _clean(data.contact, "contact", MAX_SHORT, errors)
    links = [link.strip() for link in data.links if link.strip()]
    if len(links) > MAX_LINKS:
        errors["links"] = _("at most %(n)d links", n=MAX_LINKS)
    elif any(len(link) > MAX_LINK or not _URL.match(link) or _CONTROL.search(link)
             for link in links):
        errors["links"] = _("each link must be a web address starting with http:// or https://")
    if errors:
        raise Invalid(_("The practice has problems: see each field."), fields=errors)
    return texts, dimensions, questions


def _apply(practice: Practice, data: PracticeData, topics: Topics) -> None:
    texts, dimensions, questions = _validate(data, topics)
    practice.language = data.language
    practice.start_year, practice.end_year = data.start_year, data.end_year
    practice.department = data.department.strip()
    practice.partners = data.partners.strip()
    practice.budget_band = data.budget_band
    practice.links = [link.strip() for link in data.links if link.strip()]
    practice.contact = data.contact.strip()
    existing = {t.language: t for t in practice.texts}
    for lang in list(existing):
        if lang not in texts:
            practice.texts.remove(existing.pop(lang))
    for lang, given in texts.items():
        row = existing.get(lang)
        if row is None:
            row = PracticeText(language=lang)
            practice.texts.append(row)
        row.title, row.summary = given.title, given.summary
        row.description, row.results = given.description, given.results
    practice.dimensions = [PracticeDimension(dimension_id=d) for d in dimensions]
    practice.questions = [PracticeQuestion(question_id=q) for q in questions]
    practice.search_text = practice_search.document(
        [(t.title, t.summary, t.description, t.results) for t in texts.values()],
        [practice.department, practice.partners])


def _snapshot(practice: Practice) -> dict[str, Any]:
    return {
        "language": practice.language, "start_year": practice.start_year,
        "end_year": practice.end_year, "department": practice.department,
        "partners": practice.partners, "budget_band": practice.budget_band,
        "links": list(practice.links or []), "contact": practice.contact,
        "dimensions": sorted(d.dimension_id for d in practice.dimensions),
        "questions": sorted(q.question_id for q in practice.questions),
        "texts": {t.language: [t.title, t.summary, t.description, t.results]
                  for t in practice.texts},
    }


def create(actor: Actor, city_id: int, data: PracticeData) -> Practice:
    """A new draft practice of the city (its team, or staff for any city)."""
    with transaction():
        city = db.session.get(City, city_id)
        if city is None:
            raise NotFound(_("There is no such city."))
        authz.require(actor, "create_practice", city)
        now = utcnow()
        practice = Practice(city_id=city.id, status=practice_workflow.INITIAL, language="en",
                            revision=1, created_by_id=actor.user_id, updated_by_id=actor.user_id,
                            created_at=now, updated_at=now, texts=[], links=[])
        _apply(practice, data, Topics.load())
        db.session.add(practice)
        db.session.flush()
        audit.record(actor, "practice_created", target=practice,
                     details={"title": practice.texts[0].title if practice.texts else ""})
    return practice


def create_for(actor: Actor, city_slug: str | None, data: PracticeData) -> Practice:
    """As `create`, the city named by slug (default: the actor's own)."""
    if city_slug is None:
        if actor.city_id is None:
            raise Invalid(_("Name the city of the practice."), fields={"city": _("is required")})
        return create(actor, actor.city_id, data)
    city_id = db.session.scalar(select(City.id).where(City.slug == city_slug))
    if city_id is None:
        raise NotFound(_("There is no such city."))
    return create(actor, city_id, data)


def update(actor: Actor, practice_id: int, data: PracticeData, if_match: int | None) -> Practice:
    """Change a practice: `if_match` is the revision the writer saw (409 when stale, 428 none)."""
    with transaction():
        practice = _load(practice_id, lock=True)
        authz.require(actor, "edit_practice", practice)
        if if_match is None:
            raise PreconditionRequired(_('Send the revision you changed (If-Match: "%(n)d").',
                                         n=practice.revision))
        if if_match != practice.revision:
            raise Conflict(_("Someone changed this practice since you opened it (revision "
                             "%(n)d now). Reload it and make your change again.",
                             n=practice.revision), code="stale",
                           details={"revision": practice.revision})
        before = _snapshot(practice)
        _apply(practice, data, Topics.load())
        after = _snapshot(practice)
        if before != after:
            practice.revision += 1
            practice.updated_at = utcnow()
            practice.updated_by_id = actor.user_id
            audit.record(actor, "practice_updated", target=practice,
                         details={"changes": audit.changes(before, after)})
    return practice


def take_step(actor: Actor, practice_id: int, action: str, message: str | None = None) -> Practice:
    """Move a practice along its workflow (practice_workflow.STEPS), audited.

    NotFound for a practice the actor may not see, Forbidden for a person the step does
    not allow, Conflict (wrong_state) for a status it does not start from, Invalid for a
    missing message.
    """
    step = practice_workflow.step(action)
    with transaction():
        practice = _load(practice_id, lock=True)
        authz.require(actor, f"practice_{action}", practice)
        if practice.status not in step.sources:
            raise Conflict(_("This step is not possible now: the practice is %(status)s.",
                             status=status_label(practice.status)), code="wrong_state")
        text = None
        if step.needs_message:
            from benchmark.services.transitions import clean_message

            text = clean_message(message, "comment")
            practice.return_message = text
        now = utcnow()
        practice.status = step.target
        for stamp in step.stamps:
            setattr(practice, stamp, now)
        practice.revision += 1
        practice.updated_at = now
        practice.updated_by_id = actor.user_id
        audit.record(actor, step.audit, target=practice,
                     details={"message": text} if text is not None else None)
    return practice


def status_label(status: str) -> str:
    """A practice's status in words."""
    return {practice_workflow.DRAFT: _("draft"), practice_workflow.SUBMITTED: _("submitted"),
            practice_workflow.RETURNED: _("returned"), practice_workflow.PUBLISHED: _("published"),
            practice_workflow.WITHDRAWN: _("withdrawn")}.get(status, status)


def steps_for(actor: Actor, practice: Practice) -> tuple[str, ...]:
    """The steps the actor may take on this practice now, in table order."""
    return tuple(s.action for s in practice_workflow.steps_from(practice.status)
                 if authz.can(actor, f"practice_{s.action}", practice))


EXPORT_COLUMNS = ("id", "city", "city_name", "country", "status", "language", "title", "summary",
                  "description", "results", "translations", "dimensions", "questions",
                  "start_year", "end_year", "department", "partners", "budget_band", "links",
                  "contact", "published_at", "updated_at")
EXPORT_LIMIT = 50_000


def export_csv(actor: Actor, filters: Filters) -> str:
    """The practices matching `filters` as CSV (staff); every cell neutralised; audited.

    Practice texts are people's input: a cell starting with = + - @ is made inert
    (benchmark/cells.py), so no spreadsheet runs it as a formula.
    """
    import csv
    import io

    from benchmark.cells import neutralise_row

    authz.require(actor, "export")
    rows = search(actor, filters, limit=EXPORT_LIMIT)[:EXPORT_LIMIT]
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(EXPORT_COLUMNS)
    for p in rows:
        texts = {t.language: t for t in p.texts}
        original = texts.get(p.language) or next(iter(texts.values()))
        writer.writerow(neutralise_row((
            p.id, p.city.slug, p.city.name, p.city.country, p.status, p.language,
            original.title, original.summary, original.description, original.results,
            ";".join(sorted(lang for lang in texts if lang != p.language)),
            ";".join(d.dimension_id for d in p.dimensions),
            ";".join(q.question_id for q in p.questions), p.start_year or "",
            p.end_year or "", p.department, p.partners, p.budget_band or "",
            " ".join(p.links or []), p.contact,
            p.published_at.isoformat() if p.published_at else "", p.updated_at.isoformat())))
    with transaction():
        audit.record(actor, "export", details={"format": "practices_csv", "rows": len(rows)})
    return out.getvalue()
