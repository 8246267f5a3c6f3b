"""What a reader of the results page and the PDF sees (issue 14, "Reports and results"):
comments labelled by who wrote them, core codes in the reader's language, isolated user text."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from tests.builders import FIXTURES, api_token, build_assessment, build_city, build_user, csrf_token, login

pytestmark = [pytest.mark.config(QUESTIONNAIRE_DIR=str(FIXTURES)), pytest.mark.slow]

ANSWERS = {"commitment_01": "yes", "commitment_02": "partly", "commitment_03": ["council"],
           "education_01": {"value": 30, "comment": "Figure from the 2024 census."},
           "education_02": 10, "language_01": {"na": True}, "language_02": 15}


def _text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)



@pytest.fixture
def submitted(app):
    for _ in range(2):
        build_assessment(build_city(population=150_000, foreign_born_share=15.0),
                         status="validated", answers={k: v for k, v in ANSWERS.items()
                                                      if not isinstance(v, dict)})
    return build_assessment(build_city(name="Valdoria", population=120_000,
                                       foreign_born_share=12.0),
                            status="submitted", answers=ANSWERS)


def _comment(client, assessment, body: str, in_report: bool) -> None:
    token = csrf_token(client, f"/review/{assessment.id}")
    data = {"csrf_token": token, "question_id": "education_01", "body": body}
    if in_report:
        data["in_report"] = "1"
    assert client.post(f"/review/{assessment.id}/comments", data=data).status_code == 302


def _pdf(client, assessment, lang: str) -> str:
    headers = api_token(build_user("focal_point", assessment.city))
    response = client.get(f"/api/v1/assessments/{assessment.id}/report.pdf?lang={lang}",
                          headers=headers)
    assert response.status_code == 200
    return _text(response.data)


def test_pdf_labels_the_citys_comment_and_shows_only_ticked_staff_comments(client, submitted):
    login(client, build_user("staff"))
    review = client.get(f"/review/{submitted.id}").get_data(as_text=True)
    assert 'name="in_report" value="1">' in review  # a checkbox, not ticked by default
    _comment(client, submitted, "Please cite the source table.", in_report=True)
    _comment(client, submitted, "Internal note for the team.", in_report=False)

    french = _pdf(client, submitted, "fr")
    assert "Commentaire de la ville" in french and "Figure from the 2024 census." in french
    assert "Commentaire de l’examinateur" not in french
    assert "Commentaire du programme" in french and "Please cite the source table." in french
    assert "Internal note for the team." not in french

    arabic = _pdf(client, submitted, "ar")
    assert "تعليق المدينة" in arabic and "تعليق البرنامج" in arabic
    assert "تعليق المراجِع" not in arabic
    assert "Internal note for the team." not in arabic


def test_core_codes_are_words_of_the_readers_language(client, submitted):
    french = _pdf(client, submitted, "fr")
    assert "N/A" not in french and "Sans objet" in french  # the "not applicable" answer
    assert "habitants" in french and "inhabitants" not in french  # the peer-group label
    arabic = _pdf(client, submitted, "ar")
    assert "inhabitants" not in arabic and "نسمة" in arabic

    login(client, build_user("focal_point", submitted.city))
    page = client.get(f"/results/{submitted.id}?lang=fr").get_data(as_text=True)
    assert "120\u202f000" not in page or "habitants" in page
    assert "inhabitants" not in page and "foreign-born" not in page
    assert "100\u202f000 à 250\u202f000 habitants" in page


def _overall(client, assessment) -> float:
    headers = api_token(build_user("staff"))
    scores = client.get(f"/api/v1/assessments/{assessment.id}/scores", headers=headers).get_json()
    return scores["overall"]["index"]


def test_each_round_shows_its_published_index_and_the_change_is_labelled(client, app):
    city = build_city(name="Valdoria")
    # 2019: full points on the mapped question, none on the rest; 2024: the reverse mix.
    old = build_assessment(city, version="2019", round=2022, status="validated",
                           answers={"commitment_01": "yes", "commitment_02": "no",
                                    "commitment_03": [], "education_01": 5, "education_02": 0,
                                    "language_01": "no", "language_02": 0})
    new = build_assessment(city, version="2024", round=2026, status="submitted",
                           answers={"commitment_01": "yes", "commitment_02": "yes",
                                    "education_01": 40, "language_01": "yes"})
    published = f"{_overall(client, old):.1f}"
    current = f"{_overall(client, new):.1f}"

    login(client, build_user("focal_point", city))
    page = client.get(f"/results/{new.id}").get_data(as_text=True)
    trend_table = page[page.index('id="trend-h"'):]
    assert f'<td class="num">{published}</td>' in trend_table
    assert f'<td class="num">{current}</td>' in trend_table
    assert "Change since round 2022*" in trend_table
    assert "shown as it was published" in trend_table

    text = _pdf(client, new, "en")
    trends = " ".join(text[text.rindex("Trends over rounds"):].split())
    assert published in trends and current in trends
    assert "Change since round 2022*" in trends and "shown as it was published" in trends
    french = " ".join(_pdf(client, new, "fr").split())
    assert "celui qui a été publié" in french


def test_user_text_is_isolated_on_the_arabic_results_page(client, submitted):
    login(client, build_user("focal_point", submitted.city))
    page = client.get(f"/results/{submitted.id}?lang=ar").get_data(as_text=True)
    assert 'dir="rtl"' in page
    assert "<bdi>Figure from the 2024 census.</bdi>" in page  # the city's comment
    assert "تعليق المدينة" in page


def test_signed_numbers_keep_their_sign_on_the_left_on_the_arabic_results_page(client, submitted):
    import re

    login(client, build_user("focal_point", submitted.city))
    page = client.get(f"/results/{submitted.id}?lang=ar").get_data(as_text=True)
    main = re.sub(r"<svg.*?</svg>", "", page[page.index("<main"):page.index("</main>")], flags=re.S)
    signed = re.findall(r"(.)([+\u2212-])(\d+[.,٫]\d)", main)
    assert any(sign == "+" for _, sign, _ in signed)  # the differences from the network
    # Each sign opens a left-to-right isolate, or Arabic text would draw it right of its digits.
    assert all(before == "\u2066" for before, _, _ in signed), signed


def test_the_number_of_cities_beside_an_average_is_in_arabic(client, submitted):
    login(client, build_user("focal_point", submitted.city))
    page = client.get(f"/results/{submitted.id}?lang=ar").get_data(as_text=True)
    main = page[page.index("<main"):page.index("</main>")]
    assert "(n=" not in main and "(ن = 2)" in main  # the two validated cities


def test_the_last_save_and_typed_text_keep_their_order_on_an_arabic_form(client):
    city = build_city(name="Valdoria")
    focal = build_user("focal_point", city, language="ar")
    focal.name = "Noor Okafor"
    draft = build_assessment(city, version="2019", round=2026)
    saved = client.put(f"/api/v1/assessments/{draft.id}/answers/commitment_01", json={"value": "yes"},
                       headers={**api_token(focal), "If-None-Match": "*"})
    assert saved.status_code == 200
    login(client, focal)
    page = client.get(f"/assessments/{draft.id}/dimensions/commitment?lang=ar").get_data(as_text=True)
    question = page[page.index('id="q-commitment_01"'):page.index('id="q-commitment_02"')]
    assert "<bdi>Noor Okafor</bdi>" in question  # the name does not swallow the date
    comment = question[question.index('id="q-commitment_01-comment"'):]
    assert 'dir="auto"' in comment[:comment.index(">")]  # typed text in its own direction
    link = question[question.index('id="q-commitment_01-evidence_url"'):]
    assert 'dir="ltr"' in link[:link.index(">")]  # "https://" reads left to right
