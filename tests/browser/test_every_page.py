"""Every page each role can reach, in a real browser: axe-core (WCAG 2.2 AA) and reflow.

For each role (anonymous, contributor, focal point, staff, admin) and in English and
Arabic, the test logs in and crawls the pages reachable by following same-origin links
from the role's landing page: breadth first, bounded, skipping logout, language switches,
downloads and the API, and keeping a few samples of each URL pattern
(`/assessments/<n>/dimensions/<x>` is one pattern), so that pages added later are
checked without touching this file. On every page:

- axe-core with the wcag2a, wcag2aa, wcag21aa and wcag22aa tags finds no violation, of any
  impact;
- at a 320 CSS px wide viewport the page does not scroll sideways (WCAG 1.4.10 reflow).

The network is the demo generator's, small (a few cities, the real 2019 and 2024
editions), seeded once for the module. Run it alone with
`.venv/bin/python -m pytest -p no:cacheprovider -q --db sqlite tests/browser/test_every_page.py`.
"""

from __future__ import annotations

import hashlib
import re
import shutil
from collections import Counter, deque
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urldefrag, urlsplit

import pytest

from tests.browser.test_assessment_form import ARGS, CHROMIUM
from tests.live_server import live_server

pytestmark = pytest.mark.browser
WCAG = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21aa", "wcag22aa"]},
        "resultTypes": ["violations"]}
ROLES = ("anonymous", "contributor", "focal_point", "staff", "admin")
MAX_PAGES = 30          # per role and language
SAMPLES = {"en": 2, "ar": 1}   # pages per URL pattern
NARROW = 320            # CSS px (WCAG 1.4.10)
SKIP = re.compile(r"/(logout|language/|api/v1/|healthz|session/)|\.(pdf|csv|xlsx|json|yaml|zip|png|svg)$"
                  r"|/download")


def _axe_source() -> str:
    try:
        from axe_playwright_python.sync_playwright import Axe
    except ImportError:
        return ""
    return Axe().axe_script  # type: ignore[no-any-return]


AXE_SOURCE = _axe_source()


@dataclass
class Network:
    url: str
    emails: dict[str, str]
    password: str


@pytest.fixture(scope="module")
def network(sqlite_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Network]:
    from benchmark.app import create_app
    from benchmark.demo import seeding
    from benchmark.demo.accounts import DEMO_PASSWORD, DEMO_USERS
    from benchmark.extensions import db
    from tests.builders import build_edition
    from tests.conftest import base_overrides

    folder = tmp_path_factory.mktemp("crawl")
    path = folder / "crawl.sqlite3"
    shutil.copy(sqlite_template, path)
    app = create_app({**base_overrides(folder / "instance"), "DATABASE_URL": f"sqlite:///{path}"})
    with app.app_context():
        build_edition("2024", real=True)
        seeding.seed(cities=8, seed=7)
        db.session.remove()
    with live_server(app) as url:
        yield Network(url, {role: email for email, role in DEMO_USERS}, DEMO_PASSWORD)
    with app.app_context():
        db.engine.dispose()


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    if not Path(CHROMIUM).exists():
        pytest.skip(f"chromium not found at {CHROMIUM} (apt-get install -y chromium)")
    if not AXE_SOURCE:
        pytest.skip("axe-playwright-python is not installed")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        yield launched
        launched.close()


def pattern(url: str) -> str:
    """The URL with its numbers and the last segment after a number generalised."""
    parts = urlsplit(url)
    # An id with a digit ("12", "education_01") is one pattern: a few samples suffice.
    segments = ["<n>" if any(c.isdigit() for c in s) else s for s in parts.path.split("/")]
    for i in range(1, len(segments)):
        if segments[i - 1] in {"dimensions", "preview", "translations"}:
            segments[i] = "<x>"
    keys = sorted(k.split("=")[0] for k in parts.query.split("&") if k)
    return "/".join(segments) + ("?" + "&".join(keys) if keys else "")


