"""Compare cities with the network: distributions, k-anonymous group averages, percentiles.

Everything here works on the results it is given. docs/architecture.md (Contracts) defines the network
of an edition as the latest *validated* assessment of each city; the caller
selects those results (a draft is simply not passed) and this module never
filters by status. Indices are 0–100 and unrounded.
"""

from __future__ import annotations

import bisect
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


#: Comparison groups of a city (the scoring contract, docs/architecture.md): the whole network of the edition,
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
    return statistics_of([r.overall for r in results],
                         {d: [r.dimensions.get(d) for r in results] for d in dimension_ids})


def statistics_of(overall: Iterable[float | None],
                  dimensions: Mapping[str, Iterable[float | None]]) -> NetworkStatistics:
    """`network_statistics` from each index's values already gathered, in `dimensions`' order
    (a caller that reads them by dimension builds no city results); None values are skipped."""
    return NetworkStatistics(overall=distribution(overall),
                             dimensions={d: distribution(v) for d, v in dimensions.items()})


def withheld(n: int, k: int) -> str | None:
    """k-anonymity, the one rule: a group of `n` cities (the city itself counted once) is
    shown only when n is at least `k`; else the reason code K_ANONYMITY."""
    return K_ANONYMITY if n < k else None


def group_average(values: Iterable[float | None], k: int) -> GroupAverage:
    """The mean of the values present, withheld (None) when fewer than `k` are present."""
    if k < 1:
        raise ValueError("k must be at least 1")
    present = [v for v in values if v is not None]
    n = len(present)
    if reason := withheld(n, k):
        return GroupAverage(mean=None, n=n, withheld_reason=reason)
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
      city never changes them (the scoring contract: validated assessments only);
    - peer average and n: the other cities of the city's peer group from
      `network_results`, plus the city itself counted once with the values being
      compared (the scoring contract: "the city counted"), so a draft counts
      its provisional index; withheld when fewer than `k` values are present;
      None, n 0, no reason, when the city has no peer group;
    - percentile: rank of the city's index among the other cities' network
      values plus its own value being compared;
    - groups (`ComparisonRow.groups`): the network, the size group and the
      diversity group, each with average, n and rank (see `GroupRank`).

    The city is matched by `city` slug: its own entry in `network_results`
    (e.g. an earlier validated round) is replaced by `city_result` for peers,
    percentile and groups, but stays in the network average, which is the
    contract's figure. The one implementation is `NetworkIndex.compare`; callers that
    compare many cities with one network build the index once (services/scores.py keeps
    it per network stamp).
    """
    return NetworkIndex(network_results).compare(city_result, k)


def rank_of(own: float, others: Iterable[float]) -> int:
    """The competition rank ("1224") of `own` among itself and `others`, 1 = highest index.

    Tied cities share the best rank of their tie and the next rank skips: with indices
    80, 70, 70, 60 the ranks are 1, 2, 2, 4.
    """
    return 1 + sum(1 for v in others if v > own)


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
    `dimension_id` None ranks on the overall index. (`NetworkIndex.peers_to_learn_from`.)
    """
    return NetworkIndex(results).peers_to_learn_from(
        dimension_id, peer_group=peer_group, exclude_city=exclude_city, limit=limit,
        better_than=better_than)


def _exact_partials(values: Iterable[float]) -> list[float]:
    """Non-overlapping partial sums whose exact total is the exact sum of `values`
    (Shewchuk's algorithm, as `math.fsum` keeps them): `fsum(partials + more)` is then
    the correctly rounded sum of `values` and `more`, bit for bit what `fsum` of the
    whole list gives, at the cost of the few partials instead of every value."""
    partials: list[float] = []
    for x in values:
        i = 0
        for y in partials:
            if abs(x) < abs(y):
                x, y = y, x
            hi = x + y
            lo = y - (hi - x)
            if lo:
                partials[i] = lo
                i += 1
            x = hi
        partials[i:] = [x]
    return partials


@dataclass(frozen=True)
class _Values:
    """The present values of one index over a set of cities: sorted, and their exact sum."""

    ordered: tuple[float, ...]
    partials: tuple[float, ...]

    @classmethod
    def of(cls, values: Iterable[float | None]) -> _Values:
        present = sorted(v for v in values if v is not None)
        return cls(tuple(present), tuple(_exact_partials(present)))

    @property
    def n(self) -> int:
        return len(self.ordered)

    def mean_with(self, remove: Sequence[float], add: Sequence[float]) -> float | None:
        """The mean of these values without `remove` (each present here) plus `add`."""
        n = self.n - len(remove) + len(add)
        if n <= 0:
            return None
        return math.fsum([*self.partials, *(-v for v in remove), *add]) / n


_EMPTY = _Values((), ())


