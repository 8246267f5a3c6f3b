"""Authoring an edition in a real browser, from a workbook to a city's results.

An administrator uploads a workbook with one question reworded and one added, reads the
diff, confirms the proposed mappings, fills the missing Arabic text in the grid and
publishes; a focal point then starts an assessment on the new edition and its results
show the change against the previous round on the comparable subset of questions.
The draft pages are checked with axe-core (WCAG 2.2 AA tags) in English and Arabic.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, replace
from pathlib import Path

import pytest
from openpyxl import load_workbook

from tests.browser.conftest import assert_accessible, shot, wait_saved

pytestmark = pytest.mark.browser
ARABIC = "هل يوجد دليل ترحيب للمقيمين الجدد؟"


@dataclass
class Site:
    url: str
    workbook: Path
    app: object


def _network() -> bytes:
    from benchmark.questionnaire.workbook import write_workbook
    from benchmark.services import questionnaires
    from tests.builders import build_assessment, build_city, build_edition, build_user

    build_edition("2024")
    build_user("admin", email="admin@benchmark.example")
    city = build_city("lyon", name="Lyon")
    build_user("focal_point", city, email="focal@lyon.example")
    build_assessment(city, version="2024", round=2024, status="validated", answers={
        "commitment_01": "yes", "commitment_02": "no", "education_01": 30,
        "language_01": "yes"})
    edition = questionnaires.get_edition("2024")
    return write_workbook(replace(edition, version="2026"))


@pytest.fixture
def site(serve, tmp_path: Path) -> Site:  # type: ignore[no-untyped-def]
    served = serve(_network)
    book = load_workbook(io.BytesIO(served.built))
    settings, rows = book["settings"], book["questions"]
    settings["C2"], settings["D2"], settings["E2"] = (
        "Mini index 2026", "Mini-indice 2026", "المؤشر المصغر 2026")
    rows["E2"] = "Is an intercultural strategy formally in force?"  # reworded
    # Added, with its Arabic text (G6) left for the translation grid.
    for cell, value in {"A6": "language", "B6": "language_02", "C6": "yes_no",
                        "D6": "commitment_02", "E6": "Is there a welcome guide for newcomers?",
                        "F6": "Existe-t-il un guide d’accueil pour les nouveaux arrivants ?"}.items():
        rows[cell] = value
    workbook = tmp_path / "icc-2026.xlsx"
    book.save(workbook)
    return Site(served.url, workbook, served.app)


@pytest.fixture
def browser(new_tab):  # type: ignore[no-untyped-def]
    return new_tab


def _login(browser, site: Site, email: str):  # type: ignore[no-untyped-def]
    return browser(site.url, email)


def test_an_administrator_authors_an_edition_that_a_city_then_uses(site: Site, browser) -> None:  # type: ignore[no-untyped-def]
    admin = _login(browser, site, "admin@benchmark.example")

    # Upload the workbook as a draft: one problem, the missing Arabic text.
    admin.goto(f"{site.url}/admin/questionnaires/")
    assert_accessible(admin, "editions page")
    admin.set_input_files("#file", str(site.workbook))
    admin.click("form[action$='/drafts'] button[type=submit]")
    admin.wait_for_url(re.compile(r"/admin/questionnaires/drafts/\d+$"))
    draft_url = admin.url
    assert "questions!G6" in admin.inner_text("main")
    assert "text is missing the translation for ar" in admin.inner_text("main")
    assert_accessible(admin, "draft page")
    shot(admin, "editions-draft")

    # The diff: one question reworded, one added; the proposals map the same ids.
    admin.click("nav.sub-nav >> text=Changes and mappings")
    assert "Changes from edition 2024 to draft 2026" in admin.inner_text("h1")
    assert "language_02" in admin.inner_text("#kind-added ~ table, section:has(#kind-added)")
    assert "formally in force" in admin.inner_text("section:has(#kind-reworded)")
    assert admin.input_value("#map-commitment_01") == "2024/commitment_01"
    assert admin.input_value("#map-language_02") == ""
    assert_accessible(admin, "diff page")
    shot(admin, "editions-diff")
    admin.click("text=Confirm these mappings")
    admin.wait_for_url(draft_url)
    assert "Mappings to edition 2024 confirmed" in admin.inner_text("main")

    # The Arabic grid: the missing text comes first, typed right to left.
    admin.goto(f"{draft_url}/translations/ar")
    box = admin.locator("textarea[name='t:question/language_02/text']")
    assert admin.locator("tbody tr").first.locator("textarea").get_attribute("name") == \
        "t:question/language_02/text"
    assert box.get_attribute("dir") == "rtl"
    assert_accessible(admin, "translation grid")
    box.fill(ARABIC)
    shot(admin, "editions-grid-ar")
    admin.click("text=Save the translations")
    assert "Saved 1 text." in admin.inner_text(".flashes")

    # The form as a city will see it, in Arabic; the sample scores.
    admin.goto(f"{draft_url}/preview/language?language=ar")
    assert admin.get_attribute("html", "dir") == "rtl"
    assert ARABIC in admin.inner_text("#q-language_02 legend")
    assert_accessible(admin, "form preview in Arabic")
    shot(admin, "editions-preview-ar")
    admin.goto(f"{draft_url}/scoring?sample=best")
    assert admin.inner_text(".big-number") == "100.0"
    assert_accessible(admin, "sample scores")
    shot(admin, "editions-scoring")

    # Publish.
    admin.goto(draft_url)
    assert "No problems: the file is valid." in admin.inner_text("main")
    admin.click("text=Publish edition 2026")
    admin.wait_for_url(f"{site.url}/admin/questionnaires/2026")
    assert "Edition 2026 is published" in admin.inner_text(".flashes")

    # The Arabic preview of a published page, right to left, without violations.
    admin.goto(f"{site.url}/language/ar?next=/admin/questionnaires/")
    assert admin.get_attribute("html", "dir") == "rtl"
    assert_accessible(admin, "editions page in Arabic")
    shot(admin, "editions-index-ar")

    # A focal point starts an assessment on the new edition and answers a question.
    focal = _login(browser, site, "focal@lyon.example")
    focal.goto(f"{site.url}/city")
    assert focal.input_value("#start-questionnaire") == "2026"
    focal.fill("#start-round", "2026")
    focal.uncheck("#start-prefill")
    focal.click("text=Start the assessment")
    focal.wait_for_url(re.compile(r"/assessments/\d+$"))
    assessment_id = int(focal.url.rsplit("/", 1)[1])
    focal.goto(f"{site.url}/assessments/{assessment_id}/dimensions/commitment")
    assert "formally in force" in focal.inner_text("#q-commitment_01 legend")
    focal.check("#q-commitment_01 input[value=no]")
    wait_saved(focal)

    # Its results show the change against round 2024 on the comparable subset.
    focal.goto(f"{site.url}/results/{assessment_id}")
    text = focal.inner_text("main")
    assert "Change since round 2024" in text
    assert "On the questions comparable between editions 2024 and 2026." in text
    shot(focal, "editions-results-change")
