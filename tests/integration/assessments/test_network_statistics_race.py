"""Concurrent validations and reopenings of one edition keep its network statistics right.

Threads of a real server validate and reopen different cities' assessments of one
edition at the same instant. Every request must succeed, and the stored statistics must
equal a fresh computation over the cities that ended up validated: on PostgreSQL two
unserialised recomputations stored a network one city short, or failed with a 500 on
the statistics' primary key (issue 20).
"""

from __future__ import annotations

import http.client
import json
import math
import threading
from urllib.parse import urlsplit

from benchmark.extensions import db
from benchmark.models import OVERALL, Assessment
from benchmark.scoring import CityResult, network_statistics
from benchmark.services import scores
from tests.builders import api_token, build_assessment, build_city, build_user
from tests.integration.conftest import COMPLETE_2019
from tests.live_server import live_server

THREADS = 6
PER_THREAD = 3


def _answers(i: int) -> dict[str, object]:
    """Different indices per city, so that a city left out changes the mean."""
    return {**COMPLETE_2019, "education_01": (i * 7) % 100, "language_01": "yes" if i % 2 else "no",
            "commitment_02": ("full", "partly", "no")[i % 3]}


def _post(base: str, path: str, token: dict[str, str], body: dict[str, str] | None = None) -> int:
    url = urlsplit(base)
    connection = http.client.HTTPConnection(url.hostname, url.port, timeout=60)
    try:
        connection.request("POST", path, json.dumps(body or {}),
                           {**token, "Content-Type": "application/json"})
        response = connection.getresponse()
        response.read()
        return response.status
    finally:
        connection.close()


def _staff_thread(base: str, token: dict[str, str], ids: list[int], start: threading.Barrier,
                  statuses: list[int]) -> None:
    start.wait()
    for aid in ids:
        statuses.append(_post(base, f"/api/v1/assessments/{aid}/validate", token))
    # Reopen the first one again at once: its city leaves the network.
    statuses.append(_post(base, f"/api/v1/assessments/{ids[0]}/reopen", token,
                          {"reason": "A figure needs checking."}))


def test_concurrent_validations_and_reopenings_store_the_true_network(app) -> None:
    already = [build_assessment(build_city(), status="validated", answers=_answers(i))
               for i in range(4)]
    waiting = [build_assessment(build_city(), status="submitted", answers=_answers(10 + i))
               for i in range(THREADS * PER_THREAD)]
    edition_id = already[0].edition_id
    tokens = [api_token(build_user("staff")) for _ in range(THREADS)]
    ids = [a.id for a in waiting]
    start = threading.Barrier(THREADS)
    statuses: list[int] = []
    with live_server(app) as base:
        threads = [threading.Thread(target=_staff_thread, args=(
            base, tokens[t], ids[t * PER_THREAD:(t + 1) * PER_THREAD], start, statuses))
            for t in range(THREADS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=300)

    assert statuses == [200] * (THREADS * (PER_THREAD + 1))
    db.session.rollback()  # a fresh snapshot: SQLite's would still predate the requests
    validated = [a for a in db.session.query(Assessment).filter_by(edition_id=edition_id)
                 if a.status == "validated"]
    assert len(validated) == len(already) + THREADS * (PER_THREAD - 1)
    fresh = network_statistics(
        [CityResult.from_score(str(a.city_id), scores.score_of(a), peer_group=None) for a in validated])
    stored = scores.stored_network(edition_id)
    assert stored[OVERALL].n == fresh.overall.n == len(validated)
    assert math.isclose(stored[OVERALL].mean, fresh.overall.mean, abs_tol=1e-9)
    for dimension, distribution in fresh.dimensions.items():
        assert stored[dimension].n == distribution.n
        assert math.isclose(stored[dimension].mean, distribution.mean, abs_tol=1e-9)
        assert math.isclose(stored[dimension].median, distribution.median, abs_tol=1e-9)
