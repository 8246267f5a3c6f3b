"""Zero lost updates: 8 threads save the same and different answers through a real server.

Each thread keeps the revision (and value) it last saw per question and saves with
If-Match; a 409 hands it the current answer, which it then overwrites knowingly.
Afterwards every accepted save must be in the revision chain of its question, each
one based on the revision just before it, with the value its writer had seen.
"""

from __future__ import annotations

import http.client
import itertools
import json
import threading
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import pytest
from sqlalchemy import select

from benchmark.extensions import db
from benchmark.models import OVERALL, Answer, Assessment, AuditEvent
from benchmark.scoring import AnswerInput
from benchmark.services import accounts, answers, scores
from benchmark.services.answers import AnswerChange, Precondition
from tests.live_server import live_server

THREADS = 8
SAVES = 200
SHARED = "education_02"  # every thread saves it
OWN = {"focal_point": ("commitment_04", "language_02", "education_01"),
       "contributor": ("education_01",)}


@dataclass
class Outcome:
    accepted: list[dict[str, Any]] = field(default_factory=list)
    rejected: list[dict[str, Any]] = field(default_factory=list)
    unexpected: list[tuple[int, str]] = field(default_factory=list)


def _value(qid: str, thread: int, i: int) -> Any:
    if qid == "commitment_04":
        return f"thread {thread} save {i}"
    if qid == "education_01":  # percent: unique and within 0–100
        return round(thread * 10 + i / 1000, 3)
    return thread * 100_000 + i


