"""An administrator with the mini 2019 and 2024 editions published, and draft files to upload."""

from __future__ import annotations

import io
import re
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from werkzeug.test import EnvironBuilder

from benchmark.models import User
from benchmark.questionnaire.canonical import to_yaml
from benchmark.questionnaire.workbook import write_workbook
from benchmark.services import questionnaires
from tests.builders import build_edition, build_user, csrf_token, login

MINI = Path(__file__).resolve().parents[2] / "fixtures" / "questionnaires"


@pytest.fixture
def admin(app) -> User:  # type: ignore[no-untyped-def]
    build_edition("2024")
    return build_user("admin", email="admin@benchmark.example")


@pytest.fixture
def admin_client(client, admin):  # type: ignore[no-untyped-def]
    login(client, admin)
    return client


def next_edition_yaml(version: str = "2026") -> bytes:
    """Mini 2024 as a new edition (same questions, a new version)."""
    edition = questionnaires.get_edition("2024")
    return to_yaml(replace(edition, version=version)).encode("utf-8")


def next_edition_workbook(version: str = "2026", **cells: Any) -> bytes:
    """Mini 2024 as a workbook of a new edition, with `cells` ("questions!F2": value) changed."""
    data = write_workbook(replace(questionnaires.get_edition("2024"), version=version))
    book = load_workbook(io.BytesIO(data))
    for where, value in cells.items():
        sheet, cell = where.split("!")
        book[sheet][cell] = value
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def upload(client, data: bytes, name: str = "icc-2026.yaml",  # type: ignore[no-untyped-def]
           path: str = "/admin/questionnaires/drafts", **fields: str):
    """POST a file as a browser does; the request body is closed even when the app refuses
    it unread (a 413 answers before reading, and the test client would leave it open)."""
    builder = EnvironBuilder(path=path, method="POST", data={
        "csrf_token": csrf_token(client, "/admin/questionnaires/"), **fields,
        "file": (io.BytesIO(data), name)}, content_type="multipart/form-data")
    environ = builder.get_environ()
    try:
        return client.open(environ)
    finally:
        environ["wsgi.input"].close()
        builder.close()


def draft_id_of(response) -> int:  # type: ignore[no-untyped-def]
    match = re.search(r"/admin/questionnaires/drafts/(\d+)$", response.headers["Location"])
    assert match, response.headers.get("Location")
    return int(match[1])


def post(client, path: str, data: dict[str, Any] | None = None, **options: Any):  # type: ignore[no-untyped-def]
    return client.post(path, data={"csrf_token": csrf_token(client, "/admin/questionnaires/"),
                                   **(data or {})}, **options)
