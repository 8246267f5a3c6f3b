"""The idle-timeout warning in a real browser: shown before expiry, "stay logged in" works,
typed text survives expiry, and the page runs under the CSP without violations.

Idle timeout and warning are shortened so that the dialog appears within seconds.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.browser.conftest import log_in

pytestmark = pytest.mark.browser


def _staff() -> None:
    from tests.builders import build_user

    build_user("staff", email="staff@programme.example")


@pytest.fixture
def browser_page(new_tab):  # type: ignore[no-untyped-def]
    """open_page(url) → (a tab logged in as staff, the script errors and CSP violations seen)."""

    def open_page(url: str):  # type: ignore[no-untyped-def]
        tab = new_tab(url)
        problems: list[str] = []
        # Script errors and CSP violations (a missing favicon is not one).
        tab.on("console", lambda m: problems.append(m.text)
               if m.type == "error" and not m.text.startswith("Failed to load resource") else None)
        tab.on("pageerror", lambda e: problems.append(str(e)))
        log_in(tab, url, "staff@programme.example")
        return tab, problems

    return open_page


@pytest.fixture
def short_session(serve) -> str:  # type: ignore[no-untyped-def]
    return serve(_staff, SESSION_IDLE_TIMEOUT=timedelta(seconds=306),
                 SESSION_WARNING=timedelta(seconds=300)).url


@pytest.fixture
def tiny_session(serve) -> str:  # type: ignore[no-untyped-def]
    return serve(_staff, SESSION_IDLE_TIMEOUT=timedelta(seconds=8),
                 SESSION_WARNING=timedelta(seconds=5)).url


def test_warning_appears_and_stay_logged_in_extends_the_session(short_session, browser_page) -> None:
    tab, problems = browser_page(short_session)
    tab.goto(f"{short_session}/account/tokens")
    tab.fill("#name", "typed but not sent")
    dialog = tab.locator("#session-dialog")
    dialog.wait_for(state="visible", timeout=15_000)
    assert tab.get_by_role("alertdialog").is_visible()
    assert "about to end" in dialog.inner_text()
    assert tab.evaluate("document.activeElement.dataset.sessionAction") == "stay"
    old_token = tab.get_attribute('meta[name="csrf-token"]', "content")
    with tab.expect_response(lambda r: r.url.endswith("/session/refresh")) as refreshed:
        tab.click('[data-session-action="stay"]')
    assert refreshed.value.status == 200
    dialog.wait_for(state="hidden")
    assert tab.input_value("#name") == "typed but not sent"
    assert tab.get_attribute('meta[name="csrf-token"]', "content") == refreshed.value.json()["csrf_token"]
    assert old_token  # the page had one before
    # The refreshed token is accepted by a form post.
    tab.click("form.narrow-form button[type=submit]")
    assert "Your new token" in tab.content()
    assert problems == []


def test_after_expiry_typed_text_stays_and_posting_is_held_back(tiny_session, browser_page) -> None:
    tab, problems = browser_page(tiny_session)
    tab.goto(f"{tiny_session}/account/tokens")
    tab.fill("#name", "keep me")
    expired = tab.locator('[data-session-state="expired"]')
    expired.wait_for(state="visible", timeout=20_000)
    tab.evaluate("document.getElementById('session-dialog').close()")
    tab.click("form.narrow-form button[type=submit]")
    assert tab.url.endswith("/account/tokens")  # not sent to the login page
    assert expired.is_visible()
    assert tab.input_value("#name") == "keep me"
    assert problems == []
