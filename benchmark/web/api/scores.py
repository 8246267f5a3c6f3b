"""Scores of an assessment and network averages of an edition."""

from __future__ import annotations

from pydantic import BaseModel, Field

from benchmark.scoring import ComparisonRow, Distribution
from benchmark.services import results
from benchmark.web.api import bp
from benchmark.web.identity import current_actor


class IndexOut(BaseModel):
    index: float | None = Field(description="0–100, unrounded; null when no question counts")
    network_average: float | None
    network_n: int
    peer_average: float | None
    peer_n: int
    percentile: float | None = Field(description="Percentile rank in the network, 0–100")
    withheld_reason: str | None = Field(default=None, description="Why peer_average is null")


class DimensionIndexOut(IndexOut):
    id: str


class ScoresOut(BaseModel):
    assessment: int
    questionnaire: str
    provisional: bool
    completeness: float = Field(description="Answered share of the counted questions, 0–1")
    overall: IndexOut
    dimensions: list[DimensionIndexOut]


class DistributionOut(BaseModel):
    mean: float | None
    n: int
    min: float | None
    max: float | None
    q1: float | None
    median: float | None
    q3: float | None
    std: float | None


class DimensionDistributionOut(DistributionOut):
    id: str


class NetworkAveragesOut(BaseModel):
    questionnaire: str
    overall: DistributionOut
    dimensions: list[DimensionDistributionOut]


def _row(row: ComparisonRow) -> dict[str, object]:
    return {
        "index": row.index, "network_average": row.network_average, "network_n": row.network_n,
        "peer_average": row.peer_average, "peer_n": row.peer_n, "percentile": row.percentile,
        "withheld_reason": row.withheld_reason,
    }


def _distribution(d: Distribution) -> dict[str, object]:
    return {"mean": d.mean, "n": d.n, "min": d.min, "max": d.max, "q1": d.q1,
            "median": d.median, "q3": d.q3, "std": d.std}


@bp.get("/assessments/<int:assessment_id>/scores", out=ScoresOut, errors=(404,),
        summary="Overall and per-dimension indices with network and peer comparison",
        tags=("scores",))
def get_scores(assessment_id: int) -> ScoresOut:
    found = results.assessment_scores(current_actor(), assessment_id)
    comparison = found.comparison
    return ScoresOut(
        assessment=found.assessment.id,
        questionnaire=found.edition.version,
        provisional=found.score.provisional,
        completeness=found.score.completeness,
        overall=IndexOut(**_row(comparison.overall)),
        dimensions=[DimensionIndexOut(id=row.id, **_row(row)) for row in comparison.dimensions],
    )


@bp.get("/network/<version>/averages", out=NetworkAveragesOut, errors=(404,),
        summary="Per dimension: mean, n, min, max and quartiles over validated assessments",
        tags=("scores",))
def get_network_averages(version: str) -> NetworkAveragesOut:
    edition, stats = results.network_averages(current_actor(), version)
    return NetworkAveragesOut(
        questionnaire=edition.version,
        overall=DistributionOut(**_distribution(stats.overall)),
        dimensions=[DimensionDistributionOut(id=d, **_distribution(dist))
                    for d, dist in stats.dimensions.items()],
    )
