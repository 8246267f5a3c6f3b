"""`make screenshots`: full-page PNGs of the main pages of each role, in English and Arabic.

Builds a throw-away demo network (SQLite in a temporary folder, the published
editions, a few demo cities), serves it on a free local port, and has headless chromium
(Playwright) log in as each demo account and photograph its main pages into
docs/screenshots/<role>-<page>-<lang>.png. Usage:

    .venv/bin/python tools/screenshots.py [--out docs/screenshots] [--cities 8]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

CHROMIUM = os.environ.get("BENCHMARK_CHROMIUM", "/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]

#: (role, page name, path or a callable of the network giving it); "{aid}" is the role's
#: current assessment, "{review}" one awaiting review, "{city}" the focal point's city,
#: "{five}" five cities validated on one edition (for the comparison).
PAGES = {
    "anonymous": [("home", "/"), ("login", "/login")],
    "focal_point": [("city", "/city"), ("overview", "/assessments/{aid}"),
                    ("questionnaire", "/assessments/{aid}/dimensions/{dim}"),
                    ("results", "/results/{validated}"), ("team", "/team")],
    "contributor": [("overview", "/assessments/{aid}")],
    "staff": [("review-queue", "/review"), ("review", "/review/{review}"), ("network", "/network"),
              ("dashboard", "/dashboard"), ("city", "/staff/cities/{city}"),
              ("compare", "/compare?{five}"), ("commitments", "/network/commitments")],
    "admin": [("admin-home", "/admin/"), ("users", "/admin/users"), ("audit", "/admin/audit"),
              ("editions", "/admin/questionnaires/")],
}


def _network(folder: Path, cities: int):  # type: ignore[no-untyped-def]
    from sqlalchemy import select

    from benchmark.app import create_app
    from benchmark.demo import seeding
    from benchmark.demo.accounts import DEMO_USERS
    from benchmark.extensions import db
    from benchmark.infra import setup
    from benchmark.models import Assessment, City, User

    app = create_app({"INSTANCE_PATH": str(folder), "SECRET_KEY": "screenshots",
                      "DATABASE_URL": f"sqlite:///{folder / 'shots.sqlite3'}",
                      "RATELIMIT_ENABLED": False, "BACKGROUND_JOBS": False})
    with app.app_context():
        setup.initialise()
        seeding.seed(cities=cities, seed=7)
        focal = db.session.scalar(select(User).where(User.email == DEMO_USERS[2][0]))
        rows = db.session.execute(select(Assessment.id, Assessment.status, Assessment.city_id)
                                  .order_by(Assessment.round.desc())).all()
        own = [r for r in rows if r.city_id == focal.city_id]
        values = {
            "aid": next((r.id for r in own if r.status in {"draft", "returned"}), own[0].id),
            "validated": next((r.id for r in own if r.status == "validated"), own[0].id),
            "review": next((r.id for r in rows if r.status == "submitted"), rows[0].id),
        }
        values["city"] = db.session.get(City, focal.city_id).slug
        validated = db.session.execute(
            select(Assessment.edition_id, City.slug).join(City, City.id == Assessment.city_id)
            .where(Assessment.status == "validated").order_by(City.name)).all()
        by_edition: dict[int, list[str]] = {}
        for edition_id, slug in validated:
            if slug not in by_edition.setdefault(edition_id, []):
                by_edition[edition_id].append(slug)
        from benchmark.services import questionnaires

        edition_id, slugs = max(by_edition.items(), key=lambda kv: len(kv[1]))
        values["five"] = "&".join([f"questionnaire={questionnaires.get_edition_by_id(edition_id).version}",
                                   *(f"city={slug}" for slug in slugs[:5])])
        edition = db.session.get(Assessment, values["aid"]).edition

        values["dim"] = questionnaires.get_edition_by_id(edition.id).dimensions[0].id
        db.session.remove()
    return app, {role: email for email, role in DEMO_USERS}, values


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument("--cities", type=int, default=8)
    options = parser.parse_args()
    if not Path(CHROMIUM).exists():
        sys.exit(f"screenshots: chromium not found at {CHROMIUM}")
    from playwright.sync_api import sync_playwright

    from benchmark.demo.accounts import DEMO_PASSWORD
    from tests.live_server import live_server

    options.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        app, emails, values = _network(Path(tmp), options.cities)
        with live_server(app) as url, sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
            for role, pages in PAGES.items():
                for lang in ("en", "ar"):
                    context = browser.new_context(viewport={"width": 1280, "height": 900})
                    tab = context.new_page()
                    if role != "anonymous":
                        tab.goto(f"{url}/login")
                        tab.fill("#email", emails[role])
                        tab.fill("#password", DEMO_PASSWORD)
                        tab.click("form.narrow-form button[type=submit]")
                        tab.wait_for_url(lambda u: "/login" not in u)
                    tab.goto(f"{url}/language/{lang}?next=/")
                    for name, path in pages:
                        tab.goto(url + path.format(**values))
                        target = options.out / f"{role.replace('_', '-')}-{name}-{lang}.png"
                        tab.screenshot(path=str(target), full_page=True)
                        print(target.relative_to(ROOT) if target.is_relative_to(ROOT) else target)
                    context.close()
            browser.close()
        with app.app_context():
            from benchmark.extensions import db

            db.engine.dispose()


if __name__ == "__main__":
    main()
