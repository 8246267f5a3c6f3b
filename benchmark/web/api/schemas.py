"""API models shared by every resource: errors and pages."""

from __future__ import annotations

from typing import Generic, TypeVar

from pydantic import BaseModel, ConfigDict, Field

T = TypeVar("T")


class ErrorBody(BaseModel):
    code: str = Field(description="Machine-readable error code, e.g. not_found, conflict")
    message: str = Field(description="Human-readable explanation")
    fields: dict[str, str] = Field(default_factory=dict, description="Per-field problems")


class ErrorOut(BaseModel):
    """Every failure under /api/ has this shape."""

    error: ErrorBody


class Page(BaseModel, Generic[T]):
    """A page of a list; `next` is the URL of the following page, or null on the last one."""

    items: list[T]
    next: str | None = None


class PageQuery(BaseModel):
    model_config = ConfigDict(extra="forbid")

    limit: int = Field(default=50, ge=1, le=500, description="Items per page")
    cursor: str | None = Field(default=None, max_length=200, description="Opaque, from `next`")


class StatusOut(BaseModel):
    status: str
    version: str
