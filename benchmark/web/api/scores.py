"""Scores of an assessment and network averages of an edition."""

from __future__ import annotations

from flask import Response, current_app, jsonify, request
from pydantic import BaseModel, Field

from benchmark.scoring import ComparisonRow, Distribution, GroupRank
from benchmark.scoring.network import K_ANONYMITY
from benchmark.services import results
from benchmark.web.api import bp
from benchmark.web.autocommit import autocommit_reads
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


class GroupRankOut(BaseModel):
    group: str | None = Field(description="The band: a size group (\"pop-100k-250k\") or a "
                              "diversity group (\"fb-10-20\"); null for the network")
    average: float | None = Field(description="Mean index of the group, 0–100, unrounded")
    n: int = Field(description="Cities of the group with an index, the city itself counted once")
    rank: int | None = Field(description="The city's rank in the group, 1 = highest index, out "
                             "of n; tied cities share the best rank of their tie (1, 2, 2, 4)")
    withheld_reason: str | None = Field(
        default=None, description="\"k_anonymity\" (fewer than K cities) or \"no_group\" "
        "(population or foreign-born share unknown) when average and rank are null")


class IndexComparisonsOut(BaseModel):
    network: GroupRankOut
    size: GroupRankOut = Field(description="Cities of the same population band")
    diversity: GroupRankOut = Field(description="Cities of the same foreign-born share band")


class DimensionComparisonsOut(IndexComparisonsOut):
    id: str


class ComparisonsOut(BaseModel):
    overall: IndexComparisonsOut
    dimensions: list[DimensionComparisonsOut]


class ScoresOut(BaseModel):
    assessment: int
    questionnaire: str
    provisional: bool
    completeness: float = Field(description="Answered share of the counted questions, 0–1")
    overall: IndexOut
    dimensions: list[DimensionIndexOut]
    comparisons: ComparisonsOut = Field(
        description="The network, the size group and the diversity group: average, n and rank")


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


def _row(row: ComparisonRow, k: int) -> dict[str, object]:
    return {
        "index": row.index, "network_average": row.network_average, "network_n": row.network_n,
        "peer_average": row.peer_average, "peer_n": row.peer_n, "percentile": row.percentile,
        # The API's wire value for a withheld peer average since v1 (group ranks say
        # "k_anonymity"): kept, not renamed.
        "withheld_reason": (f"fewer than {k} cities"
                            if row.withheld_reason == K_ANONYMITY else row.withheld_reason),
    }


def _group(rank: GroupRank | None) -> GroupRankOut:
    if rank is None:
        return GroupRankOut(group=None, average=None, n=0, rank=None, withheld_reason="no_group")
    return GroupRankOut(group=rank.key, average=rank.average, n=rank.n, rank=rank.rank,
                        withheld_reason=rank.withheld_reason)


def _groups(row: ComparisonRow) -> dict[str, GroupRankOut]:
    return {kind: _group(row.group(kind)) for kind in ("network", "size", "diversity")}


def _distribution(d: Distribution) -> dict[str, object]:
    return {"mean": d.mean, "n": d.n, "min": d.min, "max": d.max, "q1": d.q1,
            "median": d.median, "q3": d.q3, "std": d.std}


@autocommit_reads
@bp.get("/assessments/<int:assessment_id>/scores", out=ScoresOut, errors=(304, 404),
        headers=(("If-None-Match", "ETag of a copy you have: 304 when unchanged", False),),
        summary="Overall and per-dimension indices with network and peer comparison (ETag)",
        tags=("scores",))
def get_scores(assessment_id: int) -> Response:
    found = results.assessment_scores(current_actor(), assessment_id)
    if request.if_none_match.contains_weak(found.version):
        response = Response(status=304)
    else:
        # The JSON is kept with the scores it shows (pydantic and the encoder ran once).
        response = current_app.response_class(found.rendered("api.scores", lambda: _json(found)),
                                              mimetype=current_app.json.mimetype)
    response.set_etag(found.version)
    response.headers["Cache-Control"] = "private, no-cache"
    return response


def _json(found: results.AssessmentScores) -> bytes:
    """The response body: ScoresOut as the route wrapper would dump it."""
    comparison = found.comparison
    out = ScoresOut(
        assessment=found.assessment_id,
        questionnaire=found.edition.version,
        provisional=found.score.provisional,
        completeness=found.score.completeness,
        overall=IndexOut(**_row(comparison.overall, found.k_anonymity)),
        dimensions=[DimensionIndexOut(id=row.id, **_row(row, found.k_anonymity))
                    for row in comparison.dimensions],
        comparisons=ComparisonsOut(
            overall=IndexComparisonsOut(**_groups(comparison.overall)),
            dimensions=[DimensionComparisonsOut(id=row.id, **_groups(row))
                        for row in comparison.dimensions]),
    )
    return bytes(jsonify(out.model_dump(mode="json")).get_data())


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
