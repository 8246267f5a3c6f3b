"""What a city sees about one assessment: its scores beside the network (read-only use cases)."""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any, TypeVar, cast

from sqlalchemy import bindparam, select

from benchmark import __version__, authz
from benchmark.authz import Actor
from benchmark.extensions import db
from benchmark.models import Assessment, City
from benchmark.questionnaire import Questionnaire
from benchmark.reporting import model as rm
from benchmark.reporting import render, words
from benchmark.scoring import AssessmentScore, Comparison, NetworkStatistics
from benchmark.services import assessments, city_report, questionnaires, scores

T = TypeVar("T")


@dataclass
class _Kept:
    """What `assessment_scores` computed under one key, and what callers rendered of it."""

    edition: Questionnaire
    score: AssessmentScore
    comparison: Comparison
    #: Renderings of these scores by name (the API's JSON bytes): kept with them, so they
    #: are dropped with them and can never outlive what they were rendered from.
    renderings: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class AssessmentScores:
    assessment_id: int
    edition: Questionnaire
    score: AssessmentScore
    comparison: Comparison
    #: The k of k-anonymity the comparison was made with.
    k_anonymity: int
    #: Changes whenever anything the scores are made of changes, or the code (a release):
    #: an ETag for every representation of them.
    version: str
    _kept: _Kept

    def rendered(self, name: str, render: Callable[[], T]) -> T:
        """`render()`'s result, computed once per process for these very scores."""
        found = self._kept.renderings.get(name)
        if found is None:
            found = self._kept.renderings[name] = render()
        return cast(T, found)


#: What `assessment_scores` computed, under everything it is made of (its key), newest last.
_kept: OrderedDict[tuple[Any, ...], _Kept] = OrderedDict()
_kept_lock = threading.Lock()
KEPT = 2048

#: The key's inputs in one statement, built once per process: the assessment (its city for
#: the access check), its revision and status (every change of its answers, profile or
#: status bumps the revision), its city's record and its edition's network stamp.
_KEY_INPUTS = (
    select(Assessment.id, Assessment.city_id, Assessment.revision, Assessment.status,
           Assessment.edition_id, City.slug, City.name, City.population,
           City.foreign_born_share, City.consent_named,
           *scores.stamp_columns(Assessment.edition_id))
    .join(City, City.id == Assessment.city_id)
    .where(Assessment.id == bindparam("assessment_id")))


def assessment_scores(actor: Actor, assessment_id: int) -> AssessmentScores:
    """Indices of an assessment with network and peer comparison.

    Kept per process under all they are made of: the assessment's revision (every change
    of its answers, profile or status bumps it), its city's record, the edition's network
    stamp (every input of the network moves it) and k, read with the access check in one
    statement on every request, so what is kept is never out of date. The edition, the
    cached indices and the comparison are read only when the key is new.
    """
    # On the session's connection: a Core row needs none of the ORM's result handling.
    row = db.session.connection().execute(_KEY_INPUTS, {"assessment_id": assessment_id}).first()
    if row is None:
        raise assessments.no_such_assessment()
    authz.require(actor, "view_scores", row)  # the rule reads `city_id`, which the row has
    k = scores.k_anonymity()
    key = (str(db.engine.url), *row[:-2], scores.stamp_of(*row[-2:]), k)
    with _kept_lock:
        found = _kept.get(key)
        if found is not None:
            _kept.move_to_end(key)
    if found is None:
        assessment = assessments.get(actor, assessment_id, "view_scores")
        edition = scores.edition_of(assessment)
        score = scores.stored_score(assessment, edition)
        found = _Kept(edition, score, scores.comparison(assessment, score))
        with _kept_lock:
            _kept[key] = found
            while len(_kept) > KEPT:
                _kept.popitem(last=False)
    version = hashlib.blake2b(repr((__version__, key)).encode(), digest_size=12).hexdigest()
    return AssessmentScores(assessment_id, found.edition, found.score, found.comparison, k,
                            version, found)


def network_averages(actor: Actor, version: str) -> tuple[Questionnaire, NetworkStatistics]:
    """An edition's network statistics (from the validated assessments)."""
    authz.require(actor, "view_network")
    edition = questionnaires.get_edition(version)
    row = questionnaires.find_row(version)
    assert row is not None  # get_edition found it
    return edition, scores.stored_statistics(row.id, [d.id for d in edition.dimensions])


@dataclass(frozen=True)
class ResultsPage:
    """The results page: the same report model as the PDF, plus its charts as SVG."""

    assessment: Assessment
    report: rm.CityReport
    radar_svg: str
    trend_svg: str | None
    peer_group_label: str
    #: The reader may turn an improvement priority into a commitment (the focal point).
    may_commit: bool = False


def results_page(actor: Actor, assessment_id: int, lang: str, today: date) -> ResultsPage:
    """A city's results: indices beside network and peers, trends, priorities, peers.

    The charts are the PDF's (``render.city_charts``): text stays text, except text
    that needs shaping (Arabic), drawn as the PDF draws it, so it sits where matplotlib
    measured it whatever fonts the browser has.
    """
    assessment = assessments.get(actor, assessment_id, "view_scores")
    report = city_report.build(assessment, lang, today)
    charts = render.city_charts(report, lang)
    trend = charts["trend"]
    return ResultsPage(assessment, report, charts["radar"].svg,
                       trend.svg if trend else None,
                       words.peer_group(report.methodology.peer_group, lang)
                       if report.methodology.peer_group else "",
                       may_commit=authz.can(actor, "create_commitment", assessment))
