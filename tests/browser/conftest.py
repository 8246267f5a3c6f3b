"""What every browser test stands on: one Chromium, live servers, logged-in tabs, axe-core.

- `chromium`: Debian's chromium (BENCHMARK_CHROMIUM, default /usr/bin/chromium) driven by
  Playwright, launched once per test session (once per xdist worker); the tests are skipped,
  with the reason shown, when chromium or Playwright is missing. Each test works in browser
  contexts of its own (cookies, storage), closed after it.
- `serve(build, **config)`: a fresh app on a copy of the migrated SQLite template, filled by
  `build()` (run in an app context; what it returns is handed back), behind a real HTTP
  server; `serve_module` is the same for a whole module (the crawler's network).
- `new_tab(url, email=None, lang=None)`: a tab in a fresh context, logged in through the
  login form when an email is given, switched to `lang` when given.
- `violations(tab)`: axe-core's WCAG 2.0/2.1/2.2 A and AA findings on the tab's page;
  `assert_accessible(tab, where)` fails on any of them.
- `wait_saved(tab)`, `shot(tab, name)` (full-page PNGs into BENCHMARK_SCREENSHOTS=DIR).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.live_server import live_server

CHROMIUM = os.environ.get("BENCHMARK_CHROMIUM", "/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
PASSWORD = "correct horse battery staple"
WCAG = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21aa", "wcag22aa"]},
        "resultTypes": ["violations"]}
VIEWPORT = {"width": 1280, "height": 1000}


def _axe_source() -> str:
    try:
        from axe_playwright_python.sync_playwright import Axe
    except ImportError:
        return ""
    return Axe().axe_script  # type: ignore[no-any-return]


AXE_SOURCE = _axe_source()


@dataclass
class Site:
    """A served app: its base URL, the app (for reading the database) and what `build` returned."""

    url: str
    app: Any
    built: Any = None

    def read(self, query: Callable[[], Any]) -> Any:
        """`query()` run in an app context of its own (the server's threads have theirs)."""
        from benchmark.extensions import db

        with self.app.app_context():
            try:
                return query()
            finally:
                db.session.remove()


@contextmanager
def serving(template: Path, folder: Path, build: Callable[[], Any] | None = None,
            **config: Any) -> Iterator[Site]:
    """A fresh app on a copy of the migrated SQLite template, filled by `build`, served."""
    from benchmark.app import create_app
    from benchmark.extensions import db
    from tests.conftest import base_overrides

    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "browser.sqlite3"
    shutil.copy(template, path)
    app = create_app({**base_overrides(folder / "instance"), "DATABASE_URL": f"sqlite:///{path}",
                      **config})
    with app.app_context():
        built = build() if build else None
        db.session.remove()
    try:
        with live_server(app) as url:
            yield Site(url, app, built)
    finally:
        with app.app_context():
            db.engine.dispose()


@pytest.fixture
def serve(sqlite_template: Path, tmp_path: Path) -> Iterator[Callable[..., Site]]:
    """serve(build=None, **config) → a Site, stopped after the test."""
    with ExitStack() as stack:
        count = iter(range(100))

        def start(build: Callable[[], Any] | None = None, **config: Any) -> Site:
            return stack.enter_context(serving(sqlite_template, tmp_path / f"site{next(count)}",
                                               build, **config))

        yield start


@pytest.fixture(scope="session")
def chromium() -> Iterator[Any]:
    """One headless Chromium for the whole session (per xdist worker)."""
    if not Path(CHROMIUM).exists():
        pytest.skip(f"chromium not found at {CHROMIUM} (apt-get install -y chromium)")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        yield browser
        browser.close()


def log_in(tab: Any, url: str, email: str, password: str = PASSWORD) -> None:
    """Log in through the login form; wait until the landing page is there."""
    tab.goto(f"{url}/login")
    tab.fill("#email", email)
    tab.fill("#password", password)
    tab.click("form.narrow-form button[type=submit]")
    tab.wait_for_url(lambda u: "/login" not in u)


@pytest.fixture
def new_tab(chromium: Any) -> Iterator[Callable[..., Any]]:
    """new_tab(url, email=None, *, lang=None, viewport=VIEWPORT) → a tab in a context of its own."""
    contexts: list[Any] = []

    def open_tab(url: str, email: str | None = None, *, lang: str | None = None,
                 viewport: dict[str, int] | None = None, axe: bool = False) -> Any:
        context = chromium.new_context(viewport=viewport or VIEWPORT, locale="en-GB")
        contexts.append(context)
        if axe and AXE_SOURCE:
            context.add_init_script(AXE_SOURCE)  # axe-core in every page of the context
        tab = context.new_page()
        if email:
            log_in(tab, url, email)
        if lang:
            tab.goto(f"{url}/language/{lang}")
        return tab

    yield open_tab
    for context in contexts:
        context.close()


def violations(tab: Any, options: dict[str, Any] | None = None) -> list[tuple[str, str, list[Any]]]:
    """axe-core's violations on the tab's page: (rule, impact, the first three targets)."""
    if not AXE_SOURCE:
        pytest.skip("axe-playwright-python is not installed")
    if not tab.evaluate("() => typeof window.axe !== 'undefined'"):
        tab.evaluate(AXE_SOURCE)
    found = tab.evaluate("options => axe.run(document, options).then(r => r.violations)",
                         options or WCAG)
    return [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3]) for v in found]


def assert_accessible(tab: Any, where: str) -> None:
    """No axe-core violation of any impact under the WCAG 2.2 A and AA tags."""
    assert violations(tab) == [], where


def wait_saved(tab: Any) -> None:
    """Until the form's save status says every change is saved."""
    tab.wait_for_function(
        "() => { const s = document.getElementById('save-status');"
        " return s && s.dataset.state === 'saved'; }", timeout=15000)


def shot(tab: Any, name: str) -> None:
    """A full-page PNG into BENCHMARK_SCREENSHOTS=DIR, when set."""
    folder = os.environ.get("BENCHMARK_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        tab.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)
