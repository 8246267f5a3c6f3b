"""PDF reports: keyed by every input, rendered once, served by every instance.

The cache key hashes everything a report shows: the city's assessments (each bumps its
`revision` on every change of answers, profile or status), the network state of the
editions involved (scores.network_stamps: it moves on every validation, reopening and
edit of a city's record, so other cities' names, consent and profiles are covered), the
city's own record, the language, K and the template version. The date printed as the
report date is fixed by those inputs too: it is the day of the newest of them (the
latest change of the shown assessments or of the network), so one key means one set of
bytes on every machine and every day. The key is the ETag; a request whose
If-None-Match holds it is answered 304 before anything is read from the store.

Rendered PDFs live in the shared store (services/report_store.py); renders after a
validation are background jobs (infra/jobs.py), queued once per report and only for
reports whose inputs changed.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Container, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import cache
from pathlib import Path
from typing import Any

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import bindparam, func, literal_column, null, select, union_all
from sqlalchemy.orm import aliased

from benchmark import __version__, authz
from benchmark.authz import SYSTEM, Actor
from benchmark.errors import Invalid, NotFound
from benchmark.extensions import db
from benchmark.languages import LANGUAGES
from benchmark.models import (
    Assessment,
    City,
    Commitment,
    QuestionnaireEdition,
    RenderedReport,
    ReviewComment,
    utctoday,
)
from benchmark.reporting.fetcher import REPORTS_DIR
from benchmark.services import (
    assessments,
    audit,
    audit_spool,
    city_report,
    practice_links,
    report_store,
    scores,
)
from benchmark.services._tx import snapshot, transaction
from benchmark.services.report_store import ReportOf

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class CachedReport:
    """A report to send, or (path None) word that the caller's copy is current (304)."""

    etag: str
    filename: str
    path: Path | None = None
    created_at: datetime | None = None

    @property
    def is_not_modified(self) -> bool:
        return self.path is None


@dataclass(frozen=True)
class ReportInputs:
    """The key of a city report and the date it prints, both fixed by the same inputs."""

    key: str
    as_of: date
    #: The download's file name (city, edition version, round, language).
    filename: str


