"""The shared report store seen from two instances (separate instance folders, one database).

A report rendered by one instance is served by the other without rendering, with the same
ETag, bytes and Last-Modified; If-None-Match is answered from the key alone; a download
resumed on the other instance joins parts of one file; the key fixes the printed date;
editing another city's record changes the reports that name it.
"""

from __future__ import annotations

import io
import logging
import os
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlalchemy import func, select, update

from benchmark.app import create_app
from benchmark.extensions import db
from benchmark.models import Assessment, NetworkStatistic, RenderedReport
from benchmark.services import accounts, cities, report_store, reports
from benchmark.services.report_store import ReportOf
from tests.builders import FIXTURES, api_token, build_assessment, build_city, build_user
from tests.live_server import live_server

pytestmark = [pytest.mark.config(QUESTIONNAIRE_DIR=str(FIXTURES)), pytest.mark.slow]

ANSWERS = {"commitment_01": "yes", "commitment_02": "partly", "commitment_03": ["council"],
           "education_01": 30, "education_02": 10, "language_01": "no", "language_02": 15}
BEST = {**ANSWERS, "commitment_02": "full", "commitment_03": ["council", "board", "audit"]}


def _text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def _renders(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records
            if r.name == "benchmark.services.report_store" and r.getMessage().startswith("rendered")]


@pytest.fixture
def other(app, tmp_path: Path):  # type: ignore[no-untyped-def]
    """A second instance: its own instance folder, the same database."""
    overrides = {key: app.config[key] for key in (
        "DATABASE_URL", "SECRET_KEY", "TESTING", "RATELIMIT_ENABLED", "BACKGROUND_JOBS",
        "QUESTIONNAIRE_DIR")}
    instance = create_app({**overrides, "INSTANCE_PATH": str(tmp_path / "other-instance")})
    yield instance
    with instance.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def report(app):  # type: ignore[no-untyped-def]
    build_assessment(build_city(), status="validated", answers=ANSWERS)
    assessment = build_assessment(build_city(name="Valdoria"), status="validated", answers=ANSWERS)
    return f"/api/v1/assessments/{assessment.id}/report.pdf", api_token(build_user("staff")), assessment


def test_a_report_rendered_by_one_instance_is_served_by_the_other_without_rendering(
        client, other, report, caplog) -> None:
    url, headers, _ = report
    caplog.set_level(logging.INFO, logger="benchmark.services.report_store")
    first = client.get(url, headers=headers)
    assert first.status_code == 200 and len(_renders(caplog)) == 1
    caplog.clear()
    second = other.test_client().get(url, headers=headers)
    assert second.status_code == 200 and _renders(caplog) == []
    assert second.headers["ETag"] == first.headers["ETag"]
    assert second.headers["Last-Modified"] == first.headers["Last-Modified"]
    assert second.data == first.data


def test_if_none_match_is_answered_from_the_key_without_rendering(other, report, caplog) -> None:
    url, headers, assessment = report
    caplog.set_level(logging.INFO, logger="benchmark.services.report_store")
    key = reports.cache_key(assessment, "en")  # a copy downloaded earlier, anywhere
    response = other.test_client().get(url, headers={**headers, "If-None-Match": f'"{key}"'})
    assert response.status_code == 304 and response.headers["ETag"] == f'"{key}"'
    assert _renders(caplog) == []
    assert db.session.scalar(select(func.count()).select_from(RenderedReport)) == 0


def test_a_download_resumed_on_the_other_instance_joins_one_file(client, other, report) -> None:
    url, headers, _ = report
    whole = client.get(url, headers=headers)
    etag, middle = whole.headers["ETag"], len(whole.data) // 2
    elsewhere = other.test_client()
    head = elsewhere.get(url, headers={**headers, "Range": f"bytes=0-{middle - 1}", "If-Range": etag})
    tail = client.get(url, headers={**headers, "Range": f"bytes={middle}-", "If-Range": etag})
    assert (head.status_code, tail.status_code) == (206, 206)
    assert head.data + tail.data == whole.data
    stale = elsewhere.get(url, headers={**headers, "Range": "bytes=0-99", "If-Range": '"stale"'})
    assert stale.status_code == 200 and stale.data == whole.data  # the whole current file


