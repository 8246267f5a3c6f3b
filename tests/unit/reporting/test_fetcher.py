"""The WeasyPrint URL fetcher: data: URIs and files under reports/ only."""

from __future__ import annotations

import os

import pytest

from benchmark.reporting.fetcher import (
    REPORTS_DIR,
    RefusedURL,
    make_safe_fetcher,
    resolve_report_file,
)

FONT = REPORTS_DIR / "fonts" / "NotoSans-Regular.ttf"


@pytest.fixture
def fetch():
    return make_safe_fetcher().fetch


@pytest.mark.parametrize("url", [
    "file:///etc/passwd",
    "file://localhost/etc/passwd",
    "file://evil.example/share/x.css",
    "http://127.0.0.1:9/x.png",
    "https://example.org/style.css",
    "ftp://example.org/font.ttf",
    "gopher://example.org/",
    f"{REPORTS_DIR.as_uri()}/../pyproject.toml",
    f"{REPORTS_DIR.as_uri()}/fonts/../../pyproject.toml",
    f"{REPORTS_DIR.as_uri()}/fonts/%2e%2e/%2e%2e/pyproject.toml",
    f"{REPORTS_DIR.as_uri()}/fonts/",  # a directory, not a file
    f"{REPORTS_DIR.as_uri()}/fonts/missing.ttf",
])
def test_refuses_everything_outside_reports(fetch, url):
    with pytest.raises(RefusedURL):
        fetch(url)


def test_refuses_a_symlink_that_leads_out_of_reports(tmp_path):
    root = tmp_path / "reports"
    root.mkdir()
    secret = tmp_path / "secret.txt"
    secret.write_text("secret")
    os.symlink(secret, root / "innocent.css")
    with pytest.raises(RefusedURL):
        resolve_report_file((root / "innocent.css").as_uri(), root)
    with pytest.raises(RefusedURL):
        make_safe_fetcher(root).fetch((root / "innocent.css").as_uri())


def test_serves_shipped_fonts_and_styles(fetch):
    response = fetch(FONT.as_uri())
    assert response.read() == FONT.read_bytes()
    assert response.content_type == "font/ttf"
    css = fetch((REPORTS_DIR / "styles" / "report.css").as_uri())
    assert css.content_type == "text/css"
    assert b"@font-face" in css.read()


def test_serves_data_uris(fetch):
    response = fetch("data:text/plain;base64,aGVsbG8=")
    assert response.read() == b"hello"
    assert response.content_type == "text/plain"
    assert fetch("data:image/svg+xml,%3Csvg/%3E").read() == b"<svg/>"


def test_records_every_request_allowed_or_not():
    seen: list[str] = []
    fetcher = make_safe_fetcher(on_request=seen.append)
    fetcher.fetch(FONT.as_uri())
    with pytest.raises(RefusedURL):
        fetcher.fetch("http://127.0.0.1:9/x.png")
    assert seen == [FONT.as_uri(), "http://127.0.0.1:9/x.png"]


def test_is_a_weasyprint_fetcher_that_fails_loudly():
    from weasyprint.urls import URLFetcher

    fetcher = make_safe_fetcher()
    assert isinstance(fetcher, URLFetcher)
    assert fetcher._fail_on_errors is True


def test_a_remote_host_is_refused_even_for_a_file_under_reports():
    """Only the remote-host rule refuses this URL: the same path without a host is served."""
    assert resolve_report_file(FONT.as_uri()) == FONT.resolve()
    with pytest.raises(RefusedURL, match="remote file URL refused"):
        resolve_report_file(f"file://evil.example{FONT.as_uri().removeprefix('file://')}")
