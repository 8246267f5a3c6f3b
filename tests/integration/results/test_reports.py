"""The PDF report over the API: the API's numbers in the text, ETag/304, cache invalidation."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from benchmark.extensions import db
from benchmark.services import report_store
from tests.builders import FIXTURES, api_token, build_assessment, build_city, build_user

pytestmark = [pytest.mark.config(QUESTIONNAIRE_DIR=str(FIXTURES)), pytest.mark.slow]

ANSWERS = {"commitment_01": "yes", "commitment_02": "partly", "commitment_03": ["council"],
           "education_01": 30, "education_02": 10, "language_01": "no", "language_02": 15}


def _text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


@pytest.fixture
def assessment(app):
    for _ in range(2):
        build_assessment(build_city(), status="validated", answers=ANSWERS)
    return build_assessment(build_city(name="Valdoria"), answers=ANSWERS)


def test_report_shows_the_city_and_every_index_of_the_api(client, assessment) -> None:
    headers = api_token(build_user("focal_point", assessment.city))
    scores = client.get(f"/api/v1/assessments/{assessment.id}/scores", headers=headers).get_json()
    response = client.get(f"/api/v1/assessments/{assessment.id}/report.pdf?lang=en", headers=headers)
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    text = _text(response.data)
    assert "Valdoria" in text
    for dimension in scores["dimensions"]:
        assert f"{dimension['index']:.1f}" in text
    assert f"{scores['overall']['index']:.1f}" in text


def test_unchanged_report_answers_304_to_its_etag(client, assessment) -> None:
    headers = api_token(build_user("staff"))
    first = client.get(f"/api/v1/assessments/{assessment.id}/report.pdf", headers=headers)
    etag = first.headers["ETag"]
    assert first.headers["Last-Modified"]
    again = client.get(f"/api/v1/assessments/{assessment.id}/report.pdf",
                       headers={**headers, "If-None-Match": etag})
    assert again.status_code == 304


def test_a_changed_answer_renders_a_new_report(client, assessment) -> None:
    headers = api_token(build_user("staff"))
    first = client.get(f"/api/v1/assessments/{assessment.id}/report.pdf", headers=headers)
    assessment.revision += 1  # what every answer save does
    db.session.commit()
    second = client.get(f"/api/v1/assessments/{assessment.id}/report.pdf",
                        headers={**headers, "If-None-Match": first.headers["ETag"]})
    assert second.status_code == 200
    assert second.headers["ETag"] != first.headers["ETag"]


def test_another_citys_report_is_not_found(client, assessment) -> None:
    headers = api_token(build_user("focal_point", build_city()))
    assert client.get(f"/api/v1/assessments/{assessment.id}/report.pdf", headers=headers).status_code == 404


def test_unsupported_report_language_is_422(client, assessment) -> None:
    headers = api_token(build_user("staff"))
    response = client.get(f"/api/v1/assessments/{assessment.id}/report.pdf?lang=de", headers=headers)
    assert response.status_code == 422


def test_network_report_is_for_staff(client, assessment) -> None:
    assert client.get("/api/v1/network/2019/report.pdf",
                      headers=api_token(build_user("focal_point", assessment.city))).status_code == 403
    response = client.get("/api/v1/network/2019/report.pdf", headers=api_token(build_user("staff")))
    assert response.status_code == 200
    assert "Mini index 2019" in _text(response.data) or "2019" in _text(response.data)


def test_render_command_writes_the_pdf(runner, assessment, tmp_path) -> None:
    out = tmp_path / "r.pdf"
    result = runner.invoke(args=["report", "render", "--assessment", str(assessment.id),
                                 "--out", str(out), "--lang", "ar"])
    assert result.exit_code == 0, result.output
    assert out.read_bytes().startswith(b"%PDF")


def test_render_command_for_unknown_assessment_fails_in_one_line(runner, tmp_path) -> None:
    result = runner.invoke(args=["report", "render", "--assessment", "999999", "--out",
                                 str(tmp_path / "x.pdf")])
    assert result.exit_code == 1
    assert "no such assessment" in result.output.lower()


@pytest.mark.config(BACKGROUND_JOBS=True)
def test_validation_renders_the_report_in_the_background(client, app) -> None:
    from benchmark.infra import jobs
    from benchmark.services import accounts, reports, reviews

    submitted = build_assessment(build_city(), status="submitted", answers=ANSWERS)
    build_user("focal_point", submitted.city, language="fr")
    staff = build_user("staff")
    reviews.validate(accounts.actor_for(staff), submitted.id)
    jobs.wait_for_idle(timeout=120)
    db.session.rollback()  # see what the job committed
    key = reports.cache_key(db.session.get(type(submitted), submitted.id), "fr")
    assert report_store.is_stored(key), "no fr report rendered after validation"


def test_with_redis_reports_render_in_a_worker(app, redis_url) -> None:
    """With BENCHMARK_REDIS_URL, validation queues the renders on Redis for `benchmark worker`."""
    from redis import Redis
    from rq import Queue

    from benchmark.infra import jobs
    from benchmark.services import accounts, reports, reviews

    app.config.update(REDIS_URL=redis_url, BACKGROUND_JOBS=True)
    Queue(jobs.QUEUE_NAME, connection=Redis.from_url(redis_url)).empty()
    submitted = build_assessment(build_city(), status="submitted", answers=ANSWERS)
    reviews.validate(accounts.actor_for(build_user("staff")), submitted.id)
    assert Queue(jobs.QUEUE_NAME, connection=Redis.from_url(redis_url)).count >= 1
    jobs.work(app, burst=True)
    db.session.rollback()  # see what the worker committed
    key = reports.cache_key(db.session.get(type(submitted), submitted.id), "en")
    assert report_store.is_stored(key)


def test_typing_in_a_later_draft_keeps_the_validated_report(client, app) -> None:
    city = build_city()
    validated = build_assessment(city, status="validated", round=2019, answers=ANSWERS)
    draft = build_assessment(city, round=2026, answers=ANSWERS)
    headers = api_token(build_user("staff"))
    first = client.get(f"/api/v1/assessments/{validated.id}/report.pdf", headers=headers)
    draft.revision += 1  # someone typed in the new round
    db.session.commit()
    again = client.get(f"/api/v1/assessments/{validated.id}/report.pdf",
                       headers={**headers, "If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304


def test_sweep_removes_old_cached_reports(runner, assessment, tmp_path) -> None:
    import os
    import time

    runner.invoke(args=["report", "render", "--assessment", str(assessment.id), "--out",
                        str(tmp_path / "r.pdf")])
    cached = list(report_store.folder().glob("*.pdf"))
    assert cached
    old = time.time() - 40 * 86400
    for path in cached:
        os.utime(path, (old, old))
    result = runner.invoke(args=["report", "sweep", "--days", "30"])
    assert result.exit_code == 0 and f"removed {len(cached)}" in result.output
    assert not list(report_store.folder().glob("*.pdf"))


def test_render_all_writes_every_validated_report(runner, assessment, tmp_path) -> None:
    # Its pool processes build their own app and run `_render_one`, which no other test
    # reaches: it had called a helper removed from the reports service, so every task failed.
    out = tmp_path / "out"
    result = runner.invoke(args=["report", "render-all", "--out-dir", str(out), "--jobs", "1"])
    assert result.exit_code == 0, result.output
    written = sorted(path.name for path in out.glob("*.pdf"))
    assert len(written) == 2 and all(name.endswith("-en.pdf") for name in written), written
    assert all(path.read_bytes().startswith(b"%PDF") for path in out.glob("*.pdf"))
