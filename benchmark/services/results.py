"""What a city sees about one assessment: its scores beside the network (read-only use cases)."""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass
from datetime import date
from typing import Any

from benchmark import authz
from benchmark.authz import Actor
from benchmark.extensions import db
from benchmark.models import Assessment
from benchmark.questionnaire import Questionnaire
from benchmark.reporting import model as rm
from benchmark.reporting import render, words
from benchmark.scoring import AssessmentScore, Comparison, NetworkStatistics
from benchmark.services import assessments, city_report, questionnaires, scores


@dataclass(frozen=True)
class AssessmentScores:
    assessment: Assessment
    edition: Questionnaire
    score: AssessmentScore
    comparison: Comparison
    #: The k of k-anonymity the comparison was made with.
    k_anonymity: int


#: What `assessment_scores` computed, under everything it is made of (its key), newest last.
_kept: OrderedDict[tuple[Any, ...], tuple[Questionnaire, AssessmentScore, Comparison]] = OrderedDict()
_kept_lock = threading.Lock()
KEPT = 2048


def assessment_scores(actor: Actor, assessment_id: int) -> AssessmentScores:
    """Indices of an assessment with network and peer comparison.

    Kept per process under all they are made of: the assessment's revision (every change
    of its answers, profile or status bumps it), its city's record, the edition's network
    stamp (every input of the network moves it) and k. The edition, the cached indices and
    the comparison were most of a scores request; the access check, the assessment and the
    stamp are read on every one, so what is kept is never out of date.
    """
    assessment = assessments.get(actor, assessment_id, "view_scores")
    city, k = assessment.city, scores.k_anonymity()
    stamp = scores.network_stamps([assessment.edition_id]).get(assessment.edition_id)
    key = (str(db.engine.url), assessment.id, assessment.revision, assessment.status,
           assessment.edition_id, city.slug, city.name, city.population, city.foreign_born_share,
           city.consent_named, stamp, k)
    with _kept_lock:
        found = _kept.get(key)
        if found is not None:
            _kept.move_to_end(key)
    if found is None:
        edition = scores.edition_of(assessment)
        score = scores.stored_score(assessment, edition)
        found = (edition, score, scores.comparison(assessment, score))
        with _kept_lock:
            _kept[key] = found
            while len(_kept) > KEPT:
                _kept.popitem(last=False)
    return AssessmentScores(assessment, *found, k)


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
