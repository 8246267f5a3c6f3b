"""Draft editions in the web interface: upload, problems, refusals, publishing, immutability."""

from __future__ import annotations

import hashlib
import io

from sqlalchemy import func, select

from benchmark.extensions import db
from benchmark.models import AuditEvent, QuestionnaireDraft, QuestionnaireEdition
from benchmark.services import questionnaires
from tests.builders import api_token, build_city, build_user
from tests.integration.editions.conftest import (
    MINI,
    draft_id_of,
    next_edition_workbook,
    next_edition_yaml,
    post,
    upload,
)


def _counts() -> tuple[int, int]:
    db.session.expire_all()
    return (db.session.scalar(select(func.count()).select_from(QuestionnaireDraft)),
            db.session.scalar(select(func.count()).select_from(QuestionnaireEdition)))


def _draft(draft_id: int) -> QuestionnaireDraft:
    db.session.expire_all()
    return db.session.get(QuestionnaireDraft, draft_id)


def _actions() -> list[str]:
    return list(db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))


# -- uploading ------------------------------------------------------------------------------------


def test_an_uploaded_yaml_file_becomes_a_draft_without_problems(admin_client) -> None:
    response = upload(admin_client, next_edition_yaml())

    assert response.status_code == 302
    draft_id = draft_id_of(response)
    html = admin_client.get(f"/admin/questionnaires/drafts/{draft_id}").get_data(as_text=True)
    assert "Draft edition 2026" in html and "No problems: the file is valid." in html
    assert "Publish edition 2026" in html
    assert _actions()[-1] == "edition_draft_uploaded"


def test_a_workbook_with_a_defect_is_stored_and_its_problem_shown_at_its_cell(admin_client) -> None:
    data = next_edition_workbook(**{"questions!D2": "agree5"})

    draft_id = draft_id_of(upload(admin_client, data, "icc-2026.xlsx"))
    html = admin_client.get(f"/admin/questionnaires/drafts/{draft_id}").get_data(as_text=True)

    assert "<code>questions!D2</code>" in html
    assert "unknown option list &#34;agree5&#34;" in html
    assert "Publish edition" not in html and "Fix the problems listed below first." in html


def test_drafts_are_never_offered_to_cities_nor_listed_by_the_api(admin_client, client) -> None:
    upload(admin_client, next_edition_yaml())
    city = build_city("lyon", name="Lyon")
    headers = api_token(build_user("focal_point", city))

    listed = client.get("/api/v1/questionnaires", headers=headers).get_json()["items"]
    single = client.get("/api/v1/questionnaires/2026", headers=headers)

    assert [e["version"] for e in listed] == ["2019", "2024"]
    assert single.status_code == 404
    assert [e.version for e in questionnaires.list_editions()] == ["2019", "2024"]


def test_a_malformed_file_is_refused_and_nothing_is_stored(admin_client) -> None:
    before = _counts()

    binary = upload(admin_client, b"\x89PNG\r\n\x1a\n\x00\x00garbage", "logo.yaml")
    broken_yaml = upload(admin_client, b"version: [unclosed\n", "broken.yaml")
    broken_zip = upload(admin_client, b"PK\x03\x04" + b"\x00" * 200, "broken.xlsx")

    assert [r.status_code for r in (binary, broken_yaml, broken_zip)] == [422, 422, 422]
    assert "neither a YAML file" in binary.get_data(as_text=True)
    assert "could not be read, so nothing was changed" in broken_yaml.get_data(as_text=True)
    assert "not a readable Excel workbook" in broken_zip.get_data(as_text=True)
    assert _counts() == before


def test_a_50_mb_upload_is_refused_with_the_limit_and_nothing_is_stored(admin_client) -> None:
    before = _counts()

    response = upload(admin_client, b"#" * (50 * 1024 * 1024), "huge.yaml")

    assert response.status_code == 413
    assert "larger than 5 MB" in response.get_data(as_text=True)
    assert "Nothing was changed." in response.get_data(as_text=True)
    assert _counts() == before


def test_a_file_just_over_the_cap_is_refused_by_size(admin_client) -> None:
    response = upload(admin_client, b"#" * (5 * 1024 * 1024 + 10), "big.yaml")

    assert response.status_code == 413
    assert "The file is 5.0 MB; questionnaire files may be at most 5 MB" in response.get_data(
        as_text=True)


def test_a_draft_for_a_published_version_is_refused_with_the_reason(admin_client) -> None:
    before = _counts()

    response = upload(admin_client, next_edition_yaml("2024"))

    assert response.status_code == 409
    assert "Edition 2024 is already published, and a published edition never changes" in \
        response.get_data(as_text=True)
    assert _counts() == before


# -- publishing and immutability -------------------------------------------------------------------


def _publish(client, draft_id: int, revision: int = 1):  # type: ignore[no-untyped-def]
    return post(client, f"/admin/questionnaires/drafts/{draft_id}/publish",
                {"revision": str(revision)})


def test_publishing_makes_the_edition_available_with_its_checksum(admin_client, client) -> None:
    draft_id = draft_id_of(upload(admin_client, next_edition_yaml()))

    response = _publish(admin_client, draft_id)

    assert response.status_code == 302
    assert response.headers["Location"].endswith("/admin/questionnaires/2026")
    row = questionnaires.find_row("2026")
    assert row.checksum == hashlib.sha256(next_edition_yaml()).hexdigest()
    assert row.source.encode() == next_edition_yaml()
    assert _draft(draft_id).published_at is not None and _draft(draft_id).edition_id == row.id
    event = db.session.scalars(select(AuditEvent).where(
        AuditEvent.action == "edition_published")).one()
    assert event.details["checksum"] == row.checksum and event.details["version"] == "2026"
    assert questionnaires.latest_version() == "2026"  # what the cities' page offers


