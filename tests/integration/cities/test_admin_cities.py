"""Administration of cities through the pages, as an administrator would."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from benchmark.extensions import db
from benchmark.models import AuditEvent, City
from tests.builders import build_city
from tests.integration.security.helpers import post_form


def test_admin_creates_and_edits_a_city(admin_client) -> None:
    response = post_form(admin_client, "/admin/cities/new", {
        "name": "Ville de Lyon", "slug": "ville-de-lyon", "country": "France",
        "population": "522250", "foreign_born_share": "12.5", "consent_named": "y"})
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    city = db.session.scalar(select(City).where(City.slug == "ville-de-lyon"))
    assert (city.population, city.foreign_born_share, city.consent_named) == (522250, 12.5, True)
    listing = admin_client.get("/admin/cities").get_data(as_text=True)
    assert "Ville de Lyon" in listing, listing[-4000:]
    assert "500,000" in listing or "500 000" in listing, listing[-4000:]

    response = post_form(admin_client, f"/admin/cities/{city.id}", {
        "name": "Lyon", "slug": "lyon", "country": "France", "population": "",
        "foreign_born_share": ""})
    assert response.status_code == 302
    db.session.expire_all()
    city = db.session.get(City, city.id)
    assert (city.name, city.slug, city.population, city.consent_named) == ("Lyon", "lyon", None, False)
    change = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "city_updated"))
    assert change.details["consent_named"] == [True, False]


@pytest.mark.parametrize(("field", "value"), [
    ("slug", "Not A Slug"), ("slug", "trailing-"), ("population", "-5"), ("population", "lots"),
    ("foreign_born_share", "101"), ("foreign_born_share", "nan"), ("name", ""),
])
def test_city_form_refuses_bad_input(admin_client, field: str, value: str) -> None:
    data = {"name": "Gent", "slug": "gent", "country": "Belgium", "population": "260000",
            "foreign_born_share": "20", field: value}
    response = post_form(admin_client, "/admin/cities/new", data)
    assert response.status_code == 422
    assert f'href="#{field}"' in response.get_data(as_text=True)
    assert db.session.scalar(select(City).where(City.slug == "gent")) is None


def test_duplicate_slug_is_a_field_error(admin_client) -> None:
    build_city("gent")
    response = post_form(admin_client, "/admin/cities/new", {"name": "Gent", "slug": "gent",
                                                         "country": "Belgium"})
    assert response.status_code == 422
    assert "already uses" in response.get_data(as_text=True)
