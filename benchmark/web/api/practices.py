"""Good practices (docs/api.md): list and search, read, write with If-Match, workflow steps."""

from __future__ import annotations

from dataclasses import replace

from flask import Response, jsonify

from benchmark.errors import Invalid
from benchmark.languages import LANGUAGES
from benchmark.models import Practice
from benchmark.services import practices
from benchmark.services.practice_pages import shown_texts
from benchmark.services.practices import Filters, PracticeData, Texts
from benchmark.web.api import bp
from benchmark.web.api.pagination import decode_cursor, next_url
from benchmark.web.api.practice_models import (
    PracticeIn,
    PracticeLangQuery,
    PracticeMessageIn,
    PracticeOut,
    PracticePage,
    PracticeQuery,
    TextsOut,
    YearsOut,
)
from benchmark.web.api.preconditions import IF_MATCH, if_match_revision
from benchmark.web.api.schemas import CURSOR_NOTE
from benchmark.web.identity import current_actor
from benchmark.web.locale import current_language

TAGS = ("practices",)
_IF_MATCH = (replace(IF_MATCH, required=True),)


def _lang(asked: str | None) -> str:
    if asked is None:
        return current_language()
    if asked not in LANGUAGES:
        raise Invalid("Unknown language.", fields={"lang": f"is not one of {', '.join(LANGUAGES)}"})
    return asked


def _out(p: Practice, lang: str) -> PracticeOut:
    shown = shown_texts(p, lang)
    return PracticeOut(
        id=p.id, city=p.city.slug, city_name=p.city.name, country=p.city.country,
        title=shown.title, summary=shown.summary, description=shown.description,
        results=shown.results, shown_language=shown.language, language=p.language,
        translations={t.language: TextsOut(title=t.title, summary=t.summary,
                                           description=t.description, results=t.results)
                      for t in p.texts},
        dimensions=[d.dimension_id for d in p.dimensions],
        questions=[q.question_id for q in p.questions],
        years=YearsOut(start=p.start_year, end=p.end_year), department=p.department,
        partners=p.partners, budget_band=p.budget_band, links=list(p.links or []),
        contact=p.contact, status=p.status, return_message=p.return_message,
        revision=p.revision, created_at=p.created_at, updated_at=p.updated_at,
        published_at=p.published_at)


def _resource(practice_id: int, lang: str, status: int = 200) -> Response:
    practice = practices.get(current_actor(), practice_id)
    response = jsonify(_out(practice, lang).model_dump(mode="json"))
    response.status_code = status
    response.headers["ETag"] = f'"{practice.revision}"'
    return response


def _data(body: PracticeIn) -> PracticeData:
    texts = {lang: Texts(t.title, t.summary, t.description, t.results)
             for lang, t in body.translations.items()}
    texts[body.language] = Texts(body.title, body.summary, body.description, body.results)
    return PracticeData(
        language=body.language, texts=texts, dimensions=body.dimensions,
        questions=body.questions, start_year=body.years.start, end_year=body.years.end,
        department=body.department, partners=body.partners, budget_band=body.budget_band,
        links=body.links, contact=body.contact)


@bp.get("/practices", summary="Published practices (and the caller's own city's in any "
        "status), filtered and searched, newest change first", query=PracticeQuery,
        out=PracticePage, errors=(422,), tags=TAGS, notes={422: CURSOR_NOTE})
def list_practices(query: PracticeQuery) -> PracticePage:
    lang = _lang(query.lang)
    after = decode_cursor(query.cursor, (str, int))
    try:
        rows = practices.search(current_actor(), Filters(
            q=query.q or "", dimension=query.dimension, question=query.question,
            country=query.country, size=query.size, language=query.language, year=query.year,
            city=query.city, status=query.status), after=tuple(after) if after else None,
            limit=query.limit)
    except ValueError:
        raise Invalid("Invalid cursor.", fields={"cursor": "not a cursor this API issued"}) from None
    return PracticePage(items=[_out(p, lang) for p in rows[:query.limit]],
                        next=next_url(rows, query.limit, lambda p: list(practices.page_key(p))))


@bp.get("/practices/<int:practice_id>", summary="One practice (404 for another city's "
        "unpublished practice)", query=PracticeLangQuery, out=PracticeOut, errors=(404, 422),
        tags=TAGS)
def get_practice(practice_id: int, query: PracticeLangQuery) -> Response:
    return _resource(practice_id, _lang(query.lang))


@bp.post("/practices", summary="Write a new draft practice (a city's team for its city; "
         "staff for the city named)", body=PracticeIn, out=PracticeOut, status=201,
         errors=(403, 404, 422), tags=TAGS,
         notes={422: "Invalid value, or one that depends on stored data: a question or "
                "dimension id no edition has, a city the caller may not name (staff must name "
                "one; a city's team may name only its own)"})
def create_practice(body: PracticeIn) -> Response:
    created = practices.create_for(current_actor(), body.city, _data(body))
    response = _resource(created.id, body.language, 201)
    response.headers["Location"] = f"{bp.url_prefix}/practices/{created.id}"
    return response


@bp.put("/practices/<int:practice_id>", summary="Change a practice (If-Match: its revision; "
        "409 when stale)", body=PracticeIn, out=PracticeOut, headers=_IF_MATCH,
        errors=(403, 404, 409, 422, 428), tags=TAGS,
        notes={422: "Invalid value, or one that depends on stored data: a question or "
               "dimension id no edition has, a city the caller may not name (staff must name "
               "one; a city's team may name only its own)"})
def put_practice(practice_id: int, body: PracticeIn) -> Response:
    practices.update(current_actor(), practice_id, _data(body), if_match_revision())
    return _resource(practice_id, body.language)


def _step(practice_id: int, action: str, message: str | None = None) -> Response:
    practices.take_step(current_actor(), practice_id, action, message)
    return _resource(practice_id, current_language())


@bp.post("/practices/<int:practice_id>/submit", summary="Submit a draft or returned practice "
         "to the programme staff (the city's team)", out=PracticeOut,
         errors=(403, 404, 409), tags=TAGS)
def submit_practice(practice_id: int) -> Response:
    return _step(practice_id, "submit")


@bp.post("/practices/<int:practice_id>/publish", summary="Publish a submitted practice "
         "(staff)", out=PracticeOut, errors=(403, 404, 409), tags=TAGS)
def publish_practice(practice_id: int) -> Response:
    return _step(practice_id, "publish")


@bp.post("/practices/<int:practice_id>/return", summary="Return a submitted practice to "
         "the city with a message (staff)", body=PracticeMessageIn, out=PracticeOut,
         errors=(403, 404, 409, 422), tags=TAGS)
def return_practice(practice_id: int, body: PracticeMessageIn) -> Response:
    return _step(practice_id, "return", body.comment)


@bp.post("/practices/<int:practice_id>/withdraw", summary="Withdraw a published practice "
         "(staff, or the city's focal point)", out=PracticeOut, errors=(403, 404, 409),
         tags=TAGS)
def withdraw_practice(practice_id: int) -> Response:
    return _step(practice_id, "withdraw")
