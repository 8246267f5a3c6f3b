"""Questionnaire editions: load and validate YAML files into frozen dataclasses (pure)."""

from benchmark.questionnaire.errors import Problem, QuestionnaireError
from benchmark.questionnaire.loader import (
    dump,
    load_file,
    load_text,
    localized_dump,
    validate_file,
    validate_text,
)
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
    "Problem",
    "ProfileField",
    "Question",
    "QuestionType",
    "Questionnaire",
    "QuestionnaireError",
    "Scale",
    "ShowIf",
    "dump",
    "get_type",
    "load_file",
    "load_text",
    "localize",
    "localized_dump",
    "register",
    "validate_file",
    "validate_text",
]
