"""A city's results page: indices, comparisons, radar chart, trends, priorities."""

from benchmark.web.results.views import bp

__all__ = ["bp"]