def log_in(browser, network: Network, role: str, lang: str):  # type: ignore[no-untyped-def]
    """A tab of a fresh context, logged in as `role` (or anonymous), in `lang`; at its landing page."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    context.add_init_script(AXE_SOURCE)  # axe-core in every page, parsed by the page itself
    tab = context.new_page()
    tab.goto(f"{network.url}/login")
    if role != "anonymous":
        tab.fill("#email", network.emails[role])
        tab.fill("#password", network.password)
        tab.click("form.narrow-form button[type=submit]")
        tab.wait_for_url(lambda u: "/login" not in u)
    landing = tab.url if role != "anonymous" else f"{network.url}/"
    tab.goto(f"{network.url}/language/{lang}?next={urlsplit(landing).path}")
    return tab


def crawl(tab, base: str, lang: str) -> Iterator[str]:  # type: ignore[no-untyped-def]
    """Visit same-origin pages breadth first from the tab's page; yields each visited URL."""
    seen_patterns: Counter[str] = Counter()
    queued = {tab.url}
    todo = deque([tab.url])
    visited = 0
    while todo and visited < MAX_PAGES:
        url = todo.popleft()
        if tab.url != url:
            response = tab.goto(url)
            if response is None or "text/html" not in response.headers.get("content-type", ""):
                continue
            if tab.url != url and tab.url in queued:  # a redirect to a page already seen
                continue
        visited += 1
        yield url
        hrefs = tab.eval_on_selector_all(
            "a[href]:not([download])", "links => links.map(a => a.href)")
        for href in hrefs:
            href = re.sub(r"([?&]lang=)[a-z]+", rf"\g<1>{lang}", urldefrag(href)[0])
            if not href.startswith(base + "/") or href in queued or SKIP.search(urlsplit(href).path):
                continue
            key = pattern(href)
            if seen_patterns[key] >= SAMPLES[lang]:
                continue
            seen_patterns[key] += 1
            queued.add(href)
            todo.append(href)


#: (language, digest of the page's <main>) already checked by any role: the same content
#: seen by another role is checked once (its navigation is checked on the role's other pages).
CHECKED: set[tuple[str, str]] = set()
MAIN = """() => { const m = document.querySelector('main') || document.body;
  return m.innerHTML.replace(/name="csrf_token" value="[^"]*"/g, ''); }"""


def _seen_before(tab, lang: str) -> bool:  # type: ignore[no-untyped-def]
    key = (lang, hashlib.sha256(tab.evaluate(MAIN).encode()).hexdigest())
    if key in CHECKED:
        return True
    CHECKED.add(key)
    return False


def _violations(tab) -> list[tuple[str, str, list[object]]]:  # type: ignore[no-untyped-def]
    found = tab.evaluate("options => axe.run(document, options).then(r => r.violations)", WCAG)
    return [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3]) for v in found]


WIDEST = """() => {
  const width = document.documentElement.clientWidth;
  if (document.documentElement.scrollWidth <= width + 1) return null;
  const scrolled = e => { for (let a = e.parentElement; a && a !== document.body; a = a.parentElement) {
    if (['auto', 'scroll', 'hidden'].includes(getComputedStyle(a).overflowX)) return true; } return false; };
  const wide = [...document.querySelectorAll('body *')].filter(e => {
    const r = e.getBoundingClientRect();
    return r.width > 0 && (r.right > width + 1 || r.left < -1) && !scrolled(e);
  });
  const outer = wide.filter(e => !wide.includes(e.parentElement)).slice(0, 3);
  return outer.map(e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '')
    + (e.className && typeof e.className === 'string' ? '.' + e.className.trim().split(/\\s+/).join('.') : '')
    + ' ' + Math.round(e.getBoundingClientRect().width) + 'px');
}"""


def _scrolls_sideways(tab) -> list[str] | None:  # type: ignore[no-untyped-def]
    """None, or the outermost elements that stick out of a 320 px wide viewport."""
    tab.set_viewport_size({"width": NARROW, "height": 900})
    try:
        return tab.evaluate(WIDEST)  # type: ignore[no-any-return]
    finally:
        tab.set_viewport_size({"width": 1280, "height": 900})


@pytest.mark.parametrize("lang", ["en", "ar"])
@pytest.mark.parametrize("role", ROLES)
def test_every_reachable_page_passes_axe_and_reflows(network: Network, browser, role: str,
                                                     lang: str) -> None:  # type: ignore[no-untyped-def]
    tab = log_in(browser, network, role, lang)
    problems: dict[str, object] = {}
    pages = []
    for url in crawl(tab, network.url, lang):
        where = url.removeprefix(network.url)
        pages.append(where)

        if "lang=" not in where:  # a preview in another language is in that language
            assert tab.get_attribute("html", "lang") == lang, where
        if _seen_before(tab, lang):
            continue
        if found := _violations(tab):
            problems[where] = found
        if wide := _scrolls_sideways(tab):
            problems[where + " @320px"] = f"scrolls sideways: {wide}"
    tab.context.close()
    assert len(pages) >= (3 if role == "anonymous" else 5), pages
    report = "\n".join(f"{where}: {found}" for where, found in problems.items())
    assert not problems, f"{len(problems)} problems on {len(pages)} pages {pages}:\n{report}"
