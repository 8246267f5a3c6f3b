"""A cached report download: one transaction, every download audited, the file sent by the proxy."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from benchmark.extensions import db
from benchmark.models import AuditEvent
from tests.builders import FIXTURES, api_token, build_assessment, build_city, build_user
from tests.queries import count_queries

pytestmark = [pytest.mark.config(QUESTIONNAIRE_DIR=str(FIXTURES)), pytest.mark.slow]

ANSWERS = {"commitment_01": "yes", "commitment_02": "partly", "commitment_03": ["council"],
           "education_01": 30, "education_02": 10, "language_01": "no", "language_02": 15}


def _downloads() -> int:
    return db.session.scalar(select(func.count()).select_from(AuditEvent)
                             .where(AuditEvent.action == "report_download"))


@pytest.fixture
def report(client):  # type: ignore[no-untyped-def]
    """A validated assessment whose report has been rendered once; (path, headers)."""
    assessment = build_assessment(build_city(name="Valdoria"), status="validated", answers=ANSWERS)
    headers = api_token(build_user("staff"))
    path = f"/api/v1/assessments/{assessment.id}/report.pdf"
    assert client.get(path, headers=headers).status_code == 200  # rendered and stored
    return path, headers


def test_a_cached_download_is_one_transaction_and_is_audited(client, report) -> None:
    path, headers = report
    before = _downloads()
    with count_queries() as queries:
        response = client.get(path, headers=headers)
    assert response.status_code == 200 and response.data.startswith(b"%PDF")
    # token with its user; the assessment, the rounds with the city and edition versions, the
    # network stamps, the city's commitments and the published practices' stamps (both
    # shown in the report), the audit row: no edition source, no re-read after a commit
    assert queries.count == 7, queries.report()
    assert _downloads() == before + 1
    for _ in range(3):
        client.get(path, headers=headers)
    assert _downloads() == before + 4  # no download goes unrecorded
    assert client.get(path, headers={**headers, "If-None-Match": response.headers["ETag"]}
                      ).status_code == 304
    assert _downloads() == before + 4  # "not modified" sends nothing


@pytest.mark.config(REPORT_SENDFILE="x-accel-redirect", REPORT_SENDFILE_PREFIX="/_reports/")
def test_nginx_sends_the_file_named_in_x_accel_redirect(client, report, app) -> None:
    path, headers = report
    response = client.get(path, headers=headers)
    assert response.status_code == 200
    assert response.data == b""  # the application sent no bytes
    target = response.headers["X-Accel-Redirect"]
    assert target.startswith("/_reports/") and target.endswith(".pdf")
    on_disk = Path(app.instance_path) / "reports" / target.removeprefix("/_reports/")
    assert on_disk.read_bytes().startswith(b"%PDF")
    assert response.headers["ETag"].strip('"') in target
    assert "attachment" in response.headers["Content-Disposition"]
    assert response.mimetype == "application/pdf"


@pytest.mark.config(REPORT_SENDFILE="x-sendfile")
def test_apache_sends_the_file_named_in_x_sendfile(client, report) -> None:
    path, headers = report
    response = client.get(path, headers=headers)
    assert response.status_code == 200 and response.data == b""
    assert Path(response.headers["X-Sendfile"]).read_bytes().startswith(b"%PDF")
