"""Draft editions: upload (YAML or workbook), replace, delete, publish (administrators).

A draft lives in questionnaire_drafts, apart from the published editions, so nothing
that lists editions for cities or the API can see it. Publishing validates the draft
completely against the published editions, stores it as a published edition (YAML
source + sha256) in the same transaction as the audit row, and stamps the draft: from
then on it is the record of that edition's authoring and can no longer change.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from benchmark import authz
from benchmark.authz import SYSTEM, Actor
from benchmark.errors import Conflict, Invalid, NotFound, TooLarge
from benchmark.extensions import db
from benchmark.models import QuestionnaireDraft, QuestionnaireEdition, utcnow
from benchmark.questionnaire import Problem, Questionnaire
from benchmark.questionnaire.canonical import to_yaml
from benchmark.questionnaire.errors import QuestionnaireError
from benchmark.questionnaire.loader import MAX_FILE_BYTES, load_bytes, load_text
from benchmark.questionnaire.source import SourceMap, read_yaml
from benchmark.questionnaire.workbook import write_workbook
from benchmark.questionnaire.workbook_reader import is_workbook, read_workbook
from benchmark.services import audit, questionnaires
from benchmark.services._tx import transaction

#: Upload limit of a questionnaire file in megabytes, for messages (loader.MAX_FILE_BYTES).
LIMIT_MB = MAX_FILE_BYTES // 1024 // 1024


@dataclass(frozen=True)
class DraftContent:
    """What a draft's file says: its problems against the published editions, and the
    edition as far as it can be built (texts may still miss languages other than English)."""

    problems: list[Problem]
    edition: Questionnaire | None

    @property
    def is_publishable(self) -> bool:
        return not self.problems and self.edition is not None


@dataclass(frozen=True)
class DraftSummary:
    draft: QuestionnaireDraft
    problems: int


@dataclass(frozen=True)
class EditionsPage:
    """The administrators' editions page: published editions, then drafts."""

    editions: list[questionnaires.EditionSummary]
    drafts: list[DraftSummary]
    limit_mb: int


# -- reading a draft ---------------------------------------------------------------------------


def source_name(draft: QuestionnaireDraft) -> str:
    """How problems name the draft's file: its file name (as uploaded)."""
    return draft.filename


#: Recently read drafts, keyed by what the result depends on: the file's bytes and name and
#: the published editions it is checked against (both immutable), so no entry goes stale.
_contents: OrderedDict[tuple[str, str, tuple[tuple[str, str], ...]], DraftContent] = OrderedDict()
_contents_lock = threading.Lock()
_CONTENTS_KEPT = 16


def content(draft: QuestionnaireDraft) -> DraftContent:
    """Validate the draft against the published editions and build what can be built."""
    known = questionnaires.known_editions()
    name = source_name(draft)
    key = (hashlib.sha256(draft.source).hexdigest(), name,
           tuple(sorted((v, e.checksum) for v, e in known.items())))
    with _contents_lock:
        if key in _contents:
            _contents.move_to_end(key)
            return _contents[key]
    try:
        edition = load_bytes(draft.source, name, known=known)
        problems: list[Problem] = []
    except QuestionnaireError as err:
        problems = list(err.problems)
        try:
            edition = load_bytes(draft.source, name, known=known, require_translations=False)
        except QuestionnaireError:
            edition = None
    found = DraftContent(problems, edition)
    with _contents_lock:
        _contents[key] = found
        while len(_contents) > _CONTENTS_KEPT:
            _contents.popitem(last=False)
    return found


def get_draft(actor: Actor, draft_id: int) -> QuestionnaireDraft:
    """A draft (published or not) for an administrator; NotFound when there is none."""
    authz.require(actor, "manage_questionnaires")
    draft = db.session.get(QuestionnaireDraft, draft_id)
    if draft is None:
        raise NotFound(_("There is no such draft edition."))
    return draft


def lock_draft(actor: Actor, draft_id: int, if_match: int | None) -> QuestionnaireDraft:
    """The draft, locked for a change: NotFound, Conflict when published or stale."""
    authz.require(actor, "manage_questionnaires")
    draft = db.session.scalar(
        select(QuestionnaireDraft).where(QuestionnaireDraft.id == draft_id).with_for_update()
        .execution_options(populate_existing=True))
    if draft is None:
        raise NotFound(_("There is no such draft edition."))
    if draft.published_at is not None:
        raise Conflict(published_reason(draft), code="published")
    if if_match is None:
        from benchmark.errors import PreconditionRequired

        raise PreconditionRequired(_("Send the revision of the draft you changed (If-Match)."))
    if if_match != draft.revision:
        raise Conflict(_("Someone else changed this draft meanwhile (now at revision "
                         "%(revision)d). Reload the page and make your change again.",
                         revision=draft.revision), code="stale")
    return draft


def published_reason(draft: QuestionnaireDraft) -> str:
    version = draft.version or "?"
    return _("This draft was published as edition %(version)s. A published edition never "
             "changes: publish a revision as a new edition.", version=version)


# -- the editions page --------------------------------------------------------------------------


