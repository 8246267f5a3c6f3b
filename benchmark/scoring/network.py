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
    #: Population band ("pop-100k-250k") and foreign-born share band ("fb-10-20") when
    #: known apart from the peer group (a city may have one without the other); by
    #: default read from `peer_group`.
    size_group: str | None = None
    diversity_group: str | None = None

    @property
    def size_key(self) -> str | None:
        """The city's size group (population band), or None."""
        if self.size_group is not None or self.peer_group is None:
            return self.size_group
        return self.peer_group.partition(".")[0]

    @property
    def diversity_key(self) -> str | None:
        """The city's diversity group (foreign-born share band), or None."""
        if self.diversity_group is not None or self.peer_group is None:
            return self.diversity_group
        return self.peer_group.partition(".")[2] or None

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


#: Comparison groups of a city (DESIGN.md scoring): the whole network of the edition,
#: the cities of the same population band, the cities of the same foreign-born band.
NETWORK_GROUP = "network"
SIZE_GROUP = "size"
DIVERSITY_GROUP = "diversity"
GROUP_KINDS = (NETWORK_GROUP, SIZE_GROUP, DIVERSITY_GROUP)
#: Why a group's average and rank are missing: fewer than K cities, or no group (the
#: city's population or foreign-born share is unknown).
K_ANONYMITY = "k_anonymity"
NO_GROUP = "no_group"


@dataclass(frozen=True)
class GroupRank:
    """The city in one comparison group: the group's mean index, n, the city's rank.

    n counts the cities of the group with an index, the city itself once (with the
    values being compared, as for peers). `rank` is the competition rank ("1224": tied
    cities share the best rank of their tie, the next rank skips), 1 = highest index,
    out of n. Average and rank are None with `withheld_reason` "k_anonymity" when n is
    below K, or "no_group" when the city has no such group (`key` None); `rank` is None
    as well when the city has no index. `key` is the band ("pop-100k-250k",
    "fb-10-20"); None for the network.
    """

    kind: str
    key: str | None
    average: float | None
    n: int
    rank: int | None
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
    #: network, size and diversity group, in GROUP_KINDS order.
    groups: tuple[GroupRank, ...] = ()

    def group(self, kind: str) -> GroupRank | None:
        return next((g for g in self.groups if g.kind == kind), None)


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
      values plus its own value being compared;
    - groups (`ComparisonRow.groups`): the network, the size group and the
      diversity group, each with average, n and rank (see `GroupRank`).

    The city is matched by `city` slug: its own entry in `network_results`
    (e.g. an earlier validated round) is replaced by `city_result` for peers,
    percentile and groups, but stays in the network average, which is the
    contract's figure. Computed column by column over one matrix of the
    network's indices (numpy), so 10,000 cities cost a few milliseconds.
    """
    ids: list[str | None] = [None, *city_result.dimensions]
    others = [r for r in network_results if r.city != city_result.city]
    own_entries = [r for r in network_results if r.city == city_result.city]
    matrix = _matrix(others, ids)
    own_matrix = _matrix(own_entries, ids)
    peer_mask = (
        np.array([r.peer_group == city_result.peer_group for r in others], dtype=bool)
        if city_result.peer_group is not None else None
    )
    size, diversity = city_result.size_key, city_result.diversity_key
    group_masks: list[tuple[str, str | None, np.ndarray | None]] = [
        (NETWORK_GROUP, None, np.ones(len(others), dtype=bool)),
        (SIZE_GROUP, size,
         np.array([r.size_key == size for r in others], dtype=bool) if size else None),
        (DIVERSITY_GROUP, diversity,
         np.array([r.diversity_key == diversity for r in others], dtype=bool)
         if diversity else None),
    ]

    def row(column: int, row_id: str) -> ComparisonRow:
        own = city_result.index(ids[column])
        values = matrix[:, column]
        present = ~np.isnan(values)
        network = np.concatenate([values[present], _present(own_matrix[:, column])])
        if peer_mask is None:
            peer = GroupAverage(mean=None, n=0)
        else:
            peer_values = values[present & peer_mask]
            n = int(peer_values.size) + (own is not None)
            if n < k:
                peer = GroupAverage(mean=None, n=n, withheld_reason=f"fewer than {k} cities")
            else:
                peer = GroupAverage(mean=_sum_with(peer_values, own) / n, n=n)
        percentile = None
        if own is not None:
            others_present = values[present]
            below = int(np.count_nonzero(others_present < own))
            ties = int(np.count_nonzero(others_present == own)) + 1
            percentile = 100.0 * (below + 0.5 * ties) / (others_present.size + 1)
        groups = tuple(
            _group_rank(kind, key, mask, values, present, own, k)
            for kind, key, mask in group_masks
        )
        return ComparisonRow(
            id=row_id,
            index=own,
            network_average=float(network.sum() / network.size) if network.size else None,
            network_n=int(network.size),
            peer_average=peer.mean,
            peer_n=peer.n,
            percentile=percentile,
            withheld_reason=peer.withheld_reason,
            groups=groups,
        )

    return Comparison(
        overall=row(0, OVERALL),
        dimensions=tuple(row(i + 1, d) for i, d in enumerate(city_result.dimensions)),
    )


def _matrix(results: Sequence[CityResult], ids: Sequence[str | None]) -> np.ndarray:
    """Indices as a (cities × ids) float array, NaN where a city has none."""
    if not results:
        return np.empty((0, len(ids)), dtype=float)
    return np.array([[r.index(d) for d in ids] for r in results], dtype=float)


def _present(values: np.ndarray) -> np.ndarray:
    return values[~np.isnan(values)]


def _sum_with(values: np.ndarray, own: float | None) -> float:
    return float(values.sum()) + (own if own is not None else 0.0)


def rank_of(own: float, others: Iterable[float]) -> int:
    """The competition rank ("1224") of `own` among itself and `others`, 1 = highest index.

    Tied cities share the best rank of their tie and the next rank skips: with indices
    80, 70, 70, 60 the ranks are 1, 2, 2, 4.
    """
    return 1 + sum(1 for v in others if v > own)


def _group_rank(kind: str, key: str | None, mask: np.ndarray | None, values: np.ndarray,
                present: np.ndarray, own: float | None, k: int) -> GroupRank:
    """Average, n and rank of the city in one comparison group (the city counted once)."""
    if mask is None:
        return GroupRank(kind, None, None, 0, None, NO_GROUP)
    members = values[present & mask]
    n = int(members.size) + (own is not None)
    if n < k:
        return GroupRank(kind, key, None, n, None, K_ANONYMITY)
    average = _sum_with(members, own) / n if n else None
    rank = 1 + int(np.count_nonzero(members > own)) if own is not None else None
    return GroupRank(kind, key, average, n, rank, None)


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
