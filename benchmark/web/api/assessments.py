"""Assessments and their answers (docs/api.md); the web form's autosave uses these too."""

from __future__ import annotations

import json
from typing import Any

from flask import Response, current_app, jsonify, request

from benchmark.errors import Invalid
from benchmark.models import Assessment
from benchmark.services import answers, assessment_pages, assessments, reviews
from benchmark.services.answers import KEEP, AnswerChange, Precondition
from benchmark.services.assessment_pages import AssessmentView
from benchmark.web.api import bp
from benchmark.web.api.assessment_models import (
    AnswerIn,
    AnswerOut,
    AssessmentIn,
    AssessmentOut,
    AssessmentPage,
    AssessmentQuery,
    AssessmentSummaryOut,
    CommentIn,
    DimensionProgressOut,
    MessageIn,
    ReopenIn,
    ReviewCommentOut,
    SavedAnswerOut,
)
from benchmark.web.api.pagination import decode_cursor, next_url
from benchmark.web.api.preconditions import (
    IF_MATCH,
    IF_NONE_MATCH_CREATE,
    if_match_revision,
    if_none_match_create,
)
from benchmark.web.api.schemas import CURSOR_NOTE
from benchmark.web.autocommit import autocommit_reads
from benchmark.web.identity import current_actor

TAGS = ("assessments",)
_PRECONDITION_HEADERS = (IF_MATCH, IF_NONE_MATCH_CREATE)


def _summary(a: Assessment) -> dict[str, Any]:
    return {"id": a.id, "city": a.city.slug, "questionnaire": a.edition.version,
            "round": a.round, "status": a.status, "revision": a.revision,
            "created_at": a.created_at, "updated_at": a.updated_at,
            "submitted_at": a.submitted_at, "validated_at": a.validated_at}


def _full(view: AssessmentView) -> AssessmentOut:
    h = view.header
    return AssessmentOut(
        id=h.id, city=h.city_slug, questionnaire=h.questionnaire, round=h.round,
        status=h.status, revision=h.revision, created_at=h.created_at, updated_at=h.updated_at,
        submitted_at=h.submitted_at, validated_at=h.validated_at, profile=dict(view.profile),
        answers={qid: AnswerOut(**a.as_json()) for qid, a in view.answers.items()},
        hidden=sorted(view.hidden),
        progress=[DimensionProgressOut(id=p.id, answered=p.answered, total=p.total,
                                       to_confirm=p.to_confirm) for p in view.progress],
        comments=[ReviewCommentOut(id=c.id, question_id=c.question_id, kind=c.kind, body=c.body,
                                   author=c.author, created_at=c.created_at,
                                   in_report=c.in_report)
                  for c in view.comments],
    )


def _resource(assessment_id: int, status: int = 200) -> Response:
    """The assessment as the caller now sees it, with its revision as ETag."""
    view = assessment_pages.view(current_actor(), assessment_id)
    return _with_etag(_full(view), view.header.revision, status)


def _with_etag(model: Any, revision: int, status: int = 200) -> Response:
    response = jsonify(model.model_dump(mode="json"))
    response.status_code = status
    response.headers["ETag"] = f'"{revision}"'
    return response


@bp.post("/assessments", summary="Start an assessment (focal point of the city)",
         body=AssessmentIn, out=AssessmentOut, status=201, errors=(403, 404, 409, 422), tags=TAGS,
         notes={422: "Invalid value, or a questionnaire that is not a published edition"})
def create_assessment(body: AssessmentIn) -> Response:
    created = assessments.create(current_actor(), body.city, body.questionnaire, body.round,
                                 prefill=body.prefill)
    response = _resource(created.id, 201)
    response.headers["Location"] = f"{bp.url_prefix}/assessments/{created.id}"
    return response


@bp.get("/assessments", summary="Assessments the caller may see (filters: city, status, "
        "questionnaire)", query=AssessmentQuery, out=AssessmentPage, errors=(422,), tags=TAGS,
        notes={422: CURSOR_NOTE})
def list_assessments(query: AssessmentQuery) -> AssessmentPage:
    after = decode_cursor(query.cursor, int)
    rows = assessments.list_visible(
        current_actor(),
        assessments.Filters(city=query.city, status=query.status,
                            questionnaire=query.questionnaire),
        after_id=after, limit=query.limit)
    return AssessmentPage(items=[AssessmentSummaryOut(**_summary(a)) for a in rows[:query.limit]],
                          next=next_url(rows, query.limit, lambda a: a.id))


@bp.get("/assessments/<int:assessment_id>", summary="An assessment with its answers, each with "
        "its revision", out=AssessmentOut, errors=(404,), tags=TAGS)
def get_assessment(assessment_id: int) -> Response:
    return _resource(assessment_id)


