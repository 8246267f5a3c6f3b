"""Inputs of the PDF reports: frozen dataclasses filled by the service layer (pure).

Every index is on the 0–100 scale and kept unrounded here; the templates show one
decimal (the scoring contract, docs/architecture.md). ``None`` means "no value" (no index, or an average that
is withheld or has no data). Texts are already in the report's language: the service
localises questionnaire texts before building these objects. Everything else is
a code or a number: the edges put codes into words (``reporting.words``) and
translate fixed labels through gettext (``reporting.i18n``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from types import MappingProxyType


def _freeze(obj: object, *sequences: str, mappings: tuple[str, ...] = ()) -> None:
    """Turn list arguments into tuples and dicts into read-only views after __init__."""
    for name in sequences:
        object.__setattr__(obj, name, tuple(getattr(obj, name)))
    for name in mappings:
        object.__setattr__(obj, name, MappingProxyType(dict(getattr(obj, name))))


class QuestionStatus(StrEnum):
    """Whether a question counts in its dimension index (the scoring contract, docs/architecture.md)."""

    INCLUDED = "included"
    NOT_APPLICABLE = "not_applicable"
    HIDDEN = "hidden"  # excluded by show_if skip logic
    UNSCORED = "unscored"  # text questions
    UNANSWERED = "unanswered"  # counted as 0 points in a draft


class RankBand(StrEnum):
    """Quartile of the network the overall index falls in."""

    TOP_QUARTILE = "top_quartile"
    SECOND_QUARTILE = "second_quartile"
    THIRD_QUARTILE = "third_quartile"
    BOTTOM_QUARTILE = "bottom_quartile"

    @classmethod
    def from_percentile(cls, percentile: float | None) -> RankBand | None:
        """The band of a percentile (0–100, higher is better); None stays None."""
        if percentile is None:
            return None
        if percentile >= 75:
            return cls.TOP_QUARTILE
        if percentile >= 50:
            return cls.SECOND_QUARTILE
        if percentile >= 25:
            return cls.THIRD_QUARTILE
        return cls.BOTTOM_QUARTILE


@dataclass(frozen=True)
class IndexRow:
    """One index (overall or a dimension) with its comparisons.

    ``network_n``/``peer_n`` count the cities behind each average (the city itself
    included in the peer group). ``withheld_reason`` explains a missing peer average,
    e.g. ``"k_anonymity"`` when the group has fewer than K cities.
    """

    label: str
    index: float | None
    network_average: float | None = None
    network_n: int = 0
    peer_average: float | None = None
    peer_n: int = 0
    percentile: float | None = None
    withheld_reason: str | None = None

    @property
    def network_difference(self) -> float | None:
        """Index minus network average, in index points (None if either is missing)."""
        if self.index is None or self.network_average is None:
            return None
        return self.index - self.network_average

    @property
    def peer_difference(self) -> float | None:
        """Index minus peer-group average, in index points (None if either is missing)."""
        if self.index is None or self.peer_average is None:
            return None
        return self.index - self.peer_average


@dataclass(frozen=True)
class GroupComparison:
    """The overall index in one comparison group: the network, the size or the diversity group.

    ``label`` is already in the report's language; ``rank`` is 1 for the highest index,
    out of ``n`` (tied cities share the best rank of their tie). ``average`` and
    ``rank`` are None with ``withheld_reason`` ("k_anonymity", "no_group") when withheld.
    """

    kind: str
    label: str
    average: float | None
    n: int
    rank: int | None
    withheld_reason: str | None = None


@dataclass(frozen=True)
class QuestionLine:
    """One question of a dimension as the city answered it.

    ``points``/``max_points`` are the achieved and maximum points (None when the
    question is excluded); ``network_share_achieving`` is the share (0–1) of network
    cities that obtained the maximum points on it.
    """

    id: str
    text: str
    answer_text: str
    points: float | None
    max_points: float | None
    status: QuestionStatus = QuestionStatus.INCLUDED
    network_share_achieving: float | None = None
    evidence: str = ""
    #: The city's own comment on its answer.
    comment: str = ""
    #: Review comments the programme's staff chose to show in the report.
    programme_comments: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "status", QuestionStatus(self.status))
        _freeze(self, "programme_comments")


@dataclass(frozen=True)
class DimensionSection:
    """A dimension: its index row, its questions and the peer cities doing best in it."""

    id: str
    title: str
    row: IndexRow
    questions: tuple[QuestionLine, ...] = ()
    peers_to_learn_from: tuple[str, ...] = ()
    #: The same cities with their published practices in this dimension (links).
    peer_practices: tuple[PeerPractices, ...] = ()

    def __post_init__(self) -> None:
        _freeze(self, "questions", "peers_to_learn_from", "peer_practices")


@dataclass(frozen=True)
class Change:
    """Change since the city's previous round, in index points (positive is better).

    ``comparable_subset`` is true when the previous round was on another edition and
    only the questions mapped between editions (``previous:``) were compared.
    """

    previous_round: int
    previous_version: str
    overall_delta: float | None
    dimension_deltas: Mapping[str, float | None] = field(default_factory=dict)
    comparable_subset: bool = False

    def __post_init__(self) -> None:
        _freeze(self, mappings=("dimension_deltas",))


@dataclass(frozen=True)
class Crossing:
    """A dimension whose index moved across the network average since the last round."""

    dimension_id: str
    dimension_title: str
    now_above: bool


@dataclass(frozen=True)
class TrendPoint:
    """The city's indices in one round as they were published (``dimensions`` maps
    dimension id → index): scored in full on the round's own edition, never re-scored.

    ``comparable_subset`` marks a round answered on another edition than the report's:
    its indices are not directly comparable; the report's ``Change`` is.
    """

    round: int
    version: str
    overall: float | None
    dimensions: Mapping[str, float | None] = field(default_factory=dict)
    comparable_subset: bool = False

    def __post_init__(self) -> None:
        _freeze(self, mappings=("dimensions",))


@dataclass(frozen=True)
class PracticeRef:
    """A published good practice of another city, as a priority or a dimension lists it.

    Texts are in the reader's language when the practice has it, else in its original
    (`in_reader_language` False, so the reader is told).
    """

    id: int
    title: str
    summary: str
    city_name: str
    language: str
    in_reader_language: bool = True


@dataclass(frozen=True)
class PeerPractices:
    """A city to learn from in a dimension, with how many practices it published in it."""

    city_name: str
    city_slug: str
    practice_count: int


@dataclass(frozen=True)
class Priority:
    """A question where the city could gain most.

    ``potential_gain`` is the rise of the overall index (points, 0–100 scale) if the
    city obtained the maximum points on it; ``network_share`` as in QuestionLine.
    """

    question_id: str
    question_text: str
    dimension_id: str
    dimension_title: str
    potential_gain: float
    network_share: float | None = None
    #: Up to three published practices of other cities answering the question.
    practices: tuple[PracticeRef, ...] = ()

    def __post_init__(self) -> None:
        _freeze(self, "practices")


@dataclass(frozen=True)
class QuestionChange:
    """A targeted question's points in the round of the commitment and in this round."""

    id: str
    text: str
    points_before: float | None
    points_after: float | None
    max_points: float | None


