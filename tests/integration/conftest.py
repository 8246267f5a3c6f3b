"""What several areas' integration tests share: a city team, a complete set of answers and
an administrator signed in."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from benchmark.models import City, User
from tests.builders import api_token, build_city, build_user
from tests.integration.security.helpers import sign_in

#: Answers of the mini 2019 edition that make it submittable.
COMPLETE_2019 = {
    "commitment_01": "yes",
    "commitment_02": "partly",
    "commitment_03": ["council", "board"],
    "education_01": 40,
    "education_02": 12,
    "language_01": "yes",
    "language_02": 5,
}


@dataclass
class CityTeam:
    """Lyon's focal point, a contributor on education, staff and Oslo's focal point."""

    city: City
    focal: User
    contributor: User
    staff: User
    outsider: User

    def headers(self, user: User, **extra: str) -> dict[str, str]:
        return {**api_token(user), **extra}


@pytest.fixture
def city_team(app) -> CityTeam:  # type: ignore[no-untyped-def]
    city = build_city("lyon", name="Lyon")
    return CityTeam(
        city=city,
        focal=build_user("focal_point", city),
        contributor=build_user("contributor", city, dimensions=["education"]),
        staff=build_user("staff"),
        outsider=build_user("focal_point", build_city("oslo", name="Oslo")),
    )


@pytest.fixture
def admin_client(client):  # type: ignore[no-untyped-def]
    """The test client signed in as an administrator, root@example.org."""
    sign_in(client, build_user("admin", email="root@example.org"))
    return client