class NetworkIndex:
    """A network (each city's latest validated result) prepared for comparisons.

    Sorted values per index (percentiles and ranks by bisection), exact sums per index
    and per group (peer, size and diversity group: averages without walking the
    cities), and the named cities in ranking order (peers to learn from): comparing a
    city costs O(log N) per index instead of O(N). Immutable once built, so one index
    may serve every request of a process for as long as the network it was built from
    is current. Sums are correctly rounded (`math.fsum`), whatever the order of cities.
    """

    def __init__(self, results: Sequence[CityResult]) -> None:
        self.results: tuple[CityResult, ...] = tuple(results)
        self._by_city: dict[str, list[CityResult]] = {}
        keys: dict[str | None, None] = {None: None}
        members: dict[tuple[str, str], list[CityResult]] = {}
        for r in self.results:
            self._by_city.setdefault(r.city, []).append(r)
            keys.update(dict.fromkeys(r.dimensions))
            for kind, key in _group_keys(r):
                if key is not None:
                    members.setdefault((kind, key), []).append(r)
        self._all = {key: _Values.of(r.index(key) for r in self.results) for key in keys}
        self._groups = {group: {key: _Values.of(r.index(key) for r in cities) for key in keys}
                        for group, cities in members.items()}
        self._named: dict[str | None, list[CityResult]] = {}
        for key in keys:
            named = [r for r in self.results if r.named and r.index(key) is not None]
            # Ties by slug, as the reference ranking: sort by slug first (stable sort).
            named.sort(key=lambda r: r.city)
            named.sort(key=lambda r, key=key: -(r.index(key) or 0.0))
            self._named[key] = named

    def compare(self, city_result: CityResult, k: int) -> Comparison:
        """`city_result` beside the network and its groups (the rules: `compare`)."""
        if k < 1:
            raise ValueError("k must be at least 1")
        own_entries = self._by_city.get(city_result.city, [])
        own_keys = dict(_group_keys(city_result))

        def group_of(kind: str, dimension_id: str | None,
                     own: float | None) -> tuple[_Values, list[float], list[float]] | None:
            """(the group's values, the city's own entries to take out, its value to add)."""
            if kind == NETWORK_GROUP:
                values = self._all.get(dimension_id, _EMPTY)
                mine = own_entries
            else:
                key = own_keys[kind]
                if key is None:
                    return None
                values = self._groups.get((kind, key), {}).get(dimension_id, _EMPTY)
                mine = [r for r in own_entries if dict(_group_keys(r))[kind] == key]
            out = [v for r in mine if (v := r.index(dimension_id)) is not None]
            return values, out, [own] if own is not None else []

        def rank(kind: str, dimension_id: str | None, own: float | None) -> GroupRank:
            found = group_of(kind, dimension_id, own)
            key = own_keys.get(kind)
            if found is None:
                return GroupRank(kind, None, None, 0, None, NO_GROUP)
            values, out, add = found
            n = values.n - len(out) + len(add)
            if reason := withheld(n, k):
                return GroupRank(kind, key, None, n, None, reason)
            place = None
            if own is not None:
                above = values.n - bisect.bisect_right(values.ordered, own)
                place = 1 + above - sum(1 for v in out if v > own)
            return GroupRank(kind, key, values.mean_with(out, add), n, place, None)

        def row(row_id: str, dimension_id: str | None) -> ComparisonRow:
            own = city_result.index(dimension_id)
            everyone = self._all.get(dimension_id, _EMPTY)
            removed = [v for r in own_entries if (v := r.index(dimension_id)) is not None]
            peer_found = group_of(PEER_GROUP, dimension_id, own)
            if peer_found is None:
                peer = GroupAverage(mean=None, n=0)
            else:
                values, out, add = peer_found
                n = values.n - len(out) + len(add)
                if reason := withheld(n, k):
                    peer = GroupAverage(mean=None, n=n, withheld_reason=reason)
                else:
                    peer = GroupAverage(mean=values.mean_with(out, add), n=n)
            return ComparisonRow(
                id=row_id,
                index=own,
                network_average=everyone.mean_with((), ()),
                network_n=everyone.n,
                peer_average=peer.mean,
                peer_n=peer.n,
                percentile=_percentile(own, everyone.ordered, removed),
                withheld_reason=peer.withheld_reason,
                groups=tuple(rank(kind, dimension_id, own) for kind in GROUP_KINDS),
            )

        return Comparison(
            overall=row(OVERALL, None),
            dimensions=tuple(row(d, d) for d in city_result.dimensions),
        )

    def peers_to_learn_from(self, dimension_id: str | None, *, peer_group: str | None,
                            exclude_city: str, limit: int = 3,
                            better_than: float | None = None) -> list[CityResult]:
        """The best-scoring named cities, same peer group first (the rules: `peers_to_learn_from`)."""
        ranked = self._named.get(dimension_id, [])
        found: list[CityResult] = []

        def take(same_group: bool) -> None:
            for r in ranked:
                if len(found) >= limit:
                    return
                index = r.index(dimension_id)
                assert index is not None
                if better_than is not None and index <= better_than:
                    return  # ranked by index, descending: nobody further is above it
                in_group = peer_group is not None and r.peer_group == peer_group
                if in_group == same_group and r.city != exclude_city:
                    found.append(r)

        if limit > 0:
            take(True)
            take(False)
        return found


#: The peer group (population band × foreign-born band) in NetworkIndex's group table.
PEER_GROUP = "peer"


def _group_keys(r: CityResult) -> tuple[tuple[str, str | None], ...]:
    return ((PEER_GROUP, r.peer_group), (SIZE_GROUP, r.size_key), (DIVERSITY_GROUP, r.diversity_key))


def _percentile(own: float | None, ordered: Sequence[float], removed: Sequence[float]) -> float | None:
    """`percentile_rank(own, [own, *others])` where others = `ordered` without `removed`."""
    if own is None:
        return None
    below = bisect.bisect_left(ordered, own) - sum(1 for v in removed if v < own)
    ties = bisect.bisect_right(ordered, own) - bisect.bisect_left(ordered, own) \
        - sum(1 for v in removed if v == own) + 1
    return 100.0 * (below + 0.5 * ties) / (len(ordered) - len(removed) + 1)


def _mean(values: Sequence[float]) -> float:
    return math.fsum(values) / len(values)
