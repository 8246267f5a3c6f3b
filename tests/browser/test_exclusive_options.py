"""Exclusive options in a real browser: ticking "None of these" clears the others, and back."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from tests.browser.test_assessment_form import ARGS, CHROMIUM, _wait_saved
from tests.live_server import live_server

pytestmark = pytest.mark.browser
QUESTION = "#q-commitment_06"


@pytest.fixture
def form(sqlite_template: Path, tmp_path: Path) -> Iterator[tuple[object, object, int]]:
    if not Path(CHROMIUM).exists():
        pytest.skip(f"chromium not found at {CHROMIUM} (apt-get install -y chromium)")
    sync_api = pytest.importorskip("playwright.sync_api")
    from benchmark.app import create_app
    from benchmark.extensions import db
    from tests.builders import build_assessment, build_city, build_user
    from tests.conftest import base_overrides

    path = tmp_path / "browser.sqlite3"
    shutil.copy(sqlite_template, path)
    app = create_app({**base_overrides(tmp_path / "instance"), "DATABASE_URL": f"sqlite:///{path}"})
    with app.app_context():
        city = build_city("nantes", name="Nantes")
        focal = build_user("focal_point", city, email="focal@nantes.example")
        aid = build_assessment(city, version="2024", round=2026, real=True).id
        email = focal.email
        db.session.remove()
    with live_server(app) as url, sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        tab = browser.new_context(viewport={"width": 1280, "height": 1000}).new_page()
        tab.goto(f"{url}/login")
        tab.fill("#email", email)
        tab.fill("#password", "correct horse battery staple")
        tab.click("form.narrow-form button[type=submit]")
        tab.wait_for_url(lambda u: "/login" not in u)
        tab.goto(f"{url}/assessments/{aid}/dimensions/commitment")
        yield tab, app, aid
        browser.close()
    with app.app_context():
        db.engine.dispose()


def _checked(tab) -> list[str]:  # type: ignore[no-untyped-def]
    return tab.eval_on_selector_all(f"{QUESTION} input[type=checkbox]:checked",
                                    "inputs => inputs.map(i => i.value)")


def _stored(app, aid: int) -> object:  # type: ignore[no-untyped-def]
    from benchmark.extensions import db
    from benchmark.models import Answer

    with app.app_context():
        value = db.session.scalar(select(Answer.value).where(
            Answer.assessment_id == aid, Answer.question_id == "commitment_06"))
        db.session.remove()
    return value


def test_ticking_none_of_these_clears_the_plans_and_a_plan_clears_it(form) -> None:  # type: ignore[no-untyped-def]
    tab, app, aid = form
    tab.check(f"{QUESTION} input[value=housing_plan]")
    tab.check(f"{QUESTION} input[value=youth_plan]")
    assert _checked(tab) == ["housing_plan", "youth_plan"]

    tab.check(f"{QUESTION} input[value=none]")
    assert _checked(tab) == ["none"]
    _wait_saved(tab)
    assert _stored(app, aid) == ["none"]

    tab.check(f"{QUESTION} input[value=climate_plan]")
    assert _checked(tab) == ["climate_plan"]
    _wait_saved(tab)
    assert _stored(app, aid) == ["climate_plan"]
    assert tab.locator(f"{QUESTION} .error-message").count() == 0
