"""The demo network carries good practices: about sixty published, some in French and
Arabic, a few drafts and submitted ones, findable by search."""

from __future__ import annotations

from collections import Counter

from sqlalchemy import select

from benchmark import authz
from benchmark.demo import seeding as demo
from benchmark.extensions import db
from benchmark.models import Practice
from benchmark.services import practices
from benchmark.services.practices import Filters
from tests.builders import build_edition


def test_the_demo_network_has_published_practices_in_three_languages(app) -> None:
    build_edition("2024", real=True)
    result = demo.seed(60, 42)
    assert result.practices["published"] == 60
    assert {"draft", "submitted", "returned"} <= set(result.practices)
    rows = list(db.session.scalars(select(Practice)))
    languages = Counter(p.language for p in rows if p.status == "published")
    assert languages["fr"] >= 5 and languages["ar"] >= 3
    found = practices.search(authz.SYSTEM, Filters(q="médiateurs"))
    assert found and all(p.status == "published" for p in found)
    assert practices.search(authz.SYSTEM, Filters(q="مكتبة"))
