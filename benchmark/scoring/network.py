"""Compare cities with the network: distributions, k-anonymous group averages, percentiles.

Everything here works on the results it is given. DESIGN.md defines the network
of an edition as the latest *validated* assessment of each city; the caller
selects those results (a draft is simply not passed) and this module never
filters by status. Indices are 0–100 and unrounded.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from benchmark.scoring.engine import AssessmentScore

#: The key of the overall index in comparisons (dimension ids are listed separately).
OVERALL = "overall"


@dataclass(frozen=True)
class CityResult:
    """One city's indices (0–100, None where it has none) and what a report may say about it.

    `named` is the city's consent to be named to other cities as a peer to learn from.
    """

    city: str
    peer_group: str | None
    overall: float | None
    dimensions: Mapping[str, float | None]
    named: bool = False
    city_name: str = ""

    @classmethod
    def from_score(
        cls,
        city: str,
        score: AssessmentScore,
        *,
        peer_group: str | None,
        named: bool = False,
        city_name: str = "",
    ) -> CityResult:
        """The result of `city` as scored by the engine."""
        return cls(city, peer_group, score.overall, score.indices, named, city_name)

    def index(self, dimension_id: str | None) -> float | None:
        """The index of a dimension, or the overall index when `dimension_id` is None."""
        return self.overall if dimension_id is None else self.dimensions.get(dimension_id)


@dataclass(frozen=True)
class Distribution:
    """Summary of the values present (n of them); every statistic is None when n is 0.

    Quartiles interpolate linearly between order statistics (numpy's default
    "linear" method); `std` is the sample standard deviation (ddof=1), None when n < 2.
    """

    n: int
    mean: float | None = None
    min: float | None = None
    max: float | None = None
    q1: float | None = None
    median: float | None = None
    q3: float | None = None
    std: float | None = None


@dataclass(frozen=True)
class NetworkStatistics:
    """Distributions of the overall index and of each dimension index (in first-seen order)."""

    overall: Distribution
    dimensions: Mapping[str, Distribution] = field(default_factory=dict)


@dataclass(frozen=True)
class GroupAverage:
    """A group's mean index (0–100), or None with `withheld_reason` when n is below k."""

    mean: float | None
    n: int
    withheld_reason: str | None = None


@dataclass(frozen=True)
class ComparisonRow:
    """One index of a city beside the network and its peer group (all 0–100 unrounded).

    `percentile` is the city's percentile rank (0–100) among the network;
    `withheld_reason` explains a peer average withheld for k-anonymity.
    """

    id: str
    index: float | None
    network_average: float | None
    network_n: int
    peer_average: float | None
    peer_n: int
    percentile: float | None
    withheld_reason: str | None = None


@dataclass(frozen=True)
class Comparison:
    """The overall row (id "overall") and one row per dimension, in the city's order."""

    overall: ComparisonRow
    dimensions: tuple[ComparisonRow, ...]


def distribution(values: Iterable[float | None]) -> Distribution:
    """The distribution of the values that are not None."""
    present = np.asarray([v for v in values if v is not None], dtype=float)
    n = int(present.size)
    if n == 0:
        return Distribution(n=0)
    q1, median, q3 = (float(q) for q in np.percentile(present, [25, 50, 75]))
    return Distribution(
        n=n,
        mean=_mean(present.tolist()),
        min=float(np.min(present)),
        max=float(np.max(present)),
        q1=q1,
        median=median,
        q3=q3,
        std=float(np.std(present, ddof=1)) if n >= 2 else None,
    )


def network_statistics(
    results: Sequence[CityResult], dimension_ids: Sequence[str] | None = None
) -> NetworkStatistics:
    """Per-dimension and overall distributions over `results`; None indices are skipped.

    `dimension_ids` fixes which dimensions are reported and their order (a
    dimension nobody has gets n = 0); by default every id seen, first-seen order.
    """
    if dimension_ids is None:
        dimension_ids = list(dict.fromkeys(d for r in results for d in r.dimensions))
    return NetworkStatistics(
        overall=distribution(r.overall for r in results),
        dimensions={d: distribution(r.dimensions.get(d) for r in results) for d in dimension_ids},
    )


