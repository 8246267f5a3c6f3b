"""Follow-up in the next round: a due commitment blocks submission until its outcome is recorded."""

from __future__ import annotations

from tests.builders import build_assessment
from tests.integration.commitments.conftest import body, create
from tests.integration.conftest import COMPLETE_2019


def test_submission_lists_missing_outcomes_like_missing_answers(client, team) -> None:
    cid = create(client, team).get_json()["id"]
    second = build_assessment(team.city, version="2019", round=2026, answers=COMPLETE_2019)
    refused = client.post(f"/api/v1/assessments/{second.id}/submit", headers=team.headers(team.focal))
    assert refused.status_code == 422
    assert list(refused.get_json()["error"]["fields"]) == [f"commitment.{cid}"]

    data = body(team, outcome="partly", outcome_note="Two of four consultations opened.")
    data.pop("assessment")
    recorded = client.put(f"/api/v1/commitments/{cid}", json=data,
                          headers=team.headers(team.focal, **{"If-Match": '"1"'}))
    assert recorded.status_code == 200, recorded.get_json()
    assert (recorded.get_json()["outcome"], recorded.get_json()["outcome_assessment"]) == (
        "partly", second.id)
    submitted = client.post(f"/api/v1/assessments/{second.id}/submit",
                            headers=team.headers(team.focal))
    assert submitted.status_code == 200, submitted.get_json()


def test_an_outcome_needs_an_editable_next_round(client, team) -> None:
    cid = create(client, team).get_json()["id"]
    data = body(team, outcome="done")
    data.pop("assessment")
    response = client.put(f"/api/v1/commitments/{cid}", json=data,
                          headers=team.headers(team.focal, **{"If-Match": '"1"'}))
    assert response.status_code == 409
    assert response.get_json()["error"]["code"] == "no_follow_up"


def test_an_outcome_other_than_done_needs_a_note(client, team) -> None:
    cid = create(client, team).get_json()["id"]
    build_assessment(team.city, version="2019", round=2026)
    data = body(team, outcome="dropped")
    data.pop("assessment")
    response = client.put(f"/api/v1/commitments/{cid}", json=data,
                          headers=team.headers(team.focal, **{"If-Match": '"1"'}))
    assert response.status_code == 422
    assert list(response.get_json()["error"]["fields"]) == ["outcome_note"]


def test_the_form_reads_due_commitments_in_a_fixed_number_of_queries(client, team) -> None:
    from tests.builders import login
    from tests.queries import count_queries

    second = build_assessment(team.city, version="2019", round=2026)
    login(client, team.focal)
    path = f"/assessments/{second.id}/dimensions/commitment"
    counts = []
    for _ in range(2):
        for n in range(3):
            create(client, team, title=f"Commitment {n}")
        client.get(path)
        with count_queries() as queries:
            assert client.get(path).status_code == 200
        counts.append(queries.count)
    # The page's 4 (a draft's: no review comments to read), the same as without
    # commitments: the prompting assessments of the commitments come with them in one query.
    assert counts == [4, 4]


def test_commitments_of_another_edition_are_mapped_onto_the_rounds_edition(client, team) -> None:
    """The form reads due commitments as rows; their targets are those `targets` maps."""
    from benchmark.extensions import db
    from benchmark.models import Assessment
    from benchmark.services import accounts, questionnaires
    from benchmark.services.commitment_followup import due, follow_ups, targets

    mapped = create(client, team, title="Mapped", questions=["commitment_01"]).get_json()["id"]
    unmapped = create(client, team, title="Not mapped", questions=["commitment_02"]).get_json()["id"]
    second = build_assessment(team.city, version="2024", round=2026)
    assessment = db.session.get(Assessment, second.id)
    edition = questionnaires.get_edition_by_id(assessment.edition_id)
    shown = follow_ups(accounts.actor_for(team.focal), assessment, edition)
    assert [(f.id, f.title, f.from_round, f.dimension, f.questions, f.may_record) for f in shown] == [
        (mapped, "Mapped", 2022, "commitment", ("commitment_01",), True),
        (unmapped, "Not mapped", 2022, "commitment", (), True)]
    assert [(f.dimension, f.questions) for f in shown] == [targets(c, edition) for c in due(assessment)]
    from tests.builders import login
    from tests.queries import count_queries

    login(client, team.focal)
    path = f"/assessments/{second.id}/dimensions/commitment"
    client.get(path)
    with count_queries() as queries:
        page = client.get(path)
    assert page.status_code == 200 and "Mapped" in page.get_data(as_text=True)
    # The page's 4 (a draft's): the version of the commitments' edition comes with them, not
    # its row.
    assert queries.count == 4, queries.report()
