"""An exclusive option ("None of these") is refused together with other options: 422, nothing saved."""

from __future__ import annotations

from sqlalchemy import select

from benchmark.extensions import db
from benchmark.models import Answer
from tests.builders import api_token, build_assessment, build_city, build_user, csrf_token, login

QUESTION = "commitment_06"  # 2024: which plans include migrants; "none" is exclusive


def _setup(language: str = "en"):  # type: ignore[no-untyped-def]
    city = build_city("nantes", name="Nantes")
    focal = build_user("focal_point", city, language=language)
    assessment = build_assessment(city, version="2024", round=2026, real=True)
    return focal, assessment


def _stored(assessment_id: int) -> Answer | None:
    db.session.expire_all()
    return db.session.scalar(select(Answer).where(Answer.assessment_id == assessment_id,
                                                  Answer.question_id == QUESTION))


def _put(client, focal, assessment, value):  # type: ignore[no-untyped-def]
    return client.put(f"/api/v1/assessments/{assessment.id}/answers/{QUESTION}",
                      json={"value": value}, headers={**api_token(focal), "If-None-Match": "*"})


def test_api_refuses_none_of_these_with_a_plan_and_names_the_option(client) -> None:
    focal, assessment = _setup()

    response = _put(client, focal, assessment, ["housing_plan", "none"])

    assert response.status_code == 422
    error = response.get_json()["error"]
    assert error["fields"]["value"].startswith("“None of these” cannot be chosen together with")
    assert _stored(assessment.id) is None


def test_the_refusal_is_in_the_readers_language(client) -> None:
    focal, assessment = _setup(language="fr")

    response = _put(client, focal, assessment, ["none", "climate_plan"])

    assert response.status_code == 422
    assert response.get_json()["error"]["fields"]["value"].startswith(
        "«\u00a0Aucun de ces plans\u00a0» ne peut pas être coché avec d’autres options")


def test_none_of_these_alone_and_plans_together_are_saved_and_scored(client) -> None:
    focal, assessment = _setup()

    assert _put(client, focal, assessment, ["none"]).status_code == 200
    response = client.put(f"/api/v1/assessments/{assessment.id}/answers/{QUESTION}",
                          json={"value": ["housing_plan", "youth_plan"]},
                          headers={**api_token(focal), "If-Match": '"1"'})

    assert response.status_code == 200, response.get_json()
    assert _stored(assessment.id).value == ["housing_plan", "youth_plan"]


def test_the_page_form_refuses_the_combination_and_keeps_what_was_ticked(client) -> None:
    focal, assessment = _setup()
    login(client, focal)
    page = f"/assessments/{assessment.id}/dimensions/commitment"

    response = client.post(page, data={
        "csrf_token": csrf_token(client, page), "then": "stay",
        f"{QUESTION}:value": ["housing_plan", "none"], f"{QUESTION}:revision": "0"})

    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "“None of these” cannot be chosen together with other options" in html
    assert 'value="none" id="q-commitment_06-value-7"\n           checked' in html
    assert _stored(assessment.id) is None


def test_the_form_marks_the_exclusive_option_for_the_browser(client) -> None:
    focal, assessment = _setup()
    login(client, focal)

    html = client.get(f"/assessments/{assessment.id}/dimensions/commitment").get_data(as_text=True)

    none = html[html.index('value="none" id="q-commitment_06'):]
    assert "data-exclusive" in none[:200]
    assert html.count("data-exclusive") == 2  # commitment_05 and commitment_06


def test_the_api_says_which_option_is_exclusive(client) -> None:
    focal, _ = _setup()

    body = client.get("/api/v1/questionnaires/2024", headers=api_token(focal)).get_json()

    question = next(q for d in body["dimensions"] for q in d["questions"] if q["id"] == QUESTION)
    assert [o["id"] for o in question["options"] if o.get("exclusive")] == ["none"]
    assert question["options"][-1]["exclusive"] is True
