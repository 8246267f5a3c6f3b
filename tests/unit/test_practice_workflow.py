"""The good-practice workflow table and the order of practices under a priority (pure)."""

from __future__ import annotations

import pytest

from benchmark import practice_workflow as pw
from benchmark.scoring.priorities import PracticeCandidate, rank_practices


@pytest.mark.parametrize(("role", "same_city", "status", "expected"), [
    ("focal_point", True, "draft", True), ("contributor", True, "returned", True),
    ("focal_point", True, "submitted", False), ("focal_point", True, "published", False),
    ("focal_point", False, "draft", False), ("staff", False, "submitted", True),
    ("admin", False, "published", True), ("staff", False, "withdrawn", False),
])
def test_who_edits_a_practice_in_which_status(role: str, same_city: bool, status: str,
                                              expected: bool) -> None:
    assert pw.may_edit(role, same_city, status) is expected


def test_every_status_is_reachable_and_only_published_is_public() -> None:
    reached = {pw.INITIAL} | {s.target for s in pw.STEPS}
    assert reached == set(pw.STATUSES)
    assert [s for s in pw.STATUSES if pw.is_public(s)] == ["published"]
    assert pw.may_take("contributor", True, "submit") and not pw.may_take("contributor", True,
                                                                          "publish")
    assert pw.may_take("staff", False, "publish") and not pw.may_take("focal_point", False,
                                                                      "withdraw")


def test_practices_of_achieving_cities_come_first_then_the_same_group_then_the_newest() -> None:
    candidates = [
        PracticeCandidate(1, city_achieves=False, same_group=True, published=50),
        PracticeCandidate(2, city_achieves=True, same_group=False, published=10),
        PracticeCandidate(3, city_achieves=True, same_group=True, published=5),
        PracticeCandidate(4, city_achieves=True, same_group=False, published=20),
        PracticeCandidate(5, city_achieves=False, same_group=False, published=99),
    ]
    assert rank_practices(candidates) == [3, 4, 2]
    assert rank_practices(candidates, limit=5) == [3, 4, 2, 1, 5]
