"""Peer groups: cities of similar size and diversity (population band × foreign-born band).

Default bands (lower bound inclusive, upper bound exclusive):

- population: under 100,000 · 100,000–250,000 · 250,000–500,000 ·
  500,000–1,000,000 · 1,000,000 or more inhabitants;
- foreign-born share of the population: under 10 % · 10–20 % · 20–30 % · 30 % or more.

A peer group key is stable text such as "pop-100k-250k.fb-10-20" (the open ends
read "pop-0-100k", "pop-1m-plus", "fb-0-10", "fb-30-plus"), so it can be stored
on a city and compared; `bands` reads it back as data, which
`reporting.words.peer_group` puts into words of the reader's language.
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

_KEY = re.compile(r"^pop-(?P<pop>[0-9]+[km]?-(?:[0-9]+[km]?|plus))\.fb-(?P<fb>[0-9.]+-(?:[0-9.]+|plus))$")


@dataclass(frozen=True)
class PeerGroupRules:
    """Band boundaries: population in inhabitants, foreign-born share in percent (0–100)."""

    population_bounds: tuple[int, ...] = (100_000, 250_000, 500_000, 1_000_000)
    share_bounds: tuple[float, ...] = (10, 20, 30)

    def __post_init__(self) -> None:
        for name, bounds, top in (
            ("population_bounds", self.population_bounds, math.inf),
            ("share_bounds", self.share_bounds, 100),
        ):
            if any(b <= 0 or b >= top for b in bounds):
                raise ValueError(f"{name} must lie strictly between 0 and {top}")
            if any(a >= b for a, b in itertools.pairwise(bounds)):
                raise ValueError(f"{name} must be strictly increasing")

    def size_group_of(self, population: float | None) -> str | None:
        """The size group (population band) key, e.g. "pop-100k-250k"; None when unknown."""
        if population is None or math.isnan(population) or population < 0:
            return None
        return f"pop-{_band(population, self.population_bounds, _compact_population)}"

    def diversity_group_of(self, foreign_born_share: float | None) -> str | None:
        """The diversity group (foreign-born share band) key, e.g. "fb-10-20"; None when unknown."""
        share = foreign_born_share
        if share is None or math.isnan(share) or not 0 <= share <= 100:
            return None
        return f"fb-{_band(share, self.share_bounds, _compact_number)}"

    def peer_group_of(self, population: float | None, foreign_born_share: float | None) -> str | None:
        """The peer group key of a city profile; None when either value is missing (or NaN).

        Raises ValueError for a negative population or a share outside 0–100.
        """
        if population is None or foreign_born_share is None:
            return None
        if math.isnan(population) or math.isnan(foreign_born_share):
            return None
        if population < 0:
            raise ValueError("population must not be negative")
        if not 0 <= foreign_born_share <= 100:
            raise ValueError("foreign-born share must be a percentage between 0 and 100")
        pop = _band(population, self.population_bounds, _compact_population)
        fb = _band(foreign_born_share, self.share_bounds, _compact_number)
        return f"pop-{pop}.fb-{fb}"


DEFAULT_PEER_GROUP_RULES = PeerGroupRules()


def peer_group_from(round_profile: Mapping[str, Any] | None, population: float | None,
                    foreign_born_share: float | None) -> str | None:
    """The peer group key of a city in a round, or None.

    The one rule: the population and foreign-born share of the round's profile (what the
    city declared for the round); each value the profile lacks comes from the city's record
    (`population`, `foreign_born_share`), as does everything outside a round.
    """
    profile = round_profile or {}
    population = profile.get("population", population)
    share = profile.get("foreign_born_share", foreign_born_share)
    try:
        return DEFAULT_PEER_GROUP_RULES.peer_group_of(
            float(population) if population is not None else None,
            float(share) if share is not None else None)
    except (TypeError, ValueError):
        return None


def size_groups(rules: PeerGroupRules = DEFAULT_PEER_GROUP_RULES
                ) -> tuple[tuple[str, int, int | None], ...]:
    """The population bands as (key, lowest inhabitants, first inhabitants above or None).

    Keys read as in peer group keys ("pop-100k-250k", "pop-1m-plus"): filters and links
    name a size group by them.
    """
    found = []
    for low in (0, *rules.population_bounds):
        key = rules.size_group_of(low)
        assert key is not None
        bottom, top = band_bounds(key)
        found.append((key, int(bottom), int(top) if top is not None else None))
    return tuple(found)


def groups_from(round_profile: Mapping[str, Any] | None, population: float | None,
                foreign_born_share: float | None) -> tuple[str | None, str | None]:
    """(size group, diversity group) of a city in a round, by the rule of `peer_group_from`.

    Each group needs only its own value: a city whose foreign-born share is unknown has
    no peer group but still a size group.
    """
    return (DEFAULT_PEER_GROUP_RULES.size_group_of(effective(round_profile, "population", population)),
            DEFAULT_PEER_GROUP_RULES.diversity_group_of(
                effective(round_profile, "foreign_born_share", foreign_born_share)))


def band_bounds(key: str) -> tuple[float, float | None]:
    """(low, high) of a size ("pop-…") or diversity ("fb-…") group key; high None = no bound.

    Raises ValueError for anything else. Words for a band are the edge's (web, report).
    """
    kind, _, band = key.partition("-")
    if kind == "pop":
        return _parse_band(band, _parse_population)
    if kind == "fb":
        return _parse_band(band, float)
    raise ValueError(f"not a group key: {key!r}")


def effective(round_profile: Mapping[str, Any] | None, key: str, recorded: float | None
              ) -> float | None:
    """The number of a city in a round for `key` (population, foreign_born_share): the
    round's profile's when it has the key, else the city's record (`recorded`); None when
    that is not a number. The rule of `groups_from`, stored per round for the dashboard."""
    return _number((round_profile or {}).get(key, recorded))


def declared(round_profile: Mapping[str, Any] | None, key: str) -> float | None:
    """The number a round's profile declares for `key`; None when absent or not a number."""
    return _number((round_profile or {}).get(key))


