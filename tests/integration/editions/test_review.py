"""Reviewing a draft: form previews, sample scores, translations (grid, workbook), diff and mappings."""

from __future__ import annotations

import io

from openpyxl import load_workbook

from benchmark.extensions import db
from benchmark.models import QuestionnaireDraft
from benchmark.questionnaire import Previous
from benchmark.services import drafts
from tests.integration.editions.conftest import (
    draft_id_of,
    next_edition_workbook,
    next_edition_yaml,
    post,
    upload,
)

NO_ARABIC = {"questions!G2": None}  # commitment_01's Arabic text left empty


def _draft(draft_id: int) -> QuestionnaireDraft:
    db.session.expire_all()
    return db.session.get(QuestionnaireDraft, draft_id)


def _edition(draft_id: int):  # type: ignore[no-untyped-def]
    return drafts.content(_draft(draft_id)).edition


# -- the form as a city will see it ----------------------------------------------------------------


def test_preview_shows_the_real_form_read_only_in_each_language(admin_client) -> None:
    draft_id = draft_id_of(upload(admin_client, next_edition_yaml()))
    base = f"/admin/questionnaires/drafts/{draft_id}/preview/commitment"

    english = admin_client.get(f"{base}?language=en").get_data(as_text=True)
    arabic = admin_client.get(f"{base}?language=ar").get_data(as_text=True)

    assert '<fieldset class="question' in english and "Is an intercultural strategy in force?" in english
    assert 'type="radio" name="commitment_01:value"' in english and " disabled" in english
    assert 'name="csrf_token"' not in english.split('class="assessment-form"')[1]
    assert '<html lang="ar" dir="rtl">' in arabic
    assert "هل توجد استراتيجية نافذة للتعدد الثقافي؟" in arabic
    assert "Nothing can be typed" not in arabic  # the page itself is in Arabic


def test_preview_of_an_unknown_dimension_or_language_is_404(admin_client) -> None:
    draft_id = draft_id_of(upload(admin_client, next_edition_yaml()))
    base = f"/admin/questionnaires/drafts/{draft_id}/preview"

    assert admin_client.get(f"{base}/nowhere?language=en").status_code == 404
    assert admin_client.get(f"{base}/commitment?language=de").status_code == 404


def test_sample_scores_run_the_scoring_engine(admin_client) -> None:
    draft_id = draft_id_of(upload(admin_client, next_edition_yaml()))
    page = f"/admin/questionnaires/drafts/{draft_id}/scoring"

    best = admin_client.get(f"{page}?sample=best").get_data(as_text=True)
    worst = admin_client.get(f"{page}?sample=worst").get_data(as_text=True)

    assert '<p class="big-number">100.0</p>' in best
    assert '<p class="big-number">0.0</p>' in worst
    assert "<svg" in best and "Index by dimension (0–100)" in best
    assert admin_client.get(f"{page}?sample=average").status_code == 404


# -- translations ---------------------------------------------------------------------------------------


def test_a_draft_missing_arabic_texts_can_be_stored_and_shows_them(admin_client) -> None:
    draft_id = draft_id_of(upload(admin_client, next_edition_workbook(**NO_ARABIC), "d.xlsx"))

    overview = admin_client.get(f"/admin/questionnaires/drafts/{draft_id}").get_data(as_text=True)
    report = admin_client.get(f"/admin/questionnaires/drafts/{draft_id}/translations")

    assert "<bdi>العربية</bdi> — <strong>1 of 16 texts missing</strong>" in overview
    assert "<code>questions!G2</code>" in overview  # also a problem until it is translated
    html = report.get_data(as_text=True)
    assert "Missing in العربية" in html and "<code>question/commitment_01/text</code>" in html


def test_the_grid_lists_missing_texts_first_right_to_left(admin_client) -> None:
    draft_id = draft_id_of(upload(admin_client, next_edition_workbook(**NO_ARABIC), "d.xlsx"))

    html = admin_client.get(f"/admin/questionnaires/drafts/{draft_id}/translations/ar") \
        .get_data(as_text=True)

    first_row = html.split("<tbody>")[1].split("</tr>")[0]
    assert "question/commitment_01/text" in first_row and "Missing" in first_row
    assert 'lang="ar" dir="rtl"' in first_row


def test_saving_the_grid_fills_the_text_and_clears_the_problem(admin_client) -> None:
    draft_id = draft_id_of(upload(admin_client, next_edition_workbook(**NO_ARABIC), "d.xlsx"))

    response = post(admin_client, f"/admin/questionnaires/drafts/{draft_id}/translations/ar", {
        "revision": "1", "t:question/commitment_01/text": "هل الاستراتيجية سارية؟"})

    assert response.status_code == 302
    assert _edition(draft_id).question("commitment_01").text["ar"] == "هل الاستراتيجية سارية؟"
    assert drafts.content(_draft(draft_id)).problems == []
    assert (_draft(draft_id).source_format, _draft(draft_id).revision) == ("yaml", 2)


