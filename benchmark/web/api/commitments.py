"""Policy commitments of a city and their progress notes (docs/api.md)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime
from datetime import date as Day
from typing import Literal

from flask import Response, jsonify
from pydantic import BaseModel, ConfigDict, Field

from benchmark.services import commitment_followup, commitments
from benchmark.services.commitments import CommitmentView, Fields
from benchmark.web.api import bp
from benchmark.web.api.pagination import decode_cursor, next_url
from benchmark.web.api.preconditions import IF_MATCH, if_match_revision
from benchmark.web.api.schemas import (
    CURSOR_NOTE,
    IsoDate,
    LineText,
    LongText,
    PageQuery,
    RequiredLine,
    RequiredText,
    RowId,
)
from benchmark.web.identity import current_actor

TAGS = ("commitments",)
#: What the document's schemas cannot say about a commitment's fields.
_STORED_422 = ("Invalid value, or one that depends on stored data: an assessment of another "
               "city, a dimension or questions the assessment's edition does not have, an "
               "owner outside the city's team, a practice that does not exist, a target date "
               "before the start date")
Status = Literal["planned", "in_progress", "done", "dropped"]
Outcome = Literal["done", "partly", "not_done", "dropped"]


class CommitmentFieldsIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    title: RequiredLine = Field(min_length=1, max_length=200, description="What the city commits to")
    description: LongText = Field(default="", max_length=5000)
    dimension: RequiredLine = Field(max_length=64, description="Dimension id it targets")
    questions: list[LineText] = Field(default_factory=list, max_length=30,
                                       description="Question ids of that dimension it targets")
    department: LineText = Field(default="", max_length=200, description="Responsible department")
    owner: LineText | None = Field(default=None, max_length=254,
                                    description="Email of the responsible member of the city's team")
    start_date: IsoDate | None = None
    target_date: IsoDate | None = None
    status: Status = "planned"
    practices: list[RowId] = Field(default_factory=list, max_length=30,
                                       description="Ids of good practices it draws on")

    def fields(self) -> Fields:
        return Fields(title=self.title, dimension=self.dimension, description=self.description,
                      questions=tuple(self.questions), department=self.department,
                      owner=self.owner, start_date=self.start_date, target_date=self.target_date,
                      status=self.status, practices=tuple(self.practices))


class CommitmentIn(CommitmentFieldsIn):
    assessment: RowId = Field(description="Id of the city's assessment whose results "
                                  "prompted the commitment")


class CommitmentUpdateIn(CommitmentFieldsIn):
    outcome: Outcome | None = Field(default=None, description="What became of it, recorded in "
                                    "the city's next round while that assessment is editable")
    outcome_note: LongText = Field(default="", max_length=5000)


class NoteIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: RequiredText = Field(min_length=1, max_length=5000)
    evidence: LongText = Field(default="", max_length=2000, description="A link or source")
    date: IsoDate | None = Field(default=None, description="Day the note is about (default today)")


class NoteOut(BaseModel):
    id: int
    kind: Literal["progress", "comment"] = Field(description="progress (city team) or comment (staff)")
    date: Day
    text: str
    evidence: str
    author: str


class CommitmentOut(BaseModel):
    id: int
    city: str
    assessment: int
    round: int
    questionnaire: str
    title: str
    description: str
    dimension: str
    questions: list[str]
    department: str
    owner: str | None
    start_date: date | None
    target_date: date | None
    status: Status
    outcome: Outcome | None
    outcome_note: str
    outcome_assessment: int | None = Field(description="The assessment in which the outcome "
                                           "was recorded")
    notes: list[NoteOut]
    practices: list[int]
    revision: int = Field(description="Starts at 1, +1 per change or note; the ETag")
    overdue: bool
    created_at: datetime
    updated_at: datetime


class CommitmentPage(BaseModel):
    items: list[CommitmentOut]
    next: str | None = None


_IF_MATCH = (replace(IF_MATCH, required=True),)


def _out(view: CommitmentView, status: int = 200) -> Response:
    response = jsonify(CommitmentOut(**view.as_json()).model_dump(mode="json"))
    response.status_code = status
    response.headers["ETag"] = f'"{view.revision}"'
    return response


@bp.get("/cities/<slug>/commitments", summary="A city's commitments, newest first",
        query=PageQuery, out=CommitmentPage, errors=(404, 422), tags=TAGS,
        notes={422: CURSOR_NOTE})
def list_commitments(slug: str, query: PageQuery) -> CommitmentPage:
    after = decode_cursor(query.cursor, int)
    page = commitments.for_city(current_actor(), slug)
    rows = sorted((c for c in page.items if after is None or c.id < after), key=lambda c: -c.id)
    rows = rows[:query.limit + 1]
    return CommitmentPage(items=[CommitmentOut(**c.as_json()) for c in rows[:query.limit]],
                          next=next_url(rows, query.limit, lambda c: c.id))


@bp.post("/cities/<slug>/commitments", summary="Commit to act on a result (focal point)",
         body=CommitmentIn, out=CommitmentOut, status=201, errors=(403, 404, 422), tags=TAGS,
         notes={422: _STORED_422})
def create_commitment(slug: str, body: CommitmentIn) -> Response:
    view = commitments.create(current_actor(), slug, body.assessment, body.fields())
    response = _out(view, 201)
    response.headers["Location"] = f"{bp.url_prefix}/commitments/{view.id}"
    return response


@bp.get("/commitments/<int:commitment_id>", summary="A commitment with its progress notes",
        out=CommitmentOut, errors=(404,), tags=TAGS)
def get_commitment(commitment_id: int) -> Response:
    return _out(commitments.get(current_actor(), commitment_id))


@bp.put("/commitments/<int:commitment_id>", summary="Change a commitment (focal point; "
        "If-Match: its revision); an outcome is recorded in the city's next round",
        body=CommitmentUpdateIn, out=CommitmentOut, headers=_IF_MATCH,
        errors=(403, 404, 409, 422, 428), tags=TAGS, notes={422: _STORED_422})
def put_commitment(commitment_id: int, body: CommitmentUpdateIn) -> Response:
    actor = current_actor()
    if_match = if_match_revision()
    if "outcome" in body.model_fields_set and body.outcome is not None:
        view = commitment_followup.update_with_outcome(actor, commitment_id, body.fields(),
                                                       body.outcome, body.outcome_note, if_match)
    else:
        view = commitments.update(actor, commitment_id, body.fields(), if_match)
    return _out(view)


@bp.post("/commitments/<int:commitment_id>/notes", summary="Add a dated progress note (city "
         "team: focal point, contributor of its dimension) or a comment (staff)",
         body=NoteIn, out=CommitmentOut, status=201, errors=(403, 404, 422), tags=TAGS)
def add_commitment_note(commitment_id: int, body: NoteIn) -> Response:
    view = commitments.add_note(current_actor(), commitment_id, body.text, body.evidence, body.date)
    return _out(view, 201)
