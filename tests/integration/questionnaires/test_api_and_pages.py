"""Editions over the API and on the administrator's pages."""

from __future__ import annotations

import pytest
import yaml

from benchmark.questionnaire.loader import load_text
from benchmark.scoring import AnswerInput, score_assessment
from benchmark.services import questionnaires
from tests.builders import FIXTURES, api_token, build_edition, build_user, login

pytestmark = pytest.mark.config(QUESTIONNAIRE_DIR=str(FIXTURES))


@pytest.fixture
def editions(app):
    build_edition("2024")


def test_list_of_editions(client, editions) -> None:
    headers = api_token(build_user("contributor"))
    body = client.get("/api/v1/questionnaires?lang=fr", headers=headers).get_json()
    versions = [e["version"] for e in body["items"]]
    assert versions == ["2019", "2024"]
    first = body["items"][0]
    assert first["title"] == "Mini-indice 2019"
    assert first["questions"] == 7 and first["dimensions"] == 3
    assert len(first["checksum"]) == 64
    assert body["next"] is None


def test_full_definition_in_french(client, editions) -> None:
    headers = api_token(build_user("focal_point"))
    body = client.get("/api/v1/questionnaires/2019?lang=fr", headers=headers).get_json()
    question = body["dimensions"][0]["questions"][0]
    assert question["text"] == "Le conseil a-t-il adopté une stratégie interculturelle ?"
    assert question["options"][0] == {"id": "yes", "label": "Oui", "points": 2.0, "fallback": False}
    assert body["dimensions"][0]["questions"][1]["show_if"] == {"question": "commitment_01", "in": ["yes"]}
    assert body["lang"] == "fr"


def test_unknown_edition_is_404(client, editions) -> None:
    response = client.get("/api/v1/questionnaires/1999", headers=api_token(build_user("staff")))
    assert response.status_code == 404
    assert response.get_json()["error"]["code"] == "not_found"


def test_unsupported_language_is_422(client, editions) -> None:
    response = client.get("/api/v1/questionnaires/2019?lang=de", headers=api_token(build_user("staff")))
    assert response.status_code == 422
    assert "lang" in response.get_json()["error"]["fields"]


def test_editions_need_authentication(client, editions) -> None:
    assert client.get("/api/v1/questionnaires").status_code == 401


def test_api_structure_scores_like_the_file(client, editions) -> None:
    """Rebuild an edition from the API's JSON and score it: same indices as the file."""
    headers = api_token(build_user("staff"))
    body = client.get("/api/v1/questionnaires/2019?lang=en", headers=headers).get_json()

    def texts(node):
        if isinstance(node, list):
            return [texts(n) for n in node]
        if not isinstance(node, dict):
            return node
        out = {}
        for key, value in node.items():
            if key in {"fallback", "lang", "checksum"} or value is None:
                continue
            out[key] = {"en": value} if key in {"title", "text", "help", "label"} else texts(value)
        return out

    document = texts(body)
    document["languages"] = ["en"]
    rebuilt = load_text(yaml.safe_dump(document, allow_unicode=True))
    original = questionnaires.get_edition("2019")
    answers = {"commitment_01": AnswerInput("yes"), "commitment_02": AnswerInput("partly"),
               "commitment_03": AnswerInput(["council", "audit"]), "education_01": AnswerInput(40),
               "education_02": AnswerInput(7.5), "language_01": AnswerInput(None, na=True),
               "language_02": AnswerInput(12)}
    a = score_assessment(original, answers, provisional=True)
    b = score_assessment(rebuilt, answers, provisional=True)
    assert a.indices == b.indices and a.overall == b.overall


def test_admin_lists_editions(client, editions) -> None:
    login(client, build_user("admin"))
    html = client.get("/admin/questionnaires/").get_data(as_text=True)
    assert "Mini index 2019" in html and "Mini index 2024" in html


def test_arabic_preview_is_right_to_left(client, editions) -> None:
    login(client, build_user("admin"))
    html = client.get("/admin/questionnaires/2019?lang=ar").get_data(as_text=True)
    assert 'lang="ar" dir="rtl"' in html
    assert "هل اعتمد المجلس استراتيجية للتعدد الثقافي؟" in html


def test_preview_is_for_administrators(client, editions) -> None:
    login(client, build_user("focal_point"))
    assert client.get("/admin/questionnaires/2019").status_code == 403
