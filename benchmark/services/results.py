"""What a city sees about one assessment: its scores beside the network (read-only use cases)."""

from __future__ import annotations

from dataclasses import dataclass

from benchmark.errors import NotFound
from benchmark.extensions import db
from benchmark.models import Assessment
from benchmark.questionnaire import Questionnaire
from benchmark.scoring import AssessmentScore, Comparison, NetworkStatistics
from benchmark.services import authz, questionnaires, scores
from benchmark.services.authz import Actor


@dataclass(frozen=True)
class AssessmentScores:
    assessment: Assessment
    edition: Questionnaire
    score: AssessmentScore
    comparison: Comparison


def get_assessment(actor: Actor, assessment_id: int, action: str = "view_scores") -> Assessment:
    """The assessment if `actor` may do `action` on it; another city's is NotFound."""
    assessment = db.session.get(Assessment, assessment_id)
    if assessment is None:
        raise NotFound("There is no such assessment.")
    authz.require(actor, action, assessment)
    return assessment


def assessment_scores(actor: Actor, assessment_id: int) -> AssessmentScores:
    """Indices of an assessment with network and peer comparison."""
    assessment = get_assessment(actor, assessment_id)
    score = scores.score_of(assessment)
    return AssessmentScores(assessment, scores.edition_of(assessment), score,
                            scores.comparison(assessment, score))


def network_averages(actor: Actor, version: str) -> tuple[Questionnaire, NetworkStatistics]:
    """An edition's network statistics (from the validated assessments)."""
    authz.require(actor, "view_network")
    edition = questionnaires.get_edition(version)
    row = questionnaires.find_row(version)
    assert row is not None
    stored = scores.stored_network(row.id)
    from benchmark.models import OVERALL

    return edition, NetworkStatistics(
        overall=scores.distribution_of(stored.get(OVERALL)),
        dimensions={d.id: scores.distribution_of(stored.get(d.id)) for d in edition.dimensions},
    )