def test_the_grid_saves_with_if_match_and_refuses_a_stale_one(admin_client) -> None:
    draft_id = draft_id_of(upload(admin_client, next_edition_workbook(**NO_ARABIC), "d.xlsx"))
    path = f"/admin/questionnaires/drafts/{draft_id}/translations/ar"
    typed = "نص مترجم"

    stale = post(admin_client, path, {"t:question/commitment_01/text": typed},
                 headers={"If-Match": '"5"'})
    saved = post(admin_client, path, {"t:question/commitment_01/text": typed},
                 headers={"If-Match": '"1"'})

    assert stale.status_code == 409
    assert "Someone else changed this draft meanwhile" in stale.get_data(as_text=True)
    assert typed in stale.get_data(as_text=True)  # what was typed is not lost
    assert saved.status_code == 302
    assert _edition(draft_id).question("commitment_01").text["ar"] == typed


def test_a_translator_workbook_round_trips(admin_client) -> None:
    draft_id = draft_id_of(upload(admin_client, next_edition_workbook(**NO_ARABIC), "d.xlsx"))
    base = f"/admin/questionnaires/drafts/{draft_id}/translations/ar"
    exported = admin_client.get(f"{base}.xlsx")
    book = load_workbook(io.BytesIO(exported.data))
    sheet = book["translations"]
    assert (sheet["A1"].value, sheet["B1"].value, sheet.max_column) == ("en", "ar", 2)
    sheet["B2"] = "هل توجد استراتيجية؟"
    filled = io.BytesIO()
    book.save(filled)

    response = post(admin_client, f"{base}/import", {
        "revision": "1", "file": (io.BytesIO(filled.getvalue()), "ar.xlsx")},
        content_type="multipart/form-data")

    assert response.status_code == 302
    assert _edition(draft_id).question("commitment_01").text["ar"] == "هل توجد استراتيجية؟"


def test_a_workbook_for_another_language_is_refused_and_changes_nothing(admin_client) -> None:
    draft_id = draft_id_of(upload(admin_client, next_edition_workbook(**NO_ARABIC), "d.xlsx"))
    french = admin_client.get(f"/admin/questionnaires/drafts/{draft_id}/translations/fr.xlsx")

    response = post(admin_client, f"/admin/questionnaires/drafts/{draft_id}/translations/ar/import",
                    {"revision": "1", "file": (io.BytesIO(french.data), "fr.xlsx")},
                    content_type="multipart/form-data")

    assert response.status_code == 422
    assert "translations!B1: this workbook holds texts in “fr”, not in “ar”" in \
        response.get_data(as_text=True)
    assert _draft(draft_id).revision == 1


# -- diff and mappings -----------------------------------------------------------------------------------


def _reworded_and_added() -> bytes:
    """2024 as draft 2026 with commitment_01 reworded and a question added to language."""
    return next_edition_workbook(**{
        "questions!E2": "Is an intercultural strategy formally in force?",
        "questions!A6": "language", "questions!B6": "language_02", "questions!C6": "yes_no",
        "questions!D6": "commitment_02", "questions!E6": "Is there a welcome guide?",
        "questions!F6": "Existe-t-il un guide d’accueil ?", "questions!G6": "هل يوجد دليل ترحيب؟"})


def test_the_diff_shows_reworded_and_added_questions_with_proposals(admin_client) -> None:
    draft_id = draft_id_of(upload(admin_client, _reworded_and_added(), "d.xlsx"))

    html = admin_client.get(f"/admin/questionnaires/drafts/{draft_id}/diff").get_data(as_text=True)

    assert "Changes from edition 2024 to draft 2026" in html
    added = html.split('id="kind-added"')[1].split("</section>")[0]
    reworded = html.split('id="kind-reworded"')[1].split("</section>")[0]
    assert "<code>language_02</code>" in added
    assert "<code>commitment_01</code>" in reworded and "formally in force" in reworded
    assert '<option value="2024/commitment_01" selected>' in html  # proposed: same id
    assert "same id" in html


def test_confirming_the_mappings_writes_previous_into_the_draft(admin_client) -> None:
    draft_id = draft_id_of(upload(admin_client, _reworded_and_added(), "d.xlsx"))
    form = {"revision": "1", "map:commitment_01": "2024/commitment_01",
            "map:commitment_02": "2024/commitment_02", "map:education_01": "2024/education_01",
            "map:language_01": "2024/language_01", "map:language_02": ""}

    response = post(admin_client, f"/admin/questionnaires/drafts/{draft_id}/mappings", form)

    assert response.status_code == 302
    edition = _edition(draft_id)
    assert edition.question("commitment_01").previous == Previous("2024", "commitment_01")
    assert edition.question("commitment_02").previous == Previous("2024", "commitment_02")
    assert edition.question("language_02").previous is None
    assert _draft(draft_id).mappings_confirmed_at is not None


def test_a_mapping_to_a_question_of_another_type_is_refused(admin_client) -> None:
    draft_id = draft_id_of(upload(admin_client, _reworded_and_added(), "d.xlsx"))

    response = post(admin_client, f"/admin/questionnaires/drafts/{draft_id}/mappings",
                    {"revision": "1", "map:commitment_01": "2024/education_01"})

    assert response.status_code == 422
    assert "choose a question of the same type" in response.get_data(as_text=True)
    assert _draft(draft_id).revision == 1
