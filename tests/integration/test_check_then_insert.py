"""Check-then-insert under concurrency: two writers pass the check at the same moment.

The friendly answer ("already used") must reach the second one too, never a 500 from
the unique constraint; and machines starting together (`benchmark init` on each) must
all succeed and import each edition once.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import uuid
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import func, select, text

from benchmark.errors import Invalid
from benchmark.extensions import db
from benchmark.models import City, QuestionnaireEdition, User
from benchmark.services import accounts, cities, users
from tests.builders import FIXTURES, build_user

ATTEMPTS = 6


def _race(app: Flask, attempt) -> list[str]:  # type: ignore[no-untyped-def]
    """Run `attempt()` from ATTEMPTS threads at once; each outcome's name."""
    start = threading.Barrier(ATTEMPTS)
    outcomes: list[str] = []

    def run() -> None:
        with app.app_context():
            start.wait()
            try:
                attempt()
                outcomes.append("done")
            except Invalid as err:
                outcomes.append("invalid: " + "; ".join(err.fields.values()))
            except Exception as err:  # the defect under test: reported, not raised
                outcomes.append(f"error: {type(err).__name__}")
            finally:
                db.session.remove()

    threads = [threading.Thread(target=run) for _ in range(ATTEMPTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    db.session.rollback()  # a fresh snapshot: SQLite's would still predate the threads' writes
    return outcomes


def test_simultaneous_cities_with_one_slug_make_one_city(app) -> None:
    admin = accounts.actor_for(build_user("admin"))
    data = cities.CityData(slug="ville-de-lyon", name="Lyon", country="France")
    outcomes = _race(app, lambda: cities.create(admin, data))
    assert outcomes.count("done") == 1
    assert sorted(set(outcomes) - {"done"}) == ["invalid: Another city already uses this short name."]
    assert db.session.scalar(select(func.count()).select_from(City)) == 1


def test_simultaneous_invitations_of_one_address_make_one_account(app) -> None:
    admin = accounts.actor_for(build_user("admin"))
    invitation = users.Invitation(email="new.colleague@example.org", name="New colleague",
                                  role="staff", city_id=None, language="en", dimensions=None)
    outcomes = _race(app, lambda: users.invite(admin, invitation, lambda token: f"/link/{token}"))
    assert outcomes.count("done") == 1
    assert sorted(set(outcomes) - {"done"}) == [
        "invalid: There is already an account with this email address."]
    assert db.session.scalar(select(func.count()).select_from(User)
                             .where(User.email == "new.colleague@example.org")) == 1


@pytest.mark.slow
@pytest.mark.postgres
def test_machines_starting_together_all_initialise_one_database(postgres_url: str,
                                                                tmp_path: Path) -> None:
    from tests.conftest import _postgres_admin_engine

    name = f"benchmark_init_{uuid.uuid4().hex[:8]}"
    admin = _postgres_admin_engine()
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    url = postgres_url.rsplit("/", 1)[0] + f"/{name}"
    try:
        env = {k: v for k, v in os.environ.items() if not k.startswith("BENCHMARK_")}
        env.update(BENCHMARK_DATABASE_URL=url, BENCHMARK_QUESTIONNAIRE_DIR=str(FIXTURES),
                   BENCHMARK_SECRET_KEY="shared")
        benchmark = str(Path(sys.executable).parent / "benchmark")
        starts = [subprocess.Popen([benchmark, "init"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                   text=True, env={**env, "BENCHMARK_INSTANCE_PATH": str(tmp_path / f"m{i}")})
                  for i in range(2)]
        results = [(start.wait(timeout=300), *start.communicate()) for start in starts]
        assert [code for code, _, _ in results] == [0, 0], [err[-1500:] for _, _, err in results]
        from sqlalchemy import create_engine

        engine = create_engine(url)
        with engine.connect() as connection:
            versions = connection.scalars(select(QuestionnaireEdition.version)).all()
        engine.dispose()
        assert sorted(versions) == ["2019", "2024"]
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