def _precondition() -> Precondition:
    """If-Match: "<revision>" or If-None-Match: * (web/api/preconditions.py); 400 when malformed."""
    revision = if_match_revision()
    if revision is not None:
        return Precondition(if_match=revision)
    return Precondition(if_none_match=if_none_match_create())


def _change(body: AnswerIn) -> AnswerChange:
    given = body.model_fields_set

    def pick(name: str, empty: Any) -> Any:
        if name not in given:
            return KEEP
        value = getattr(body, name)
        return empty if value is None else value

    return AnswerChange(value=body.value, na=body.na, comment=pick("comment", ""),
                        evidence=pick("evidence", ""), evidence_url=pick("evidence_url", ""),
                        evidence_year=pick("evidence_year", None))


@autocommit_reads
@bp.put("/assessments/<int:assessment_id>/answers/<question_id>",
        summary="Save one answer (If-Match: its revision; If-None-Match: * to create)",
        body=AnswerIn, out=SavedAnswerOut, headers=_PRECONDITION_HEADERS,
        errors=(403, 404, 409, 428), tags=TAGS,
        notes={422: "Invalid value, or a value the question's type refuses (the type, its "
               "options and bounds are in GET /questionnaires/{version})",
               428: "If-Match missing for an answer that exists, or If-None-Match: * "
               "missing for one that does not"})
def put_answer(assessment_id: int, question_id: str, body: AnswerIn) -> Response:
    precondition = _precondition()
    saved = answers.save(current_actor(), assessment_id, question_id, _change(body),
                         precondition)
    out = SavedAnswerOut(**saved.answer, question_id=question_id, hidden=saved.hidden,
                         changed=saved.changed, assessment_revision=saved.assessment_revision)
    return _with_etag(out, saved.revision)


@bp.before_request
def _answer_text_must_be_utf8() -> None:
    """Answer bodies whose text is not UTF-8 are invalid values (422 per field), not malformed."""
    if request.endpoint != "api.put_answer" or not current_actor().is_authenticated:
        return
    limit = current_app.config["API_MAX_BODY"]
    if request.content_length is not None and request.content_length > limit:
        return  # the route answers 413
    raw = request.get_data(cache=True)
    if len(raw) > limit:
        return
    try:
        raw.decode("utf-8")
        return
    except UnicodeDecodeError:
        pass
    try:
        data = json.loads(raw.decode("utf-8", "surrogateescape"))
    except (ValueError, RecursionError):
        return  # not JSON either: the route answers 400
    message = "is not valid UTF-8 text"
    fields = ({k: message for k, v in data.items() if answers.has_invalid_text(v)}
              if isinstance(data, dict) else {})
    raise Invalid("The body is not valid UTF-8.", fields=fields or {"body": message})


@bp.post("/assessments/<int:assessment_id>/submit", summary="Submit for review (focal point); "
         "422 lists what is missing", out=AssessmentOut, errors=(403, 404, 409, 422), tags=TAGS,
         notes={422: "Required answers are missing (listed in fields)"})
def submit_assessment(assessment_id: int) -> Response:
    return _resource(assessments.submit(current_actor(), assessment_id).id)


@bp.post("/assessments/<int:assessment_id>/return", summary="Return a submitted assessment "
         "to the city with a message (staff)", body=MessageIn, out=AssessmentOut,
         errors=(403, 404, 409, 422), tags=TAGS)
def return_assessment(assessment_id: int, body: MessageIn) -> Response:
    return _resource(reviews.return_(current_actor(), assessment_id, body.comment).id)


@bp.post("/assessments/<int:assessment_id>/validate", summary="Validate a submitted "
         "assessment (staff)", out=AssessmentOut, errors=(403, 404, 409), tags=TAGS)
def validate_assessment(assessment_id: int) -> Response:
    return _resource(reviews.validate(current_actor(), assessment_id).id)


@bp.post("/assessments/<int:assessment_id>/reopen", summary="Reopen a validated assessment "
         "with a reason (staff, audited)", body=ReopenIn, out=AssessmentOut,
         errors=(403, 404, 409, 422), tags=TAGS)
def reopen_assessment(assessment_id: int, body: ReopenIn) -> Response:
    return _resource(reviews.reopen(current_actor(), assessment_id, body.reason).id)


@bp.post("/assessments/<int:assessment_id>/comments", summary="Add a review comment on a "
         "question or the whole assessment (staff; visible to the city)", body=CommentIn,
         out=ReviewCommentOut, status=201, errors=(403, 404, 409, 422), tags=TAGS,
         notes={422: "Invalid value, or a question_id that is not a question of the "
                "assessment's edition"})
def add_review_comment(assessment_id: int, body: CommentIn) -> ReviewCommentOut:
    c = reviews.add_comment(current_actor(), assessment_id, body.question_id, body.body,
                            body.in_report)
    return ReviewCommentOut(id=c.id, question_id=c.question_id, kind=c.kind, body=c.body,
                            author=c.author, created_at=c.created_at, in_report=c.in_report)