def test_a_workbook_is_published_as_its_canonical_yaml(admin_client) -> None:
    draft_id = draft_id_of(upload(admin_client, next_edition_workbook(), "icc-2026.xlsx"))

    _publish(admin_client, draft_id)

    row = questionnaires.find_row("2026")
    assert row.source.startswith("# Mini index 2024 — edition 2026.")
    assert questionnaires.get_edition("2026").question("commitment_01").text == \
        questionnaires.get_edition("2024").question("commitment_01").text


def test_publishing_twice_is_refused_and_changes_nothing(admin_client) -> None:
    draft_id = draft_id_of(upload(admin_client, next_edition_yaml()))
    _publish(admin_client, draft_id)
    before = (_counts(), questionnaires.find_row("2026").checksum, len(_actions()))

    again = _publish(admin_client, draft_id, revision=_draft(draft_id).revision)

    assert again.status_code == 409
    assert "This draft was published as edition 2026. A published edition never changes" in \
        again.get_data(as_text=True)
    assert (_counts(), questionnaires.find_row("2026").checksum, len(_actions())) == before


def test_a_published_edition_cannot_be_changed_through_its_draft(admin_client) -> None:
    draft_id = draft_id_of(upload(admin_client, next_edition_yaml()))
    _publish(admin_client, draft_id)
    revision = str(_draft(draft_id).revision)
    base = f"/admin/questionnaires/drafts/{draft_id}"
    checksum = questionnaires.find_row("2026").checksum

    replaced = post(admin_client, f"{base}/replace", {
        "revision": revision, "file": (io.BytesIO(next_edition_yaml()), "x.yaml")},
        content_type="multipart/form-data")
    deleted = post(admin_client, f"{base}/delete", {"revision": revision})
    translated = post(admin_client, f"{base}/translations/fr",
                      {"revision": revision, "t:title": "Autre titre"})

    assert [r.status_code for r in (replaced, deleted, translated)] == [409, 409, 409]
    assert "A published edition never changes" in translated.get_data(as_text=True)
    assert questionnaires.find_row("2026").checksum == checksum
    assert _draft(draft_id) is not None


def test_a_draft_with_problems_cannot_be_published(admin_client) -> None:
    draft_id = draft_id_of(upload(admin_client, next_edition_workbook(**{"questions!C3": "slider"}),
                                  "bad.xlsx"))

    response = _publish(admin_client, draft_id)

    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "The draft has 1 problem to fix before it can be published." in html
    assert "bad.xlsx: questions!C3: question &#39;commitment_02&#39;: unknown question type" in html
    assert questionnaires.find_row("2026") is None


def test_a_stale_revision_is_refused(admin_client) -> None:
    draft_id = draft_id_of(upload(admin_client, next_edition_yaml()))

    response = post(admin_client, f"/admin/questionnaires/drafts/{draft_id}/delete",
                    {"revision": "7"})

    assert response.status_code == 409
    assert "Someone else changed this draft meanwhile" in response.get_data(as_text=True)
    assert _draft(draft_id) is not None


def test_replacing_the_file_keeps_the_draft_and_bumps_its_revision(admin_client) -> None:
    draft_id = draft_id_of(upload(admin_client, next_edition_yaml()))

    response = post(admin_client, f"/admin/questionnaires/drafts/{draft_id}/replace", {
        "revision": "1", "file": (io.BytesIO(next_edition_workbook("2027")), "icc-2027.xlsx")},
        content_type="multipart/form-data")

    assert response.status_code == 302
    draft = _draft(draft_id)
    assert (draft.version, draft.filename, draft.source_format, draft.revision) == (
        "2027", "icc-2027.xlsx", "xlsx", 2)
    assert _actions()[-1] == "edition_draft_replaced"


def test_deleting_a_draft_removes_it(admin_client) -> None:
    draft_id = draft_id_of(upload(admin_client, next_edition_yaml()))

    response = post(admin_client, f"/admin/questionnaires/drafts/{draft_id}/delete",
                    {"revision": "1"})

    assert response.status_code == 302
    assert _draft(draft_id) is None
    assert _actions()[-1] == "edition_draft_deleted"


# -- downloads ---------------------------------------------------------------------------------------


def test_a_published_edition_downloads_byte_for_byte_and_as_a_workbook(admin_client) -> None:
    yaml_file = admin_client.get("/admin/questionnaires/2024/download.yaml")
    workbook = admin_client.get("/admin/questionnaires/2024/download.xlsx")

    assert yaml_file.data == (MINI / "mini-2024.yaml").read_bytes()
    assert 'filename=icc-2024.yaml' in yaml_file.headers["Content-Disposition"]
    assert workbook.data[:4] == b"PK\x03\x04"
    preview = admin_client.get("/admin/questionnaires/2024").get_data(as_text=True)
    assert f"{hashlib.sha256(yaml_file.data).hexdigest()}  icc-2024.yaml" in preview


def test_a_draft_downloads_as_uploaded_and_converted(admin_client) -> None:
    workbook = next_edition_workbook()
    draft_id = draft_id_of(upload(admin_client, workbook, "icc-2026.xlsx"))

    as_uploaded = admin_client.get(f"/admin/questionnaires/drafts/{draft_id}/download.xlsx")
    as_yaml = admin_client.get(f"/admin/questionnaires/drafts/{draft_id}/download.yaml")

    assert as_uploaded.data == workbook
    assert as_yaml.data.startswith(b"# Mini index 2024")
