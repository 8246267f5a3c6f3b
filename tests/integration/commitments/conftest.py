"""The city team (tests/integration/conftest.py) with a validated first round (2022)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from benchmark.models import Assessment
from tests.builders import build_assessment
from tests.integration.conftest import COMPLETE_2019, CityTeam

__all__ = ["Team", "body", "create", "team"]


@dataclass
class Team(CityTeam):
    first: Assessment


@pytest.fixture
def team(city_team: CityTeam) -> Team:
    first = build_assessment(city_team.city, version="2019", round=2022, status="validated",
                             answers={**COMPLETE_2019, "commitment_02": "no", "language_01": "no"})
    return Team(**vars(city_team), first=first)


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
