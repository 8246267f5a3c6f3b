"""With the demo network seeded, every page a demo user reaches from the menu shows its data."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from benchmark.demo import seeding as demo
from benchmark.demo.accounts import DEMO_PASSWORD, DEMO_USERS
from benchmark.extensions import db
from benchmark.models import City, User
from tests.builders import login

NAV = re.compile(r'<nav class="site-nav".*?</nav>', re.S)
HREF = re.compile(r'href="([^"#?]+)"')


def _menu(html: str) -> list[str]:
    block = NAV.search(html)
    assert block, "no main menu"
    return HREF.findall(block[0])


@pytest.mark.parametrize("email", [email for email, _ in DEMO_USERS])
def test_every_menu_page_of_a_demo_user_is_served_with_network_data(mini, client, email) -> None:
    demo.seed(12, 3)
    user = db.session.scalar(select(User).where(User.email == email))
    names = set(db.session.scalars(select(City.name)))
    login(client, user, DEMO_PASSWORD)
    menu = _menu(client.get("/").get_data(as_text=True))
    assert menu, f"{email} sees no menu"
    for path in menu:
        response = client.get(path)
        assert response.status_code == 200, (email, path, response.status_code)
        html = response.get_data(as_text=True)
        if path.rstrip("/") not in {"/account", "/questionnaires"}:
            assert any(name in html for name in names) or "@demo.city-benchmark.org" in html, (
                f"{path} shows no demo data to {email}")


def test_the_focal_points_city_pages_link_to_a_validated_round_and_a_draft(mini, client) -> None:
    demo.seed(12, 3)
    focal = db.session.scalar(select(User).where(User.email == DEMO_USERS[2][0]))
    login(client, focal, DEMO_PASSWORD)
    home = client.get("/city").get_data(as_text=True)
    assert demo.DEMO_CITY_NAME in home
    links = sorted(set(re.findall(r'href="(/(?:assessments|results)/\d+[^"]*)"', home)))
    assert links, "the city page links to no assessment"
    for path in links:
        assert client.get(path).status_code == 200, path
