"""A city team with a validated first round (2022) and the next round started (2026)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from benchmark.models import Assessment, City, User
from tests.builders import api_token, build_assessment, build_city, build_user

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
class Team:
    city: City
    focal: User
    contributor: User
    staff: User
    outsider: User
    first: Assessment

    def headers(self, user: User, **extra: str) -> dict[str, str]:
        return {**api_token(user), **extra}


@pytest.fixture
def team(app) -> Team:  # type: ignore[no-untyped-def]
    city = build_city("lyon", name="Lyon")
    first = build_assessment(city, version="2019", round=2022, status="validated",
                             answers={**COMPLETE_2019, "commitment_02": "no", "language_01": "no"})
    return Team(city=city, focal=build_user("focal_point", city),
                contributor=build_user("contributor", city, dimensions=["education"]),
                staff=build_user("staff"),
                outsider=build_user("focal_point", build_city("oslo", name="Oslo")), first=first)


def body(team: Team, **changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {"assessment": team.first.id, "title": "Open planning to migrant associations",
                            "dimension": "commitment", "questions": ["commitment_02"],
                            "department": "Urban planning", "owner": team.focal.email,
                            "start_date": "2023-01-01", "target_date": "2025-12-31"}
    data.update(changes)
    return data


def create(client, team: Team, **changes: Any):  # type: ignore[no-untyped-def]
    return client.post(f"/api/v1/cities/{team.city.slug}/commitments", json=body(team, **changes),
                       headers=team.headers(team.focal))