@dataclass(frozen=True)
class CommitmentLine:
    """A commitment made after an earlier round, followed up in this one.

    ``index_before``/``index_after`` are the targeted dimension's index (0–100, unrounded)
    in the round that prompted the commitment and in this round; ``network_before``/
    ``network_after`` the network averages of those rounds' editions; ``crossing`` is
    "above" or "below" when the index crossed the network average between them.
    ``status`` and ``outcome`` are codes (planned, in_progress, done, dropped; done,
    partly, not_done, dropped); the renderer puts them into words.
    """

    title: str
    from_round: int
    dimension_id: str
    dimension_title: str
    status: str
    outcome: str | None
    outcome_note: str = ""
    index_before: float | None = None
    index_after: float | None = None
    network_before: float | None = None
    network_after: float | None = None
    crossing: str | None = None
    questions: tuple[QuestionChange, ...] = ()

    def __post_init__(self) -> None:
        _freeze(self, "questions")

    @property
    def delta(self) -> float | None:
        """Change of the dimension index, in index points (positive is better)."""
        if self.index_before is None or self.index_after is None:
            return None
        return self.index_after - self.index_before


@dataclass(frozen=True)
class Methodology:
    """Facts the methodology annex states: K, sample sizes, edition and data date."""

    k_anonymity: int
    network_n: int
    data_date: date
    edition_version: str
    edition_title: str
    peer_group: str | None = None  # the key; reporting.words.peer_group puts it in words
    question_count: int = 0
    dimension_count: int = 0


