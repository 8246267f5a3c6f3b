"""The review cycle with the keyboard only, and the form's live behaviour, in a real browser.

A focal point fills a dimension and submits; staff return it with a comment; the focal
point fixes the answer and submits again; staff validate. Every step uses Tab, Shift+Tab,
Space, Enter and the arrow keys (and typing into fields); after every key that moves the
focus, the focused element must show a visible focus indicator.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest

from tests.browser.conftest import PASSWORD, VIEWPORT, shot, wait_saved

pytestmark = pytest.mark.browser

#: Whether the focused element shows a focus indicator (an outline or a box shadow).
FOCUS_VISIBLE = """() => {
  const e = document.activeElement;
  if (!e || e === document.body) return 'nothing focused';
  const s = getComputedStyle(e);
  const outline = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2;
  const shadow = s.boxShadow && s.boxShadow !== 'none';
  return outline || shadow ? '' : 'no visible focus on ' + e.outerHTML.slice(0, 120);
}"""


@dataclass
class Site:
    url: str
    assessment_id: int
    app: object


def _lyon() -> int:
    from tests.builders import build_assessment, build_city, build_user

    city = build_city("lyon", name="Lyon")
    build_user("focal_point", city, email="focal@lyon.example")
    build_user("staff", email="staff@network.example")
    return build_assessment(city, version="2019", round=2026, answers={
        "commitment_01": "yes", "commitment_02": "partly", "commitment_03": ["council"],
        "commitment_04": "Adopted in 2024.",
        "education_01": 40, "education_02": 12}).id


@pytest.fixture
def site(serve) -> Site:  # type: ignore[no-untyped-def]
    served = serve(_lyon)
    return Site(served.url, served.built, served.app)


@pytest.fixture
def browser(new_tab):  # type: ignore[no-untyped-def]
    """Opens a tab of a context of its own (closed after the test)."""
    return new_tab


def press(tab, key: str) -> None:  # type: ignore[no-untyped-def]
    """Press `key`; when it moves the focus, the focused element must show it."""
    assert key in {"Tab", "Shift+Tab", "Space", "Enter", "ArrowDown", "ArrowUp", "Backspace"}
    tab.keyboard.press(key)
    if key in {"Tab", "Shift+Tab"}:
        assert tab.evaluate(FOCUS_VISIBLE) == ""


def tab_to(tab, selector: str, *, back: bool = False, limit: int = 120) -> None:  # type: ignore[no-untyped-def]
    """Tab (or Shift+Tab) until the element matching `selector` has the focus."""
    for _ in range(limit):
        if tab.evaluate("s => document.activeElement && document.activeElement.matches(s)", selector):
            return
        press(tab, "Shift+Tab" if back else "Tab")
    raise AssertionError(f"{selector} not reached with the keyboard")


def follow(tab, selector: str) -> None:  # type: ignore[no-untyped-def]
    """Tab to a link or button and press Enter; wait for the next page."""
    tab_to(tab, selector)
    with tab.expect_navigation():
        press(tab, "Enter")


def log_in(browser, site: Site, email: str):  # type: ignore[no-untyped-def]
    """Log in with the keyboard only."""
    tab = browser(site.url, viewport={**VIEWPORT, "height": 900})
    tab.goto(f"{site.url}/login")
    tab_to(tab, "#email")
    tab.keyboard.type(email)
    press(tab, "Tab")
    tab.keyboard.type(PASSWORD)
    with tab.expect_navigation():
        press(tab, "Enter")
    return tab


def test_a_review_cycle_with_the_keyboard_only(site: Site, browser) -> None:  # type: ignore[no-untyped-def]
    aid = site.assessment_id
    focal = log_in(browser, site, "focal@lyon.example")
    assert focal.url == f"{site.url}/assessments/{aid}"  # lands on the current assessment

    # "Continue" leads to the first section still to do: Language.
    follow(focal, "a.button[href$='/dimensions/language']")
    tab_to(focal, "#q-language_01-value")
    press(focal, "Space")                 # Yes
    press(focal, "ArrowDown")             # No
    press(focal, "ArrowUp")               # back to Yes
    press(focal, "Tab")                   # past the radio group…
    tab_to(focal, "#q-language_02-value")
    focal.keyboard.type("5")
    tab_to(focal, "#q-language_01-value", back=True)  # Shift+Tab back: Yes is still chosen
    assert focal.is_checked("#q-language_01-value")
    wait_saved(focal)
    assert "2 of 2" in focal.inner_text(".questionnaire__nav a[aria-current=page] + .nav-progress")
    follow(focal, f"a[href$='/assessments/{aid}']:not(.brand)")
    follow(focal, "form[action$='/submit'] button")
    assert "Submitted for review" in focal.inner_text(".flashes")

    # Staff land on the review queue, comment on a question and return the assessment.
    staff = log_in(browser, site, "staff@network.example")
    assert staff.url == f"{site.url}/review"
    follow(staff, f"a[href='/review/{aid}']")
    tab_to(staff, "#comment-language_02")
    staff.keyboard.type("Which source gives 5?")
    press(staff, "Tab")
    with staff.expect_navigation():
        press(staff, "Enter")             # "Add comment"
    assert staff.url.endswith("#q-language_02")  # back at that question
    tab_to(staff, "a[href='#decision-title']")
    press(staff, "Enter")                 # jump to the decision
    tab_to(staff, "#return-comment")
    staff.keyboard.type("Please check 3.2 against the census.")
    press(staff, "Tab")
    with staff.expect_navigation():
        press(staff, "Enter")             # "Return for changes"
    assert "returned to the city" in staff.inner_text(".flashes")

    # The focal point reads the comment, fixes the answer and submits again.
    focal.goto(f"{site.url}/assessments/{aid}")
    assert "Which source gives 5?" in focal.inner_text("main")
    follow(focal, "table a[href$='/dimensions/language']")
    tab_to(focal, "#q-language_02-value")
    press(focal, "Backspace")
    focal.keyboard.type("7")
    wait_saved(focal)
    follow(focal, f"a[href$='/assessments/{aid}']:not(.brand)")
    follow(focal, "form[action$='/submit'] button")
    assert "Submitted for review" in focal.inner_text(".flashes")

    # Staff validate, after confirming.
    staff.goto(f"{site.url}/review/{aid}")
    follow(staff, "#validate")
    assert "Validate Lyon, round 2026?" in staff.inner_text("h1")
    follow(staff, "#confirm-validate")
    assert "validated" in staff.inner_text(".flashes")
    shot(staff, "keyboard-validated")
    focal.close()
    staff.close()


def test_not_applicable_clears_and_disables_the_answer_and_untick_restores_it(site: Site, browser) -> None:  # type: ignore[no-untyped-def]
    focal = log_in(browser, site, "focal@lyon.example")
    focal.goto(f"{site.url}/assessments/{site.assessment_id}/dimensions/language")
    focal.check("#q-language_01-value")
    wait_saved(focal)
    focal.check("#q-language_01-na")
    assert not focal.is_checked("#q-language_01-value")
    assert focal.is_disabled("#q-language_01-value")
    assert focal.is_disabled("#q-language_01 input[value=no]")
    wait_saved(focal)
    focal.uncheck("#q-language_01-na")
    assert focal.is_checked("#q-language_01-value")
    assert focal.is_enabled("#q-language_01-value")
    wait_saved(focal)
    focal.reload()
    assert focal.is_checked("#q-language_01-value") and not focal.is_checked("#q-language_01-na")
    assert re.search(r"1 of 2", focal.inner_text(".questionnaire__nav a[aria-current=page] + .nav-progress"))
