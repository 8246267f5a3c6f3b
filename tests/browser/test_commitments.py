"""From results to action in a real browser: a priority becomes a commitment, followed up next round.

A focal point turns an improvement priority into a commitment, starts the next round,
finds the commitment beside the question it targets, records its outcome, submits, and
the PDF of that round shows it. Every page of the journey is checked with axe-core
(WCAG 2.2 AA) in English, and the commitment pages in Arabic too.
Set BENCHMARK_SCREENSHOTS=DIR to keep screenshots.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass

import pytest

from tests.browser.conftest import assert_accessible, shot

pytestmark = pytest.mark.browser

TITLE = "Adopt an intercultural strategy with a budget line"
ANSWERS_2024 = {"commitment_01": "yes", "commitment_02": "yes", "education_01": 60,
                "language_01": "yes"}


@dataclass
class Site:
    url: str
    first_id: int
    token: str
    app: object


def _lyon() -> tuple[int, str]:
    from tests.builders import api_token, build_assessment, build_city, build_edition, build_user

    build_edition("2024")
    city = build_city("lyon", name="Lyon")
    focal = build_user("focal_point", city, email="focal@lyon.example")
    first = build_assessment(city, version="2019", round=2022, status="validated", answers={
        "commitment_01": "no", "commitment_02": "partly", "commitment_03": ["council"],
        "education_01": 40, "education_02": 12, "language_01": "yes", "language_02": 5})
    return first.id, api_token(focal)["Authorization"].split()[1]


@pytest.fixture
def site(serve) -> Site:  # type: ignore[no-untyped-def]
    from tests.builders import FIXTURES

    served = serve(_lyon, QUESTIONNAIRE_DIR=str(FIXTURES))
    return Site(served.url, *served.built, served.app)


@pytest.fixture
def tab(site: Site, new_tab):  # type: ignore[no-untyped-def]
    return new_tab(site.url, "focal@lyon.example")


def test_a_priority_becomes_a_commitment_followed_up_in_the_next_round(site: Site, tab) -> None:  # type: ignore[no-untyped-def]
    from pypdf import PdfReader

    # Results of round 2022: commit to act on the priority "commitment_01".
    tab.goto(f"{site.url}/results/{site.first_id}")
    tab.click("a.commit-link[href*='question=commitment_01']")
    tab.wait_for_url(re.compile(r"/commitments/new\?"))
    assert tab.is_checked("#f-q-commitment_01")
    assert tab.input_value("#f-dimension") == "commitment"
    assert_accessible(tab, "commitment form")
    shot(tab, "commitment-form")
    tab.fill("#f-title", TITLE)
    tab.fill("#f-department", "Mayor's office")
    tab.fill("#f-target_date", "2025-06-30")
    tab.click("form.narrow-form button[type=submit]")
    tab.wait_for_url(re.compile(r"/commitments/\d+$"))
    assert TITLE in tab.inner_text("h1")
    tab.fill("#f-text", "The council adopted the strategy.")
    tab.click("form.narrow-form button[type=submit]")
    tab.wait_for_url(re.compile(r"/commitments/\d+#notes$"))
    assert "The council adopted the strategy." in tab.inner_text("#notes-section")
    assert_accessible(tab, "commitment page")
    shot(tab, "commitment-show")

    # The next round, on the newer edition: the commitment is beside its (mapped) question.
    tab.goto(f"{site.url}/city")
    tab.fill("#start-round", "2026")
    tab.uncheck("#start-prefill")
    tab.click("form[action$='/city/assessments'] button[type=submit]")
    tab.wait_for_url(re.compile(r"/assessments/\d+$"))
    second_id = int(tab.url.rsplit("/", 1)[1])
    tab.goto(f"{site.url}/assessments/{second_id}/dimensions/commitment")
    beside = tab.locator("#q-commitment_01 ~ aside.follow-up").first
    assert TITLE in beside.inner_text() and "not recorded yet" in beside.inner_text()
    assert_accessible(tab, "questionnaire page with a commitment")
    shot(tab, "commitment-beside-question")
    beside.get_by_role("link", name=re.compile("Record the outcome")).click()
    tab.wait_for_url(re.compile(r"/outcome$"))
    assert_accessible(tab, "outcome page")
    tab.click("form.narrow-form button[type=submit]")  # nothing chosen: the error summary
    assert tab.locator(".error-summary a[href='#f-outcome']").count() == 1
    tab.check("#f-outcome-partly")
    tab.fill("#f-outcome_note", "Adopted; the budget line waits for next year.")
    tab.click("form.narrow-form button[type=submit]")
    tab.wait_for_url(re.compile(r"/dimensions/commitment#q-commitment_01$"))
    assert "Partly done" in tab.locator("aside.follow-up").first.inner_text()

    # Answer the round (through the API, as another tool would), then submit in the browser.
    headers = {"Authorization": f"Bearer {site.token}", "If-None-Match": "*"}
    for qid, value in ANSWERS_2024.items():
        saved = tab.request.put(f"{site.url}/api/v1/assessments/{second_id}/answers/{qid}",
                                data={"value": value}, headers=headers)
        assert saved.ok, saved.text()
    tab.goto(f"{site.url}/assessments/{second_id}")
    tab.click("form[action$='/submit'] button[type=submit]")
    tab.wait_for_load_state()
    assert "Submitted for review" in tab.inner_text("main")

    # The PDF of that round shows the commitment, its status and outcome.
    pdf = tab.request.get(f"{site.url}/api/v1/assessments/{second_id}/report.pdf?lang=en")
    assert pdf.ok
    text = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(pdf.body())).pages)
    section = text[text.rindex("Commitments and progress"):]
    assert TITLE in section and "Partly done" in section and "Round 2022" in section


def test_the_commitment_pages_have_no_accessibility_violations_in_arabic(site: Site, tab) -> None:  # type: ignore[no-untyped-def]
    tab.goto(f"{site.url}/language/ar")
    tab.goto(f"{site.url}/commitments/new?assessment={site.first_id}&question=commitment_01")
    assert tab.get_attribute("html", "dir") == "rtl"
    assert_accessible(tab, "form (ar)")
    tab.click("form.narrow-form button[type=submit]")  # the prefilled title is kept: saved
    tab.wait_for_url(re.compile(r"/commitments/\d+$"))
    assert_accessible(tab, "commitment page (ar)")
    shot(tab, "commitment-show-ar")
    tab.goto(f"{site.url}/city/commitments")
    assert_accessible(tab, "list (ar)")
    shot(tab, "commitment-list-ar")
