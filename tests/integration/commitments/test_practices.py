"""A commitment names the good practices it draws on: published ones, or the city's own."""

from __future__ import annotations

from tests.builders import build_city, build_practice, login
from tests.integration.commitments.conftest import create


def test_a_commitment_draws_on_published_practices(client, team) -> None:
    practice = build_practice(build_city("porto"), title="Migrant councils in planning",
                              questions=("commitment_02",))
    created = create(client, team, practices=[practice.id])
    assert created.status_code == 201 and created.get_json()["practices"] == [practice.id]
    login(client, team.focal)
    form = client.get(f"/commitments/new?assessment={team.first.id}&question=commitment_02")
    assert "Migrant councils in planning" in form.get_data(as_text=True)
    shown = client.get(f"/commitments/{created.get_json()['id']}").get_data(as_text=True)
    assert "Migrant councils in planning" in shown and f"/practices/{practice.id}" in shown


def test_another_citys_unpublished_practice_is_refused(client, team) -> None:
    draft = build_practice(build_city("porto"), status="draft")
    response = create(client, team, practices=[draft.id, 999999])
    assert response.status_code == 422
    assert str(draft.id) in response.get_json()["error"]["fields"]["practices"]


def test_commit_from_a_priority_preselects_the_practices_shown_beside_it(client, team) -> None:
    practice = build_practice(build_city("porto"), title="Migrant councils in planning",
                              questions=("commitment_02",))
    login(client, team.focal)
    results = client.get(f"/results/{team.first.id}").get_data(as_text=True)
    link = next(part for part in results.split('href="')[1:]
                if part.startswith("/commitments/new") and "question=commitment_02" in part)
    assert f"practice={practice.id}" in link
    form = client.get(link[:link.index('"')].replace("&amp;", "&")).get_data(as_text=True)
    assert f'value="{practice.id}" checked' in form


def test_ids_beyond_any_row_are_not_found(client, team) -> None:
    login(client, team.focal)
    assert client.get(f"/commitments/{2**40}").status_code == 404
    assert client.get(f"/commitments/new?assessment={2**40}").status_code == 404
    assert client.get(f"/assessments/{2**40}/commitments/1/outcome").status_code == 404
