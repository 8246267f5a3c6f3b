"""Administration of questionnaire editions: list and preview in each language."""

from benchmark.web.editions.views import bp

__all__ = ["bp"]
