"""PDF reports: a city's benchmark report and the staff network report."""

from __future__ import annotations

import io

from flask import Response, request, send_file
from pydantic import BaseModel, ConfigDict, Field

from benchmark.services import reports
from benchmark.services.reports import CachedReport
from benchmark.web.api import bp
from benchmark.web.api.schemas import Lang
from benchmark.web.identity import current_actor


class ReportQuery(BaseModel):
    model_config = ConfigDict(extra="forbid")

    lang: Lang = Field(default="en", description="en, fr or ar")


def _send(report: CachedReport) -> Response:
    if report.path is None:  # the caller's copy is current: decided from the key alone
        response = Response(status=304)
        response.set_etag(report.etag)
    else:
        # Bytes, not a file handle: a report is a few hundred kB and nothing is left open.
        response = send_file(io.BytesIO(report.path.read_bytes()), mimetype="application/pdf",
                             as_attachment=True, download_name=report.filename, etag=report.etag,
                             last_modified=report.created_at, conditional=True, max_age=0)
    response.headers["Cache-Control"] = "private, no-cache"
    return response


@bp.get("/assessments/<int:assessment_id>/report.pdf", query=ReportQuery, media_type="application/pdf",
        errors=(304, 404, 422), tags=("reports",),
        headers=(("If-None-Match", "ETag of a copy you have: 304 when unchanged", False),),
        summary="The assessment's PDF benchmark report (ETag; cached until inputs change)")
def get_report_pdf(assessment_id: int, query: ReportQuery) -> Response:
    return _send(reports.city_report_pdf(current_actor(), assessment_id, query.lang,
                                         known=request.if_none_match))


@bp.get("/network/<version>/report.pdf", query=ReportQuery, media_type="application/pdf",
        errors=(304, 403, 404, 422), tags=("reports",),
        headers=(("If-None-Match", "ETag of a copy you have: 304 when unchanged", False),),
        summary="Staff: the network report of an edition (distributions, cities, changes)")
def get_network_report_pdf(version: str, query: ReportQuery) -> Response:
    return _send(reports.network_report_pdf(current_actor(), version, query.lang,
                                            known=request.if_none_match))
