"""Questionnaire editions: load and validate YAML files into frozen dataclasses (pure)."""

from benchmark.questionnaire.model import (
    Band,
    Dimension,
    Localized,
    Option,
    Previous,
    ProfileField,
    Question,
    Questionnaire,
    Scale,
    ShowIf,
    localize,
)
from benchmark.questionnaire.types import InvalidAnswer, Points, QuestionType, get_type, register

__all__ = [
    "Band",
    "Dimension",
    "InvalidAnswer",
    "Localized",
    "Option",
    "Points",
    "Previous",
    "ProfileField",
    "Question",
    "QuestionType",
    "Questionnaire",
    "Scale",
    "ShowIf",
    "get_type",
    "localize",
    "register",
]
