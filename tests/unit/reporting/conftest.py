"""Rendered reports shared by the reporting tests (rendering a PDF takes ~2 s)."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from benchmark.reporting import (
    CityReport,
    make_safe_fetcher,
    render_city_report,
    render_city_report_html,
)
from tests.unit.reporting.builders import build_city_report


class Rendered:
    """A report with its HTML, PDF bytes, extracted text and fetched URLs."""

    def __init__(self, report: CityReport) -> None:
        self.report = report
        self.requested: list[str] = []
        self.html = render_city_report_html(report)
        self.pdf = render_city_report(
            report, fetcher=make_safe_fetcher(on_request=self.requested.append))
        self.reader = PdfReader(io.BytesIO(self.pdf))
        self.pages = [page.extract_text() for page in self.reader.pages]
        self.text = "\n".join(self.pages)


@pytest.fixture(scope="session")
def english() -> Rendered:
    return Rendered(build_city_report(lang="en"))


@pytest.fixture(scope="session")
def arabic() -> Rendered:
    return Rendered(build_city_report(lang="ar", provisional=True))
