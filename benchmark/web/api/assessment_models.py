"""Request and response models of the assessment resources (the API contract, docs/api.md)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, JsonValue, StrictBool, StrictInt, StrictStr

from benchmark.web.api.schemas import PageQuery


class AnswerIn(BaseModel):
    """A new state of one answer. Omitted comment/evidence fields keep their stored values."""

    model_config = ConfigDict(extra="forbid")

    value: JsonValue = Field(default=None, description=(
        "Per question type: yes_no/single_choice an option id; multi_choice a list of option "
        "ids; number/percent a finite number (percent 0–100); text a string (≤ 5000 "
        "characters); null when unanswered or not applicable"))
    na: StrictBool = Field(default=False, description="Not applicable (only where the "
                           "question allows it); requires value null")
    comment: StrictStr | None = Field(default=None, description="Free comment (≤ 5000)")
    evidence: StrictStr | None = Field(default=None, description="Evidence: source (≤ 2000)")
    evidence_url: StrictStr | None = Field(default=None, description="Evidence: http(s) link")
    evidence_year: StrictInt | None = Field(default=None, description="Evidence: year")


class AnswerOut(BaseModel):
    value: JsonValue = None
    na: bool = False
    comment: str = ""
    evidence: str = ""
    evidence_url: str = ""
    evidence_year: int | None = None
    confirmed: bool = Field(True, description="False for an answer copied from the previous "
                            "round that nobody has confirmed yet")
    revision: int = Field(description="Starts at 1, +1 per accepted save; the ETag")
    updated_by: str | None = None
    updated_at: datetime | None = None


class SavedAnswerOut(AnswerOut):
    question_id: str
    hidden: bool = Field(description="Skip logic hides the question now: the answer is stored "
                         "but not scored")
    changed: bool = Field(description="False when the answer sent was the stored one: nothing "
                          "was saved and the revision did not move")
    assessment_revision: int


class AssessmentIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    city: StrictStr = Field(max_length=64, description="City slug")
    questionnaire: StrictStr = Field(max_length=20, description="Edition version, e.g. 2024")
    round: StrictInt = Field(ge=1, le=9999, description="Round label, usually the year")
    prefill: StrictBool = Field(default=False, description="Copy mapped answers of the city's "
                                "previous round as unconfirmed answers")


class AssessmentQuery(PageQuery):
    city: str | None = Field(default=None, max_length=64, description="City slug")
    status: str | None = Field(default=None, max_length=20,
                               description="draft, submitted, returned or validated")
    questionnaire: str | None = Field(default=None, max_length=20, description="Edition version")


class AssessmentSummaryOut(BaseModel):
    id: int
    city: str
    questionnaire: str
    round: int
    status: str
    revision: int
    created_at: datetime
    updated_at: datetime
    submitted_at: datetime | None = None
    validated_at: datetime | None = None


class ReviewCommentOut(BaseModel):
    id: int
    question_id: str | None
    kind: str = Field(description="comment, return or reopen")
    body: str
    author: str | None
    created_at: datetime
    in_report: bool = Field(default=False, description="Shown in the city's report as the "
                            "programme's comment")


class DimensionProgressOut(BaseModel):
    id: str
    answered: int
    total: int
    to_confirm: int


class AssessmentOut(AssessmentSummaryOut):
    profile: dict[str, Any]
    answers: dict[str, AnswerOut]
    hidden: list[str] = Field(description="Questions that skip logic hides now")
    progress: list[DimensionProgressOut]
    comments: list[ReviewCommentOut]


class AssessmentPage(BaseModel):
    items: list[AssessmentSummaryOut]
    next: str | None = None


class MessageIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    comment: StrictStr = Field(max_length=5000, description="Message to the city")


class ReopenIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: StrictStr = Field(max_length=5000, description="Why the assessment is reopened")


class CommentIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    question_id: StrictStr | None = Field(default=None, max_length=64,
                                          description="Question; null for the whole assessment")
    body: StrictStr = Field(max_length=5000)
    in_report: StrictBool = Field(default=False, description="Show it in the city's report as "
                                  "the programme's comment (a comment on a question only)")