def overview(actor: Actor) -> EditionsPage:
    """Published editions and the drafts being authored, for administrators."""
    authz.require(actor, "manage_questionnaires")
    drafts = list(db.session.scalars(
        select(QuestionnaireDraft).where(QuestionnaireDraft.published_at.is_(None))
        .order_by(QuestionnaireDraft.updated_at.desc(), QuestionnaireDraft.id.desc())))
    return EditionsPage(questionnaires.list_editions(),
                        [DraftSummary(d, len(content(d).problems)) for d in drafts], LIMIT_MB)


# -- storing files --------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Upload:
    source_format: str
    version: str | None
    title: str


def _refuse(problems: Iterable[Problem]) -> Invalid:
    listed = list(problems)
    return Invalid(_("The file could not be read, so nothing was changed: %(problems)s",
                     problems="; ".join(p.message for p in listed[:3])),
                   fields={"file": "\n".join(str(p) for p in listed[:20])})


def _examine(filename: str, data: bytes) -> _Upload:
    """Format, version and English title of an upload; Invalid/TooLarge when unreadable."""
    if not data:
        raise Invalid(_("The file is empty, so nothing was changed."), fields={"file": "empty"})
    if len(data) > MAX_FILE_BYTES:
        raise TooLarge(_("The file is %(size)s MB; questionnaire files may be at most "
                         "%(limit)d MB. Nothing was changed.",
                         size=f"{len(data) / 1024 / 1024:.1f}", limit=LIMIT_MB))
    if is_workbook(data):
        book = read_workbook(data, filename)
        if book.doc is None:
            raise _refuse(book.problems)
        doc: object = book.doc
        source_format = "xlsx"
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise Invalid(_("The file is neither a YAML file (UTF-8 text) nor an Excel workbook "
                            "(.xlsx), so nothing was changed."), fields={"file": "format"}) from None
        doc, problems = read_yaml(text, filename)
        if doc is None or not isinstance(doc, SourceMap):
            raise _refuse(problems or [Problem(filename, 1, _(
                "the file is not a questionnaire: it must be a mapping with version, title, "
                "languages and dimensions"))])
        source_format = "yaml"
    assert isinstance(doc, SourceMap)
    version = doc.get("version")
    title = doc.get("title")
    english = title.get("en") if isinstance(title, dict) else None
    return _Upload(source_format, version if isinstance(version, str) and len(version) <= 20
                   else None, english[:300] if isinstance(english, str) else "")


def _refuse_published_version(version: str | None) -> None:
    if version is not None and questionnaires.find_row(version) is not None:
        raise Conflict(_("Edition %(version)s is already published, and a published edition "
                         "never changes. Give the draft a new version (for example the year "
                         "it will be used) and upload it again.", version=version),
                       code="published")


def upload(actor: Actor, filename: str, data: bytes) -> QuestionnaireDraft:
    """Store a YAML file or a workbook as a new draft (with its problems, if any).

    A file that cannot be read at all, larger than the limit, or for an already published
    version is refused and nothing is stored.
    """
    authz.require(actor, "manage_questionnaires")
    name = Path(filename or "questionnaire").name[:255]
    examined = _examine(name, data)
    with transaction():
        _refuse_published_version(examined.version)
        now = utcnow()
        draft = QuestionnaireDraft(
            version=examined.version, title=examined.title, filename=name,
            source_format=examined.source_format, source=data, revision=1,
            created_by_id=actor.user_id, updated_by_id=actor.user_id, created_at=now,
            updated_at=now)
        db.session.add(draft)
        db.session.flush()
        audit.record(actor, "edition_draft_uploaded", draft, details={
            "version": examined.version, "file": name, "format": examined.source_format,
            "bytes": len(data)})
    return draft


def replace_file(actor: Actor, draft_id: int, filename: str, data: bytes,
                 if_match: int | None) -> QuestionnaireDraft:
    """Replace a draft's file by a new upload (the confirmed mappings are forgotten)."""
    authz.require(actor, "manage_questionnaires")
    name = Path(filename or "questionnaire").name[:255]
    examined = _examine(name, data)
    with transaction():
        draft = lock_draft(actor, draft_id, if_match)
        _refuse_published_version(examined.version)
        old = {"version": draft.version, "file": draft.filename}
        draft.version, draft.title, draft.filename = examined.version, examined.title, name
        draft.source_format, draft.source = examined.source_format, data
        draft.mappings_confirmed_at = None
        touch(actor, draft)
        audit.record(actor, "edition_draft_replaced", draft, details=audit.changes(
            old, {"version": draft.version, "file": name}))
    return draft


def delete(actor: Actor, draft_id: int, if_match: int | None) -> str:
    """Delete a draft that was never published; what it was called, for the message."""
    with transaction():
        draft = lock_draft(actor, draft_id, if_match)
        label = draft.version or draft.filename
        audit.record(actor, "edition_draft_deleted", draft,
                     details={"version": draft.version, "file": draft.filename})
        db.session.delete(draft)
    return label


