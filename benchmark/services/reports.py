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

from flask import current_app
from sqlalchemy import func, select

from benchmark import __version__
from benchmark.authz import SYSTEM, Actor
from benchmark.errors import Invalid
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
from benchmark.services import assessments, audit, city_report, practice_links, report_store, scores
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


def report_inputs(assessment: Assessment, lang: str) -> ReportInputs:
    """What a city report is made of, as a key; changes whenever anything shown changes.

    The report shows the assessment and, for trends, the city's earlier validated
    rounds (city_report._rounds): a later draft being typed does not change it.
    """
    shown = (Assessment.id == assessment.id) | city_report.earlier_rounds(assessment)
    # One query for the rounds, the city's record and the editions' versions (small
    # columns only: the edition's YAML source is never read for a key).
    # Review comments shown in the report (ReviewComment.in_report) are part of it: the
    # newest such comment of each round, read in the same query.
    shown_comment = (select(func.max(ReviewComment.id))
                     .where(ReviewComment.assessment_id == Assessment.id,
                            ReviewComment.in_report.is_(True))
                     .correlate(Assessment).scalar_subquery())
    rounds = db.session.execute(
        select(Assessment.id, Assessment.revision, Assessment.status, Assessment.edition_id,
               Assessment.updated_at, QuestionnaireEdition.version, City.slug, City.name,
               City.country, City.population, City.foreign_born_share, City.consent_named,
               shown_comment.label("programme_comment"))
        .join(City, City.id == Assessment.city_id)
        .join(QuestionnaireEdition, QuestionnaireEdition.id == Assessment.edition_id)
        .where(Assessment.city_id == assessment.city_id, shown).order_by(Assessment.id)
    ).all()
    stamps = scores.network_stamps({row.edition_id for row in rounds})
    # "Commitments and progress": the commitments followed up in this round (their status,
    # outcome and title are shown; every change bumps their revision).
    from benchmark.services.commitment_followup import due_query

    followed = db.session.execute(due_query(assessment).with_only_columns(
        Commitment.id, Commitment.revision, Commitment.updated_at)).all()
    changed = ([row.updated_at for row in rounds] + [s.computed_at for s in stamps.values()]
               + [row.updated_at for row in followed])
    as_of = max(changed).astimezone(UTC).date()
    city = rounds[0]
    own = next(row for row in rounds if row.id == assessment.id)
    material = {
        "assessment": assessment.id, "lang": lang, "template": template_version(),
        "k": scores.k_anonymity(), "as_of": as_of.isoformat(),
        "rounds": [[row.id, row.revision, row.status, row.edition_id, row.programme_comment]
                   for row in rounds],
        "commitments": [[row.id, row.revision] for row in followed],
        "network": sorted([edition_id, str(stamp)] for edition_id, stamp in stamps.items()),
        "city": [city.slug, city.name, city.country, city.population, city.foreign_born_share,
                 city.consent_named],
        # Priorities list other cities' published practices.
        "practices": practice_links.stamp(),
    }
    key = hashlib.sha256(json.dumps(material, sort_keys=True, default=str).encode()).hexdigest()
    safe = "".join(c if c.isalnum() or c in "-_" else "-" for c in city.slug)
    return ReportInputs(key, as_of, f"benchmark-{safe}-{own.version}-{assessment.round}-{lang}.pdf")


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
    # A report already on this instance's disk (the common case) costs one transaction:
    # the access check, the key (two queries) and the download's audit row, committed
    # together; the file itself is sent by the caller (or the reverse proxy).
    with transaction():
        assessment = assessments.get(actor, assessment_id, "download_report")
        inputs = report_inputs(assessment, lang)
        if inputs.key in known:
            return CachedReport(inputs.key, inputs.filename)
        stored = report_store.find_local(inputs.key)
        if stored is not None:
            _record_download(actor, assessment, lang)
            return CachedReport(stored.key, inputs.filename, stored.path, stored.created_at)
    # Not on this instance yet: from the shared store, or rendered now (outside any write
    # transaction: a render takes seconds), then audited once it is there to send.
    stored = report_store.get_or_render(inputs.key, ReportOf("city", lang, assessment_id=assessment_id),
                                        lambda: _render_city(assessment_id, lang))
    with transaction():
        _record_download(actor, db.session.get(Assessment, assessment_id), lang)
    return CachedReport(stored.key, inputs.filename, stored.path, stored.created_at)


def _record_download(actor: Actor, assessment: Assessment | None, lang: str) -> None:
    audit.record(actor, "report_download", assessment, details={"lang": lang})


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

