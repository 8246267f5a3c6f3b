"""Exclusive options in a real browser: ticking "None of these" clears the others, and back;
a combination that gets past the browser is refused by the server, naming the option."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from tests.browser.conftest import Site, wait_saved

pytestmark = pytest.mark.browser
QUESTION = "#q-commitment_06"  # 2024: which plans include migrants; "none" is exclusive
REFUSAL = "“None of these” cannot be chosen together with other options"


def _nantes() -> tuple[int, str]:
    from tests.builders import build_assessment, build_city, build_user

    city = build_city("nantes", name="Nantes")
    focal = build_user("focal_point", city, email="focal@nantes.example")
    return build_assessment(city, version="2024", round=2026, real=True).id, focal.email


@pytest.fixture
def site(serve) -> Site:  # type: ignore[no-untyped-def]
    return serve(_nantes)


def _form(site: Site) -> str:
    return f"{site.url}/assessments/{site.built[0]}/dimensions/commitment"


def _checked(tab: Any) -> list[str]:
    return tab.eval_on_selector_all(f"{QUESTION} input[type=checkbox]:checked",
                                    "inputs => inputs.map(i => i.value)")


def _stored(site: Site) -> object:
    from benchmark.extensions import db
    from benchmark.models import Answer

    return site.read(lambda: db.session.scalar(select(Answer.value).where(
        Answer.assessment_id == site.built[0], Answer.question_id == "commitment_06")))


def test_ticking_none_of_these_clears_the_plans_and_a_plan_clears_it(site: Site, new_tab) -> None:  # type: ignore[no-untyped-def]
    tab = new_tab(site.url, site.built[1])
    tab.goto(_form(site))
    tab.check(f"{QUESTION} input[value=housing_plan]")
    tab.check(f"{QUESTION} input[value=youth_plan]")
    assert _checked(tab) == ["housing_plan", "youth_plan"]

    tab.check(f"{QUESTION} input[value=none]")
    assert _checked(tab) == ["none"]
    wait_saved(tab)
    assert _stored(site) == ["none"]

    tab.check(f"{QUESTION} input[value=climate_plan]")
    assert _checked(tab) == ["climate_plan"]
    wait_saved(tab)
    assert _stored(site) == ["climate_plan"]
    assert tab.locator(f"{QUESTION} .error-message").count() == 0


def test_the_api_refuses_a_combination_sent_from_the_page_naming_the_option(site: Site, new_tab) -> None:  # type: ignore[no-untyped-def]
    tab = new_tab(site.url, site.built[1])
    tab.goto(_form(site))
    # What the page's own script would send, had it not cleared the other options.
    status, body = tab.evaluate("""async url => {
      const csrf = document.querySelector('meta[name="csrf-token"]').content;
      const r = await fetch(url, {method: 'PUT', body: JSON.stringify({value: ['housing_plan', 'none']}),
        headers: {'Content-Type': 'application/json', 'X-CSRFToken': csrf, 'If-None-Match': '*'}});
      return [r.status, await r.json()]; }""",
                                f"{site.url}/api/v1/assessments/{site.built[0]}/answers/commitment_06")
    assert status == 422
    assert body["error"]["fields"]["value"].startswith("“None of these” cannot be chosen together with")
    assert _stored(site) is None


def test_without_javascript_the_form_shows_the_refusal_beside_the_question(site: Site, chromium) -> None:  # type: ignore[no-untyped-def]
    from tests.browser.conftest import log_in

    context = chromium.new_context(java_script_enabled=False)
    try:
        tab = context.new_page()
        log_in(tab, site.url, site.built[1])
        tab.goto(_form(site))
        tab.check(f"{QUESTION} input[value=housing_plan]")
        tab.check(f"{QUESTION} input[value=none]")  # nothing clears it without the script
        with tab.expect_navigation() as navigation:
            tab.click("button[name=then][value=stay]")
        assert navigation.value.status == 422
        assert REFUSAL in tab.inner_text(".error-summary")
        assert REFUSAL in tab.inner_text(QUESTION)
        assert _checked(tab) == ["housing_plan", "none"]  # what was ticked is kept
        assert _stored(site) is None
    finally:
        context.close()