def store_edit(actor: Actor, draft: QuestionnaireDraft, edition: Questionnaire) -> None:
    """Write an edition edited in the browser back into its locked draft, as YAML."""
    draft.source = to_yaml(edition).encode("utf-8")
    draft.source_format = "yaml"
    if not draft.filename.lower().endswith((".yaml", ".yml")):
        draft.filename = f"{Path(draft.filename).stem}.yaml"
    touch(actor, draft)


def touch(actor: Actor, draft: QuestionnaireDraft) -> None:
    """Record a change of a locked draft: new revision, time and author."""
    draft.revision += 1
    draft.updated_at = utcnow()
    draft.updated_by_id = actor.user_id


# -- publishing -------------------------------------------------------------------------------------


def published_text(draft: QuestionnaireDraft, edition: Questionnaire) -> str:
    """The YAML source an edition is published as: the author's own file, else canonical YAML."""
    if draft.source_format == "yaml":
        return draft.source.decode("utf-8")
    return to_yaml(edition)


def publish(actor: Actor, draft_id: int, if_match: int | None) -> QuestionnaireEdition:
    """Validate the draft completely and publish it: immutable, checksummed, audited, offered."""
    with transaction():
        draft = lock_draft(actor, draft_id, if_match)
        found = content(draft)
        if not found.is_publishable or found.edition is None:
            raise Invalid(ngettext("The draft has %(num)d problem to fix before it can be "
                                   "published.", "The draft has %(num)d problems to fix before "
                                   "it can be published.", len(found.problems)),
                          details={"problems": [str(p) for p in found.problems[:50]]})
        _refuse_published_version(found.edition.version)
        text = published_text(draft, found.edition)
        edition = load_text(text, f"<edition {found.edition.version}>",
                            known=questionnaires.known_editions())
        try:
            row = questionnaires.add_edition(edition, text)
            db.session.flush()
        except IntegrityError:
            raise Conflict(_("Edition %(version)s was published meanwhile; a published edition "
                             "never changes.", version=edition.version),
                           code="published") from None
        draft.published_at = utcnow()
        draft.edition_id = row.id
        draft.version = edition.version
        touch(actor, draft)
        audit.record(actor, "edition_published", row, details={
            "version": edition.version, "checksum": edition.checksum, "draft": draft.id,
            "questions": len(edition.scored_questions)})
    return row


# -- the command line -------------------------------------------------------------------------------


def import_drafts(paths: list[Path]) -> list[str]:
    """`benchmark questionnaire import --draft`: store files as drafts; lines to print."""
    lines = []
    for path in paths:
        try:
            data = path.read_bytes()
        except OSError as err:
            raise Invalid(f"{path}: cannot read the file ({err.strerror or err}).") from None
        draft = upload(SYSTEM, path.name, data)
        found = content(draft)
        state = f"{len(found.problems)} problem(s)" if found.problems else "no problems"
        lines.append(f"draft {draft.id}: edition {draft.version or '?'} from {path.name}"
                     f" ({state}); review and publish it at /admin/questionnaires/drafts/{draft.id}")
        lines += [f"  {p}" for p in found.problems[:20]]
    return lines


def list_drafts() -> list[QuestionnaireDraft]:
    """Drafts not yet published, newest first (for `benchmark questionnaire list --drafts`)."""
    return list(db.session.scalars(
        select(QuestionnaireDraft).where(QuestionnaireDraft.published_at.is_(None))
        .order_by(QuestionnaireDraft.id)))


def export_file(actor: Actor, version: str, fmt: str) -> tuple[str, bytes]:
    """A published edition as (file name, bytes): its exact YAML source, or a workbook."""
    authz.require(actor, "manage_questionnaires")
    row = questionnaires.find_row(version)
    if row is None:
        raise NotFound(_("There is no questionnaire edition %(version)s.", version=version))
    if fmt == "yaml":
        return f"icc-{version}.yaml", row.source.encode("utf-8")
    if fmt == "xlsx":
        return f"icc-{version}.xlsx", write_workbook(questionnaires.get_edition(version))
    raise Invalid(_("Choose the format yaml or xlsx."), fields={"format": fmt})


def export_draft(actor: Actor, draft_id: int, fmt: str) -> tuple[str, bytes]:
    """A draft as (file name, bytes): its file as stored, or converted to the other format."""
    draft = get_draft(actor, draft_id)
    stem = Path(draft.filename).stem
    if fmt == draft.source_format:
        return draft.filename, draft.source
    found = content(draft)
    if found.edition is None:
        raise Conflict(_("Fix the draft's problems first: it can only be downloaded as it was "
                         "uploaded."), code="invalid_draft")
    if fmt == "yaml":
        return f"{stem}.yaml", to_yaml(found.edition).encode("utf-8")
    if fmt == "xlsx":
        return f"{stem}.xlsx", write_workbook(found.edition)
    raise Invalid(_("Choose the format yaml or xlsx."), fields={"format": fmt})


def checksums_line(version: str) -> str:
    """The CHECKSUMS line of a published edition written as icc-<version>.yaml."""
    row = questionnaires.find_row(version)
    if row is None:
        raise NotFound(_("There is no questionnaire edition %(version)s.", version=version))
    return f"{row.checksum}  icc-{version}.yaml"
