"""PDF reports: rendered once per set of inputs, cached under instance/reports/.

The cache key hashes everything a report depends on: the city's assessments
(each bumps its `revision` on every change of answers, profile or status), the
network statistics of the editions involved, the city's record, the language,
K and the template version. Any change renders a new report; an unchanged one is
served from disk with an ETag. Concurrent downloads of a missing report wait for
one render (a lock file per key, so this also holds across gunicorn workers).
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import logging
import os
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from pathlib import Path

from flask import current_app
from sqlalchemy import func, select

from benchmark import __version__
from benchmark.authz import SYSTEM, Actor
from benchmark.errors import Invalid
from benchmark.extensions import db
from benchmark.models import Assessment, NetworkStatistic, RenderedReport, utcnow
from benchmark.reporting.fetcher import REPORTS_DIR
from benchmark.services import assessments, audit, city_report, scores
from benchmark.services._tx import transaction

log = logging.getLogger(__name__)
LANGUAGES = ("en", "fr", "ar")


@dataclass(frozen=True)
class CachedReport:
    path: Path
    etag: str
    created_at: datetime
    filename: str


@cache
def template_version() -> str:
    """Hash of the report templates, styles, fonts and rendering code."""
    digest = hashlib.sha256(__version__.encode())
    package = Path(__file__).resolve().parent.parent / "reporting"
    for path in sorted([*REPORTS_DIR.rglob("*"), *package.glob("*.py")]):
        if path.is_file():
            digest.update(path.name.encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def _folder() -> Path:
    folder = Path(current_app.instance_path) / "reports"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def cache_key(assessment: Assessment, lang: str) -> str:
    """A key that changes whenever anything shown in the report changes.

    The report shows the assessment and, for trends, the city's earlier validated
    rounds (city_report._rounds): a later draft being typed does not change it.
    """
    shown = (Assessment.id == assessment.id) | (
        (Assessment.status == "validated") & (Assessment.round <= assessment.round))
    rounds = db.session.execute(
        select(Assessment.id, Assessment.revision, Assessment.status, Assessment.edition_id)
        .where(Assessment.city_id == assessment.city_id, shown).order_by(Assessment.id)
    ).all()
    editions = sorted({row.edition_id for row in rounds})
    stamps = db.session.execute(
        select(NetworkStatistic.edition_id, func.max(NetworkStatistic.computed_at),
               func.sum(NetworkStatistic.n))
        .where(NetworkStatistic.edition_id.in_(editions)).group_by(NetworkStatistic.edition_id)
    ).all()
    city = assessment.city
    material = {
        "assessment": assessment.id, "lang": lang, "template": template_version(),
        "k": scores.k_anonymity(),
        "rounds": [list(map(str, r)) for r in rounds],
        "network": [[str(s[0]), s[1].isoformat() if s[1] else "", s[2]] for s in stamps],
        "city": [city.name, city.country, city.population, city.foreign_born_share,
                 city.consent_named],
    }
    return hashlib.sha256(json.dumps(material, sort_keys=True).encode()).hexdigest()


def _filename(assessment: Assessment, lang: str) -> str:
    safe = "".join(c if c.isalnum() or c in "-_" else "-" for c in assessment.city.slug)
    return f"benchmark-{safe}-{assessment.edition.version}-{assessment.round}-{lang}.pdf"


def _render_to(assessment: Assessment, lang: str, key: str) -> CachedReport:
    from benchmark.reporting.render import render_city_report

    folder = _folder()
    target = folder / f"{key}.pdf"
    with open(folder / f"{key}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # the second downloader waits for the first render
        if not target.exists():
            model = city_report.build(assessment, lang, datetime.now(UTC).date())
            pdf = render_city_report(model)
            partial = folder / f"{key}.{os.getpid()}.tmp"
            partial.write_bytes(pdf)
            partial.replace(target)  # atomic: readers never see half a file
            _remember(key, assessment.id, lang, len(pdf))
    (folder / f"{key}.lock").unlink(missing_ok=True)
    created = datetime.fromtimestamp(target.stat().st_mtime, UTC)
    return CachedReport(target, key, created, _filename(assessment, lang))


def _remember(key: str, assessment_id: int, lang: str, size: int) -> None:
    with transaction():
        if db.session.get(RenderedReport, key) is None:
            db.session.add(RenderedReport(key=key, assessment_id=assessment_id, kind="city",
                                          language=lang, size=size, created_at=utcnow()))


def _check_language(lang: str) -> None:
    if lang not in LANGUAGES:
        raise Invalid(f"Reports exist in {', '.join(LANGUAGES)}.", fields={"lang": "unsupported language"})


def city_report_pdf(actor: Actor, assessment_id: int, lang: str) -> CachedReport:
    """The assessment's PDF report (rendered now if not cached); audited as a download."""
    _check_language(lang)
    assessment = assessments.get(actor, assessment_id, "download_report")
    key = cache_key(assessment, lang)
    path = _folder() / f"{key}.pdf"
    if path.exists():
        created = datetime.fromtimestamp(path.stat().st_mtime, UTC)
        found = CachedReport(path, key, created, _filename(assessment, lang))
    else:
        found = _render_to(assessment, lang, key)
    with transaction():
        audit.record(actor, "report_download", assessment, details={"lang": lang})
    return found