def test_the_printed_report_date_is_the_day_of_the_newest_input(client, report) -> None:
    url, headers, _ = report
    db.session.execute(update(Assessment).values(updated_at=datetime(2026, 2, 27, 9, tzinfo=UTC)))
    db.session.execute(update(NetworkStatistic).values(computed_at=datetime(2026, 3, 2, 23, tzinfo=UTC)))
    db.session.commit()
    pdf = client.get(url, headers=headers).data
    created = PdfReader(io.BytesIO(pdf)).metadata.creation_date
    assert created.date().isoformat() == "2026-03-02"  # not today: a key means one set of bytes


def test_editing_another_citys_name_or_consent_changes_the_reports_that_name_it(client, app) -> None:
    peer = build_city(name="Aldermoor")
    build_assessment(peer, status="validated", answers=BEST)
    reader = build_assessment(build_city(), status="validated", answers=ANSWERS)
    url, headers = f"/api/v1/assessments/{reader.id}/report.pdf", api_token(build_user("staff"))
    before = client.get(url, headers=headers)
    assert "Aldermoor" in _text(before.data)
    admin = accounts.actor_for(build_user("admin"))

    def edit(**changes: object) -> None:
        current = db.session.get(type(peer), peer.id)
        data = cities.CityData(slug=current.slug, name=current.name, country=current.country,
                               population=current.population,
                               foreign_born_share=current.foreign_born_share,
                               consent_named=current.consent_named)
        cities.update(admin, peer.id, cities.CityData(**{**data.__dict__, **changes}))

    edit(name="Aldermoor-on-Sea")
    renamed = client.get(url, headers={**headers, "If-None-Match": before.headers["ETag"]})
    assert renamed.status_code == 200 and "Aldermoor-on-Sea" in _text(renamed.data)
    edit(consent_named=False)
    withdrawn = client.get(url, headers={**headers, "If-None-Match": renamed.headers["ETag"]})
    assert withdrawn.status_code == 200 and "Aldermoor" not in _text(withdrawn.data)


def test_simultaneous_first_downloads_on_two_instances_render_once(app, other, report, caplog) -> None:
    url, headers, _ = report
    caplog.set_level(logging.INFO, logger="benchmark.services.report_store")
    results: list[tuple[int, str, bytes]] = []
    start = threading.Barrier(6)

    def download(base: str) -> None:
        import urllib.request

        start.wait()
        request = urllib.request.Request(base + url, headers=headers)
        with urllib.request.urlopen(request, timeout=120) as response:
            results.append((response.status, response.headers["ETag"], response.read()))

    with live_server(app) as first, live_server(other) as second:
        threads = [threading.Thread(target=download, args=(base,))
                   for base in (first, second) * 3]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=300)
    assert len(results) == 6 and {(status, etag) for status, etag, _ in results} == {
        (200, results[0][1])}
    assert len({content for _, _, content in results}) == 1
    assert len(_renders(caplog)) == 1


def test_the_first_bytes_stored_under_a_key_win(app) -> None:
    of = ReportOf("city", "en")
    first = report_store.put("k" * 64, b"%PDF first", of)
    second = report_store.put("k" * 64, b"%PDF second", of)
    assert second.path.read_bytes() == first.path.read_bytes() == b"%PDF first"


def test_sweep_removes_leftovers_and_superseded_reports_but_keeps_current_ones(runner, report) -> None:
    *_, assessment = report
    folder = report_store.folder()
    old = time.time() - 2 * 3600
    for name in ("dead-render.123.tmp", "abc.lock"):
        (folder / name).write_bytes(b"")
        os.utime(folder / name, (old, old))
    (folder / "in-progress.456.tmp").write_bytes(b"")  # a render writing right now
    of = ReportOf("city", "en", assessment_id=assessment.id)
    report_store.put("a" * 64, b"%PDF older", of)
    report_store.put("b" * 64, b"%PDF newer", of)
    db.session.execute(update(RenderedReport).where(RenderedReport.key == "a" * 64)
                       .values(created_at=datetime(2026, 1, 1, tzinfo=UTC)))
    db.session.execute(update(RenderedReport).where(RenderedReport.key == "b" * 64)
                       .values(created_at=datetime(2026, 1, 2, tzinfo=UTC)))
    db.session.commit()

    result = runner.invoke(args=["report", "sweep", "--days", "30"])
    assert result.exit_code == 0, result.output
    assert "2 leftover file(s)" in result.output and "1 superseded stored report(s)" in result.output
    assert sorted(p.name for p in folder.iterdir() if p.suffix in {".tmp", ".lock"}) == [
        "in-progress.456.tmp"]
    assert not report_store.is_stored("a" * 64) and report_store.is_stored("b" * 64)
