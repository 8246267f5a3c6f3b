"""Every page each role can reach, in a real browser: axe-core (WCAG 2.2 AA) and reflow.

For each role (anonymous, contributor, focal point, staff, admin) and in English and
Arabic, the test logs in and crawls the pages reachable by following same-origin links
from the role's landing page: breadth first, bounded, skipping logout, language switches,
downloads and the API, and keeping a few samples of each URL pattern
(`/assessments/<n>/dimensions/<x>` is one pattern, `/staff/cities/<x>` another; a list's
filtered views are one more, its sorted and paged views are the list), so that pages added
later are checked without touching this file. The crawl must end before its bound: a role
whose pages outgrow it fails, so no reachable pattern goes unchecked. On every page:

- axe-core with the wcag2a, wcag2aa, wcag21aa and wcag22aa tags finds no violation, of any
  impact;
- at a 320 CSS px wide viewport the page does not scroll sideways (WCAG 1.4.10 reflow).

The network is the demo generator's, small (a few cities, the real 2019 and 2024
editions), seeded once for the module. The browser is the session's (tests/browser/conftest.py)
and each role logs in once: its English and Arabic crawls share the logged-in context.
Run it alone with
`.venv/bin/python -m pytest -p no:cacheprovider -q --db sqlite tests/browser/test_every_page.py`.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter, deque
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urldefrag, urlsplit

import pytest

from benchmark.demo.accounts import DEMO_PASSWORD
from tests.browser.conftest import AXE_SOURCE, WCAG, Site, log_in, serving, violations

pytestmark = pytest.mark.browser
ROLES = ("anonymous", "contributor", "focal_point", "staff", "admin")
MAX_PAGES = 80          # per role and language: a bound the crawl must not reach
SAMPLES = {"en": 2, "ar": 1}   # pages per URL pattern
NARROW = 320            # CSS px (WCAG 1.4.10)
SKIP = re.compile(r"/(logout|language/|api/v1/|healthz|session/)|\.(pdf|csv|xlsx|json|yaml|zip|png|svg)$"
                  r"|/download")
#: Path segments followed by an identifier (a slug or a question id): one URL pattern.
NAMED = {"dimensions", "preview", "translations", "cities", "for-question"}
#: Query keys that only order or page a list: the same template with other rows.
ORDER_ONLY = {"sort", "dir", "after", "before", "page"}


@pytest.fixture(scope="module")
def network(sqlite_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    def seed() -> dict[str, str]:
        from benchmark.demo import seeding
        from benchmark.demo.accounts import DEMO_USERS
        from tests.builders import build_edition

        build_edition("2024", real=True)
        seeding.seed(cities=8, seed=7)
        return {role: email for email, role in DEMO_USERS}

    with serving(sqlite_template, tmp_path_factory.mktemp("crawl"), seed) as site:
        yield site


@pytest.fixture(scope="module")
def role_tab(network: Site, chromium: Any) -> Iterator[Callable[[str], tuple[Any, str]]]:
    """role_tab(role) → (a tab logged in as `role` once for the module, its landing path)."""
    if not AXE_SOURCE:
        pytest.skip("axe-playwright-python is not installed")
    opened: dict[str, tuple[Any, str]] = {}

    def open_tab(role: str) -> tuple[Any, str]:
        if role not in opened:
            context = chromium.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
            context.add_init_script(AXE_SOURCE)  # axe-core in every page, parsed by the page itself
            tab = context.new_page()
            if role == "anonymous":
                tab.goto(f"{network.url}/login")
                landing = "/"
            else:
                log_in(tab, network.url, network.built[role], DEMO_PASSWORD)
                landing = urlsplit(tab.url).path
            opened[role] = (tab, landing)
        return opened[role]

    yield open_tab
    for tab, _ in opened.values():
        tab.context.close()


def pattern(url: str) -> str:
    """The URL with its numbers and the last segment after a number generalised."""
    parts = urlsplit(url)
    # An id with a digit ("12", "education_01") is one pattern: a few samples suffice.
    segments = ["<n>" if any(c.isdigit() for c in s) else s for s in parts.path.split("/")]
    for i in range(1, len(segments)):
        if segments[i - 1] in NAMED:
            segments[i] = "<x>"
    # A filtered view is the page's template with fewer rows: "?" is one more pattern of the
    # path, whatever the filters; ordering and paging alone are the unfiltered page.
    filtered = {k.split("=")[0] for k in parts.query.split("&") if k} - ORDER_ONLY
    return "/".join(segments) + ("?" if filtered else "")


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


#: (language, digest of the page's <main>) already checked by any role in this process: the
#: same content seen by another role is checked once (its navigation is checked on the role's
#: other pages). Each xdist worker has its own set, network and browser.
CHECKED: set[tuple[str, str]] = set()
MAIN = """() => { const m = document.querySelector('main') || document.body;
  return m.innerHTML.replace(/name="csrf_token" value="[^"]*"/g, ''); }"""


def _axe_options(tab) -> dict[str, object]:  # type: ignore[no-untyped-def]
    """The WCAG tags; without axe-core's preload (fetching every style sheet and media file
    again) on pages with no audio or video: under these tags it serves only no-autoplay-audio
    (media elements) — css-orientation-lock, the other rule reading it, is experimental and
    not run."""
    if tab.evaluate("() => document.querySelector('audio, video') === null"):
        return {**WCAG, "preload": False}
    return WCAG


def _seen_before(tab, lang: str) -> bool:  # type: ignore[no-untyped-def]
    key = (lang, hashlib.sha256(tab.evaluate(MAIN).encode()).hexdigest())
    if key in CHECKED:
        return True
    CHECKED.add(key)
    return False


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
def test_every_reachable_page_passes_axe_and_reflows(network: Site, role_tab, role: str,
                                                     lang: str) -> None:  # type: ignore[no-untyped-def]
    tab, landing = role_tab(role)
    tab.goto(f"{network.url}/language/{lang}?next={landing}")
    problems: dict[str, object] = {}
    pages = []
    for url in crawl(tab, network.url, lang):
        where = url.removeprefix(network.url)
        pages.append(where)

        if "lang=" not in where:  # a preview in another language is in that language
            assert tab.get_attribute("html", "lang") == lang, where
        if _seen_before(tab, lang):
            continue
        if found := violations(tab, _axe_options(tab)):
            problems[where] = found
        if wide := _scrolls_sideways(tab):
            problems[where + " @320px"] = f"scrolls sideways: {wide}"
    assert len(pages) >= (3 if role == "anonymous" else 5), pages
    assert len(pages) < MAX_PAGES, f"the crawl stopped at {MAX_PAGES} pages: raise MAX_PAGES"
    report = "\n".join(f"{where}: {found}" for where, found in problems.items())
    assert not problems, f"{len(problems)} problems on {len(pages)} pages {pages}:\n{report}"
