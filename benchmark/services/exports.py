"""Staff exports: every answer as CSV, every index as an Excel workbook.

Cells are neutralised against spreadsheet formula injection by benchmark/cells.py.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator

from sqlalchemy import Connection, Engine, select

from benchmark import authz
from benchmark.authz import Actor
from benchmark.cells import neutralise
from benchmark.errors import NotFound
from benchmark.extensions import db
from benchmark.models import OVERALL, Answer, Assessment, AssessmentScore, City, QuestionnaireEdition
from benchmark.questionnaire import Questionnaire
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


#: Rows fetched from the database at a time, and CSV rows per chunk sent: memory stays
#: flat in the number of answers (docs/performance.md, Exports).
BATCH = 2000


def _answer_rows(connection: Connection,
                 editions: list[tuple[int, Questionnaire]]) -> Iterator[tuple[object, ...]]:
    """Every answer of these editions (id, parsed) as CSV cells, streamed: one query per
    edition, read in batches (a server-side cursor on PostgreSQL), no ORM objects."""
    for edition_id, edition in editions:
        result = connection.execute(
            select(City.slug, City.name, City.country, Assessment.round, Assessment.status,
                   Answer.question_id, Answer.value, Answer.na, Answer.comment, Answer.evidence,
                   Answer.evidence_url, Answer.evidence_year, Answer.confirmed, Answer.revision,
                   Answer.updated_at)
            .join(Assessment, Assessment.id == Answer.assessment_id)
            .join(City, City.id == Assessment.city_id)
            .where(Assessment.edition_id == edition_id)
            .order_by(City.slug, Assessment.round, Answer.id)
            .execution_options(yield_per=BATCH)
        )
        for (slug, name, country, round_, status, qid, value, na, comment, evidence, url, year,
             confirmed, revision, updated_at) in result:
            question = edition.find_question(qid)
            text = ";".join(value) if isinstance(value, list) else ("" if value is None else value)
            yield (slug, name, country, edition.version, round_, status,
                   question.dimension_id if question else "", qid,
                   text if not isinstance(text, dict) else json.dumps(text), na,
                   comment, evidence, url, year or "", confirmed, revision, updated_at.isoformat())


def answers_csv(actor: Actor, version: str | None = None) -> Iterator[str]:
    """Every answer of every city (optionally of one edition), as CSV text in chunks; audited.

    Access, the edition and the audit row are settled before the first chunk: the
    chunks are then read from the database as they are sent (flat memory, whatever the
    number of answers).
    """
    authz.require(actor, "export")
    editions = [(row.id, questionnaires.get_edition(row.version)) for row in _editions(version)]
    with transaction():
        audit.record(actor, "export", details={"format": "csv", "version": version})
    return _csv_chunks(db.engine, editions)


def _csv_chunks(engine: Engine, editions: list[tuple[int, Questionnaire]]) -> Iterator[str]:
    """The CSV text in chunks, read on a connection of its own: the response is sent after
    the request (and its session) ended, so nothing here needs the request's context."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(ANSWER_COLUMNS)
    with engine.connect() as connection:
        for n, row in enumerate(_answer_rows(connection, editions), 1):
            writer.writerow([neutralise(cell) for cell in row])
            if n % BATCH == 0:
                yield out.getvalue()
                out.seek(0)
                out.truncate()
    yield out.getvalue()


def scores_xlsx(actor: Actor, version: str | None = None) -> bytes:
    """Every assessment's indices, one sheet per edition, as an .xlsx workbook; audited.

    Two queries per edition (indices, assessments with their cities); the workbook is
    written row by row (openpyxl's write-only mode), not held as cell objects.
    """
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    authz.require(actor, "export")
    book = Workbook(write_only=True)
    for edition_row in _editions(version):
        edition = questionnaires.get_edition(edition_row.version)
        sheet = book.create_sheet(title=f"Edition {edition_row.version}"[:31])
        sheet.freeze_panes = "B2"
        dims = [d.id for d in edition.dimensions]
        header = []
        for title in ["city", "city_name", "country", "round", "status", "overall", *dims]:
            cell = WriteOnlyCell(sheet, value=title)
            cell.font = Font(bold=True)
            header.append(cell)
        sheet.append(header)
        indices: dict[int, dict[str, float | None]] = {}
        for aid, dim, index in db.session.execute(
            select(AssessmentScore.assessment_id, AssessmentScore.dimension_id, AssessmentScore.index)
            .join(Assessment, Assessment.id == AssessmentScore.assessment_id)
            .where(Assessment.edition_id == edition_row.id)
            .execution_options(yield_per=BATCH)
        ):
            indices.setdefault(aid, {})[dim] = index
        for aid, slug, name, country, round_, status in db.session.execute(
            select(Assessment.id, City.slug, City.name, City.country, Assessment.round,
                   Assessment.status)
            .join(City, City.id == Assessment.city_id).where(Assessment.edition_id == edition_row.id)
            .order_by(City.slug, Assessment.round)
            .execution_options(yield_per=BATCH)
        ):
            values = indices.pop(aid, {})
            sheet.append([neutralise(slug), neutralise(name), neutralise(country), round_, status,
                          values.get(OVERALL), *(values.get(d) for d in dims)])
    out = io.BytesIO()
    book.save(out)
    with transaction():
        audit.record(actor, "export", details={"format": "xlsx", "version": version})
    return out.getvalue()
