"""The scoring engine (pure: stdlib and numpy only): indices, network comparison, trends.

Implements DESIGN.md "Scoring (contract)". Inputs and outputs are frozen
dataclasses; indices are 0–100 and unrounded (shown with one decimal).
"""

from benchmark.scoring.engine import (
    AnswerInput,
    AssessmentScore,
    DimensionScore,
    QuestionScore,
    QuestionStatus,
    is_visible,
    score_assessment,
)
from benchmark.scoring.network import (
    OVERALL,
    CityResult,
    Comparison,
    ComparisonRow,
    Distribution,
    GroupAverage,
    NetworkStatistics,
    compare,
    distribution,
    group_average,
    network_statistics,
    peers_to_learn_from,
    percentile_rank,
)
from benchmark.scoring.peers import DEFAULT_PEER_GROUP_RULES, PeerGroupRules, bands
from benchmark.scoring.priorities import Priority, achievement_shares, priorities
from benchmark.scoring.trends import (
    Change,
    ComparableScores,
    Crossing,
    RoundResult,
    Trend,
    comparable_scores,
    crossings,
    previous_mapping,
    trend,
)

__all__ = [
    "DEFAULT_PEER_GROUP_RULES",
    "OVERALL",
    "AnswerInput",
    "AssessmentScore",
    "Change",
    "CityResult",
    "ComparableScores",
    "Comparison",
    "ComparisonRow",
    "Crossing",
    "DimensionScore",
    "Distribution",
    "GroupAverage",
    "NetworkStatistics",
    "PeerGroupRules",
    "Priority",
    "QuestionScore",
    "QuestionStatus",
    "RoundResult",
    "Trend",
    "achievement_shares",
    "bands",
    "comparable_scores",
    "compare",
    "crossings",
    "distribution",
    "group_average",
    "is_visible",
    "network_statistics",
    "peers_to_learn_from",
    "percentile_rank",
    "previous_mapping",
    "priorities",
    "score_assessment",
    "trend",
]
