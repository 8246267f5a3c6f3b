"""Planning the demo network (pure): which cities, which rounds, which dates and levels.

Everything here is deterministic for a (cities, seed) pair and touches no database;
`seeding.py` writes what these plans describe.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Collection
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from benchmark.demo.answers import dimension_levels
from benchmark.demo.names import COUNTRIES, Country, city_name, pick_country, slugify
from benchmark.questionnaire import Questionnaire

DEFAULT_CITIES = 135
DEFAULT_SEED = 42
MAX_CITIES = 100_000
#: Every date of the demo network is fixed relative to this moment, so a seed is reproducible.
ANCHOR = datetime(2026, 10, 15, 10, 0, tzinfo=UTC)
EMAIL_DOMAIN = "demo.city-benchmark.org"
DEMO_CITY_NAME = "Valdoria"
DEMO_CITY_COUNTRY = "Portugal"
#: Cities generated, scored and written per batch (bounds memory at 10,000 cities).
BATCH = 250
#: Dimensions of the latest edition the demo contributor is limited to.
CONTRIBUTOR_DIMENSIONS = 3

OLD, NEW = "old", "new"
#: A city's rounds: (edition, status) pairs, first round first; OLD is the oldest imported
#: edition, NEW the latest.
Path = tuple[tuple[str, str], ...]
DEMO_PATH: Path = ((OLD, "validated"), (NEW, "draft"))
#: The mix of the default 135-city network (97 validated on OLD, 36 of them in a second round).
MIX: tuple[tuple[Path, int], ...] = (
    (((OLD, "validated"), (NEW, "validated")), 22),
    (((OLD, "validated"), (NEW, "submitted")), 5),
    (((OLD, "validated"), (NEW, "returned")), 4),
    (DEMO_PATH, 5),
    (((OLD, "validated"),), 61),
    (((NEW, "draft"),), 12),
    (((NEW, "submitted"),), 6),
    (((NEW, "returned"),), 6),
    ((), 14),
)
#: Languages of city teams by country (everyone else reads English).
LANGUAGES = {"France": "fr", "Belgium": "fr", "Morocco": "fr", "Tunisia": "fr",
             "Lebanon": "ar", "Jordan": "ar"}

ProgressFn = Callable[[int], None]


@dataclass(frozen=True)
class CityPlan:
    index: int
    name: str
    slug: str
    country: str
    population: int
    foreign_born_share: float
    consent_named: bool
    maturity: float
    path: Path
    #: Second-round trajectory: "improving" (past the average in its weakest dimension),
    #: "declining" or "steady".
    trend: str


# -- the plan (pure) ------------------------------------------------------------------------


def allocate(cities: int) -> list[tuple[Path, int]]:
    """How many cities follow each path of MIX for a network of `cities` (largest remainder).

    The demo city's path always has one; from 8 cities up every status and a second
    round are present too (taken from cities without a round, then new members).
    """
    total = sum(n for _, n in MIX)
    exact = [n * cities / total for _, n in MIX]
    counts = [math.floor(x) for x in exact]
    by_remainder = sorted(range(len(MIX)), key=lambda i: (-(exact[i] - counts[i]), i))
    for i in by_remainder[:cities - sum(counts)]:
        counts[i] += 1
    paths = [p for p, _ in MIX]

    def ensure(path: Path) -> None:
        target = paths.index(path)
        if counts[target]:
            return
        # Donors keep the network's shape: cities without a round, then new members' drafts,
        # then cities with a single validated round.
        for donor in ((), ((NEW, "draft"),), ((OLD, "validated"),)):
            i = paths.index(donor)
            if counts[i] > 0:
                counts[i] -= 1
                counts[target] += 1
                return

    ensure(DEMO_PATH)
    if cities >= 8:
        for status in ("submitted", "returned"):
            if not any(c and any(s == status for _, s in p) for p, c in zip(paths, counts, strict=True)):
                ensure(((OLD, "validated"), (NEW, status)))
    return list(zip(paths, counts, strict=True))


def _clip(value: float, low: float, high: float) -> float:
    return min(high, max(low, value))


def plan_cities(cities: int, seed: int, taken: Collection[str] = ()) -> list[CityPlan]:
    """The cities of the network, deterministic for (cities, seed); slugs avoid `taken`."""
    rng = random.Random(seed)  # noqa: S311 - demo data, not secrets
    paths = [path for path, n in allocate(cities) for _ in range(n)]
    paths.remove(DEMO_PATH)
    rng.shuffle(paths)
    paths.insert(0, DEMO_PATH)
    used = set(taken)
    plans = []
    second_rounds = 0
    for index, path in enumerate(paths):
        if index == 0:
            country = next(c for c in COUNTRIES if c.name == DEMO_CITY_COUNTRY)
            name = DEMO_CITY_NAME
        else:
            country = pick_country(rng)
            name = _unique_name(rng, country, used)
        slug = slugify(name)
        used.add(slug)
        log_pop = _clip(rng.gauss(math.log(180_000), 0.95), math.log(20_000), math.log(3_000_000))
        z_pop = (log_pop - math.log(180_000)) / 0.95
        share = _clip(3 + 42 * rng.betavariate(1.8, 3.4) + 3 * z_pop, 3, 45)
        maturity = rng.gauss(0, 1) + 0.25 * z_pop
        if index == 0:
            # The demo team's city sits a little above the middle of the network, so its
            # results show dimensions both above and below the average.
            maturity = 0.35
        trend = "steady"
        if len(path) > 1:
            trend = ("improving", "improving", "declining", "steady", "steady", "steady")[second_rounds % 6]
            second_rounds += 1
        plans.append(CityPlan(
            index=index, name=name, slug=slug, country=country.name,
            population=int(round(math.exp(log_pop), -2)), foreign_born_share=round(share, 1),
            consent_named=index == 0 or rng.random() < 0.7,
            maturity=maturity, path=path,
            trend="improving" if index == 0 else trend,
        ))
    return plans


def _unique_name(rng: random.Random, country: Country, used: set[str]) -> str:
    for _ in range(1000):
        name = city_name(rng, country)
        if len(name) >= 4 and slugify(name) not in used:
            return name
    raise RuntimeError("could not find a fresh city name")  # 10^6 combinations per style


def _edition_year(edition: Questionnaire, fallback: int) -> int:
    version = edition.version
    return int(version) if version.isdigit() and len(version) == 4 else fallback


@dataclass(frozen=True)
class RoundPlan:
    #: OLD or NEW
    key: str
    edition: Questionnaire
    status: str
    round: int
    created_at: datetime
    updated_at: datetime
    submitted_at: datetime | None
    validated_at: datetime | None
    fraction: float
    levels: dict[str, float]
    profile: dict[str, Any]


def _days(rng: random.Random, low: int, high: int) -> timedelta:
    return timedelta(days=rng.randint(low, high), seconds=rng.randint(0, 8 * 3600))


def _dates(rng: random.Random, status: str, year: int) -> tuple[datetime, ...]:
    """(created, updated, submitted, validated) of a round; validated rounds in `year`."""
    if status == "validated":
        end = min(datetime(year, 12, 10, 9, tzinfo=UTC), ANCHOR - timedelta(days=20))
        validated = end - _days(rng, 0, 200)
        submitted = validated - _days(rng, 5, 40)
        created = submitted - _days(rng, 40, 160)
        return created, validated, submitted, validated
    if status == "draft":
        created = ANCHOR - _days(rng, 20, 200)
        return created, max(created, ANCHOR - _days(rng, 0, 15)), None, None
    created = ANCHOR - _days(rng, 80, 240)
    submitted = ANCHOR - _days(rng, 12, 45)
    if status == "returned":
        return created, submitted + _days(rng, 2, 9), submitted, None
    return created, submitted, submitted, None


def _profile(edition: Questionnaire, rng: random.Random, population: int,
             share: float) -> dict[str, Any]:
    """Values for the edition's profile fields: the city's own for the two peer-group fields."""
    known: dict[str, Any] = {"population": population, "foreign_born_share": share}
    profile: dict[str, Any] = {}
    for f in edition.profile:
        if f.id in known:
            profile[f.id] = known[f.id]
        elif f.type == "text":  # a profile field kind (integer/number/percent/text), not a question type
            profile[f.id] = "—"
        else:
            profile[f.id] = rng.randint(1, 100) if f.type != "number" else round(rng.uniform(1, 100), 1)
    return profile


def plan_rounds(city: CityPlan, editions: dict[str, Questionnaire], seed: int
                ) -> tuple[random.Random, list[RoundPlan], int, float]:
    """A city's rounds, its random stream, and its current population and share."""
    rng = random.Random(f"{seed}:city:{city.index}")  # noqa: S311 - demo data, not secrets
    dims = sorted({d.id for e in editions.values() for d in e.dimensions})
    levels = dimension_levels(rng, city.maturity, dims)
    population, share = city.population, city.foreign_born_share
    rounds: list[RoundPlan] = []
    for edition_key, status in city.path:
        edition = editions[edition_key]
        if rounds:  # a second round: the city moved on since the first
            population = int(round(population * (1 + rng.gauss(0.025, 0.02)), -2))
            share = round(_clip(share + rng.gauss(0.8, 0.7), 3, 45), 1)
            levels = _moved(rng, levels, city.trend)
        year = _edition_year(edition, ANCHOR.year - (6 if edition_key == OLD else 2))
        if status == "validated":
            label = year + rng.choice((0, 0, 1, 1, 2)) if not rounds else year + rng.choice((0, 1))
            label = min(label, ANCHOR.year)
        else:
            label = ANCHOR.year
        if rounds and label <= rounds[-1].round:
            label = rounds[-1].round + 1
        created, updated, submitted, validated = _dates(rng, status, label)
        fraction = 1.0 if status != "draft" else (0.55 if city.index == 0 else rng.uniform(0.1, 0.9))
        rounds.append(RoundPlan(edition_key, edition, status, label, created, updated, submitted, validated,
                                fraction, dict(levels), _profile(edition, rng, population, share)))
    return rng, rounds, population, share


def _moved(rng: random.Random, levels: dict[str, float], trend: str) -> dict[str, float]:
    if trend == "improving":
        weakest = min(levels, key=levels.__getitem__)
        return {d: v + (2.2 if d == weakest else 0.3) + rng.gauss(0, 0.2) for d, v in levels.items()}
    if trend == "declining":
        return {d: v - 0.7 + rng.gauss(0, 0.3) for d, v in levels.items()}
    return {d: v + 0.15 + rng.gauss(0, 0.35) for d, v in levels.items()}


