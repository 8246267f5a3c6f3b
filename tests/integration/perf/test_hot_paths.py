"""The hot paths' shortcuts give the same figures as the long way, in a pinned number of statements.

Autosave re-scores only the dimensions a saved answer can move; the scores JSON reads
cached indices and a network prepared once per network stamp. Each is checked
against the full computation, and its statement count is pinned (tests/queries.py).
"""

from __future__ import annotations

import random

import pytest
from sqlalchemy import select

from benchmark.extensions import db
from benchmark.models import OVERALL, Answer, Assessment, City
from benchmark.questionnaire import get_type
from benchmark.services import accounts, answers, cities, questionnaires, scores
from benchmark.services.answers import AnswerChange, Precondition
from tests.builders import api_token, build_assessment, build_city, build_user
from tests.queries import count_queries


def _full(assessment_id: int) -> dict[str, float | None]:
    assessment = db.session.get(scores.Assessment, assessment_id)
    score = scores.score_of(assessment)
    return {OVERALL: score.overall, **score.indices}


def _value(q, rng: random.Random):  # type: ignore[no-untyped-def]
    if q.options:
        ids = [o.id for o in q.options]
        if q.type == "multi_choice":
            return [i for i in ids if rng.random() < 0.5 and not getattr(
                next(o for o in q.options if o.id == i), "exclusive", False)]
        return rng.choice(ids)
    if q.type in {"number", "percent"}:
        return rng.choice([0, 5, 12.5, 40, 99])
    return "text"


def test_autosave_rescores_only_what_moves_and_agrees_with_a_full_score(app) -> None:
    assessment = build_assessment(real=True)
    actor = accounts.actor_for(build_user("focal_point", assessment.city))
    edition = questionnaires.get_edition_by_id(assessment.edition_id)
    rng = random.Random(7)
    targets = [q for q in edition.questions
               if any(o.show_if and o.show_if.question == q.id for o in edition.questions)]
    chosen = [*targets, *rng.sample(list(edition.scored_questions), 25), *targets]
    revisions: dict[str, int] = {}
    for q in chosen:
        value = _value(q, rng)
        get_type(q.type).parse(q, value)
        rev = revisions.get(q.id)
        saved = answers.save(actor, assessment.id, q.id, AnswerChange(value=value),
                             Precondition(if_match=rev, if_none_match=rev is None))
        revisions[q.id] = saved.revision
        db.session.expire_all()
        assert scores.stored_indices(assessment.id) == _full(assessment.id), q.id


def _posted(q, value) -> answers.PostedAnswer:  # type: ignore[no-untyped-def]
    """`value` as the page's form sends it (strings as typed)."""
    values = [str(v) for v in value] if isinstance(value, list) else [str(value)]
    return answers.PostedAnswer(values=values, na=False, comment="", evidence="", evidence_url="",
                                evidence_year="", revision=0)


def test_page_saves_rescore_from_the_answers_they_read_and_agree_with_a_full_score(app) -> None:
    assessment = build_assessment(real=True)
    actor = accounts.actor_for(build_user("focal_point", assessment.city))
    edition = questionnaires.get_edition_by_id(assessment.edition_id)
    rng = random.Random(11)
    revisions: dict[str, int] = {}
    # every page twice over (skip logic's sources and targets change across pages), random values
    for dimension in [*edition.dimensions, *rng.sample(list(edition.dimensions), 4)]:
        chosen = rng.sample(list(dimension.questions), min(3, len(dimension.questions)))
        posted = {}
        for q in chosen:
            value = _value(q, rng)
            if value == []:
                continue  # an empty multi-choice posts nothing: no answer to save
            form = _posted(q, value)
            posted[q.id] = answers.PostedAnswer(**{**form.__dict__,
                                                   "revision": revisions.get(q.id, 0)})
        with count_queries() as queries:
            saved = answers.save_page(actor, assessment.id, dimension.id, posted)
        db.session.expire_all()
        stored = {a.question_id: a.revision for a in db.session.scalars(
            select(Answer).where(Answer.assessment_id == assessment.id))}
        revisions.update({qid: stored[qid] for qid in posted if qid in stored})
        assert scores.stored_indices(assessment.id) == _full(assessment.id), dimension.id
        if saved:
            # the lock, the answers (read once: the re-score reads none again), one write per
            # saved answer, the cached rows, one upsert, the round's bump, the audit rows
            assert queries.count == 6 + saved, queries.report()


