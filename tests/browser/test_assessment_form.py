"""The questionnaire form in a real browser: autosave, reload, offline, conflicts, accessibility.

Set BENCHMARK_SCREENSHOTS=DIR to keep screenshots of the pages (tests/browser/conftest.py has
the browser, the server and the log-in).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from sqlalchemy import select

from tests.browser.conftest import assert_accessible, shot, wait_saved

pytestmark = pytest.mark.browser
SAVED = "All changes saved"


@dataclass
class Site:
    url: str
    assessment_id: int
    focal_email: str
    other_token: str
    app: object


def _lyon() -> tuple[int, str, str]:
    from benchmark.extensions import db
    from tests.builders import api_token, build_assessment, build_city, build_user

    city = build_city("lyon", name="Lyon")
    focal = build_user("focal_point", city, email="focal@lyon.example")
    colleague = build_user("focal_point", city, email="colleague@lyon.example")
    colleague.name = "Amina Haddad"
    db.session.commit()
    assessment = build_assessment(city, version="2019", round=2026)
    return assessment.id, focal.email, api_token(colleague)["Authorization"].split()[1]


@pytest.fixture
def site(serve: Callable[..., object]) -> Site:
    served = serve(_lyon)
    aid, email, token = served.built  # type: ignore[attr-defined]
    return Site(served.url, aid, email, token, served.app)  # type: ignore[attr-defined]


@pytest.fixture
def page(site: Site, new_tab):  # type: ignore[no-untyped-def]
    return new_tab(site.url, site.focal_email)


def _form(site: Site, dim: str) -> str:
    return f"{site.url}/assessments/{site.assessment_id}/dimensions/{dim}"


def _stored(site: Site) -> dict[str, object]:
    from benchmark.extensions import db
    from benchmark.models import Answer

    with site.app.app_context():  # type: ignore[attr-defined]
        rows = db.session.scalars(select(Answer).where(Answer.assessment_id == site.assessment_id))
        found = {a.question_id: (a.value, a.comment, a.evidence) for a in rows}
        db.session.remove()
    return found


def test_answers_typed_in_a_dimension_are_there_after_a_reload(site: Site, page) -> None:  # type: ignore[no-untyped-def]
    tab = page
    tab.goto(_form(site, "commitment"))
    assert tab.is_hidden("#q-commitment_02")
    tab.check("#q-commitment_01-value")  # yes → reveals commitment_02 (skip logic, live)
    tab.wait_for_selector("#q-commitment_02", state="visible")
    tab.check("#q-commitment_02 input[value=partly]")
    tab.check("#q-commitment_03 input[value=council]")
    tab.check("#q-commitment_03 input[value=audit]")
    tab.click("#q-commitment_04 summary")
    tab.fill("#q-commitment_04-value", "Adopted by the council in 2024.")
    tab.fill("#q-commitment_04-evidence", "Council minutes")
    tab.fill("#q-commitment_04-comment", "Ask the mayor's office for the annex.")
    wait_saved(tab)
    assert tab.inner_text("#save-status") == SAVED
    shot(tab, "form-saved")
    tab.reload()
    assert tab.is_checked("#q-commitment_01-value")
    assert tab.is_checked("#q-commitment_02 input[value=partly]")
    assert tab.is_checked("#q-commitment_03 input[value=council]")
    assert tab.is_checked("#q-commitment_03 input[value=audit]")
    assert not tab.is_checked("#q-commitment_03 input[value=board]")
    assert tab.input_value("#q-commitment_04-value") == "Adopted by the council in 2024."
    assert tab.input_value("#q-commitment_04-evidence") == "Council minutes"
    assert tab.input_value("#q-commitment_04-comment") == "Ask the mayor's office for the annex."
    assert _stored(site) == {
        "commitment_01": ("yes", "", ""), "commitment_02": ("partly", "", ""),
        "commitment_03": (["council", "audit"], "", ""),
        "commitment_04": ("Adopted by the council in 2024.",
                          "Ask the mayor's office for the annex.", "Council minutes"),
    }


def test_answers_typed_offline_are_saved_when_the_network_returns(site: Site, page) -> None:  # type: ignore[no-untyped-def]
    tab = page
    tab.goto(_form(site, "language"))
    tab.context.set_offline(True)
    tab.check("#q-language_01-value")
    tab.fill("#q-language_02-value", "12,5")
    tab.wait_for_function("() => document.getElementById('save-status').dataset.state === 'offline'",
                          timeout=10000)
    assert "Offline" in tab.inner_text("#save-status")
    shot(tab, "form-offline")
    assert _stored(site) == {}
    tab.context.set_offline(False)
    wait_saved(tab)
    assert _stored(site) == {"language_01": ("yes", "", ""), "language_02": (12.5, "", "")}


def test_queued_answers_survive_a_reload(site: Site, page) -> None:  # type: ignore[no-untyped-def]
    tab = page
    tab.goto(_form(site, "education"))
    tab.route("**/api/v1/**", lambda route: route.abort())  # the API is unreachable
    tab.fill("#q-education_01-value", "35")
    tab.fill("#q-education_02-value", "7")
    tab.wait_for_function("() => localStorage.length > 0 && "
                          "document.getElementById('save-status').dataset.state === 'offline'",
                          timeout=10000)
    tab.unroute("**/api/v1/**")
    tab.route("**/api/v1/**", lambda route: route.abort())
    tab.reload()  # the page loads; the API is still unreachable
    assert tab.input_value("#q-education_01-value") == "35"
    assert tab.input_value("#q-education_02-value") == "7"
    tab.unroute("**/api/v1/**")
    tab.evaluate("window.dispatchEvent(new Event('online'))")
    wait_saved(tab)
    assert _stored(site) == {"education_01": (35, "", ""), "education_02": (7, "", "")}
    assert tab.evaluate("localStorage.length") == 0


def test_a_stale_autosave_shows_the_other_value_and_lets_the_person_choose(site: Site, page) -> None:  # type: ignore[no-untyped-def]
    import json
    import urllib.request

    tab = page
    tab.goto(_form(site, "education"))
    tab.fill("#q-education_01-value", "20")
    wait_saved(tab)
    request = urllib.request.Request(
        f"{site.url}/api/v1/assessments/{site.assessment_id}/answers/education_01",
        data=json.dumps({"value": 60}).encode(), method="PUT",
        headers={"Authorization": f"Bearer {site.other_token}", "If-Match": '"1"',
                 "Content-Type": "application/json"})
    with urllib.request.urlopen(request) as response:
        assert response.status == 200
    tab.fill("#q-education_01-value", "25")
    tab.wait_for_selector("#q-education_01 [data-conflict-panel]:not([hidden])", timeout=10000)
    panel = tab.inner_text("#q-education_01 [data-conflict-panel]")
    assert "“60”" in panel and "Amina Haddad" in panel
    assert _stored(site)["education_01"][0] == 60  # nothing overwritten silently
    shot(tab, "form-conflict")
    tab.click("#q-education_01 [data-keep-mine]")
    wait_saved(tab)
    assert _stored(site)["education_01"][0] == 25


def test_the_form_pages_have_no_accessibility_violations(site: Site, page) -> None:  # type: ignore[no-untyped-def]
    tab = page
    for path in (_form(site, "commitment"), f"{site.url}/assessments/{site.assessment_id}",
                 f"{site.url}/city"):
        tab.goto(path)
        assert_accessible(tab, path)
    tab.goto(f"{site.url}/language/ar?next=/assessments/{site.assessment_id}/dimensions/commitment")
    assert tab.get_attribute("html", "dir") == "rtl"
    shot(tab, "form-arabic")
    assert_accessible(tab, "form (ar)")


def test_saving_a_page_with_a_refused_answer_shows_the_error_summary(site: Site, page) -> None:  # type: ignore[no-untyped-def]
    tab = page
    tab.goto(_form(site, "education"))
    tab.fill("#q-education_02-value", "7")
    tab.fill("#q-education_01-value", "lots")
    tab.wait_for_function("() => document.getElementById('save-status').dataset.state === 'error'",
                          timeout=10000)
    tab.click("button[name=then][value=next]")
    summary = tab.wait_for_selector(".error-summary", timeout=10000)
    assert "/dimensions/education" in tab.url  # not sent on to the next section
    assert summary.query_selector("a[href='#q-education_01-value']") is not None
    assert tab.input_value("#q-education_01-value") == "lots"  # nothing typed is lost
    assert _stored(site)["education_02"][0] == 7
    assert "education_01" not in _stored(site)
