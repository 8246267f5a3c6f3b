"""Staff exports of answers (CSV) and scores (Excel)."""

from __future__ import annotations

from collections.abc import Iterable

from flask import Response
from pydantic import BaseModel, ConfigDict, Field

from benchmark.services import exports
from benchmark.web.api import bp
from benchmark.web.identity import current_actor


class ExportQuery(BaseModel):
    model_config = ConfigDict(extra="forbid")

    questionnaire: str | None = Field(default=None, max_length=20, description="Edition version")


def _download(body: str | bytes | Iterable[str], mimetype: str, name: str) -> Response:
    response = Response(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.get("/exports/answers.csv", query=ExportQuery, media_type="text/csv", errors=(403, 404),
        tags=("exports",), summary="Staff: every answer as CSV (formula-safe cells)")
def export_answers_csv(query: ExportQuery) -> Response:
    chunks = exports.answers_csv(current_actor(), query.questionnaire)
    # Streamed: rows are read from the database as they are sent (flat memory).
    return _download(chunks, "text/csv", f"answers-{query.questionnaire or 'all'}.csv")


@bp.get("/exports/scores.xlsx", query=ExportQuery, errors=(403, 404), tags=("exports",),
        media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        summary="Staff: every assessment's indices as an Excel workbook")
def export_scores_xlsx(query: ExportQuery) -> Response:
    data = exports.scores_xlsx(current_actor(), query.questionnaire)
    return _download(data, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                     f"scores-{query.questionnaire or 'all'}.xlsx")