def group_average(values: Iterable[float | None], k: int) -> GroupAverage:
    """The mean of the values present, withheld (None) when fewer than `k` are present."""
    if k < 1:
        raise ValueError("k must be at least 1")
    present = [v for v in values if v is not None]
    n = len(present)
    if n < k:
        return GroupAverage(mean=None, n=n, withheld_reason=f"fewer than {k} cities")
    return GroupAverage(mean=_mean(present), n=n)


def percentile_rank(value: float | None, population: Iterable[float | None]) -> float | None:
    """Percentile rank 0–100: share of values strictly below plus half the ties, × 100.

    None values in `population` are skipped; None when `value` is None or nothing
    is left. The population should contain `value` itself (then a lone city is at 50).
    """
    present = [v for v in population if v is not None]
    if value is None or not present:
        return None
    below = sum(1 for v in present if v < value)
    ties = sum(1 for v in present if v == value)
    return 100.0 * (below + 0.5 * ties) / len(present)


def compare(city_result: CityResult, network_results: Sequence[CityResult], k: int) -> Comparison:
    """Compare `city_result` with `network_results` (each city's latest validated result).

    - network average and n: exactly over `network_results`, so a draft of the
      city never changes them (DESIGN.md: validated assessments only);
    - peer average and n: the other cities of the city's peer group from
      `network_results`, plus the city itself counted once with the values being
      compared (DESIGN.md: "the city itself is counted in n"), so a draft counts
      its provisional index; withheld when fewer than `k` values are present;
      None, n 0, no reason, when the city has no peer group;
    - percentile: rank of the city's index among the other cities' network
      values plus its own value being compared.

    The city is matched by `city` slug: its own entry in `network_results`
    (e.g. an earlier validated round) is replaced by `city_result` for peers and
    percentile, but stays in the network average, which is the contract's figure.
    """
    others = [r for r in network_results if r.city != city_result.city]
    peers = (
        [r for r in others if r.peer_group == city_result.peer_group]
        if city_result.peer_group is not None
        else None
    )

    def row(row_id: str, dimension_id: str | None) -> ComparisonRow:
        own = city_result.index(dimension_id)
        network = [r.index(dimension_id) for r in network_results]
        network_values = [v for v in network if v is not None]
        if peers is None:
            peer = GroupAverage(mean=None, n=0)
        else:
            peer = group_average([own, *(r.index(dimension_id) for r in peers)], k)
        return ComparisonRow(
            id=row_id,
            index=own,
            network_average=_mean(network_values) if network_values else None,
            network_n=len(network_values),
            peer_average=peer.mean,
            peer_n=peer.n,
            percentile=percentile_rank(own, [own, *(r.index(dimension_id) for r in others)]),
            withheld_reason=peer.withheld_reason,
        )

    return Comparison(
        overall=row(OVERALL, None),
        dimensions=tuple(row(d, d) for d in city_result.dimensions),
    )


def peers_to_learn_from(
    results: Sequence[CityResult],
    dimension_id: str | None,
    *,
    peer_group: str | None,
    exclude_city: str,
    limit: int = 3,
    better_than: float | None = None,
) -> list[CityResult]:
    """The best-scoring cities that consented to be named, same peer group first.

    Cities of `peer_group` come first, then the others, each by index descending
    (ties by slug); `exclude_city` (the reader) and cities without an index are
    left out, and so are cities not above `better_than` when it is given.
    `dimension_id` None ranks on the overall index.
    """
    candidates = [
        r
        for r in results
        if r.named
        and r.city != exclude_city
        and (index := r.index(dimension_id)) is not None
        and (better_than is None or index > better_than)
    ]

    def rank(r: CityResult) -> tuple[bool, float, str]:
        same_group = peer_group is not None and r.peer_group == peer_group
        return (not same_group, -(r.index(dimension_id) or 0.0), r.city)

    return sorted(candidates, key=rank)[:limit]


def _mean(values: Sequence[float]) -> float:
    return math.fsum(values) / len(values)
