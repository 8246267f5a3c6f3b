"""The idle-timeout warning in a real browser: shown before expiry, "stay logged in" works,
typed text survives expiry, and the page runs under the CSP without violations.

Idle timeout and warning are shortened so that the dialog appears within seconds.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from tests.live_server import live_server

pytestmark = pytest.mark.browser

CHROMIUM = os.environ.get("BENCHMARK_CHROMIUM", "/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def _site(sqlite_template: Path, tmp_path: Path, idle: int, warning: int) -> Iterator[str]:
    from benchmark.app import create_app
    from benchmark.extensions import db
    from tests.builders import build_user
    from tests.conftest import base_overrides

    path = tmp_path / "browser.sqlite3"
    shutil.copy(sqlite_template, path)
    app = create_app({**base_overrides(tmp_path / "instance"), "DATABASE_URL": f"sqlite:///{path}",
                      "SESSION_IDLE_TIMEOUT": timedelta(seconds=idle),
                      "SESSION_WARNING": timedelta(seconds=warning)})
    with app.app_context():
        build_user("staff", email="staff@programme.example")
        db.session.remove()
    with live_server(app) as url:
        yield url
    with app.app_context():
        db.engine.dispose()


@pytest.fixture
def browser_page(request):  # type: ignore[no-untyped-def]
    if not Path(CHROMIUM).exists():
        pytest.skip(f"chromium not found at {CHROMIUM} (apt-get install -y chromium)")
    sync_api = pytest.importorskip("playwright.sync_api")

    def open_page(url: str):  # type: ignore[no-untyped-def]
        playwright = sync_api.sync_playwright().start()
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        tab = browser.new_page()
        problems: list[str] = []
        # Script errors and CSP violations (a missing favicon is not one).
        tab.on("console", lambda m: problems.append(m.text)
               if m.type == "error" and not m.text.startswith("Failed to load resource") else None)
        tab.on("pageerror", lambda e: problems.append(str(e)))
        tab.goto(f"{url}/login")
        tab.fill("#email", "staff@programme.example")
        tab.fill("#password", "correct horse battery staple")
        tab.click("form.narrow-form button[type=submit]")
        tab.wait_for_url(lambda u: "/login" not in u)

        def close() -> None:
            browser.close()
            playwright.stop()

        request.addfinalizer(close)
        return tab, problems

    return open_page


@pytest.fixture
def short_session(sqlite_template: Path, tmp_path: Path) -> Iterator[str]:
    yield from _site(sqlite_template, tmp_path, idle=306, warning=300)


@pytest.fixture
def tiny_session(sqlite_template: Path, tmp_path: Path) -> Iterator[str]:
    yield from _site(sqlite_template, tmp_path, idle=8, warning=5)


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