@cache
def template_version() -> str:
    """Hash of the report templates, styles, fonts, rendering code and translations."""
    digest = hashlib.sha256(__version__.encode())
    package = Path(__file__).resolve().parent.parent / "reporting"
    catalogues = (package.parent / "translations").glob("*/LC_MESSAGES/reports.po")
    for path in sorted([*REPORTS_DIR.rglob("*"), *package.glob("*.py"), *catalogues]):
        if path.is_file():
            digest.update(path.name.encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


@dataclass(frozen=True)
class _Shown:
    """The rows a report's key reads: the rounds shown with their city's record and stamps."""

    rounds: list[Any]
    commitments: list[Any]

    @property
    def own(self) -> Any:
        return self.rounds[-1]


_statements: dict[str, Any] = {}

#: How a row of the key's statement says which part it belongs to.
_ROUND, _COMMITMENT = "r", "c"


def _key_statement() -> Any:
    """The statement of a report's key, built once per process (bound parameters: building
    it cost more than running it) with `own`, the assessment whose report it is, joined in.

    Two parts in one round trip (UNION ALL; rows told apart by `part`): the rounds shown
    (the assessment and, for trends, the city's earlier validated rounds:
    city_report.earlier_rounds) with the city's record, the editions' versions and network
    stamps, the newest review comment shown in each (ReviewComment.in_report) and the
    published practices' stamp; and the commitments followed up in the round ("Commitments
    and progress": every change bumps their revision), their id, revision and time in the
    rounds' columns of the same names, the others empty. Small columns only: no edition's
    YAML source is read for a key.
    """
    if not _statements:
        from benchmark.services.commitment_followup import due_query

        own = aliased(Assessment, name="own")
        shown_comment = (select(func.max(ReviewComment.id))
                         .where(ReviewComment.assessment_id == Assessment.id,
                                ReviewComment.in_report.is_(True))
                         .correlate(Assessment).scalar_subquery())
        stamp_at, stamp_n = scores.stamp_columns(Assessment.edition_id)
        practices = practice_links.stamp_columns()
        rounds = (
            select(literal_column(f"'{_ROUND}'").label("part"),
                   Assessment.id, Assessment.revision, Assessment.status, Assessment.edition_id,
                   Assessment.updated_at, Assessment.city_id, Assessment.round,
                   QuestionnaireEdition.version, City.slug, City.name, City.country,
                   City.population, City.foreign_born_share, City.consent_named,
                   shown_comment.label("programme_comment"), stamp_at.label("stamp_at"),
                   stamp_n.label("stamp_n"), *(c.label(f"practices_{i}")
                                               for i, c in enumerate(practices)))
            .select_from(Assessment)
            .join(own, (own.id == bindparam("assessment_id")) & (own.city_id == Assessment.city_id))
            .join(City, City.id == Assessment.city_id)
            .join(QuestionnaireEdition, QuestionnaireEdition.id == Assessment.edition_id)
            .where((Assessment.id == own.id) | city_report.earlier_rounds(own)))
        blank = len(rounds.selected_columns) - 6  # after part, id, revision, status, edition, time
        commitments = (
            due_query(own).order_by(None).with_only_columns(
                literal_column(f"'{_COMMITMENT}'"), Commitment.id, Commitment.revision,
                null(), null(), Commitment.updated_at, *(null() for _ in range(blank)))
            .where(own.id == bindparam("assessment_id")))
        _statements["key"] = union_all(rounds, commitments)
    return _statements["key"]


def _shown(assessment_id: int) -> _Shown | None:
    """What the key of the assessment's report reads (one statement); None if no such one."""
    rows = db.session.connection().execute(_key_statement(),
                                           {"assessment_id": assessment_id}).all()
    # the report's own round last (its round is the highest shown), then by id
    rounds = sorted((row for row in rows if row.part == _ROUND),
                    key=lambda row: (row.id == assessment_id, row.id))
    if not rounds:
        return None
    return _Shown(rounds, sorted((row for row in rows if row.part == _COMMITMENT),
                                 key=lambda row: row.id))


def report_inputs(assessment: Assessment, lang: str) -> ReportInputs:
    """What a city report is made of, as a key; changes whenever anything shown changes.

    The report shows the assessment and, for trends, the city's earlier validated
    rounds (city_report._rounds): a later draft being typed does not change it.
    """
    db.session.flush()  # the key's statements run on the connection: no autoflush
    shown = _shown(assessment.id)
    assert shown is not None  # the assessment exists
    return _inputs(shown, lang)


def _inputs(shown: _Shown, lang: str) -> ReportInputs:
    rounds, own = sorted(shown.rounds, key=lambda row: row.id), shown.own
    stamps = {row.edition_id: stamp for row in rounds
              if (stamp := scores.stamp_of(row.stamp_at, row.stamp_n)) is not None}
    changed = ([row.updated_at for row in rounds] + [s.computed_at for s in stamps.values()]
               + [row.updated_at for row in shown.commitments])
    as_of = max(changed).astimezone(UTC).date()
    material = {
        "assessment": own.id, "lang": lang, "template": template_version(),
        "k": scores.k_anonymity(), "as_of": as_of.isoformat(),
        "rounds": [[row.id, row.revision, row.status, row.edition_id, row.programme_comment]
                   for row in rounds],
        "commitments": [[row.id, row.revision] for row in shown.commitments],
        "network": sorted([edition_id, str(stamp)] for edition_id, stamp in stamps.items()),
        "city": [own.slug, own.name, own.country, own.population, own.foreign_born_share,
                 own.consent_named],
        # Priorities list other cities' published practices.
        "practices": practice_links.stamp_of(own.practices_0, own.practices_1, own.practices_2),
    }
    key = hashlib.sha256(json.dumps(material, sort_keys=True, default=str).encode()).hexdigest()
    safe = "".join(c if c.isalnum() or c in "-_" else "-" for c in own.slug)
    return ReportInputs(key, as_of, f"benchmark-{safe}-{own.version}-{own.round}-{lang}.pdf")


def cache_key(assessment: Assessment, lang: str) -> str:
    """The key (and ETag) of an assessment's report in `lang`."""
    return report_inputs(assessment, lang).key


def _render_city(assessment_id: int, lang: str) -> tuple[str, bytes]:
    """Render the report of the current state; the key is read from the same snapshot.

    The state may have moved since the caller computed its key (a validation in between):
    the bytes are then stored under the key of what they show, never under the old one.
    """
    from benchmark.reporting.render import render_city_report

    with snapshot():
        assessment = db.session.get(Assessment, assessment_id)
        assert assessment is not None
        inputs = report_inputs(assessment, lang)
        model = city_report.build(assessment, lang, inputs.as_of)
    return inputs.key, render_city_report(model)


def _check_language(lang: str) -> None:
    if lang not in LANGUAGES:
        raise Invalid(f"Reports exist in {', '.join(LANGUAGES)}.", fields={"lang": "unsupported language"})


def city_report_pdf(actor: Actor, assessment_id: int, lang: str,
                    known: Container[str] = ()) -> CachedReport:
    """The assessment's PDF report, rendered now if nobody has yet; audited as a download.

    `known` holds the ETags the caller already has (If-None-Match): when the current key
    is among them the answer is "not modified", decided without the store or a render.
    """
    _check_language(lang)
    # A report already on this instance's disk (the common case) is two reads: the key's
    # statements, which bring the city for the access check; the download's audit row goes
    # to the spool (services/audit_spool.py), so no write transaction queues for the
    # database's writer. The file itself is sent by the caller (or the reverse proxy).
    shown = _shown(assessment_id)
    if shown is None:
        raise NotFound(_("There is no such assessment."))
    authz.require(actor, "download_report", shown.own)
    inputs = _inputs(shown, lang)
    if inputs.key in known:
        return CachedReport(inputs.key, inputs.filename)
    stored = report_store.find_local(inputs.key)
    if stored is None:
        # Not on this instance yet: from the shared store, or rendered now (outside any
        # write transaction: a render takes seconds), then audited once it is there to send.
        stored = report_store.get_or_render(
            inputs.key, ReportOf("city", lang, assessment_id=assessment_id),
            lambda: _render_city(assessment_id, lang))
    _record_download(actor, shown.own, lang)
    return CachedReport(stored.key, inputs.filename, stored.path, stored.created_at)


def _record_download(actor: Actor, own: Any, lang: str) -> None:
    """One audit row per download sent: spooled (no transaction), or, with the spool off,
    written at once."""
    row = audit.row(actor, "report_download", "Assessment", own.id, city_id=own.city_id,
                    details={"lang": lang})
    if audit_spool.is_enabled():
        audit_spool.append(row)
    elif db.engine.dialect.name == "postgresql":
        # The download's view reads in autocommit (web/autocommit.py): the insert commits
        # itself; called from a transaction the key's reads opened, the COMMIT ends it.
        audit.insert_now([row])
        db.session.commit()
    else:
        # SQLite cannot turn a read transaction into a write one under load ("database is
        # locked"): a transaction of its own, BEGIN IMMEDIATE (services/_tx.py).
        with transaction():
            audit.insert_now([row])


def render_file(assessment_id: int, lang: str, out: Path) -> int:
    """Write an assessment's report to `out` (the command line); bytes written."""
    _check_language(lang)
    assessment = assessments.get(SYSTEM, assessment_id, "download_report")
    stored = report_store.get_or_render(
        cache_key(assessment, lang), ReportOf("city", lang, assessment_id=assessment_id),
        lambda: _render_city(assessment_id, lang))
    content = stored.path.read_bytes()
    out.write_bytes(content)
    return len(content)


def prerender(assessment_id: int, lang: str = "en") -> None:
    """Background job: make sure the current report of an assessment is in the store."""
    assessment = db.session.get(Assessment, assessment_id)
    if assessment is None:
        return
    key = cache_key(assessment, lang)
    if not report_store.is_stored(key):
        report_store.get_or_render(key, ReportOf("city", lang, assessment_id=assessment_id),
                                   lambda: _render_city(assessment_id, lang))


def schedule_after_validation(assessment: Assessment) -> None:
    """After a validation or reopening: render the reports that changed, off the request path.

    The assessment's own report, in the languages its team reads, always. Other reports
    of the edition changed too (the network moved): see schedule_refresh.
    """
    from benchmark.infra import jobs
    from benchmark.models import User

    languages = {lang for (lang,) in db.session.execute(
        select(User.language).where(User.city_id == assessment.city_id, User.is_active.is_(True)))}
    for lang in sorted((languages & set(LANGUAGES)) or {"en"}):
        jobs.enqueue(prerender, assessment.id, lang)
    schedule_refresh([assessment.edition_id])


def schedule_refresh(edition_ids: Iterable[int]) -> None:
    """After the network of these editions moved: refresh the stored reports it changed.

    With Redis, one job per set of editions (queued once however many validations come
    before it starts) lets `benchmark worker` re-render exactly the reports that are in
    the store and whose key changed (refresh_stored); a report nobody rendered is rendered
    on its first download. Without Redis nothing is queued: those reports render on their
    next download, so that a web process is not busy for minutes.
    """
    from benchmark.infra import jobs

    editions = sorted(set(edition_ids))
    if editions and current_app.config.get("REDIS_URL"):
        jobs.enqueue(refresh_stored, *editions)


def refresh_stored(*edition_ids: int) -> int:
    """Background job: queue a render of each stored city report whose inputs changed.

    Candidates are the stored reports of cities with an assessment on these editions
    (their network, or an earlier round's, is shown); a candidate whose current key is
    already stored is left alone. Returns the number of renders queued.
    """
    from benchmark.infra import jobs

    on_editions = select(Assessment.city_id).where(Assessment.edition_id.in_(edition_ids))
    candidates = db.session.execute(
        select(RenderedReport.assessment_id, RenderedReport.language).distinct()
        .join(Assessment, Assessment.id == RenderedReport.assessment_id)
        .where(RenderedReport.kind == "city", Assessment.city_id.in_(on_editions))
        .order_by(RenderedReport.assessment_id, RenderedReport.language)
    ).all()
    queued = 0
    for assessment_id, lang in candidates:
        assessment = db.session.get(Assessment, assessment_id)
        if assessment is not None and not report_store.is_stored(cache_key(assessment, lang)):
            jobs.enqueue(prerender, assessment_id, lang)
            queued += 1
    log.info("reports to refresh after a network change of editions %s: %d of %d stored",
             list(edition_ids), queued, len(candidates))
    return queued


def sweep(keep_days: int = 30) -> report_store.SweepResult:
    """Tidy the report store and this instance's copies (see report_store.sweep)."""
    return report_store.sweep(keep_days)


def network_report_pdf(actor: Actor, version: str, lang: str,
                       known: Container[str] = ()) -> CachedReport:
    """The staff network report of an edition: distributions, cities, change since last edition.

    Its key hashes the whole report model, which includes today's date: one set of
    bytes per day and network state, shared by every instance.
    """
    from benchmark import authz
    from benchmark.reporting.render import render_network_report
    from benchmark.services import network_report, questionnaires

    _check_language(lang)
    authz.require(actor, "view_network_report")
    model = network_report.build(version, lang, utctoday())
    key = hashlib.sha256(repr(model).encode() + template_version().encode()).hexdigest()
    filename = f"benchmark-network-{version}-{lang}.pdf"
    if key in known:
        return CachedReport(key, filename)
    row = questionnaires.find_row(version)
    assert row is not None  # build() found it
    stored = report_store.get_or_render(key, ReportOf("network", lang, edition_id=row.id),
                                        lambda: (key, render_network_report(model)))
    with transaction():
        audit.record(actor, "network_report_download", details={"version": version, "lang": lang})
    return CachedReport(stored.key, filename, stored.path, stored.created_at)

