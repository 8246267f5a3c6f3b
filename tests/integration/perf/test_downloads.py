"""A cached report download: reads only, every download audited (spooled), the file sent by the proxy."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from benchmark.extensions import db
from benchmark.models import AuditEvent
from benchmark.services import accounts, audit, audit_spool
from benchmark.services.audit import AuditFilter
from tests.builders import FIXTURES, api_token, build_assessment, build_city, build_user, login
from tests.queries import count_queries

pytestmark = [pytest.mark.config(QUESTIONNAIRE_DIR=str(FIXTURES)), pytest.mark.slow]

ANSWERS = {"commitment_01": "yes", "commitment_02": "partly", "commitment_03": ["council"],
           "education_01": 30, "education_02": 10, "language_01": "no", "language_02": 15}


def _downloads() -> int:
    """Download records as the audit log's readers see them (the audit page's read model
    flushes the spool first)."""
    audit.browse(accounts.actor_for(build_user("admin")), AuditFilter(action="report_download"))
    db.session.commit()
    return _stored()


def _stored() -> int:
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


def test_a_cached_download_reads_two_statements_and_writes_none(client, report) -> None:
    path, headers = report
    before = _downloads()
    with count_queries() as queries:
        response = client.get(path, headers=headers)
    assert response.status_code == 200 and response.data.startswith(b"%PDF")
    # token with its user; the key's one statement: the rounds shown with the city, edition
    # versions, network stamps, review comments and the published practices' stamp, and the
    # city's commitments followed up. No audit insert: the download is spooled
    # (services/audit_spool.py).
    assert queries.count == 2, queries.report()
    assert _stored() == before
    for _ in range(3):
        client.get(path, headers=headers)
    assert _downloads() == before + 4  # no download goes unrecorded
    assert client.get(path, headers={**headers, "If-None-Match": response.headers["ETag"]}
                      ).status_code == 304
    assert _downloads() == before + 4  # "not modified" sends nothing


def test_downloads_are_on_the_audit_page(client, report) -> None:
    path, headers = report
    for _ in range(5):
        assert client.get(path, headers=headers).status_code == 200
    admin = build_user("admin")
    login(client, admin)
    page = client.get("/admin/audit?action=report_download").get_data(as_text=True)
    # the fixture's first download and these five, each a row of the page
    assert page.count("Report downloaded") >= 6
    assert _stored() == 6


def test_the_spool_is_on_by_default(app) -> None:
    assert audit_spool.is_enabled()


@pytest.mark.config(AUDIT_SPOOL=False)
def test_without_the_spool_each_download_writes_its_row(client, report, app) -> None:
    path, headers = report
    assert _stored() == 1
    with count_queries() as queries:
        assert client.get(path, headers=headers).status_code == 200
    assert queries.count == 3, queries.report()  # + the audit insert
    assert _stored() == 2
    assert not (Path(app.instance_path) / "audit-spool.jsonl").exists()


@pytest.mark.config(AUDIT_SPOOL=True, AUDIT_SPOOL_FLUSH_BYTES=1000)
def test_a_spool_past_its_limit_is_flushed_by_the_download_that_finds_it(client, report) -> None:
    path, headers = report
    for _ in range(8):  # 200-350 bytes a line: the spool passes 1,000 bytes every 3-5 lines
        client.get(path, headers=headers)
    assert _stored() >= 3  # flushed on the way, without any reader
    assert _downloads() == 9


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
