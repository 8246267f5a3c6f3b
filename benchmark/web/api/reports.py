"""PDF reports: a city's benchmark report and the staff network report."""

from __future__ import annotations

import io

from flask import Response, current_app, request, send_file
from pydantic import BaseModel, ConfigDict, Field

from benchmark.services import reports
from benchmark.services.reports import CachedReport
from benchmark.web.api import bp
from benchmark.web.api.schemas import Lang
from benchmark.web.autocommit import autocommit_reads
from benchmark.web.identity import current_actor


class ReportQuery(BaseModel):
    model_config = ConfigDict(extra="forbid")

    lang: Lang = Field(default="en", description="en, fr or ar")


def _send(report: CachedReport) -> Response:
    offload = current_app.config.get("REPORT_SENDFILE") or ""
    if report.path is None:  # the caller's copy is current: decided from the key alone
        response = Response(status=304)
        response.set_etag(report.etag)
    elif offload:
        # Production behind nginx (X-Accel-Redirect) or Apache/lighttpd (X-Sendfile): the
        # proxy sends the file, ranges included; the application does no file I/O.
        # docs/performance.md, "Serving reports", has the proxy configuration.
        response = Response(status=200, mimetype="application/pdf")
        if offload == "x-accel-redirect":
            prefix = current_app.config.get("REPORT_SENDFILE_PREFIX") or "/_reports/"
            response.headers["X-Accel-Redirect"] = prefix.rstrip("/") + "/" + report.path.name
        else:
            response.headers["X-Sendfile"] = str(report.path.resolve())
        response.headers["Content-Disposition"] = f'attachment; filename="{report.filename}"'
        response.set_etag(report.etag)
        if report.created_at is not None:
            response.last_modified = report.created_at
    else:
        # Bytes, not a file handle: a report is a few hundred kB and nothing is left open.
        response = send_file(io.BytesIO(report.path.read_bytes()), mimetype="application/pdf",
                             as_attachment=True, download_name=report.filename, etag=report.etag,
                             last_modified=report.created_at, conditional=True, max_age=0)
    response.headers["Cache-Control"] = "private, no-cache"
    return response


@autocommit_reads
@bp.get("/assessments/<int:assessment_id>/report.pdf", query=ReportQuery, media_type="application/pdf",
        errors=(304, 404, 422), tags=("reports",),
        notes={422: "Invalid value, or a language the assessment's edition is not written in"},
        headers=(("If-None-Match", "ETag of a copy you have: 304 when unchanged", False),),
        summary="The assessment's PDF benchmark report (ETag; cached until inputs change)")
def get_report_pdf(assessment_id: int, query: ReportQuery) -> Response:
    return _send(reports.city_report_pdf(current_actor(), assessment_id, query.lang,
                                         known=request.if_none_match))


@autocommit_reads
@bp.get("/network/<version>/report.pdf", query=ReportQuery, media_type="application/pdf",
        errors=(304, 403, 404, 422), tags=("reports",),
        notes={422: "Invalid value, or a language the edition is not written in"},
        headers=(("If-None-Match", "ETag of a copy you have: 304 when unchanged", False),),
        summary="Staff: the network report of an edition (distributions, cities, changes)")
def get_network_report_pdf(version: str, query: ReportQuery) -> Response:
    return _send(reports.network_report_pdf(current_actor(), version, query.lang,
                                            known=request.if_none_match))
