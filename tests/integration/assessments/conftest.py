"""A city team (focal point, contributor on one dimension, another city's focal point, staff)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from benchmark.models import Assessment, City, User
from tests.builders import api_token, build_assessment, build_city, build_edition, build_user

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
    assessment: Assessment

    def headers(self, user: User, **extra: str) -> dict[str, str]:
        return {**api_token(user), **extra}


@pytest.fixture
def team(app) -> Team:  # type: ignore[no-untyped-def]
    build_edition("2024")
    city = build_city("lyon", name="Lyon")
    return Team(
        city=city,
        focal=build_user("focal_point", city),
        contributor=build_user("contributor", city, dimensions=["education"]),
        staff=build_user("staff"),
        outsider=build_user("focal_point", build_city("oslo", name="Oslo")),
        assessment=build_assessment(city, version="2019", round=2022),
    )


def put(client, team: Team, qid: str, body: dict[str, Any], *, user: User | None = None,
        revision: int | None = None, create: bool = False, aid: int | None = None):  # type: ignore[no-untyped-def]
    headers = team.headers(user or team.focal)
    if revision is not None:
        headers["If-Match"] = f'"{revision}"'
    if create:
        headers["If-None-Match"] = "*"
    return client.put(f"/api/v1/assessments/{aid or team.assessment.id}/answers/{qid}",
                      json=body, headers=headers)