def test_scores_json_comes_from_cached_indices_and_a_prepared_network(client) -> None:
    for _ in range(3):
        build_assessment(build_city(), status="validated", real=True,
                         answers={"commitment_01": "adopted", "education_01": 12})
    own = build_assessment(build_city(), real=True, answers={"commitment_01": "adopted"})
    headers = api_token(build_user("focal_point", own.city))
    path = f"/api/v1/assessments/{own.id}/scores"
    client.get(path, headers=headers)  # warm-up: token last use, the prepared network
    with count_queries() as queries:
        body = client.get(path, headers=headers).get_json()
    # the token with its user; the assessment with its city and its edition's network stamp
    # (the indices, the comparison and the JSON are kept under them: results.assessment_scores)
    assert queries.count == 2, queries.report()
    engine = scores.score_of(db.session.get(scores.Assessment, own.id))
    assert body["overall"]["index"] == engine.overall
    assert [d["index"] for d in body["dimensions"]] == [d.index for d in engine.dimensions]
    assert body["completeness"] == engine.completeness
    assert body["overall"]["network_n"] == 3


def test_kept_scores_follow_a_saved_answer_and_an_edit_of_the_city(client) -> None:
    build_assessment(build_city(population=150_000), status="validated", real=True,
                     answers={"commitment_01": "adopted"})
    own = build_assessment(build_city(population=150_000), real=True,
                           answers={"commitment_01": "adopted"})
    headers = api_token(build_user("focal_point", own.city))
    path = f"/api/v1/assessments/{own.id}/scores"
    first = client.get(path, headers=headers).get_json()
    assert first["comparisons"]["overall"]["size"]["group"] == "pop-100k-250k"
    saved = client.put(f"/api/v1/assessments/{own.id}/answers/education_01", json={"value": 12},
                       headers={**headers, "If-None-Match": "*"})
    assert saved.status_code in (200, 201), saved.get_json()
    second = client.get(path, headers=headers).get_json()
    assert second["overall"]["index"] == _full(own.id)[OVERALL] != first["overall"]["index"]
    # The round declares no population of its own: the city's record decides its size group,
    # and this city has no validated round, so the edit does not move the network stamp.
    db.session.get(Assessment, own.id).profile = {}
    db.session.commit()
    city = db.session.get(City, own.city_id)
    cities.update(accounts.actor_for(build_user("admin")), city.id, cities.CityData(
        slug=city.slug, name=city.name, country=city.country, population=600_000,
        foreign_born_share=city.foreign_born_share, consent_named=city.consent_named))
    third = client.get(path, headers=headers).get_json()
    assert third["comparisons"]["overall"]["size"]["group"] == "pop-500k-1m"


def test_a_city_edit_moves_the_prepared_network(client) -> None:
    other = build_assessment(build_city(name="Before"), status="validated", real=True)
    own = build_assessment(build_city(), real=True)
    before = scores.network_index(own.edition_id)
    assert [r.city_name for r in before.results] == ["Before"]
    city = other.city
    consent = city.consent_named
    cities.update(accounts.actor_for(build_user("admin")), city.id, cities.CityData(
        slug=city.slug, name="After", country=city.country, population=city.population,
        foreign_born_share=city.foreign_born_share, consent_named=not consent))
    after = scores.network_index(own.edition_id)
    assert after is not before
    assert [(r.city_name, r.named) for r in after.results] == [("After", not consent)]
    assert scores.network_index(own.edition_id) is after  # unchanged network: the same index


# commitment_06 has skip logic: the hidden flag's answers come in the same read too
@pytest.mark.parametrize("qid", ["education_01", "commitment_01", "commitment_06"])
def test_autosave_statements(client, qid: str, backend: str) -> None:
    assessment = build_assessment(real=True)
    headers = api_token(build_user("focal_point", assessment.city))
    edition = questionnaires.get_edition_by_id(assessment.edition_id)
    q = edition.question(qid)
    values = [o.id for o in q.options][:3] if q.options else [1, 2, 3]
    path = f"/api/v1/assessments/{assessment.id}/answers/{qid}"
    client.put(path, json={"value": values[0]}, headers={**headers, "If-None-Match": "*"})
    client.put(path, json={"value": values[1]}, headers={**headers, "If-Match": '"1"'})
    with count_queries() as queries:
        response = client.put(path, json={"value": values[2]}, headers={**headers, "If-Match": '"2"'})
    assert response.status_code == 200, response.get_json()
    # the token with its user; the locked assessment (with its edition), the locked answers with
    # their authors (the saved one and those of the moved dimensions) and the cached index rows
    # in one statement; the writes (answer, one upsert of the moved rows and the overall row,
    # assessment, audit), on PostgreSQL in one statement
    assert queries.count == (4 if backend == "postgresql" else 7), queries.report()
