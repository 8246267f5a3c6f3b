"""Staff exports: every answer as CSV, every index as an Excel workbook.

Cells are neutralised against spreadsheet formula injection by benchmark/cells.py.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator

from sqlalchemy import select

from benchmark import authz
from benchmark.authz import Actor
from benchmark.cells import neutralise
from benchmark.errors import NotFound
from benchmark.extensions import db
from benchmark.models import OVERALL, Answer, Assessment, AssessmentScore, City, QuestionnaireEdition
from benchmark.services import audit, questionnaires
from benchmark.services._tx import transaction

ANSWER_COLUMNS = ("city", "city_name", "country", "questionnaire", "round", "status", "dimension",
                  "question", "value", "na", "comment", "evidence", "evidence_url", "evidence_year",
                  "confirmed", "revision", "updated_at")


def _editions(version: str | None) -> list[QuestionnaireEdition]:
    query = select(QuestionnaireEdition).order_by(QuestionnaireEdition.version)
    if version:
        query = query.where(QuestionnaireEdition.version == version)
    rows = list(db.session.scalars(query))
    if version and not rows:
        raise NotFound(f"There is no questionnaire edition {version!r}.")
    return rows


def _answer_rows(version: str | None) -> Iterator[tuple[object, ...]]:
    for edition_row in _editions(version):
        edition = questionnaires.get_edition(edition_row.version)
        result = db.session.execute(
            select(City.slug, City.name, City.country, Assessment.round, Assessment.status, Answer)
            .join(Assessment, Assessment.id == Answer.assessment_id)
            .join(City, City.id == Assessment.city_id)
            .where(Assessment.edition_id == edition_row.id)
            .order_by(City.slug, Assessment.round, Answer.id)
        )
        for slug, name, country, round_, status, answer in result:
            question = edition.find_question(answer.question_id)
            value = answer.value
            text = ";".join(value) if isinstance(value, list) else ("" if value is None else value)
            yield (slug, name, country, edition_row.version, round_, status,
                   question.dimension_id if question else "", answer.question_id,
                   text if not isinstance(text, dict) else json.dumps(text), answer.na,
                   answer.comment, answer.evidence, answer.evidence_url, answer.evidence_year or "",
                   answer.confirmed, answer.revision, answer.updated_at.isoformat())


def answers_csv(actor: Actor, version: str | None = None) -> str:
    """Every answer of every city (optionally of one edition), as CSV text; audited."""
    authz.require(actor, "export")
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(ANSWER_COLUMNS)
    for row in _answer_rows(version):
        writer.writerow([neutralise(cell) for cell in row])
    with transaction():
        audit.record(actor, "export", details={"format": "csv", "version": version})
    return out.getvalue()


def scores_xlsx(actor: Actor, version: str | None = None) -> bytes:
    """Every assessment's indices, one sheet per edition, as an .xlsx workbook; audited."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    authz.require(actor, "export")
    book = Workbook()
    book.remove(book.active)
    for edition_row in _editions(version):
        edition = questionnaires.get_edition(edition_row.version)
        sheet = book.create_sheet(title=f"Edition {edition_row.version}"[:31])
        dims = [d.id for d in edition.dimensions]
        sheet.append(["city", "city_name", "country", "round", "status", "overall", *dims])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        indices: dict[int, dict[str, float | None]] = {}
        for aid, dim, index in db.session.execute(
            select(AssessmentScore.assessment_id, AssessmentScore.dimension_id, AssessmentScore.index)
            .join(Assessment, Assessment.id == AssessmentScore.assessment_id)
            .where(Assessment.edition_id == edition_row.id)
        ):
            indices.setdefault(aid, {})[dim] = index
        for assessment in db.session.scalars(
            select(Assessment).join(City).where(Assessment.edition_id == edition_row.id)
            .order_by(City.slug, Assessment.round)
        ):
            values = indices.get(assessment.id, {})
            sheet.append([neutralise(assessment.city.slug), neutralise(assessment.city.name),
                          neutralise(assessment.city.country), assessment.round, assessment.status,
                          values.get(OVERALL), *(values.get(d) for d in dims)])
        sheet.freeze_panes = "B2"
    out = io.BytesIO()
    book.save(out)
    with transaction():
        audit.record(actor, "export", details={"format": "xlsx", "version": version})
    return out.getvalue()
