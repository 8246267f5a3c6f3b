"""The dashboard's content is kept rendered (web/fragments.py): what a user must still see.

Each test loads the page first, so that its content is kept, then changes what the page
shows (a city's name, a reviewer, the staff, the language) and loads it again.
"""

from __future__ import annotations

import re
from datetime import date

import pytest

from benchmark.extensions import db
from benchmark.models import Assessment, City
from benchmark.services import accounts, assignments, cities
from tests.builders import FIXTURES, build_assessment, build_city, build_user, login
from tests.integration.results.test_scores_api import HALF

pytestmark = pytest.mark.config(QUESTIONNAIRE_DIR=str(FIXTURES))


@pytest.fixture
def staff(app):  # type: ignore[no-untyped-def]
    user = build_user("staff")
    build_assessment(build_city(name="Avalon", country="France", population=90_000,
                                foreign_born_share=5.0), status="submitted", answers=HALF)
    build_assessment(build_city(name="Brisa", country="Spain"), status="validated", answers=HALF)
    return user


def _page(client, **args: str) -> str:  # type: ignore[no-untyped-def]
    response = client.get("/dashboard", query_string={"edition": "2019", **args})
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    return response.get_data(as_text=True)


def _reviewer_choices(html: str) -> list[str]:
    choices = html.split('id="f-reviewer"')[1].split("</select>")[0]
    return re.findall(r'<option value="\d+"[^>]*>([^<]+)</option>', choices)


def test_a_renamed_city_shows_its_new_name(client, staff) -> None:
    login(client, staff)
    assert ">Avalon</a>" in _page(client)
    avalon = db.session.query(City).filter_by(name="Avalon").one()
    cities.update(accounts.actor_for(build_user("admin")), avalon.id, cities.CityData(
        slug=avalon.slug, name="Avalon-on-Sea", country="France", population=90_000,
        foreign_born_share=5.0))
    html = _page(client)
    assert ">Avalon-on-Sea</a>" in html and ">Avalon</a>" not in html


def test_a_new_staff_member_appears_in_the_reviewer_filter(client, staff) -> None:
    login(client, staff)
    assert _reviewer_choices(_page(client)) == ["Test staff"]
    colleague = build_user("staff", email="colleague@example.org")
    colleague.name = "Zoe Reviewer"
    db.session.commit()
    assert _reviewer_choices(_page(client)) == ["Test staff", "Zoe Reviewer"]


def test_a_newly_assigned_reviewer_shows_in_the_row_and_the_filter_finds_it(client, staff) -> None:
    login(client, staff)
    before = _page(client, status="submitted")
    assert "Test staff" not in before.split('<table class="dashboard">')[1]
    submitted = db.session.query(Assessment).filter_by(status="submitted").one()
    assignments.assign(accounts.actor_for(staff), submitted.id, staff.id, date(2030, 1, 31),
                       date(2030, 1, 1))
    after = _page(client, status="submitted")
    assert "Test staff" in after.split('<table class="dashboard">')[1]
    assert ">Avalon</a>" in _page(client, reviewer=str(staff.id))


def test_the_kept_page_follows_a_language_switch(client, staff) -> None:
    login(client, staff)
    english = _page(client, lang="en")
    french = _page(client, lang="fr")
    arabic = _page(client, lang="ar")
    assert "Cities by status of their latest round" in english
    assert "Cities by status of their latest round" not in french
    assert "Cities by status of their latest round" not in arabic
    assert 'dir="rtl"' in arabic and '<html lang="fr"' in french
    assert "Cities by status of their latest round" in _page(client, lang="en")
