"""Good practices in a real browser: "see how other cities do this" on the questionnaire
form opens and closes in place without losing what was typed, and the practice pages have
no axe-core (WCAG 2.2 AA) violations in English and Arabic."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.live_server import live_server

pytestmark = pytest.mark.browser

CHROMIUM = os.environ.get("BENCHMARK_CHROMIUM", "/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
WCAG = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21aa", "wcag22aa"]}}


@dataclass
class Site:
    url: str
    assessment_id: int
    practice_id: int
    draft_id: int


@pytest.fixture
def site(sqlite_template: Path, tmp_path: Path) -> Iterator[Site]:
    from benchmark.app import create_app
    from benchmark.extensions import db
    from tests.builders import build_assessment, build_city, build_practice, build_user
    from tests.conftest import base_overrides

    path = tmp_path / "browser.sqlite3"
    shutil.copy(sqlite_template, path)
    app = create_app({**base_overrides(tmp_path / "instance"), "DATABASE_URL": f"sqlite:///{path}"})
    with app.app_context():
        city = build_city("lyon", name="Lyon")
        build_user("focal_point", city, email="focal@lyon.example")
        assessment = build_assessment(city, version="2019", round=2026)
        other = build_city("sfax", name="Sfax", country="Tunisia")
        practice = build_practice(other, title="Evening language classes",
                                  summary="Free classes after work, with childcare.",
                                  description="Classes run in three schools.\n\nVolunteers help.",
                                  questions=("language_01",),
                                  translations={"ar": {"title": "دروس اللغة المسائية",
                                                       "summary": "دروس مجانية بعد العمل."}})
        draft = build_practice(city, status="draft", title="Our draft", questions=("language_01",))
        ids = (assessment.id, practice.id, draft.id)
        db.session.remove()
    with live_server(app) as url:
        yield Site(url, *ids)
    with app.app_context():
        db.engine.dispose()


@pytest.fixture
def page(site: Site) -> Iterator[object]:
    if not Path(CHROMIUM).exists():
        pytest.skip(f"chromium not found at {CHROMIUM} (apt-get install -y chromium)")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        context = browser.new_context(viewport={"width": 1280, "height": 1000}, locale="en-GB")
        tab = context.new_page()
        tab.goto(f"{site.url}/login")
        tab.fill("#email", "focal@lyon.example")
        tab.fill("#password", "correct horse battery staple")
        tab.click("form.narrow-form button[type=submit]")
        tab.wait_for_url(lambda u: "/login" not in u)
        yield tab
        context.close()
        browser.close()


def _no_violations(tab, where: str) -> None:  # type: ignore[no-untyped-def]
    axe = pytest.importorskip("axe_playwright_python.sync_playwright")
    violations = axe.Axe().run(tab, options=WCAG).response["violations"]
    found = [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3]) for v in violations]
    assert found == [], where


def test_a_focal_point_reads_other_cities_practices_without_losing_input(site: Site, page) -> None:  # type: ignore[no-untyped-def]
    tab = page
    form = f"{site.url}/assessments/{site.assessment_id}/dimensions/language"
    tab.goto(form)
    tab.fill("#q-language_02-value", "12")
    tab.click("#q-language_01 details.evidence summary")
    tab.fill("#q-language_01-comment", "Courses start again in September")
    box = "#q-language_01 details.practices-disclosure"
    tab.click(f"{box} summary")
    tab.wait_for_selector(f"{box} .practice-card")
    text = tab.inner_text(box)
    assert "Evening language classes" in text and "Free classes after work" in text
    assert "Our draft" not in text  # unpublished practices are not offered
    assert tab.url == form
    tab.click(f"{box} summary")  # close it again and carry on
    assert tab.input_value("#q-language_02-value") == "12"
    assert tab.input_value("#q-language_01-comment") == "Courses start again in September"
    _no_violations(tab, "questionnaire form with practices open")


def test_practice_pages_have_no_accessibility_violations_in_english_and_arabic(site: Site, page) -> None:  # type: ignore[no-untyped-def]
    tab = page
    for lang in ("en", "ar"):
        tab.goto(f"{site.url}/language/{lang}?next=/practices")
        assert tab.get_attribute("html", "lang") == lang
        for path in ("/practices", "/practices?q=classes&language=en",
                     f"/practices/{site.practice_id}", f"/practices/{site.draft_id}",
                     f"/practices/{site.draft_id}/edit", "/practices/new",
                     "/practices/for-question/language_01"):
            tab.goto(site.url + path)
            _no_violations(tab, f"{path} ({lang})")
    tab.goto(f"{site.url}/practices/{site.practice_id}")
    assert "دروس اللغة المسائية" in tab.inner_text("h1")
