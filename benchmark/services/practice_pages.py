"""Read models of the practice pages and of the practice API resource (one call per page)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select

from benchmark import authz, practice_workflow
from benchmark.authz import Actor
from benchmark.errors import Forbidden
from benchmark.extensions import db
from benchmark.languages import LANGUAGES
from benchmark.models import City, Practice, PracticeText
from benchmark.questionnaire import localize
from benchmark.scoring.peers import size_groups
from benchmark.services import practices
from benchmark.services.practices import Filters, Topics

PER_PAGE = 20


@dataclass(frozen=True)
class ShownTexts:
    """The texts a reader sees: their language when the practice has it, else the original."""

    language: str
    is_original: bool
    #: False when the reader's language was missing and the original is shown instead.
    in_reader_language: bool
    title: str
    summary: str
    description: str
    results: str


def shown_texts(practice: Practice, lang: str) -> ShownTexts:
    by_lang = {t.language: t for t in practice.texts}
    chosen = by_lang.get(lang) or by_lang.get(practice.language) or next(iter(by_lang.values()))
    return ShownTexts(language=chosen.language, is_original=chosen.language == practice.language,
                      in_reader_language=chosen.language == lang, title=chosen.title,
                      summary=chosen.summary, description=chosen.description,
                      results=chosen.results)


@dataclass(frozen=True)
class Card:
    """A practice in a list."""

    id: int
    texts: ShownTexts
    city_name: str
    country: str
    status: str
    dimensions: tuple[tuple[str, str], ...]
    start_year: int | None
    end_year: int | None

    @classmethod
    def of(cls, practice: Practice, lang: str, topics: Topics) -> Card:
        return cls(
            id=practice.id, texts=shown_texts(practice, lang), city_name=practice.city.name,
            country=practice.city.country, status=practice.status,
            dimensions=tuple((d.dimension_id, _title(topics.dimensions, d.dimension_id, lang))
                             for d in practice.dimensions),
            start_year=practice.start_year, end_year=practice.end_year)


def _title(catalogue: dict[str, Any], key: str, lang: str) -> str:
    value = catalogue.get(key)
    return localize(value, lang) if value else key


@dataclass(frozen=True)
class BrowsePage:
    cards: list[Card]
    #: Where the next page starts (practices.page_token), or None on the last.
    next_key: str | None
    filters: Filters
    dimensions: list[tuple[str, str]]
    questions: list[tuple[str, str]]
    countries: list[str]
    size_groups: list[tuple[str, int, int | None]]
    languages: tuple[str, ...]
    #: Statuses the reader may filter by (staff: all; a city's team: its own practices').
    statuses: tuple[str, ...]
    #: The reader's city's practices in progress (drafts, submitted, returned), newest first.
    own_in_progress: list[Card]
    may_create: bool
    #: Staff may download the search's practices as CSV.
    may_export: bool


def browse(actor: Actor, filters: Filters, lang: str, *,
           after: tuple[str, int] | None = None) -> BrowsePage:
    """The browse and search page: a page of matching practices and the filter choices."""
    rows = practices.search(actor, filters, after=after, limit=PER_PAGE)
    topics = Topics.load()
    cards = [Card.of(p, lang, topics) for p in rows[:PER_PAGE]]
    next_key = practices.page_token(rows[PER_PAGE - 1]) if len(rows) > PER_PAGE else None
    countries = list(db.session.scalars(
        select(City.country).distinct().where(City.id.in_(
            select(Practice.city_id).where(Practice.status.in_(sorted(practice_workflow.PUBLIC)))))
        .order_by(City.country)))
    own: list[Card] = []
    if actor.city_id is not None and not filters.own and after is None:
        own = [Card.of(p, lang, topics) for p in practices.search(
            actor, Filters(own=True), limit=50) if p.status != practice_workflow.PUBLISHED][:50]
    city = db.session.get(City, actor.city_id) if actor.city_id is not None else None
    return BrowsePage(
        cards=cards, next_key=next_key, filters=filters,
        dimensions=[(k, localize(v, lang)) for k, v in topics.dimensions.items()],
        questions=[(k, f"{k} · {localize(v, lang)}") for k, v in topics.questions.items()],
        countries=countries, size_groups=list(size_groups()), languages=LANGUAGES,
        statuses=practice_workflow.STATUSES if actor.is_staff or actor.city_id else (),
        own_in_progress=own,
        may_create=city is not None and authz.can(actor, "create_practice", city),
        may_export=authz.can(actor, "export"))


@dataclass(frozen=True)
class PracticeView:
    """A practice as its page and the API show it, with what the reader may do."""

    practice: Practice
    texts: ShownTexts
    #: Every language's texts, original first.
    all_texts: list[PracticeText]
    city_name: str
    city_slug: str
    country: str
    dimensions: list[tuple[str, str]]
    questions: list[tuple[str, str]]
    steps: tuple[str, ...]
    may_edit: bool
    #: The return message, shown to the city and staff while the practice is returned.
    return_message: str


def view(actor: Actor, practice_id: int, lang: str) -> PracticeView:
    """One practice (NotFound when the actor may not see it)."""
    practice = practices.get(actor, practice_id)
    topics = Topics.load()
    texts = sorted(practice.texts, key=lambda t: (t.language != practice.language, t.language))
    return PracticeView(
        practice=practice, texts=shown_texts(practice, lang), all_texts=texts,
        city_name=practice.city.name, city_slug=practice.city.slug,
        country=practice.city.country,
        dimensions=[(d.dimension_id, _title(topics.dimensions, d.dimension_id, lang))
                    for d in practice.dimensions],
        questions=[(q.question_id, _title(topics.questions, q.question_id, lang))
                   for q in practice.questions],
        steps=practices.steps_for(actor, practice),
        may_edit=authz.can(actor, "edit_practice", practice),
        return_message=(practice.return_message
                        if practice.status == practice_workflow.RETURNED else ""),
    )


@dataclass(frozen=True)
class FormPage:
    """The create/edit form: choices, and the practice being edited (None for a new one)."""

    practice: Practice | None
    dimensions: list[tuple[str, str]]
    questions: list[tuple[str, str]]
    city_name: str


def form_page(actor: Actor, practice_id: int | None, lang: str) -> FormPage:
    """The form of a new practice of the actor's city, or of an existing one they may edit."""
    topics = Topics.load()
    dims = [(k, localize(v, lang)) for k, v in topics.dimensions.items()]
    qs = [(k, f"{k} · {localize(v, lang)}") for k, v in topics.questions.items()]
    if practice_id is None:
        city = db.session.get(City, actor.city_id) if actor.city_id is not None else None
        if city is None:  # staff write a city's practice through the API (it names the city)
            authz.require(actor, "manage_own_account")
            raise Forbidden(_("Practices are described by a city's team."))
        authz.require(actor, "create_practice", city)
        return FormPage(None, dims, qs, city.name)
    practice = practices.get(actor, practice_id)
    authz.require(actor, "edit_practice", practice)
    return FormPage(practice, dims, qs, practice.city.name)


@dataclass(frozen=True)
class QuestionPractices:
    """Published practices answering one question ("see how other cities do this")."""

    question_id: str
    question_text: str
    cards: list[Card]


def for_question(actor: Actor, question_id: str, lang: str, limit: int = 5) -> QuestionPractices:
    rows = practices.search(actor, Filters(question=question_id, status=practice_workflow.PUBLISHED,
                                           exclude_city_id=actor.city_id), limit=limit)
    topics = Topics.load()
    return QuestionPractices(question_id, _title(topics.questions, question_id, lang),
                             [Card.of(p, lang, topics) for p in rows[:limit]])
