"""On PostgreSQL the hot paths read outside transactions (web/autocommit.py).

What a user waits for: a cached request is only its statements, each run from a prepared
statement, with no BEGIN or ROLLBACK round trip; and a write in such a request is still
one transaction (all of it or nothing).
"""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from benchmark.database import end_autocommit_reads, start_autocommit_reads
from benchmark.extensions import db
from benchmark.models import AuditEvent
from benchmark.services import accounts, audit
from benchmark.services._tx import transaction
from tests.builders import FIXTURES, api_token, build_assessment, build_city, build_user, login
from tests.queries import count_round_trips

ANSWERS = {"commitment_01": "yes", "commitment_02": "partly", "education_01": 30}
#: psycopg prepares a statement on its 6th run on a connection, counted from the last
#: ROLLBACK (a first request records the token's use, then ends in one).
WARM = 8


@pytest.fixture
def postgresql(backend: str) -> None:
    if backend != "postgresql":
        pytest.skip("round trips and autocommit are PostgreSQL's (SQLite runs in-process)")


def _downloads() -> int:
    return db.session.scalar(select(func.count()).select_from(AuditEvent)
                             .where(AuditEvent.action == "report_download"))


def test_cached_scores_are_two_prepared_statements_and_no_transaction(client, postgresql) -> None:
    own = build_assessment(build_city(), status="validated", real=True, answers=ANSWERS)
    headers = api_token(build_user("focal_point", own.city))
    path = f"/api/v1/assessments/{own.id}/scores"
    for _ in range(WARM):
        client.get(path, headers=headers)
    with count_round_trips() as trips:
        response = client.get(path, headers=headers)
    assert response.status_code == 200 and response.get_json()["assessment"] == own.id
    # the token with its user; the assessment with its city and network stamp
    assert trips.count == 2, trips.report()
    assert trips.parsed == 0, trips.report()  # prepared: the server neither parses nor plans
    assert trips.transaction_control == [], trips.report()


@pytest.mark.config(QUESTIONNAIRE_DIR=str(FIXTURES), AUDIT_SPOOL=False)
def test_downloads_stay_recorded_without_a_transaction(client, postgresql) -> None:
    assessment = build_assessment(build_city(), status="validated", answers=ANSWERS)
    headers = api_token(build_user("staff"))
    path = f"/api/v1/assessments/{assessment.id}/report.pdf"
    # the first download renders and stores the report, in transactions of its own
    assert client.get(path, headers=headers).data.startswith(b"%PDF")
    for _ in range(WARM):
        client.get(path, headers=headers)
    before = _downloads()
    with count_round_trips() as trips:
        response = client.get(path, headers=headers)
    assert response.status_code == 200 and response.data.startswith(b"%PDF")
    # token, the key's read, the audit row (written at once: the spool is off)
    assert trips.count == 3, trips.report()
    assert trips.transaction_control == [], trips.report()
    assert _downloads() == before + 1 == WARM + 2  # every download recorded


@pytest.mark.config(QUESTIONNAIRE_DIR=str(FIXTURES))
def test_a_spooled_download_is_two_prepared_reads(client, postgresql) -> None:
    assessment = build_assessment(build_city(), status="validated", answers=ANSWERS)
    headers = api_token(build_user("staff"))
    path = f"/api/v1/assessments/{assessment.id}/report.pdf"
    for _ in range(WARM):
        assert client.get(path, headers=headers).status_code == 200
    with count_round_trips() as trips:
        assert client.get(path, headers=headers).data.startswith(b"%PDF")
    # token, the key's read; the audit row went to the spool (the default)
    assert (trips.count, trips.parsed, trips.transaction_control) == (2, 0, []), trips.report()


def test_autosave_reads_its_token_outside_and_writes_in_one_transaction(client, postgresql) -> None:
    assessment = build_assessment(real=True)
    headers = api_token(build_user("focal_point", assessment.city))
    path = f"/api/v1/assessments/{assessment.id}/answers/education_01"
    client.put(path, json={"value": 1}, headers={**headers, "If-None-Match": "*"})
    with count_round_trips() as trips:
        response = client.put(path, json={"value": 2}, headers={**headers, "If-Match": '"1"'})
    assert response.status_code == 200, response.get_json()
    controls = [m.split('"')[1].split(" ")[0] for m in trips.transaction_control]
    assert controls == ["BEGIN", "COMMIT"], trips.report()
    assert trips.count == 4 + 2, trips.report()  # its 4 statements (test_query_counts.py)
    # a stale save changes nothing and says so
    stale = client.put(path, json={"value": 3}, headers={**headers, "If-Match": '"1"'})
    assert stale.status_code == 409
    assert client.get(path.rsplit("/", 2)[0], headers=headers).status_code == 200


def test_the_dimension_page_reads_without_a_transaction(client, postgresql) -> None:
    assessment = build_assessment(real=True, answers=ANSWERS)
    login(client, build_user("focal_point", assessment.city))
    path = f"/assessments/{assessment.id}/dimensions/education"
    for _ in range(WARM):
        assert client.get(path).status_code == 200
    with count_round_trips() as trips:
        page = client.get(path)
    assert page.status_code == 200 and "education_01" in page.get_data(as_text=True)
    # the session with its user; the round; its answers; commitments (a draft has no review
    # comments to read: reviews.may_have_comments)
    assert trips.count == 4, trips.report()
    assert trips.parsed == 0, trips.report()
    assert trips.transaction_control == [], trips.report()


def test_other_requests_read_in_a_transaction_that_keeps_prepared_statements(
        client, postgresql) -> None:
    own = build_assessment(build_city(), real=True, answers=ANSWERS)
    headers = api_token(build_user("focal_point", own.city))
    scores, detail = f"/api/v1/assessments/{own.id}/scores", f"/api/v1/assessments/{own.id}"
    for _ in range(WARM):
        client.get(scores, headers=headers)
    # an unmarked view on the same connection: back in the default mode, it reads in a
    # transaction, which it ends with COMMIT (a ROLLBACK would drop every prepared statement)
    with count_round_trips() as trips:
        assert client.get(detail, headers=headers).status_code == 200
    controls = [m.split('"')[1].split(" ")[0] for m in trips.transaction_control]
    assert controls == ["BEGIN", "COMMIT"], trips.report()
    with count_round_trips() as trips:
        assert client.get(scores, headers=headers).status_code == 200
    assert (trips.count, trips.parsed) == (2, 0), trips.report()


def test_a_write_after_autocommit_reads_is_all_or_nothing(app) -> None:
    actor = accounts.actor_for(build_user("admin"))
    before = db.session.scalar(select(func.count()).select_from(AuditEvent))
    db.session.commit()
    start_autocommit_reads()
    try:
        with app.test_request_context():
            db.session.execute(select(1))  # a read outside any transaction
            with pytest.raises(RuntimeError), transaction():
                audit.insert_now([audit.row(actor, "export", None, None)])
                raise RuntimeError("fails after its first write")
            db.session.remove()
    finally:
        end_autocommit_reads()
    assert db.session.scalar(select(func.count()).select_from(AuditEvent)) == before