def _number(value: Any) -> float | None:
    try:
        return float(value) if value is not None else None
    except (TypeError, ValueError):
        return None


Band = tuple[float, float | None]


def bands(key: str) -> tuple[Band, Band]:
    """The (population, foreign-born share) bands of a peer group key, as data.

    Each band is (low, high) with ``high`` None for the open top band; the edges
    (``reporting.words.peer_group``) put them into words of the reader's language.
    Raises ValueError for a string that is not a peer group key.
    """
    match = _KEY.match(key)
    if match is None:
        raise ValueError(f"not a peer group key: {key!r}")
    return _parse_band(match["pop"], _parse_population), _parse_band(match["fb"], float)


def _band(value: float, bounds: tuple[float, ...], fmt: Callable[[float], str]) -> str:
    edges = (0, *bounds)
    for low, high in zip(edges, bounds, strict=False):
        if low <= value < high:
            return f"{fmt(low)}-{fmt(high)}"
    return f"{fmt(edges[-1])}-plus"


def _compact_number(value: float) -> str:
    return f"{value:g}" if value != int(value) else str(int(value))


def _compact_population(value: float) -> str:
    value = int(value)
    if value and value % 1_000_000 == 0:
        return f"{value // 1_000_000}m"
    if value and value % 1_000 == 0:
        return f"{value // 1_000}k"
    return str(value)


def _parse_population(text: str) -> float:
    multiplier = {"k": 1_000, "m": 1_000_000}.get(text[-1:], 1)
    return float(text.rstrip("km")) * multiplier


def _parse_band(text: str, parse: Callable[[str], float]) -> tuple[float, float | None]:
    low, _, high = text.partition("-")
    try:
        return parse(low), None if high == "plus" else parse(high)
    except ValueError:
        raise ValueError(f"not a peer group band: {text!r}") from None