def _writer(base: str, aid: int, token: str, role: str, thread: int, out: Outcome,
            start: threading.Barrier) -> None:
    url = urlsplit(base)
    seen: dict[str, tuple[int, Any]] = {}  # qid → (revision, value) this writer last saw
    conn = http.client.HTTPConnection(url.hostname, url.port, timeout=30)
    start.wait()
    for i in range(SAVES):
        own = OWN[role]
        qid = SHARED if i % 2 == 0 else own[(thread + i // 2) % len(own)]
        value = _value(qid, thread, i)
        headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
        base_rev, base_value = seen.get(qid, (0, None))
        if base_rev:
            headers["If-Match"] = f'"{base_rev}"'
        else:
            headers["If-None-Match"] = "*"
        body = json.dumps({"value": value})
        try:
            conn.request("PUT", f"/api/v1/assessments/{aid}/answers/{qid}", body, headers)
            response = conn.getresponse()
            payload = json.loads(response.read() or b"{}")
        except (OSError, http.client.HTTPException):
            conn.close()
            conn = http.client.HTTPConnection(url.hostname, url.port, timeout=30)
            out.unexpected.append((0, f"connection error on {qid}"))
            continue
        if response.status == 200:
            assert response.headers["ETag"] == f'"{payload["revision"]}"'
            out.accepted.append({"qid": qid, "base": base_rev, "base_value": base_value,
                                 "revision": payload["revision"], "value": payload["value"],
                                 "thread": thread})
            seen[qid] = (payload["revision"], payload["value"])
        elif response.status == 409:
            current = payload["error"]["current"]
            out.rejected.append({"qid": qid, "base": base_rev,
                                 "current": current and current["revision"]})
            if current is not None:
                seen[qid] = (current["revision"], current["value"])
        else:
            out.unexpected.append((response.status, json.dumps(payload)[:200]))
    conn.close()


@pytest.mark.slow
def test_concurrent_saves_lose_no_update(app, team, backend) -> None:
    from tests.builders import api_token

    tokens = {
        "focal_point": api_token(team.focal)["Authorization"].split()[1],
        "contributor": api_token(team.contributor)["Authorization"].split()[1],
    }
    aid = team.assessment.id
    client = app.test_client()
    for token in tokens.values():
        # Like the form, which reads the assessment first; this also records the tokens' use
        # now (tokens.authenticate writes last_used_at at most once a minute).
        response = client.get(f"/api/v1/assessments/{aid}",
                              headers={"Authorization": f"Bearer {token}"})
        assert response.status_code == 200
    db.session.remove()  # the server's threads use their own sessions
    roles = ["focal_point"] * 6 + ["contributor"] * 2
    outcomes = [Outcome() for _ in range(THREADS)]
    start = threading.Barrier(THREADS)
    began = time.monotonic()
    with live_server(app) as base:
        threads = [threading.Thread(target=_writer, args=(base, aid, tokens[roles[t]], roles[t], t,
                                                          outcomes[t], start))
                   for t in range(THREADS)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=600)
    elapsed = time.monotonic() - began

    accepted = [a for o in outcomes for a in o.accepted]
    rejected = [r for o in outcomes for r in o.rejected]
    unexpected = [u for o in outcomes for u in o.unexpected]
    print(f"\n[{backend}] {len(accepted)} accepted, {len(rejected)} rejected (409), "
          f"{len(unexpected)} other, in {elapsed:.1f} s")
    assert unexpected == []
    assert len(accepted) + len(rejected) == THREADS * SAVES
    assert rejected, "the threads never collided: the test proves nothing"
    for r in rejected:  # a 409 always means the writer's revision was not the current one
        assert r["current"] != r["base"]

    db.session.expire_all()
    stored = {a.question_id: a for a in db.session.scalars(
        select(Answer).where(Answer.assessment_id == aid))}
    audit = {}
    for row in db.session.scalars(select(AuditEvent).where(AuditEvent.action == "answer_saved",
                                                           AuditEvent.target_id == str(aid))):
        audit.setdefault(row.details["question"], []).append(row.details)
    for qid in {a["qid"] for a in accepted}:
        chain = sorted((a for a in accepted if a["qid"] == qid), key=lambda a: a["revision"])
        # Every accepted save has its own revision, one after the revision its writer saw...
        assert [a["revision"] for a in chain] == list(range(1, len(chain) + 1))
        assert all(a["base"] == a["revision"] - 1 for a in chain)
        # ...and the value it replaced is the one its writer had seen (no blind overwrite).
        for before, after in itertools.pairwise(chain):
            assert after["base_value"] == before["value"]
        # The last accepted save is what is stored; the audit log has every save, old → new.
        assert stored[qid].revision == len(chain)
        assert stored[qid].value == chain[-1]["value"]
        log = sorted(audit[qid], key=lambda d: d["revision"])
        assert [d["revision"] for d in log] == [a["revision"] for a in chain]
        assert [d["changes"]["value"][1] for d in log] == [a["value"] for a in chain]
        assert [d["changes"]["value"][0] for d in log[1:]] == [a["value"] for a in chain[:-1]]


def test_a_save_that_waited_for_the_lock_scores_with_the_save_before_it(app, team,
                                                                        monkeypatch) -> None:
    """Two saves in one dimension at once: the second waits for the assessment's lock while the
    first holds it, and re-scores the dimension with the first one's answer. The answers a save
    scores with are read under the lock (`answers._lock_answers`); read before it, they would
    miss the first save and the cached index would disagree with the stored answers."""
    actor = accounts.actor_for(team.focal)
    aid = team.assessment.id
    for qid, value in (("education_01", 10), ("education_02", 2)):
        answers.save(actor, aid, qid, AnswerChange(value=value), Precondition(if_none_match=True))
    db.session.rollback()  # no read of this thread's stays open beside the saves
    holding, release = threading.Event(), threading.Event()
    rows_after_answers = scores.rows_after_answers

    def held(*args: Any, **kwargs: Any) -> Any:  # the first save keeps the lock until told
        if threading.current_thread().name == "first":
            holding.set()
            release.wait(30)
        return rows_after_answers(*args, **kwargs)

    monkeypatch.setattr(scores, "rows_after_answers", held)
    errors: list[BaseException] = []

    def save(qid: str, value: int) -> None:
        with app.app_context():
            try:
                answers.save(actor, aid, qid, AnswerChange(value=value), Precondition(if_match=1))
            except BaseException as err:  # reported by the assertion below
                errors.append(err)

    first = threading.Thread(target=save, args=("education_02", 18), name="first")
    second = threading.Thread(target=save, args=("education_01", 60), name="second")
    first.start()
    assert holding.wait(30)
    second.start()
    time.sleep(0.5)  # the second save is now waiting for the assessment's lock
    release.set()
    for thread in (first, second):
        thread.join(30)
    assert errors == []
    db.session.rollback()  # a fresh snapshot: SQLite's would still predate the saves
    fresh = scores.score_of(db.session.get(Assessment, aid))
    assert scores.answers_of(aid) == {"education_01": AnswerInput(60, False),
                                      "education_02": AnswerInput(18, False)}
    assert scores.stored_indices(aid) == {OVERALL: fresh.overall, **fresh.indices}
