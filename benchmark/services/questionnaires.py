"""Published questionnaire editions: import files into the database, read them back.

The database row keeps the exact source text, so every worker rebuilds the same
frozen Questionnaire from it; editions are immutable, so each is parsed once per process.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from flask import current_app
from sqlalchemy import func, select

from benchmark import authz
from benchmark.authz import Actor
from benchmark.errors import Conflict, Invalid, NotFound
from benchmark.extensions import db
from benchmark.infra import locks
from benchmark.models import Assessment, QuestionnaireEdition, QuestionRow
from benchmark.questionnaire import Questionnaire
from benchmark.questionnaire.canonical import to_yaml
from benchmark.questionnaire.errors import QuestionnaireError
from benchmark.questionnaire.loader import load_bytes, load_text, read_source
from benchmark.questionnaire.workbook_reader import is_workbook, read_workbook
from benchmark.services._tx import transaction

_E = TypeVar("_E")

_cache: dict[tuple[str, str], Questionnaire] = {}
_cache_lock = threading.Lock()


@dataclass(frozen=True)
class EditionSummary:
    version: str
    title: dict[str, str]
    languages: list[str]
    checksum: str
    questions: int
    dimensions: int
    assessments: int


def _version_key(version: str) -> tuple[int, str]:
    return (int(version), version) if version.isdigit() else (10**9, version)


def _stored() -> dict[str, QuestionnaireEdition]:
    return {e.version: e for e in db.session.scalars(select(QuestionnaireEdition))}


def _from_row(row: QuestionnaireEdition) -> Questionnaire:
    return edition_for(row.id, row.version, row.checksum, lambda: row.source)


def edition_for(edition_id: int, version: str, checksum: str,
                source: Callable[[], str] | None = None) -> Questionnaire:
    """The parsed edition with this version and checksum, parsed once per process.

    For callers that read the version and checksum with their own statement (a save's
    lock): the YAML source is read (`source`, else the edition's row) only on a miss.
    """
    key = (version, checksum)
    with _cache_lock:
        cached = _cache.get(key)
    if cached is None:
        text = source() if source is not None else db.session.scalar(
            select(QuestionnaireEdition.source).where(QuestionnaireEdition.id == edition_id))
        if text is None:
            raise NotFound("There is no such questionnaire edition.")
        cached = load_text(text, f"<edition {version}>")
        with _cache_lock:
            _cache[key] = cached
    return cached


def get_edition(version: str) -> Questionnaire:
    """The published edition `version`; NotFound when there is none."""
    row = db.session.scalar(select(QuestionnaireEdition).where(QuestionnaireEdition.version == version))
    if row is None:
        raise NotFound(f"There is no questionnaire edition {version!r}.")
    return _from_row(row)


def get_edition_by_id(edition_id: int) -> Questionnaire:
    row = db.session.get(QuestionnaireEdition, edition_id)
    if row is None:
        raise NotFound("There is no such questionnaire edition.")
    return _from_row(row)


def find_row(version: str) -> QuestionnaireEdition | None:
    return db.session.scalar(select(QuestionnaireEdition).where(QuestionnaireEdition.version == version))


def latest_version() -> str | None:
    versions = sorted(_stored(), key=_version_key)
    return versions[-1] if versions else None


def edition_rows() -> list[QuestionnaireEdition]:
    """Every published edition's row, oldest first (its YAML source is not read)."""
    return sorted(_stored().values(), key=lambda r: _version_key(r.version))


def newest_in_use(rows: Sequence[QuestionnaireEdition] | None = None) -> QuestionnaireEdition | None:
    """The newest edition that cities have used, else the newest one (pages' default).

    One indexed probe per edition tried: counting the assessments of every edition read
    all of them (11,629 at 10,000 cities) on each dashboard request.
    """
    rows = edition_rows() if rows is None else rows
    return _newest_used(rows, lambda row: db.session.scalar(
        select(Assessment.id).where(Assessment.edition_id == row.id).limit(1)) is not None)


def _newest_used(items: Sequence[_E], used: Callable[[_E], bool]) -> _E | None:
    """Pages' default edition: the newest that cities have used, else the newest one."""
    for item in reversed(items):
        if used(item):
            return item
    return items[-1] if items else None


@dataclass(frozen=True)
class EditionChoice:
    """A published edition as an edition menu needs it: no source, and whether any city
    has used it (for the default, `newest_choice`)."""

    id: int
    version: str
    checksum: str
    in_use: bool


#: Every edition with an indexed probe of its assessments, built once per process.
_CHOICES = select(QuestionnaireEdition.id, QuestionnaireEdition.version,
                  QuestionnaireEdition.checksum,
                  select(Assessment.id).where(Assessment.edition_id == QuestionnaireEdition.id)
                  .exists())


def edition_choices() -> list[EditionChoice]:
    """Every published edition, oldest first, with whether cities have used it: one plain
    statement (the dashboard read the rows as ORM objects, then probed each edition)."""
    db.session.flush()  # read on the connection: what the session holds first
    found = [EditionChoice(id_, version, checksum, bool(used))
             for id_, version, checksum, used in db.session.connection().execute(_CHOICES).all()]
    return sorted(found, key=lambda c: _version_key(c.version))


def newest_choice(choices: Sequence[EditionChoice]) -> EditionChoice | None:
    return _newest_used(choices, lambda choice: choice.in_use)


def list_editions() -> list[EditionSummary]:
    """Every published edition, oldest first, with its number of assessments."""
    counts = dict(db.session.execute(
        select(Assessment.edition_id, func.count()).group_by(Assessment.edition_id)
    ).all())
    rows = sorted(_stored().values(), key=lambda r: _version_key(r.version))
    return [
        EditionSummary(r.version, r.title, r.languages, r.checksum, r.question_count,
                       r.dimension_count, counts.get(r.id, 0))
        for r in rows
    ]


def known_editions() -> dict[str, Questionnaire]:
    return {version: _from_row(row) for version, row in _stored().items()}


def default_paths() -> list[Path]:
    """The published files of questionnaires/ (YAML; workbooks are imported by name)."""
    folder = Path(current_app.config["QUESTIONNAIRE_DIR"])
    return sorted(folder.glob("*.yaml"))


def import_files(paths: list[Path] | None = None) -> list[str]:
    """Validate every file, then import new editions in one transaction; lines to print.

    Importing an unchanged file again is a no-op. A changed file for an already
    published version is refused (Conflict) and nothing is written.
    """
    paths = default_paths() if paths is None else paths
    if not paths:
        raise Invalid("No questionnaire files to import.")
    known = known_editions()
    loaded: list[tuple[Path, Questionnaire, str]] = []
    # Load in version order so that `previous:` can point at an edition of the same batch.
    pending = []
    for path in paths:
        data, unreadable = read_source(path)
        if unreadable:
            raise Invalid(f"{path}: {unreadable[0].message}.")
        pending.append((path, data))
    problems: list[str] = []
    for path, data in sorted(pending, key=lambda p: _guess_version(p[1], str(p[0]))):
        try:
            edition = load_bytes(data, str(path), known=known)
        except QuestionnaireError as err:
            problems.extend(str(p) for p in err.problems)
            continue
        known.setdefault(edition.version, edition)
        # A workbook is published as the YAML file it stands for (same canonical edition).
        text = to_yaml(edition) if is_workbook(data) else data.decode("utf-8")
        loaded.append((path, edition, text))
    if problems:
        raise Invalid("The questionnaire files have problems:\n" + "\n".join(problems))
    lines = []
    with transaction():
        # Two imports at once (two machines running `benchmark init`): the second waits,
        # then sees what the first published instead of inserting it again.
        locks.for_transaction("questionnaire_import", 0)
        stored = _stored()
        for path, edition, text in loaded:
            existing = stored.get(edition.version)
            if existing is not None:
                if existing.checksum != edition.checksum:
                    raise Conflict(
                        f"{path}: edition {edition.version} is already published with checksum "
                        f"{existing.checksum[:12]}…; a published edition never changes — "
                        "publish the changes as a new version"
                    )
                lines.append(f"{edition.version}: unchanged ({path.name})")
                continue
            _insert(edition, text)
            lines.append(f"{edition.version}: imported {len(edition.scored_questions)} questions "
                         f"in {len(edition.dimensions)} dimensions ({path.name})")
    return lines


def import_directory() -> list[str]:
    return import_files(None)


def _guess_version(data: bytes, source: str) -> tuple[int, str]:
    if is_workbook(data):
        doc = read_workbook(data, source).doc
        version = doc.get("version") if doc is not None else None
        return _version_key(version) if isinstance(version, str) else (10**9, "")
    for line in data.decode("utf-8-sig", "replace").splitlines():
        if line.startswith("version:"):
            return _version_key(line.split(":", 1)[1].strip().strip("'\""))
    return (10**9, "")


def _insert(edition: Questionnaire, text: str) -> QuestionnaireEdition:
    row = QuestionnaireEdition(
        version=edition.version, title=dict(edition.title), languages=list(edition.languages),
        checksum=edition.checksum, source=text, question_count=len(edition.scored_questions),
        dimension_count=len(edition.dimensions),
    )
    db.session.add(row)
    db.session.flush()
    db.session.add_all(
        QuestionRow(edition_id=row.id, question_id=q.id, dimension_id=q.dimension_id,
                    position=position, type=q.type, scored=q.is_scored)
        for position, q in enumerate(edition.questions)
    )
    return row


def add_edition(edition: Questionnaire, text: str) -> QuestionnaireEdition:
    """Store a validated edition and its YAML source in the caller's transaction (publishing)."""
    return _insert(edition, text)


def overview(actor: Actor) -> list[EditionSummary]:
    """Editions for the administration page."""
    authz.require(actor, "manage_questionnaires")
    return list_editions()


def preview(actor: Actor, version: str, lang: str) -> Questionnaire:
    """An edition for the administrator's preview; 404 for an unknown language or version."""
    authz.require(actor, "manage_questionnaires")
    edition = get_edition(version)
    if lang not in edition.languages:
        raise NotFound(f"Edition {version} has no {lang!r} texts.")
    return edition