def render_file(assessment_id: int, lang: str, out: Path) -> int:
    """Render an assessment's report to `out` (the command line); bytes written."""
    _check_language(lang)
    assessment = assessments.get(SYSTEM, assessment_id, "download_report")
    report = _render_to(assessment, lang, cache_key(assessment, lang))
    out.write_bytes(report.path.read_bytes())
    return report.path.stat().st_size


def prerender(assessment_id: int, lang: str = "en") -> None:
    """Background job: make sure an assessment's report is in the cache."""
    assessment = db.session.get(Assessment, assessment_id)
    if assessment is None:
        return
    key = cache_key(assessment, lang)
    if not (_folder() / f"{key}.pdf").exists():
        _render_to(assessment, lang, key)


def schedule_after_validation(assessment: Assessment) -> None:
    """After a validation or reopening: render the reports that changed, off the request path.

    The assessment's own report, in the languages its team reads, always. The other
    cities' reports of the edition changed too (their network comparison moved): with
    Redis, dedicated `benchmark worker` processes re-render them; without it they are
    rendered on their next download, so that a web process is not busy for minutes.
    """
    from flask import current_app

    from benchmark.infra import jobs
    from benchmark.models import User

    languages = {lang for (lang,) in db.session.execute(
        select(User.language).where(User.city_id == assessment.city_id, User.is_active.is_(True)))}
    for lang in sorted((languages & set(LANGUAGES)) or {"en"}):
        jobs.enqueue(prerender, assessment.id, lang)
    if current_app.config.get("REDIS_URL"):
        for other in scores.latest_validated_ids(assessment.edition_id):
            if other != assessment.id:
                jobs.enqueue(prerender, other, "en")


def sweep(keep_days: int = 30) -> int:
    """Delete cached PDFs not used for `keep_days` days; number removed."""
    folder = _folder()
    cutoff = datetime.now(UTC).timestamp() - keep_days * 86400
    removed = 0
    for path in folder.glob("*.pdf"):
        if path.stat().st_atime < cutoff:
            path.unlink(missing_ok=True)
            removed += 1
    return removed


def network_report_pdf(actor: Actor, version: str, lang: str) -> CachedReport:
    """The staff network report of an edition: distributions, cities, change since last edition."""
    from benchmark import authz
    from benchmark.reporting.render import render_network_report
    from benchmark.services import network_report

    _check_language(lang)
    authz.require(actor, "view_network_report")
    model = network_report.build(version, lang, datetime.now(UTC).date())
    digest = hashlib.sha256(repr(model).encode() + template_version().encode()).hexdigest()
    folder = _folder()
    target = folder / f"network-{digest}.pdf"
    if not target.exists():
        partial = folder / f"network-{digest}.{os.getpid()}.tmp"
        partial.write_bytes(render_network_report(model))
        partial.replace(target)
    with transaction():
        audit.record(actor, "network_report_download", details={"version": version, "lang": lang})
    created = datetime.fromtimestamp(target.stat().st_mtime, UTC)
    return CachedReport(target, digest, created, f"benchmark-network-{version}-{lang}.pdf")
