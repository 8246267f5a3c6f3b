"""The city team (tests/integration/conftest.py) with a draft round (2022) on the mini edition."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from benchmark.models import Assessment, User
from tests.builders import build_assessment, build_edition
from tests.integration.conftest import CityTeam

__all__ = ["Team", "put", "team"]


@dataclass
class Team(CityTeam):
    assessment: Assessment


@pytest.fixture
def team(city_team: CityTeam) -> Team:
    build_edition("2024")
    return Team(**vars(city_team),
                assessment=build_assessment(city_team.city, version="2019", round=2022))


def put(client, team: Team, qid: str, body: dict[str, Any], *, user: User | None = None,
        revision: int | None = None, create: bool = False, aid: int | None = None):  # type: ignore[no-untyped-def]
    headers = team.headers(user or team.focal)
    if revision is not None:
        headers["If-Match"] = f'"{revision}"'
    if create:
        headers["If-None-Match"] = "*"
    return client.put(f"/api/v1/assessments/{aid or team.assessment.id}/answers/{qid}",
                      json=body, headers=headers)