@dataclass(frozen=True)
class CityReport:
    """Everything the city benchmark report shows; ``generated_on`` is passed in."""

    city_name: str
    country: str
    edition_version: str
    edition_title: str
    round: int
    status: str  # draft | submitted | returned | validated (other values shown as is)
    generated_on: date
    language: str
    provisional: bool
    overall: IndexRow
    dimensions: tuple[DimensionSection, ...]
    methodology: Methodology
    change: Change | None = None
    rank_band: RankBand | None = None
    trends: tuple[TrendPoint, ...] = ()
    crossings: tuple[Crossing, ...] = ()
    priorities: tuple[Priority, ...] = ()
    #: The overall index in the network, the size group and the diversity group.
    groups: tuple[GroupComparison, ...] = ()
    #: Commitments of earlier rounds followed up in this round ("Commitments and progress").
    commitments: tuple[CommitmentLine, ...] = ()

    def __post_init__(self) -> None:
        _freeze(self, "dimensions", "trends", "crossings", "priorities", "groups", "commitments")
        if self.rank_band is not None:
            object.__setattr__(self, "rank_band", RankBand(self.rank_band))


@dataclass(frozen=True)
class Distribution:
    """How one index is spread over the network: mean, n and the five-number summary."""

    id: str
    title: str
    mean: float | None
    n: int
    min: float | None = None
    q1: float | None = None
    median: float | None = None
    q3: float | None = None
    max: float | None = None


@dataclass(frozen=True)
class NetworkCity:
    """One city's latest validated indices on the edition."""

    name: str
    country: str
    overall: float | None
    dimensions: Mapping[str, float | None] = field(default_factory=dict)

    def __post_init__(self) -> None:
        _freeze(self, mappings=("dimensions",))


@dataclass(frozen=True)
class EditionChange:
    """Change of a network average since the previous edition (comparable subset)."""

    id: str
    title: str
    previous_mean: float | None
    mean: float | None

    @property
    def delta(self) -> float | None:
        if self.previous_mean is None or self.mean is None:
            return None
        return self.mean - self.previous_mean


@dataclass(frozen=True)
class NetworkReport:
    """The network-wide report of one edition (staff)."""

    edition_version: str
    edition_title: str
    generated_on: date
    language: str
    overall: Distribution
    distributions: tuple[Distribution, ...]
    cities: tuple[NetworkCity, ...]
    methodology: Methodology
    previous_version: str | None = None
    changes: tuple[EditionChange, ...] = ()

    def __post_init__(self) -> None:
        _freeze(self, "distributions", "cities", "changes")


@dataclass(frozen=True)
class ComparedCity:
    """One city of a side-by-side comparison; ``round`` None when it has no validated round."""

    name: str
    country: str
    round: int | None = None


@dataclass(frozen=True)
class ComparedIndex:
    """The overall index or a dimension: one value per compared city (0–100, None if none)."""

    id: str
    title: str
    values: tuple[float | None, ...]

    def __post_init__(self) -> None:
        _freeze(self, "values")


@dataclass(frozen=True)
class ComparedQuestion:
    """A question where the cities differ: each city's answer in words and points share."""

    id: str
    number: str
    text: str
    dimension_title: str
    answers: tuple[str, ...]
    achievements: tuple[float | None, ...]
    spread: float

    def __post_init__(self) -> None:
        _freeze(self, "answers", "achievements")


@dataclass(frozen=True)
class ComparisonReport:
    """Two to five cities side by side on one edition (page, PDF and CSV)."""

    edition_version: str
    edition_title: str
    generated_on: date
    language: str
    cities: tuple[ComparedCity, ...]
    overall: ComparedIndex
    dimensions: tuple[ComparedIndex, ...]
    questions: tuple[ComparedQuestion, ...] = ()

    def __post_init__(self) -> None:
        _freeze(self, "cities", "dimensions", "questions")
