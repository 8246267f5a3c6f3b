"""Good practices in a real browser: "see how other cities do this" on the questionnaire
form opens and closes in place without losing what was typed, and the practice pages have
no axe-core (WCAG 2.2 AA) violations in English and Arabic."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from tests.browser.conftest import assert_accessible

pytestmark = pytest.mark.browser


@dataclass
class Site:
    url: str
    assessment_id: int
    practice_id: int
    draft_id: int


def _lyon_and_sfax() -> tuple[int, int, int]:
    from tests.builders import build_assessment, build_city, build_practice, build_user

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
    return assessment.id, practice.id, draft.id


@pytest.fixture
def site(serve) -> Site:  # type: ignore[no-untyped-def]
    served = serve(_lyon_and_sfax)
    return Site(served.url, *served.built)


@pytest.fixture
def page(site: Site, new_tab):  # type: ignore[no-untyped-def]
    return new_tab(site.url, "focal@lyon.example")


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
    assert_accessible(tab, "questionnaire form with practices open")


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
            assert_accessible(tab, f"{path} ({lang})")
    tab.goto(f"{site.url}/practices/{site.practice_id}")
    assert "دروس اللغة المسائية" in tab.inner_text("h1")
