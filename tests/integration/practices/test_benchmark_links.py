"""Practices linked to the benchmark: under a city's improvement priority (results page and
PDF, in the reader's language, in the preferred order), and the "cities to learn from"."""

from __future__ import annotations

import io
from datetime import date

from pypdf import PdfReader

from benchmark.services import city_report, practice_links
from tests.builders import (
    api_token,
    build_assessment,
    build_city,
    build_practice,
    build_user,
    login,
)

FULL = {"commitment_01": "yes", "commitment_02": "full", "commitment_03": ["council", "board"],
        "education_01": 60, "education_02": 20, "language_01": "yes", "language_02": 0}


def _network_with_practices():  # type: ignore[no-untyped-def]
    """A city weak only on language_01; three cities achieving it with practices on it."""
    city = build_city("weakville", population=120_000, foreign_born_share=12)
    assessment = build_assessment(city, status="validated", answers={**FULL, "language_01": "no"})
    for n, (pop, share, answer) in enumerate([(900_000, 35, "yes"), (130_000, 14, "no"),
                                              (150_000, 40, "yes"), (600_000, 5, "yes")]):
        other = build_city(f"peer-{n}", name=f"Peer {n}", population=pop, foreign_born_share=share)
        build_assessment(other, status="validated", answers={**FULL, "language_01": answer})
        build_practice(
            other, title=f"Free courses {n}", summary=f"Evening classes, model {n}.",
            questions=("language_01",),
            translations={"fr": {"title": f"Cours gratuits {n}",
                                 "summary": f"Cours du soir, modèle {n}."}})
    return city, assessment


def test_a_priority_lists_three_practices_of_cities_that_achieve_it_first(app) -> None:
    _, assessment = _network_with_practices()
    report = city_report.build(assessment, "en", date(2026, 11, 30))
    priority = next(p for p in report.priorities if p.question_id == "language_01")
    # Achieving it first (peer 2 also shares the size group), then the newest (3 before 0);
    # peer 1 shares both groups but does not achieve it, so it comes fourth and is left out.
    assert [x.city_name for x in priority.practices] == ["Peer 2", "Peer 3", "Peer 0"]


def test_the_results_page_and_the_pdf_show_them_in_the_readers_language(app, client) -> None:
    city, assessment = _network_with_practices()
    focal = build_user("focal_point", city, language="fr")
    login(client, focal)
    client.get("/language/fr")
    page = client.get(f"/results/{assessment.id}").get_data(as_text=True)
    assert "Cours gratuits 2" in page and "Cours gratuits 3" in page and "Cours gratuits 1" not in page
    pdf = client.get(f"/api/v1/assessments/{assessment.id}/report.pdf?lang=fr",
                     headers=api_token(focal))
    assert pdf.status_code == 200
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.data)).pages)
    text = " ".join(text.split())
    assert "Ce que font d’autres villes" in text
    assert "Cours gratuits 2" in text and "Cours gratuits 0" in text and "Cours gratuits 1" not in text


def test_peers_with_practices_are_counted_per_dimension(app) -> None:
    city = build_city("lyonnaise")
    build_practice(city, questions=("language_01",))
    build_practice(city, questions=("education_01",))
    build_practice(city, status="draft", questions=("language_01",))
    assert practice_links.peers_with_practices(
        [("lyonnaise", "language"), ("lyonnaise", "commitment")]) == {("lyonnaise", "language"): 1}
